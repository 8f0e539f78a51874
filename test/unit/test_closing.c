/*
 * test_closing.c: unit tests of lib/closing.c, the cases of ghosting.md that need no data.
 */
#include <float.h>

#include "closing.h"
#include "field.h"
#include "unit.h"

#define T	10					/* steps: 1 s at 10 Hz */

/* A straight path of T steps from (x, y) at (vx, vy) yd/s */
static void
straight(double *xy, double x, double y, double vx, double vy)
{
	for (int t = 0; t <= T; t++)
	{
		xy[2 * t] = x + vx * t * FRAME_SECONDS;
		xy[2 * t + 1] = y + vy * t * FRAME_SECONDS;
	}
}

/* The defaults: v_top 11, v_max 12.5, dt 0.1, weights 1 */
static void
test_defaults(void)
{
	ClosingParams p = closing_default_params();

	CHECK_SAME(p.v_top, 11.0);
	CHECK_SAME(p.v_max, 12.5);
	CHECK_SAME(p.dt, 0.1);
	CHECK_SAME(p.w_closing + p.w_effort + p.w_superhuman, 3.0);
}

/* A straight run at 11 yd/s onto a standing receiver: C = -1, E = 1, P = 0, score -1 */
static void
test_top_speed_onto_standing_receiver(void)
{
	double		d[2 * (T + 1)],
				r[2 * (T + 1)],
				score;
	ClosingParams p = closing_default_params();
	ClosingParts parts;

	straight(d, 10.0, 20.0, 11.0, 0.0);
	straight(r, 30.0, 20.0, 0.0, 0.0);
	CHECK_INT(closing_compute_parts(d, T + 1, r, T + 1, &p, &parts), CLOSING_OK);
	CHECK_NEAR(parts.closing, -1.0, 1e-12);
	CHECK_NEAR(parts.effort, 1.0, 1e-12);
	CHECK_SAME(parts.superhuman, 0.0);
	CHECK_INT(closing_compute(d, r, T + 1, &p, &score), CLOSING_OK);
	CHECK_NEAR(score, -1.0, 1e-12);
}

/* Moving with the receiver at the same velocity: the gap holds, score 0 */
static void
test_same_velocity(void)
{
	double		d[2 * (T + 1)],
				r[2 * (T + 1)],
				score;
	ClosingParams p = closing_default_params();
	ClosingParts parts;

	straight(d, 10.0, 20.0, 10.0, 0.0);
	straight(r, 10.0, 25.0, 10.0, 0.0);
	CHECK_INT(closing_compute_parts(d, T + 1, r, T + 1, &p, &parts), CLOSING_OK);
	CHECK_SAME(parts.closing, 0.0);
	CHECK(parts.effort < 1.0);
	CHECK_INT(closing_compute(d, r, T + 1, &p, &score), CLOSING_OK);
	CHECK_SAME(score, 0.0);
}

/* Running away from the receiver: a positive score */
static void
test_running_away(void)
{
	double		d[2 * (T + 1)],
				r[2 * (T + 1)],
				score;
	ClosingParams p = closing_default_params();

	straight(d, 50.0, 20.0, -8.0, 0.0);
	straight(r, 60.0, 20.0, 0.0, 0.0);
	CHECK_INT(closing_compute(d, r, T + 1, &p, &score), CLOSING_OK);
	CHECK_NEAR(score, 8.0 / 11.0, 1e-12);
}

/* 14 yd/s is superhuman: P = (14 - 12.5) / 12.5, and effort beyond 1 counts too */
static void
test_superhuman(void)
{
	double		d[2 * (T + 1)],
				r[2 * (T + 1)],
				score;
	ClosingParams p = closing_default_params();
	ClosingParts parts;

	straight(d, 10.0, 20.0, 0.0, 14.0);
	straight(r, 10.0, 40.0, 0.0, 0.0);
	CHECK_INT(closing_compute_parts(d, T + 1, r, T + 1, &p, &parts), CLOSING_OK);
	CHECK(parts.superhuman > 0.0);
	CHECK_NEAR(parts.superhuman, 1.5 / 12.5, 1e-12);
	CHECK_NEAR(parts.effort, 14.0 / 11.0, 1e-12);
	CHECK_INT(closing_compute(d, r, T + 1, &p, &score), CLOSING_OK);
	CHECK_NEAR(score, -14.0 / 11.0 + (14.0 / 11.0 - 1.0) + 1.5 / 12.5, 1e-12);
	p.w_superhuman = 0.0;
	p.w_effort = 0.0;
	CHECK_INT(closing_compute(d, r, T + 1, &p, &score), CLOSING_OK);
	CHECK_NEAR(score, -14.0 / 11.0, 1e-12);
}

/* T = 0 and paths of different lengths are errors, the lengths checked first */
static void
test_shape_errors(void)
{
	double		d[2 * (T + 1)] = {0},
				r[2 * (T + 1)] = {0},
				score = 42.0;
	ClosingParams p = closing_default_params();
	ClosingParts parts;

	CHECK_INT(closing_compute_parts(d, 1, r, 1, &p, &parts), CLOSING_NO_STEP);
	CHECK_INT(closing_compute_parts(d, 0, r, 0, &p, &parts), CLOSING_NO_STEP);
	CHECK_INT(closing_compute_parts(d, 3, r, 4, &p, &parts), CLOSING_LENGTH_MISMATCH);
	CHECK_INT(closing_compute_parts(d, 1, r, 2, &p, &parts), CLOSING_LENGTH_MISMATCH);
	CHECK_INT(closing_compute(d, r, 1, &p, &score), CLOSING_NO_STEP);
	CHECK_SAME(score, 42.0);
}

/* Speeds and dt must be positive and finite, weights non-negative and finite */
static void
test_parameter_errors(void)
{
	double		d[4] = {0, 0, 1, 0},
				r[4] = {5, 0, 5, 0},
				score;
	ClosingParams p = closing_default_params();
	ClosingParts parts;

	p.v_top = 0.0;
	CHECK_INT(closing_compute_parts(d, 2, r, 2, &p, &parts), CLOSING_BAD_V_TOP);
	CHECK(closing_status_name(CLOSING_BAD_V_TOP)[0] == 'v');
	CHECK_SAME(closing_param_value(&p, CLOSING_BAD_V_TOP), 0.0);
	p = closing_default_params();
	p.v_max = INFINITY;
	CHECK_INT(closing_compute_parts(d, 2, r, 2, &p, &parts), CLOSING_BAD_V_MAX);
	p = closing_default_params();
	p.dt = NAN;
	CHECK_INT(closing_compute_parts(d, 2, r, 2, &p, &parts), CLOSING_BAD_DT);
	p = closing_default_params();
	p.w_effort = -1.0;
	CHECK_INT(closing_check_weights(&p), CLOSING_BAD_W_EFFORT);
	p.v_top = -1.0;				/* weights are checked before anything else */
	CHECK_INT(closing_compute(d, r, 2, &p, &score), CLOSING_BAD_W_EFFORT);
	CHECK_SAME(closing_param_value(&p, CLOSING_BAD_W_EFFORT), -1.0);
	p = closing_default_params();
	p.w_superhuman = NAN;
	CHECK_INT(closing_check_weights(&p), CLOSING_BAD_W_SUPERHUMAN);
	p.w_closing = INFINITY;
	CHECK_INT(closing_check_weights(&p), CLOSING_BAD_W_CLOSING);
}

/* A part or score out of the range of a double is an error, not inf or NaN */
static void
test_overflow(void)
{
	double		d[4] = {0, 0, DBL_MAX, 0},
				r[4] = {-DBL_MAX, 0, 0, 0},
				score;
	ClosingParams p = closing_default_params();
	ClosingParts parts;

	CHECK_INT(closing_compute_parts(d, 2, r, 2, &p, &parts), CLOSING_OVERFLOW);
	d[2] = 1.0;
	r[0] = 5.0;
	p.dt = 1e-320;				/* v_top * T * dt underflows to a division by 0 */
	p.v_top = 1e-10;
	CHECK_INT(closing_compute_parts(d, 2, r, 2, &p, &parts), CLOSING_OVERFLOW);
	p = closing_default_params();
	p.w_closing = DBL_MAX;
	r[0] = 0.0;
	r[2] = 100.0;				/* C = 99 / 1.1: the weighted score overflows */
	CHECK_INT(closing_compute(d, r, 2, &p, &score), CLOSING_OVERFLOW);
}

UNIT_SUITE(closing)
{
	UNIT_RUN(test_defaults);
	UNIT_RUN(test_top_speed_onto_standing_receiver);
	UNIT_RUN(test_same_velocity);
	UNIT_RUN(test_running_away);
	UNIT_RUN(test_superhuman);
	UNIT_RUN(test_shape_errors);
	UNIT_RUN(test_parameter_errors);
	UNIT_RUN(test_overflow);
}
