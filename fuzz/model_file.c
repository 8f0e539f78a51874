/*
 * model_file.c: libFuzzer harness for weight files.  Any bytes either fail cleanly or
 * load as the model their "ngs.kind" names.  A pass model must then give the same
 * outputs, bit for bit, for the same play before and after a longer play (whatever
 * memory its work area reuses); a ghost model's paths must stay physically possible
 * (on the field, no faster than MAX_PLAYER_SPEED, no harder than GHOST_MAX_ACCEL).
 * sources: src/model/model_file.c src/pass/pass_network.c src/sbp/sbp.c src/ghost/ghost_model.c src/ghost/ghost_names.c src/common/nets.c
 */
#include "postgres.h"

#include <math.h>

#include "fuzz.h"
#include "ghost/ghost.h"
#include "pass/pass_model.h"

#define FUZZ_FRAMES		7
#define FUZZ_SLACK		(1.0 + 1e-9)	/* rounding allowed on a physical bound */

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Score a play of `frames` frames with missing values; returns a copy of the outputs */
static float *
score(PassNetwork *net, int frames, float scale)
{
	int			rows = pass_network_rows(net, frames);
	float	   *input = palloc(sizeof(float) * rows * PASS_CHANNELS);
	float		context[PASS_MAX_CONTEXT];
	float	   *out = palloc(sizeof(float) * (net->bins + PASS_HEAD));

	for (int i = 0; i < rows * PASS_CHANNELS; i++)
		input[i] = i % 5 ? scale * i : NAN;
	for (int k = 0; k < PASS_MAX_CONTEXT; k++)
		context[k] = k % 3 ? scale * k : NAN;
	pass_network_forward(net, input, rows, context, out);
	return out;
}

/* A pass model scores a play the same whatever its work buffers held before */
static void
check_pass(ModelFile *mf)
{
	PassNetwork *net = pass_network_load(mf);
	float	   *first = score(net, FUZZ_FRAMES, 0.1f);

	score(net, 3 * FUZZ_FRAMES, -7.0f);
	if (memcmp(first, score(net, FUZZ_FRAMES, 0.1f), sizeof(float) * (net->bins + PASS_HEAD)) != 0)
		abort();
}

/* Abort unless a ghost path from the scene keeps to the field and the physical limits */
static void
check_ghost_path(const GhostScene *scene, const Point *path, int horizon)
{
	double		px = scene->origin[0],
				py = scene->origin[1],
				vx = scene->velocity[0],
				vy = scene->velocity[1];

	for (int t = 0; t < horizon; t++)
	{
		double		nvx = (path[t].x - px) / FRAME_SECONDS,
					nvy = (path[t].y - py) / FRAME_SECONDS;

		if (!(path[t].x >= 0 && path[t].x <= FIELD_LENGTH && path[t].y >= 0 && path[t].y <= FIELD_WIDTH) ||
			!(hypot(nvx, nvy) <= MAX_PLAYER_SPEED * FUZZ_SLACK) ||
			!(hypot(nvx - vx, nvy - vy) / FRAME_SECONDS <= GHOST_MAX_ACCEL * FUZZ_SLACK))
			abort();
		px = path[t].x;
		py = path[t].y;
		vx = nvx;
		vy = nvy;
	}
}

/*
 * A ghost model's predictions, from starts the limits can always hold (mid-field, and
 * running toward a sideline from far enough to stop), stay physically possible
 */
static void
check_ghost(ModelFile *mf)
{
	static const GhostScene scenes[] = {
		{.origin = {60.0, 26.0}, .velocity = {3.0, -2.0}, .axis = {1.0, 0.0}},
		{.origin = {8.0, 5.0}, .velocity = {-4.0, -5.0}, .axis = {0.6, 0.8}},
	};
	GhostModel *model = ghost_model_load(mf);
	float		features[2][GHOST_CANDIDATES];
	float		accel[2 * GHOST_MAX_HORIZON];
	Point		path[GHOST_MAX_HORIZON];

	for (int k = 0; k < GHOST_CANDIDATES; k++)
	{
		features[0][k] = k % 7 ? 0.37f * k - 3.0f : NAN;	/* mixed signs, missing ones */
		features[1][k] = 10.0f + k; /* all large and positive */
	}
	for (int f = 0; f < lengthof(features); f++)
	{
		ghost_model_accelerations(model, features[f], model->horizon, accel);
		for (int s = 0; s < lengthof(scenes); s++)
		{
			ghost_integrate(&scenes[s], accel, model->horizon, path);
			check_ghost_path(&scenes[s], path, model->horizon);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		ModelFile  *mf = model_file_parse((const char *) data, size);
		const char *kind = model_file_meta(mf, "ngs.kind");

		model_file_check_kind(mf, kind != NULL && strcmp(kind, "ghost") == 0 ? "ghost" : "pass");
		if (strcmp(kind, "ghost") == 0)
			check_ghost(mf);
		else
			check_pass(mf);
	}
	fuzz_reset();
	return 0;
}
