/*
 * track.h: one entity's tracking features derived from its raw rows (architecture.md,
 * "The play tensor's features"): positions as given, velocity from speed and direction,
 * acceleration of the tracked magnitude in the direction of the velocity change; what is
 * NULL is derived from positions by finite differences at the frames' times.
 */
#ifndef TRACK_H
#define TRACK_H

#include <stdbool.h>
#include <stddef.h>

/* The features of one (frame, entity) sample, in the play tensor's order */
typedef enum TrackFeature
{
	TRACK_X = 0, TRACK_Y, TRACK_VX, TRACK_VY, TRACK_AX, TRACK_AY, TRACK_DIR, TRACK_O,
	TRACK_FEATURES
} TrackFeature;

/* The raw values of one tracking row, in the order ngs.play_tensor_agg takes them */
typedef enum TrackRawValue
{
	TRACK_RAW_X = 0, TRACK_RAW_Y, TRACK_RAW_S, TRACK_RAW_A, TRACK_RAW_DIR, TRACK_RAW_O,
	TRACK_RAW_COUNT
} TrackRawValue;

/* One entity's row at one frame: whether it arrived, and its values (NaN where NULL) */
typedef struct TrackRaw
{
	bool		present;		/* a row exists for this frame and entity */
	float		raw[TRACK_RAW_COUNT];	/* x, y, s, a, dir, o */
} TrackRaw;

extern size_t track_work_size(int frames);
extern void track_derive(const TrackRaw *raw, size_t raw_stride, const double *t, int frames,
						 float *out, size_t out_stride, void *work);
extern float track_wrap_degrees(double deg);

#endif
