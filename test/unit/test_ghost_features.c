/*
 * test_ghost_features.c: unit tests of lib/ghost_features.c on a hand-made play.
 */
#include <string.h>

#include "field.h"
#include "ghost_features.h"
#include "unit.h"

#define OFFENSE		1
#define DEFENSE		2
#define BALL		3
#define FRAMES		8
#define ENTITIES	5			/* defender, target, ball, another defender, another offense */

/* A play: entity 0 defends, 1 is the target, 2 the ball, 3 defends, 4 is offense */
typedef struct TestPlay
{
	GhostPlay	play;
	int32_t		frame_ids[FRAMES];
	uint8_t		roles[ENTITIES];
	float		data[FRAMES][ENTITIES][TRACK_FEATURES];
} TestPlay;

/* Entity e moving at constant velocity (vx, vy) from (x, y) at frame 0, facing o */
static void
move(TestPlay *tp, int e, double x, double y, double vx, double vy, double o)
{
	for (int f = 0; f < FRAMES; f++)
	{
		float	   *v = tp->data[f][e];

		v[TRACK_X] = (float) (x + vx * f * FRAME_SECONDS);
		v[TRACK_Y] = (float) (y + vy * f * FRAME_SECONDS);
		v[TRACK_VX] = (float) vx;
		v[TRACK_VY] = (float) vy;
		v[TRACK_AX] = v[TRACK_AY] = 0.0f;
		v[TRACK_DIR] = 0.0f;
		v[TRACK_O] = (float) o;
	}
}

/* The play: the target 5 yd from the defender along (0.6, 0.8) at frame 3 */
static void
test_play(TestPlay *tp)
{
	static const uint8_t roles[ENTITIES] = {DEFENSE, OFFENSE, BALL, DEFENSE, OFFENSE};

	memcpy(tp->roles, roles, sizeof(roles));
	for (int f = 0; f < FRAMES; f++)
		tp->frame_ids[f] = 100 + f;
	move(tp, 0, 10.0, 8.5, 0.0, 5.0, 90.0);	/* at frame 3: (10, 10) */
	move(tp, 1, 13.0, 14.0, 0.0, 0.0, 0.0);
	move(tp, 2, 20.0, 10.0, 10.0, 0.0, NAN);
	move(tp, 3, 10.0, 30.0, 0.0, 0.0, 0.0);
	move(tp, 4, 40.0, 10.0, 0.0, 0.0, 0.0);
	tp->play.frames = FRAMES;
	tp->play.entities = ENTITIES;
	tp->play.frame_ids = tp->frame_ids;
	tp->play.roles = tp->roles;
	tp->play.data = &tp->data[0][0][0];
	tp->play.ball = 2;
}

/* The scene's axis points at the target, falling back to +x on the same spot */
static void
test_scene(void)
{
	TestPlay	tp;
	GhostScene	scene;
	double		par,
				perp,
				wx,
				wy;

	test_play(&tp);
	ghost_play_scene(&tp.play, 3, 0, 1, &scene);
	CHECK_NEAR(scene.origin[0], 10.0, 1e-6);
	CHECK_NEAR(scene.origin[1], 10.0, 1e-6);
	CHECK_SAME(scene.velocity[1], 5.0);
	CHECK_NEAR(scene.axis[0], 0.6, 1e-6);
	CHECK_NEAR(scene.axis[1], 0.8, 1e-6);
	ghost_to_local(&scene, 3.0, 4.0, &par, &perp);
	CHECK_NEAR(par, 5.0, 1e-6);
	CHECK_NEAR(perp, 0.0, 1e-6);
	ghost_to_field(&scene, par, perp, &wx, &wy);
	CHECK_NEAR(wx, 3.0, 1e-12);
	CHECK_NEAR(wy, 4.0, 1e-12);
	ghost_to_local(&scene, -4.0, 3.0, &par, &perp);	/* a quarter turn counter-clockwise */
	CHECK_NEAR(par, 0.0, 1e-6);
	CHECK_NEAR(perp, 5.0, 1e-6);
	ghost_play_scene(&tp.play, 3, 0, 0, &scene);
	CHECK_SAME(scene.axis[0], 1.0);
	CHECK_SAME(scene.axis[1], 0.0);
}

/* History: GHOST_HISTORY consecutive frame ids with positions and velocities */
static void
test_history(void)
{
	TestPlay	tp;

	test_play(&tp);
	CHECK(!ghost_play_has_history(&tp.play, 1, 0));	/* too early */
	CHECK(ghost_play_has_history(&tp.play, 2, 0));
	tp.data[4][0][TRACK_VX] = NAN;
	CHECK(!ghost_play_has_history(&tp.play, 5, 0));
	CHECK(!ghost_play_has_history(&tp.play, 4, 0));
	CHECK(ghost_play_has_history(&tp.play, 3, 0));
	tp.frame_ids[7] = 108;	/* frame id 107 missing */
	CHECK(!ghost_play_has_history(&tp.play, 7, 1));
	CHECK(ghost_play_has_history(&tp.play, 6, 1));
}

/* The candidate features of the hand-made scene, worked out by hand */
static void
test_features(void)
{
	TestPlay	tp;
	GhostScene	scene;
	float		x[GHOST_CANDIDATES];

	test_play(&tp);
	ghost_play_scene(&tp.play, 3, 0, 1, &scene);
	ghost_play_features(&tp.play, &scene, x);
	CHECK_NEAR(x[GF_GAP], 5.0, 1e-5);
	CHECK_NEAR(x[GF_D_VPAR], 4.0, 1e-5);	/* (0, 5) along (0.6, 0.8) */
	CHECK_NEAR(x[GF_D_VPERP], 3.0, 1e-5);
	CHECK_NEAR(x[GF_D_SPEED], 5.0, 1e-6);
	CHECK_SAME(x[GF_D_DV1PAR], 0.0f);
	CHECK_SAME(x[GF_D_DVPERP], 0.0f);
	CHECK_NEAR(x[GF_D_OPAR], 0.6, 1e-6);	/* facing +x (90 degrees) */
	CHECK_NEAR(x[GF_D_OPERP], -0.8, 1e-6);
	CHECK_SAME(x[GF_R_SPEED], 0.0f);
	CHECK_NEAR(x[GF_REL_VPAR], -4.0, 1e-5);
	CHECK_NEAR(x[GF_BALL_SPEED], 10.0, 1e-4);
	CHECK_NEAR(x[GF_BALL_GAP], hypot(23.0 - 13.0, 10.0 - 14.0), 1e-4);	/* ball at x 23 */
	CHECK_NEAR(x[GF_OFF_DIST], 30.0, 1e-5);	/* entity 4, not the target */
	CHECK_NEAR(x[GF_OFF_PAR], 18.0, 1e-5);	/* (30, 0) local */
	CHECK_NEAR(x[GF_OFF_PERP], -24.0, 1e-5);
	CHECK_NEAR(x[GF_DEF_DIST], 20.0, 1e-5);	/* entity 3, not the defender */
	CHECK_NEAR(x[GF_FIELD_X], 10.0, 1e-5);
	CHECK_NEAR(x[GF_SIDELINE], 10.0, 1e-5);
	CHECK_NEAR(x[GF_R_SIDELINE], 14.0, 1e-5);
	tp.data[3][0][TRACK_Y] = 50.0f;
	ghost_play_features(&tp.play, &scene, x);
	CHECK_NEAR(x[GF_SIDELINE], FIELD_WIDTH - 50.0, 1e-5);	/* nearer the far sideline */
	CHECK_NEAR(x[GF_AXIS_X], 0.6, 1e-6);
	CHECK_NEAR(x[GF_AXIS_Y], 0.8, 1e-6);
}

/* What the play lacks is NaN: orientation, the ball, other players */
static void
test_missing_features(void)
{
	TestPlay	tp;
	GhostScene	scene;
	float		x[GHOST_CANDIDATES];

	test_play(&tp);
	tp.data[3][0][TRACK_O] = NAN;
	tp.data[2][2][TRACK_X] = NAN;	/* ball's previous frame: no speed */
	tp.data[3][4][TRACK_Y] = NAN;	/* the other offensive player is not placed */
	ghost_play_scene(&tp.play, 3, 0, 1, &scene);
	ghost_play_features(&tp.play, &scene, x);
	CHECK(isnan(x[GF_D_OPAR]) && isnan(x[GF_D_OPERP]));
	CHECK(isnan(x[GF_BALL_SPEED]) && !isnan(x[GF_BALL_GAP]));
	CHECK(isnan(x[GF_OFF_PAR]) && isnan(x[GF_OFF_PERP]) && isnan(x[GF_OFF_DIST]));
	CHECK(!isnan(x[GF_DEF_DIST]));
	tp.play.ball = -1;
	ghost_play_features(&tp.play, &scene, x);
	CHECK(isnan(x[GF_BALL_PAR]) && isnan(x[GF_BALL_PERP]) && isnan(x[GF_BALL_GAP]));
}

/* The real future: zero from constant velocity, false past the end or over a gap */
static void
test_residual(void)
{
	TestPlay	tp;
	GhostScene	scene;
	float		r[2 * GHOST_MAX_HORIZON];

	test_play(&tp);
	ghost_play_scene(&tp.play, 3, 0, 1, &scene);
	CHECK(ghost_play_residual(&tp.play, &scene, 4, r));
	for (int i = 0; i < 8; i++)
		CHECK_NEAR(r[i], 0.0, 1e-5);
	CHECK(!ghost_play_residual(&tp.play, &scene, 5, r));	/* frame 8 does not exist */
	tp.data[5][0][TRACK_Y] += 1.0f;	/* one yard further along +y at t = 2 */
	CHECK(ghost_play_residual(&tp.play, &scene, 2, r));
	CHECK_NEAR(r[2], 0.8, 1e-5);
	CHECK_NEAR(r[3], 0.6, 1e-5);
	tp.data[6][0][TRACK_X] = NAN;
	CHECK(!ghost_play_residual(&tp.play, &scene, 3, r));
}

/* Counts the windows it is called for */
static void
count_window(void *arg, const GhostScene *scene, const float *features, const float *residual)
{
	(void) scene;
	(void) features;
	(void) residual;
	(*(int *) arg)++;
}

/* Windows: frames with history and the next horizon frames, within the frame id range */
static void
test_windows(void)
{
	TestPlay	tp;
	int			defenders[2] = {0, 3};
	int			n = 0;

	test_play(&tp);
	/* frames 2..5 have history and 2 frames after them, for each of two defenders */
	ghost_play_windows(&tp.play, defenders, 2, 1, 0, 1000, 2, count_window, &n);
	CHECK_INT(n, 8);
	n = 0;
	ghost_play_windows(&tp.play, defenders, 1, 1, 104, 1000, 2, count_window, &n);
	CHECK_INT(n, 2);
	n = 0;
	ghost_play_windows(&tp.play, defenders, 2, 1, 0, 1000, GHOST_MAX_HORIZON + 1, count_window, &n);
	CHECK_INT(n, 0);
}

/* The network input: standardized, a missing feature at its mean (0) */
static void
test_standardize(void)
{
	float		features[GHOST_CANDIDATES] = {0};
	int			pick[3] = {GF_GAP, GF_BALL_GAP, GF_AXIS_Y};
	float		mean[3] = {1.0f, 2.0f, 0.5f};
	float		std[3] = {2.0f, 4.0f, 0.25f};
	float		input[3];

	features[GF_GAP] = 5.0f;
	features[GF_BALL_GAP] = NAN;
	features[GF_AXIS_Y] = 1.0f;
	ghost_standardize(3, pick, mean, std, features, input);
	CHECK_SAME(input[0], 2.0f);
	CHECK_SAME(input[1], 0.0f);
	CHECK_SAME(input[2], 2.0f);
}

UNIT_SUITE(ghost_features)
{
	UNIT_RUN(test_scene);
	UNIT_RUN(test_history);
	UNIT_RUN(test_features);
	UNIT_RUN(test_missing_features);
	UNIT_RUN(test_residual);
	UNIT_RUN(test_windows);
	UNIT_RUN(test_standardize);
}
