/*
 * play_tensor.h: the play tensor type, one play's tracking as frames x entities x 8 features.
 */
#ifndef PLAY_TENSOR_H
#define PLAY_TENSOR_H

#include <math.h>

#include "common/ngs.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "utils/geo_decls.h"

#define PT_VERSION_PLAIN	1		/* 1.0 and 1.1: no events */
#define PT_VERSION_EVENTS	2		/* 1.2: each frame's events after the data */
#define PT_VERSION			PT_VERSION_EVENTS	/* the newest version this build reads */
#define PT_FEATURES			8

/* Play tensor limits */
#define PT_MAX_FRAMES		4096	/* frames per play (6.8 min at 10 Hz; real plays reach 640) */
#define PT_MAX_ENTITIES		64		/* entities per play (real plays have up to 23) */
#define PT_MAX_ABS_VALUE	1.0e6	/* largest accepted |x|, |y|, |s|, |a|, |dir|, |o| */
#define PT_MAX_EVENTS		1024	/* distinct (frame, event) pairs per play (real plays: < 20) */
#define PT_MAX_EVENT_LEN	63		/* bytes in one event name (real names: < 32) */
#define PT_MAX_ABS_FEATURE	1.0e9	/* largest |value| a tensor holds: what play_tensor_agg
									 * derives from PT_MAX_ABS_VALUE, mirrored, stays below */

/* Feature order inside one (frame, entity) sample */
typedef enum PtFeature
{
	PT_X = 0, PT_Y, PT_VX, PT_VY, PT_AX, PT_AY, PT_DIR, PT_O
} PtFeature;

/* Entity roles (stored as one byte each) */
typedef enum PtRole
{
	PT_OFFENSE = 1, PT_DEFENSE = 2, PT_BALL = 3
} PtRole;

/* Header flags */
#define PT_STANDARDIZED		0x01	/* mirrored (or marked) so the offense moves toward +x */
#define PT_KNOWN_FLAGS		PT_STANDARDIZED

/*
 * The on-disk value.  After the header, every array is 4-byte aligned:
 *   int32  nfl_id[entities]          (0 for the ball, which has no NFL id)
 *   int32  frame_id[frames]          (strictly increasing)
 *   int32  duplicate[duplicates][2]  (frame index, entity index) pairs that arrived twice
 *   uint8  role[entities]            (PtRole), padded to a multiple of 4
 *   float4 data[frames][entities][PT_FEATURES]   (NaN = missing)
 * Version 2 (PT_VERSION_EVENTS) appends the play's events, so that every offset above is
 * the same in both versions:
 *   int32  events                    (number of (frame, event) pairs)
 *   int32  event_frame[events]       (frame index; pairs sorted by frame, then name, each once)
 *   int32  event_end[events]         (end of each name in the pool; it starts where the last ended)
 *   char   pool[event_end[events-1]] (the names, no terminators), padded to a multiple of 4
 * A version-1 value has no events section: it does not know its events.
 */
typedef struct PlayTensor
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* layout version, PT_VERSION */
	uint8		flags;			/* PT_* flag bits; unknown bits must be zero */
	uint16		entities;		/* number of entities */
	int32		frames;			/* number of frames */
	int32		duplicates;		/* number of duplicate (frame, entity) pairs */
	char		payload[FLEXIBLE_ARRAY_MEMBER];	/* the arrays above */
} PlayTensor;

#define DatumGetPlayTensorP(x)	((PlayTensor *) PG_DETOAST_DATUM(x))
#define PG_GETARG_PLAY_TENSOR_P(n)	DatumGetPlayTensorP(PG_GETARG_DATUM(n))
#define PG_RETURN_PLAY_TENSOR_P(x)	PG_RETURN_POINTER(x)

/* Size in bytes of a tensor with these dimensions */
static inline Size
pt_size(int frames, int entities, int duplicates)
{
	return offsetof(PlayTensor, payload) + sizeof(int32) * (Size) (entities + frames + 2 * duplicates)
		+ TYPEALIGN(4, entities) + sizeof(float4) * (Size) frames * entities * PT_FEATURES;
}

/* Whether the tensor knows its events (version 2), even if there are none */
static inline bool
pt_has_events(PlayTensor *pt)
{
	return pt->version >= PT_VERSION_EVENTS;
}

/* Size in bytes of an events section of n events whose names take pool bytes */
static inline Size
pt_events_size(int n, Size pool)
{
	return sizeof(int32) * (Size) (1 + 2 * n) + TYPEALIGN(4, pool);
}

/* The NFL id of every entity */
static inline int32 *
pt_nfl_ids(PlayTensor *pt)
{
	return (int32 *) pt->payload;
}

/* The frame id of every frame */
static inline int32 *
pt_frame_ids(PlayTensor *pt)
{
	return pt_nfl_ids(pt) + pt->entities;
}

/* The (frame index, entity index) pairs that arrived more than once */
static inline int32 *
pt_duplicates(PlayTensor *pt)
{
	return pt_frame_ids(pt) + pt->frames;
}

/* The role of every entity */
static inline uint8 *
pt_roles(PlayTensor *pt)
{
	return (uint8 *) (pt_duplicates(pt) + 2 * pt->duplicates);
}

/* The feature values, frames x entities x PT_FEATURES */
static inline float4 *
pt_data(PlayTensor *pt)
{
	return (float4 *) (pt_roles(pt) + TYPEALIGN(4, pt->entities));
}

/* The PT_FEATURES values of one (frame, entity) sample */
static inline float4 *
pt_sample(PlayTensor *pt, int frame, int entity)
{
	return pt_data(pt) + ((Size) frame * pt->entities + entity) * PT_FEATURES;
}

/* The speed of one sample, |(vx, vy)|; NaN if either is missing */
static inline float4
pt_speed(const float4 *v)
{
	return hypot(v[PT_VX], v[PT_VY]);
}

/* The events section of a version-2 tensor (its count, then its arrays) */
static inline int32 *
pt_events_section(PlayTensor *pt)
{
	return (int32 *) (pt_data(pt) + (Size) pt->frames * pt->entities * PT_FEATURES);
}

/* The number of (frame, event) pairs; 0 for a version-1 tensor */
static inline int
pt_event_count(PlayTensor *pt)
{
	return pt_has_events(pt) ? pt_events_section(pt)[0] : 0;
}

/* The frame index of every event */
static inline int32 *
pt_event_frames(PlayTensor *pt)
{
	return pt_events_section(pt) + 1;
}

/* The end offset of every event's name in the pool */
static inline int32 *
pt_event_ends(PlayTensor *pt)
{
	return pt_event_frames(pt) + pt_event_count(pt);
}

/* The event names, back to back */
static inline char *
pt_event_pool(PlayTensor *pt)
{
	return (char *) (pt_event_ends(pt) + pt_event_count(pt));
}

/* Event i's name (not terminated) and its length */
static inline const char *
pt_event_name(PlayTensor *pt, int i, int *len)
{
	int			start = i > 0 ? pt_event_ends(pt)[i - 1] : 0;

	*len = pt_event_ends(pt)[i] - start;
	return pt_event_pool(pt) + start;
}

/* One event of a tensor being built: a frame index and a name */
typedef struct PtEvent
{
	int32		frame;			/* frame index */
	int32		len;			/* bytes in name */
	const char *name;			/* not terminated */
} PtEvent;

/* A new open path of n points, the points left for the caller to fill */
static inline PATH *
pt_open_path(int n)
{
	PATH	   *path = palloc(offsetof(PATH, p) + sizeof(Point) * n);

	SET_VARSIZE(path, offsetof(PATH, p) + sizeof(Point) * n);
	path->npts = n;
	path->closed = false;
	path->dummy = 0;
	return path;
}

extern PlayTensor *pt_allocate(int frames, int entities, int duplicates);
extern void pt_check_dimensions(int64 frames, int64 entities, int64 duplicates);
extern void pt_validate(PlayTensor *pt);
extern PlayTensor *pt_copy_frames(PlayTensor *pt, int from, int count);
extern void pt_check_version(int version, int sqlstate);
extern void pt_check_event_name(const char *name, int len);
extern PlayTensor *pt_attach_events(PlayTensor *pt, PtEvent *events, int n, bool sorted);
extern PlayTensor *pt_copy_events(PlayTensor *from, PlayTensor *to, int first);
extern void pt_validate_events(PlayTensor *pt);
extern int	pt_find_event(PlayTensor *pt, const char *const *names, int first_frame);
extern bool pt_pass_window(PlayTensor *pt, int *snap, int *release);
extern int	pt_release_frame(PlayTensor *pt);
extern const char *const pt_snap_names[];
extern const char *const pt_release_names[];
extern const char *pt_role_name(int role);
extern int	pt_role_parse(const char *name);
extern int	pt_frame_index(PlayTensor *pt, int32 frame_id);
extern int	pt_find_entity(PlayTensor *pt, bool is_ball, int32 nfl_id);
extern const char *pt_feature_name(int feature);

#endif
