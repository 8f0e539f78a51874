/*
 * play_tensor.c: the play tensor type: allocation, validation, and its binary I/O
 * functions (the text form is tensor_text.c, which builds on this file).
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "play_tensor/play_tensor.h"
#include "utils/float.h"

static const char *const role_names[] = {NULL, "offense", "defense", "ball"};
static const char *const feature_names[PT_FEATURES] = {"x", "y", "vx", "vy", "ax", "ay", "dir", "o"};

/*
 * Refuse dimensions outside the documented limits, before anything is allocated
 */
void
pt_check_dimensions(int64 frames, int64 entities, int64 duplicates)
{
	if (frames < 1 || frames > PT_MAX_FRAMES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("play_tensor must have between 1 and %d frames, not " INT64_FORMAT,
						PT_MAX_FRAMES, frames),
				 errhint("Split long plays with ngs.slice or filter the tracking rows.")));
	if (entities < 1 || entities > PT_MAX_ENTITIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("play_tensor must have between 1 and %d entities, not " INT64_FORMAT,
						PT_MAX_ENTITIES, entities),
				 errhint("Group tracking rows by game and play so one tensor holds one play.")));
	if (duplicates < 0 || duplicates > frames * entities)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play_tensor cannot record " INT64_FORMAT " duplicates for " INT64_FORMAT " samples",
						duplicates, frames * entities)));
}

/*
 * Refuse a version this build cannot read (sqlstate: the caller's kind of input error)
 */
void
pt_check_version(int version, int sqlstate)
{
	if (version != PT_VERSION_PLAIN && version != PT_VERSION_EVENTS)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("unsupported play_tensor version %d", version),
				 errhint("This build of ngs reads versions %d and %d.", PT_VERSION_PLAIN, PT_VERSION_EVENTS)));
}

/*
 * Allocate a zeroed version-1 tensor of the given dimensions (checked against the limits)
 */
PlayTensor *
pt_allocate(int frames, int entities, int duplicates)
{
	Size		size;
	PlayTensor *pt;

	pt_check_dimensions(frames, entities, duplicates);
	size = pt_size(frames, entities, duplicates);
	pt = (PlayTensor *) palloc0(size);
	SET_VARSIZE(pt, size);
	pt->version = PT_VERSION_PLAIN;
	pt->frames = frames;
	pt->entities = entities;
	pt->duplicates = duplicates;
	return pt;
}

/*
 * The name of a role ("offense", "defense", "ball")
 */
const char *
pt_role_name(int role)
{
	Assert(role >= PT_OFFENSE && role <= PT_BALL);
	return role_names[role];
}

/*
 * The role for a name, or an error naming the accepted ones
 */
int
pt_role_parse(const char *name)
{
	for (int role = PT_OFFENSE; role <= PT_BALL; role++)
		if (strcmp(name, role_names[role]) == 0)
			return role;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown role \"%s\"", name),
			 errhint("A role is \"offense\", \"defense\" or \"ball\".")));
	return 0;					/* keep compiler quiet */
}

/*
 * The name of a feature ("x", "y", "vx", ...)
 */
const char *
pt_feature_name(int feature)
{
	return feature_names[feature];
}

/*
 * The index of the entity with this NFL id (or the ball), or -1
 */
int
pt_find_entity(PlayTensor *pt, bool is_ball, int32 nfl_id)
{
	int32	   *ids = pt_nfl_ids(pt);
	uint8	   *roles = pt_roles(pt);

	for (int e = 0; e < pt->entities; e++)
	{
		if (is_ball ? roles[e] == PT_BALL : (roles[e] != PT_BALL && ids[e] == nfl_id))
			return e;
	}
	return -1;
}

/*
 * The index of the frame with this id, or -1 (frame ids are strictly increasing)
 */
int
pt_frame_index(PlayTensor *pt, int32 frame_id)
{
	int			lo = 0, hi = pt->frames - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int32		id = pt_frame_ids(pt)[mid];

		if (id == frame_id)
			return mid;
		if (id < frame_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Report a tensor that breaks an invariant */
static inline void
invalid_tensor(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid play_tensor: %s", what)));
}

/*
 * Check every invariant of a tensor that came from outside (text, binary, arrays) or
 * was built from user values (play_tensor_agg, standardize), and store every missing
 * value as the one NaN the text form reads back: a negated NaN or another NaN payload
 * from binary input would not survive a text round trip (pg_dump)
 */
void
pt_validate(PlayTensor *pt)
{
	int32	   *ids = pt_nfl_ids(pt);
	int32	   *frame_ids = pt_frame_ids(pt);
	int32	   *dups = pt_duplicates(pt);
	uint8	   *roles = pt_roles(pt);
	float4	   *data = pt_data(pt);
	Size		values = (Size) pt->frames * pt->entities * PT_FEATURES;
	int			balls = 0;

	pt_check_version(pt->version, ERRCODE_INVALID_PARAMETER_VALUE);
	if (pt->flags & ~PT_KNOWN_FLAGS)
		invalid_tensor("unknown flag bits are set");
	for (int e = 0; e < pt->entities; e++)
	{
		if (roles[e] < PT_OFFENSE || roles[e] > PT_BALL)
			invalid_tensor("an entity has an unknown role");
		if ((roles[e] == PT_BALL) != (ids[e] == 0))
			invalid_tensor("the ball, and only the ball, has no NFL id");
		balls += roles[e] == PT_BALL;
		for (int k = 0; k < e; k++)
			if (roles[k] != PT_BALL && roles[e] != PT_BALL && ids[k] == ids[e])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid play_tensor: NFL id %d appears twice", ids[e]),
						 errhint("A player has one role in a play: check the role of his rows.")));
	}
	if (balls > 1)
		invalid_tensor("more than one ball");
	for (int f = 1; f < pt->frames; f++)
		if (frame_ids[f] <= frame_ids[f - 1])
			invalid_tensor("frame ids must be strictly increasing");
	for (int d = 0; d < pt->duplicates; d++)
	{
		if (dups[2 * d] < 0 || dups[2 * d] >= pt->frames ||
			dups[2 * d + 1] < 0 || dups[2 * d + 1] >= pt->entities)
			invalid_tensor("a duplicate refers to a sample outside the tensor");
		if (d > 0 && (dups[2 * d] < dups[2 * d - 2] ||
					  (dups[2 * d] == dups[2 * d - 2] && dups[2 * d + 1] <= dups[2 * d - 1])))
			invalid_tensor("duplicates must be sorted by frame and entity, each listed once");
	}
	for (Size i = 0; i < values; i++)
		if (isnan(data[i]))
			data[i] = get_float4_nan();
		else if (fabs(data[i]) > PT_MAX_ABS_FEATURE)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("invalid play_tensor: feature value %.9g is out of range", data[i]),
					 errdetail("Values are NaN (missing) or at most %g in magnitude.", PT_MAX_ABS_FEATURE)));
	if (pt_has_events(pt))
		pt_validate_events(pt);
}

/* Read the events of a version-2 binary value and attach them to pt */
static PlayTensor *
recv_events(StringInfo buf, PlayTensor *pt)
{
	int			n = pq_getmsgint(buf, 4);
	PtEvent    *events;

	if (n < 0 || n > PT_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("play_tensor binary value announces %d events", n),
				 errdetail("A play has at most %d events.", PT_MAX_EVENTS)));
	events = palloc(sizeof(PtEvent) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		events[i].frame = pq_getmsgint(buf, 4);
		events[i].len = pq_getmsgint(buf, 4);
		if (events[i].len < 1 || events[i].len > PT_MAX_EVENT_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("play_tensor binary value has an event name of %d bytes", events[i].len)));
		events[i].name = pq_getmsgbytes(buf, events[i].len);
	}
	return pt_attach_events(pt, events, n, true);
}

PG_FUNCTION_INFO_V1(play_tensor_recv);
/*
 * Binary input: header, ids, roles, frame ids, duplicates, float4 values, then (version
 * 2) the event count and each event's frame index, name length and name
 */
Datum
play_tensor_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			flags = pq_getmsgbyte(buf);
	int			entities = pq_getmsgint(buf, 2);
	int			frames = pq_getmsgint(buf, 4);
	int			duplicates = pq_getmsgint(buf, 4);
	Size		values;
	PlayTensor *pt;
	float4	   *data;

	pt_check_version(version, ERRCODE_INVALID_BINARY_REPRESENTATION);
	pt_check_dimensions(frames, entities, duplicates);
	values = (Size) frames * entities * PT_FEATURES;
	if ((Size) (buf->len - buf->cursor) < 4 * ((Size) entities + frames + 2 * duplicates) + entities + 4 * values)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("play_tensor binary value is truncated"),
				 errdetail("The header announces %d frames and %d entities.", frames, entities)));

	pt = pt_allocate(frames, entities, duplicates);
	pt->flags = flags;
	for (int e = 0; e < entities; e++)
		pt_nfl_ids(pt)[e] = pq_getmsgint(buf, 4);
	for (int e = 0; e < entities; e++)
		pt_roles(pt)[e] = pq_getmsgbyte(buf);
	for (int f = 0; f < frames; f++)
		pt_frame_ids(pt)[f] = pq_getmsgint(buf, 4);
	for (int d = 0; d < 2 * duplicates; d++)
		pt_duplicates(pt)[d] = pq_getmsgint(buf, 4);
	data = pt_data(pt);
	for (Size i = 0; i < values; i++)
		data[i] = pq_getmsgfloat4(buf);
	if (version == PT_VERSION_EVENTS)
		pt = recv_events(buf, pt);
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("play_tensor binary value has %d trailing bytes", buf->len - buf->cursor)));
	pt_validate(pt);
	PG_RETURN_PLAY_TENSOR_P(pt);
}

PG_FUNCTION_INFO_V1(play_tensor_send);
/*
 * Binary output, the layout play_tensor_recv reads
 */
Datum
play_tensor_send(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	Size		values = (Size) pt->frames * pt->entities * PT_FEATURES;
	float4	   *data = pt_data(pt);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, pt->version);
	pq_sendbyte(&buf, pt->flags);
	pq_sendint16(&buf, pt->entities);
	pq_sendint32(&buf, pt->frames);
	pq_sendint32(&buf, pt->duplicates);
	for (int e = 0; e < pt->entities; e++)
		pq_sendint32(&buf, pt_nfl_ids(pt)[e]);
	for (int e = 0; e < pt->entities; e++)
		pq_sendbyte(&buf, pt_roles(pt)[e]);
	for (int f = 0; f < pt->frames; f++)
		pq_sendint32(&buf, pt_frame_ids(pt)[f]);
	for (int d = 0; d < 2 * pt->duplicates; d++)
		pq_sendint32(&buf, pt_duplicates(pt)[d]);
	for (Size i = 0; i < values; i++)
		pq_sendfloat4(&buf, data[i]);
	if (pt_has_events(pt))
	{
		pq_sendint32(&buf, pt_event_count(pt));
		for (int i = 0; i < pt_event_count(pt); i++)
		{
			int			len;
			const char *name = pt_event_name(pt, i, &len);

			pq_sendint32(&buf, pt_event_frames(pt)[i]);
			pq_sendint32(&buf, len);
			pq_sendbytes(&buf, name, len);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
