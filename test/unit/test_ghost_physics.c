/*
 * test_ghost_physics.c: unit tests of lib/ghost_physics.c: whatever the network says
 * (huge, tiny, alternating accelerations), a path stays on the field, no faster than
 * MAX_PLAYER_SPEED and no harder than GHOST_MAX_ACCEL; non-finite outputs are refused.
 */
#include <float.h>

#include "field.h"
#include "ghost_physics.h"
#include "splitmix64.h"
#include "unit.h"

#define SLACK		(1.0 + 1e-9)	/* rounding allowed on a physical bound */

/* A scene at (x, y) with velocity (vx, vy), its axis turned by angle radians */
static GhostScene
scene_at(double x, double y, double vx, double vy, double angle)
{
	GhostScene	s = {0};

	s.origin[0] = x;
	s.origin[1] = y;
	s.velocity[0] = vx;
	s.velocity[1] = vy;
	s.axis[0] = cos(angle);
	s.axis[1] = sin(angle);
	return s;
}

/* Count of frames of a path that break a limit; accel_too checks the acceleration */
static int
violations(const GhostScene *scene, const double *xy, int horizon, int accel_too)
{
	double		px = scene->origin[0] < 0 ? 0 : (scene->origin[0] > FIELD_LENGTH ? FIELD_LENGTH : scene->origin[0]);
	double		py = scene->origin[1] < 0 ? 0 : (scene->origin[1] > FIELD_WIDTH ? FIELD_WIDTH : scene->origin[1]);
	double		vx = scene->velocity[0],
				vy = scene->velocity[1];
	int			bad = 0;

	for (int t = 0; t < horizon; t++)
	{
		double		nvx = (xy[2 * t] - px) / FRAME_SECONDS,
					nvy = (xy[2 * t + 1] - py) / FRAME_SECONDS;

		bad += !(xy[2 * t] >= 0 && xy[2 * t] <= FIELD_LENGTH &&
				 xy[2 * t + 1] >= 0 && xy[2 * t + 1] <= FIELD_WIDTH);
		bad += !(hypot(nvx, nvy) <= MAX_PLAYER_SPEED * SLACK);
		if (accel_too)
			bad += !(hypot(nvx - vx, nvy - vy) / FRAME_SECONDS <= GHOST_MAX_ACCEL * SLACK);
		px = xy[2 * t];
		py = xy[2 * t + 1];
		vx = nvx;
		vy = nvy;
	}
	return bad;
}

/* An extreme network output: huge, tiny or random, of either sign */
static float
wild(Rng *rng)
{
	static const float extremes[] = {FLT_MAX, -FLT_MAX, 1e30f, -1e30f, 1e6f, -1e6f, 0.0f, 1e-30f};
	uint64_t	r = rng_next(rng);

	if (r % 3 == 0)
		return extremes[(r / 3) % 8];
	return (float) ((rng_uniform(rng) - 0.5) * 200.0);
}

/* Starts that can always stop in time: every limit holds, whatever the accelerations */
static void
test_limits_from_safe_starts(void)
{
	Rng			rng;
	float		accel[2 * GHOST_MAX_HORIZON];
	double		xy[2 * GHOST_MAX_HORIZON];
	int			bad = 0;

	rng_seed(&rng, 2024);
	for (int trial = 0; trial < 5000; trial++)
	{
		double		speed = MAX_PLAYER_SPEED * rng_uniform(&rng),
					heading = 2 * FIELD_PI * rng_uniform(&rng);
		GhostScene	s = scene_at(10 + 100 * rng_uniform(&rng), 9 + (FIELD_WIDTH - 18) * rng_uniform(&rng),
								 speed * sin(heading), speed * cos(heading), 2 * FIELD_PI * rng_uniform(&rng));

		for (int k = 0; k < 2 * GHOST_MAX_HORIZON; k++)
			accel[k] = trial % 4 == 0 ? (k % 2 ? -FLT_MAX : FLT_MAX) : wild(&rng);
		CHECK_INT(ghost_physics_integrate(&s, accel, GHOST_MAX_HORIZON, xy), GHOST_PHYSICS_OK);
		bad += violations(&s, xy, GHOST_MAX_HORIZON, 1);
	}
	CHECK_INT(bad, 0);
}

/* Any start, even off the field or too fast: positions inside, speed within the limit */
static void
test_limits_from_any_start(void)
{
	Rng			rng;
	float		accel[2 * GHOST_MAX_HORIZON];
	double		xy[2 * GHOST_MAX_HORIZON];
	int			bad = 0;

	rng_seed(&rng, 7);
	for (int trial = 0; trial < 5000; trial++)
	{
		GhostScene	s = scene_at(-20 + 160 * rng_uniform(&rng), -20 + 93 * rng_uniform(&rng),
								 (rng_uniform(&rng) - 0.5) * 60, (rng_uniform(&rng) - 0.5) * 60,
								 2 * FIELD_PI * rng_uniform(&rng));

		for (int k = 0; k < 2 * GHOST_MAX_HORIZON; k++)
			accel[k] = wild(&rng);
		CHECK_INT(ghost_physics_integrate(&s, accel, GHOST_MAX_HORIZON, xy), GHOST_PHYSICS_OK);
		bad += violations(&s, xy, GHOST_MAX_HORIZON, 0);
	}
	CHECK_INT(bad, 0);
}

/*
 * Full speed at a sideline 12 yd away: braking at the limit stops him on the field; 3 yd
 * away he cannot stop in time, and is held at the edge
 */
static void
test_stops_at_the_sideline(void)
{
	GhostScene	s = scene_at(60.0, 12.0, 0.0, -MAX_PLAYER_SPEED, 0.0);
	float		accel[2 * GHOST_MAX_HORIZON];
	double		xy[2 * GHOST_MAX_HORIZON];
	double		lowest = FIELD_WIDTH;

	for (int k = 0; k < 2 * GHOST_MAX_HORIZON; k++)
		accel[k] = k % 2 ? -1e6f : 0.0f;	/* the network keeps pushing toward -y */
	CHECK_INT(ghost_physics_integrate(&s, accel, GHOST_MAX_HORIZON, xy), GHOST_PHYSICS_OK);
	CHECK_INT(violations(&s, xy, GHOST_MAX_HORIZON, 1), 0);
	for (int t = 0; t < GHOST_MAX_HORIZON; t++)
		lowest = fmin(lowest, xy[2 * t + 1]);
	CHECK(lowest < 1.0);		/* he does run up to the sideline */
	CHECK_SAME(xy[0], 60.0);
	s.origin[1] = 3.0;
	CHECK_INT(ghost_physics_integrate(&s, accel, GHOST_MAX_HORIZON, xy), GHOST_PHYSICS_OK);
	CHECK_INT(violations(&s, xy, GHOST_MAX_HORIZON, 0), 0);
	CHECK_SAME(xy[2 * GHOST_MAX_HORIZON - 1], 0.0);
}

/* No acceleration mid-field: constant velocity, dt per frame */
static void
test_constant_velocity(void)
{
	GhostScene	s = scene_at(50.0, 20.0, 3.0, -4.0, 1.0);
	float		accel[20] = {0};
	double		xy[20];

	CHECK_INT(ghost_physics_integrate(&s, accel, 10, xy), GHOST_PHYSICS_OK);
	for (int t = 0; t < 10; t++)
	{
		CHECK_NEAR(xy[2 * t], 50.0 + 0.3 * (t + 1), 1e-9);
		CHECK_NEAR(xy[2 * t + 1], 20.0 - 0.4 * (t + 1), 1e-9);
	}
}

/* A start over the speed limit is slowed onto it first */
static void
test_start_speed_capped(void)
{
	GhostScene	s = scene_at(50.0, 20.0, 30.0, 40.0, 0.0);
	float		accel[2] = {0};
	double		xy[2];

	CHECK_INT(ghost_physics_integrate(&s, accel, 1, xy), GHOST_PHYSICS_OK);
	CHECK_NEAR(xy[0], 50.0 + 0.1 * 7.5, 1e-9);
	CHECK_NEAR(xy[1], 20.0 + 0.1 * 10.0, 1e-9);
}

/* NaN or infinite accelerations, or a non-finite start, are refused and nothing written */
static void
test_not_finite_refused(void)
{
	GhostScene	s = scene_at(50.0, 20.0, 1.0, 1.0, 0.0);
	float		accel[6] = {0, 0, 0, 0, 0, 0};
	double		xy[6] = {-1, -1, -1, -1, -1, -1};

	accel[3] = NAN;
	CHECK_INT(ghost_physics_integrate(&s, accel, 3, xy), GHOST_PHYSICS_NOT_FINITE_ACCEL);
	accel[3] = INFINITY;
	CHECK_INT(ghost_physics_integrate(&s, accel, 3, xy), GHOST_PHYSICS_NOT_FINITE_ACCEL);
	CHECK_SAME(xy[0], -1.0);
	accel[3] = -INFINITY;
	CHECK_INT(ghost_physics_integrate(&s, accel, 1, xy), GHOST_PHYSICS_OK);	/* past the horizon */
	accel[3] = 0;
	s.velocity[1] = NAN;
	CHECK_INT(ghost_physics_integrate(&s, accel, 3, xy), GHOST_PHYSICS_NOT_FINITE_START);
	CHECK(ghost_physics_status_name(GHOST_PHYSICS_NOT_FINITE_ACCEL)[0] != '\0');
}

UNIT_SUITE(ghost_physics)
{
	UNIT_RUN(test_limits_from_safe_starts);
	UNIT_RUN(test_limits_from_any_start);
	UNIT_RUN(test_stops_at_the_sideline);
	UNIT_RUN(test_constant_velocity);
	UNIT_RUN(test_start_speed_capped);
	UNIT_RUN(test_not_finite_refused);
}
