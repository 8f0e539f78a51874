/*
 * test_track.c: unit tests of lib/track.c, on hand-made motions at 10 Hz.
 */
#include <stdint.h>
#include <string.h>

#include "field.h"
#include "track.h"
#include "unit.h"

#define MAX_FRAMES	16

/* A row with these values (NAN for NULL) */
static TrackRaw
row(float x, float y, float s, float a, float dir)
{
	TrackRaw	r;

	r.present = true;
	r.raw[TRACK_RAW_X] = x;
	r.raw[TRACK_RAW_Y] = y;
	r.raw[TRACK_RAW_S] = s;
	r.raw[TRACK_RAW_A] = a;
	r.raw[TRACK_RAW_DIR] = dir;
	r.raw[TRACK_RAW_O] = 45.0f;
	return r;
}

/* Derive one entity's features at frame ids 0..frames-1 (or ids when given) */
static void
derive(const TrackRaw *raw, int frames, const int *ids, float out[][TRACK_FEATURES])
{
	double		t[MAX_FRAMES];
	double		work[MAX_FRAMES * 5];

	CHECK(track_work_size(frames) <= sizeof(work));
	for (int f = 0; f < frames; f++)
		t[f] = (ids ? ids[f] : f) * FRAME_SECONDS;
	track_derive(raw, 1, t, frames, &out[0][0], TRACK_FEATURES, work);
}

/* Tracked constant speed and direction: velocity s (sin dir, cos dir), acceleration 0 */
static void
test_constant_velocity(void)
{
	TrackRaw	raw[5];
	float		out[5][TRACK_FEATURES];

	for (int f = 0; f < 5; f++)
		raw[f] = row(10.0f + 0.5f * f, 20.0f, 5.0f, 0.0f, 90.0f);
	derive(raw, 5, NULL, out);
	for (int f = 0; f < 5; f++)
	{
		CHECK_SAME(out[f][TRACK_X], 10.0f + 0.5f * f);
		CHECK_SAME(out[f][TRACK_Y], 20.0f);
		CHECK_NEAR(out[f][TRACK_VX], 5.0, 1e-6);
		CHECK_NEAR(out[f][TRACK_VY], 0.0, 1e-6);
		CHECK_SAME(out[f][TRACK_AX], 0.0);
		CHECK_SAME(out[f][TRACK_AY], 0.0);
		CHECK_SAME(out[f][TRACK_DIR], 90.0);
		CHECK_SAME(out[f][TRACK_O], 45.0);
	}
}

/* Constant velocity from positions alone: speed, heading and zero acceleration derived */
static void
test_constant_velocity_from_positions(void)
{
	TrackRaw	raw[6];
	float		out[6][TRACK_FEATURES];

	for (int f = 0; f < 6; f++)
		raw[f] = row(30.0f - 1.0f * f, 10.0f, NAN, NAN, NAN);	/* 10 yd/s toward -x */
	derive(raw, 6, NULL, out);
	for (int f = 0; f < 6; f++)
	{
		CHECK_NEAR(out[f][TRACK_VX], -10.0, 1e-5);
		CHECK_NEAR(out[f][TRACK_VY], 0.0, 1e-5);
		CHECK_NEAR(out[f][TRACK_DIR], 270.0, 1e-4);
		CHECK_NEAR(out[f][TRACK_AX], 0.0, 1e-3);
		CHECK_NEAR(out[f][TRACK_AY], 0.0, 1e-3);
	}
}

/* A turn at constant speed: the acceleration points into the turn, with the tracked a */
static void
test_turn(void)
{
	TrackRaw	raw[3];
	TrackRaw	derived[3];
	float		out[3][TRACK_FEATURES];
	double		d = 30.0 * (FIELD_PI / 180.0);

	for (int f = 0; f < 3; f++)
	{
		raw[f] = row(50.0f, 20.0f, 5.0f, 3.0f, 20.0f + 10.0f * f);	/* turning clockwise */
		derived[f] = row(50.0f, 20.0f, 5.0f, NAN, 20.0f + 10.0f * f);
	}
	derive(raw, 3, NULL, out);
	CHECK_NEAR(out[1][TRACK_VX], 5.0 * sin(d), 1e-6);
	CHECK_NEAR(out[1][TRACK_VY], 5.0 * cos(d), 1e-6);
	/* centripetal: the right-hand normal (cos d, -sin d) of the heading d = 30 degrees */
	CHECK_NEAR(out[1][TRACK_AX], 3.0 * cos(d), 1e-5);
	CHECK_NEAR(out[1][TRACK_AY], -3.0 * sin(d), 1e-5);
	CHECK_NEAR(hypot(out[0][TRACK_AX], out[0][TRACK_AY]), 3.0, 1e-5);
	/* with a NULL, the change itself: |v(2) - v(0)| / 0.2 s = 2 * 5 sin(10 deg) / 0.2 */
	derive(derived, 3, NULL, out);
	CHECK_NEAR(hypot(out[1][TRACK_AX], out[1][TRACK_AY]), 10.0 * sin(10.0 * (FIELD_PI / 180.0)) / 0.2, 1e-4);
	CHECK_NEAR(out[1][TRACK_AX] * out[1][TRACK_VX] + out[1][TRACK_AY] * out[1][TRACK_VY], 0.0, 1e-4);
}

/* The ends use one-sided differences, the inside central ones */
static void
test_one_sided_ends(void)
{
	TrackRaw	raw[3] = {row(0.0f, 0.0f, NAN, NAN, NAN), row(1.0f, 0.0f, NAN, NAN, NAN),
	row(3.0f, 0.0f, NAN, NAN, NAN)};
	float		out[3][TRACK_FEATURES];

	derive(raw, 3, NULL, out);
	CHECK_NEAR(out[0][TRACK_VX], 10.0, 1e-5);	/* (1 - 0) / 0.1 */
	CHECK_NEAR(out[1][TRACK_VX], 15.0, 1e-5);	/* (3 - 0) / 0.2 */
	CHECK_NEAR(out[2][TRACK_VX], 20.0, 1e-5);	/* (3 - 1) / 0.1 */
	for (int f = 0; f < 3; f++)
	{
		CHECK_NEAR(out[f][TRACK_AX], 50.0, 1e-3);
		CHECK_NEAR(out[f][TRACK_AY], 0.0, 1e-9);
		CHECK_NEAR(out[f][TRACK_DIR], 90.0, 1e-6);
	}
}

/* Missing rows are all NaN and cut the differences; missing positions derive nothing */
static void
test_nan_gaps(void)
{
	TrackRaw	raw[6];
	float		out[6][TRACK_FEATURES];

	for (int f = 0; f < 6; f++)
		raw[f] = row(2.0f * f, 5.0f, NAN, NAN, NAN);
	raw[2].present = false;
	raw[5].raw[TRACK_RAW_Y] = NAN;	/* a row without a position */
	derive(raw, 6, NULL, out);
	for (int k = 0; k < TRACK_FEATURES; k++)
		CHECK(isnan(out[2][k]));
	CHECK_NEAR(out[1][TRACK_VX], 20.0, 1e-5);	/* backward only: frame 2 is missing */
	CHECK_NEAR(out[3][TRACK_VX], 20.0, 1e-5);	/* forward only */
	CHECK_NEAR(out[4][TRACK_VX], 20.0, 1e-5);	/* backward only: frame 5 has no y */
	CHECK(isnan(out[5][TRACK_VX]) && isnan(out[5][TRACK_DIR]) && isnan(out[5][TRACK_Y]));
	CHECK_SAME(out[5][TRACK_X], 10.0);
	CHECK(isnan(out[5][TRACK_AX]));
	CHECK_SAME(out[5][TRACK_O], 45.0);	/* o as tracked */
}

/* A lone sample has no derivable velocity; a tracked a of 0 still gives zero acceleration */
static void
test_lone_sample(void)
{
	TrackRaw	raw[1] = {row(1.0f, 2.0f, NAN, NAN, NAN)};
	float		out[1][TRACK_FEATURES];

	derive(raw, 1, NULL, out);
	CHECK(isnan(out[0][TRACK_VX]) && isnan(out[0][TRACK_AX]) && isnan(out[0][TRACK_DIR]));
	raw[0] = row(1.0f, 2.0f, 0.0f, 0.0f, NAN);
	derive(raw, 1, NULL, out);
	CHECK_SAME(out[0][TRACK_VX], 0.0);	/* standing: no direction needed */
	CHECK_SAME(out[0][TRACK_VY], 0.0);
	CHECK_SAME(out[0][TRACK_AX], 0.0);
	CHECK(isnan(out[0][TRACK_DIR]));
}

/* Differences use the frames' times, so a skipped frame id halves the derived speed */
static void
test_frame_times(void)
{
	TrackRaw	raw[2] = {row(0.0f, 0.0f, NAN, NAN, NAN), row(0.0f, 1.0f, NAN, NAN, NAN)};
	int			ids[2] = {7, 9};
	float		out[2][TRACK_FEATURES];

	derive(raw, 2, ids, out);
	CHECK_NEAR(out[0][TRACK_VY], 5.0, 1e-5);
	CHECK_NEAR(out[1][TRACK_VY], 5.0, 1e-5);
	CHECK_NEAR(out[0][TRACK_DIR], 0.0, 1e-6);	/* toward +y */
}

/* Strides: one entity of an interleaved play is written, its neighbour left alone */
static void
test_strides(void)
{
	TrackRaw	raw[3][2];
	float		out[3][2][TRACK_FEATURES];
	double		t[3] = {0.0, 0.1, 0.2};
	double		work[15];

	for (int f = 0; f < 3; f++)
	{
		raw[f][0] = row(f, 0.0f, NAN, NAN, NAN);
		raw[f][1] = row(-1.0f, -1.0f, NAN, NAN, NAN);
		for (int k = 0; k < TRACK_FEATURES; k++)
			out[f][1][k] = 1234.0f;
	}
	track_derive(&raw[0][0], 2, t, 3, &out[0][0][0], 2 * TRACK_FEATURES, work);
	for (int f = 0; f < 3; f++)
	{
		CHECK_NEAR(out[f][0][TRACK_VX], 10.0, 1e-5);
		for (int k = 0; k < TRACK_FEATURES; k++)
			CHECK_SAME(out[f][1][k], 1234.0f);
	}
}

/* Angles wrap into [0, 360), a hair below 360 becomes 0, NaN stays NaN */
static void
test_wrap_degrees(void)
{
	CHECK_SAME(track_wrap_degrees(370.0), 10.0f);
	CHECK_SAME(track_wrap_degrees(-10.0), 350.0f);
	CHECK_SAME(track_wrap_degrees(720.0), 0.0f);
	CHECK_SAME(track_wrap_degrees(360.0 - 1e-9), 0.0f);
	CHECK_SAME(track_wrap_degrees(-1e-9), 0.0f);
	CHECK_SAME(track_wrap_degrees(180.5), 180.5f);
	CHECK(isnan(track_wrap_degrees(NAN)));
	CHECK(isnan(track_wrap_degrees(INFINITY)));
}

UNIT_SUITE(track)
{
	UNIT_RUN(test_constant_velocity);
	UNIT_RUN(test_constant_velocity_from_positions);
	UNIT_RUN(test_turn);
	UNIT_RUN(test_one_sided_ends);
	UNIT_RUN(test_nan_gaps);
	UNIT_RUN(test_lone_sample);
	UNIT_RUN(test_frame_times);
	UNIT_RUN(test_strides);
	UNIT_RUN(test_wrap_degrees);
}
