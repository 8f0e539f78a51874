/*
 * ghost_features.c: the scene, candidate features, real future and windows of a ghost
 * prediction, read from a play's samples.  Only frames up to at_frame feed the features.
 */
#include <math.h>
#include <stddef.h>

#include "field.h"
#include "ghost_features.h"

/* Seconds between the first and the last history frame */
#define HISTORY_SECONDS		((GHOST_HISTORY - 1) * FRAME_SECONDS)

/* motion_features writes a player's seven motion features in this order */
typedef char ghost_motion_features_contiguous[(GF_D_DVPERP == GF_D_VPAR + 6 &&
											   GF_R_DVPERP == GF_R_VPAR + 6) ? 1 : -1];

/* The TRACK_FEATURES values of one (frame, entity) sample */
static const float *
sample(const GhostPlay *play, int frame, int entity)
{
	return play->data + ((size_t) frame * play->entities + entity) * TRACK_FEATURES;
}

/* Whether a sample has a position and a velocity */
static bool
has_motion(const float *v)
{
	return !isnan(v[TRACK_X]) && !isnan(v[TRACK_Y]) && !isnan(v[TRACK_VX]) && !isnan(v[TRACK_VY]);
}

/*
 * Whether an entity has a position and a velocity in the GHOST_HISTORY consecutive
 * frames that end at frame index frame
 */
bool
ghost_play_has_history(const GhostPlay *play, int frame, int entity)
{
	int			first = frame - (GHOST_HISTORY - 1);
	int			f;

	if (first < 0 || (int64_t) play->frame_ids[frame] - play->frame_ids[first] != GHOST_HISTORY - 1)
		return false;
	for (f = first; f <= frame; f++)
		if (!has_motion(sample(play, f, entity)))
			return false;
	return true;
}

/*
 * The scene of a defender and a target at frame index frame (both with history); the
 * axis falls back to +x when the two stand on the same spot
 */
void
ghost_play_scene(const GhostPlay *play, int frame, int defender, int target, GhostScene *scene)
{
	const float *d = sample(play, frame, defender);
	const float *r = sample(play, frame, target);
	double		dx = (double) r[TRACK_X] - d[TRACK_X];
	double		dy = (double) r[TRACK_Y] - d[TRACK_Y];
	double		gap = hypot(dx, dy);

	scene->frame = frame;
	scene->defender = defender;
	scene->target = target;
	scene->origin[0] = d[TRACK_X];
	scene->origin[1] = d[TRACK_Y];
	scene->velocity[0] = d[TRACK_VX];
	scene->velocity[1] = d[TRACK_VY];
	scene->axis[0] = gap > 1e-6 ? dx / gap : 1.0;
	scene->axis[1] = gap > 1e-6 ? dy / gap : 0.0;
}

/* Store a field vector's local coordinates in features[at] and features[at + 1] */
static void
put_local(const GhostScene *scene, float *features, int at, double wx, double wy)
{
	double		par,
				perp;

	ghost_to_local(scene, wx, wy, &par, &perp);
	features[at] = (float) par;
	features[at + 1] = (float) perp;
}

/* Distance from a position to the nearer sideline */
static double
sideline_distance(double y)
{
	return y < FIELD_WIDTH - y ? y : FIELD_WIDTH - y;
}

/*
 * The motion features of one player, written from out[0] in the order of the enum:
 * velocity (par, perp), speed, velocity change over the last frame and over the history
 */
static void
motion_features(const GhostPlay *play, const GhostScene *scene, int entity, float *out)
{
	const float *now = sample(play, scene->frame, entity);
	const float *prev = sample(play, scene->frame - 1, entity);
	const float *first = sample(play, scene->frame - (GHOST_HISTORY - 1), entity);

	put_local(scene, out, 0, now[TRACK_VX], now[TRACK_VY]);
	out[2] = (float) hypot(now[TRACK_VX], now[TRACK_VY]);
	put_local(scene, out, 3, (now[TRACK_VX] - prev[TRACK_VX]) / FRAME_SECONDS,
			  (now[TRACK_VY] - prev[TRACK_VY]) / FRAME_SECONDS);
	put_local(scene, out, 5, (now[TRACK_VX] - first[TRACK_VX]) / HISTORY_SECONDS,
			  (now[TRACK_VY] - first[TRACK_VY]) / HISTORY_SECONDS);
}

/*
 * The nearest player with this role code other than the defender and the target,
 * relative to the defender, at features[at ...]: par, perp, distance (NaN when none)
 */
static void
nearest_features(const GhostPlay *play, const GhostScene *scene, int role, float *features, int at)
{
	double		best = INFINITY,
				bx = 0,
				by = 0;
	int			e;

	for (e = 0; e < play->entities; e++)
	{
		const float *v = sample(play, scene->frame, e);
		double		dx,
					dy,
					dist;

		if (play->roles[e] != role || e == scene->defender || e == scene->target ||
			isnan(v[TRACK_X]) || isnan(v[TRACK_Y]))
			continue;
		dx = v[TRACK_X] - scene->origin[0];
		dy = v[TRACK_Y] - scene->origin[1];
		dist = hypot(dx, dy);
		if (dist < best)
		{
			best = dist;
			bx = dx;
			by = dy;
		}
	}
	if (isinf(best))
	{
		features[at] = features[at + 1] = features[at + 2] = NAN;
		return;
	}
	put_local(scene, features, at, bx, by);
	features[at + 2] = (float) best;
}

/*
 * The ball's features (position relative to the defender, speed from its last two
 * positions, distance to the target); NaN where the ball has no such samples
 */
static void
ball_features(const GhostPlay *play, const GhostScene *scene, float *features)
{
	const float *b = play->ball >= 0 ? sample(play, scene->frame, play->ball) : NULL;
	const float *prev = play->ball >= 0 ? sample(play, scene->frame - 1, play->ball) : NULL;
	const float *r = sample(play, scene->frame, scene->target);

	features[GF_BALL_PAR] = features[GF_BALL_PERP] = NAN;
	features[GF_BALL_SPEED] = features[GF_BALL_GAP] = NAN;
	if (b == NULL || isnan(b[TRACK_X]) || isnan(b[TRACK_Y]))
		return;
	put_local(scene, features, GF_BALL_PAR, b[TRACK_X] - scene->origin[0], b[TRACK_Y] - scene->origin[1]);
	features[GF_BALL_GAP] = (float) hypot(b[TRACK_X] - r[TRACK_X], b[TRACK_Y] - r[TRACK_Y]);
	if (!isnan(prev[TRACK_X]) && !isnan(prev[TRACK_Y]))
		features[GF_BALL_SPEED] = (float) (hypot(b[TRACK_X] - prev[TRACK_X], b[TRACK_Y] - prev[TRACK_Y]) / FRAME_SECONDS);
}

/*
 * All GHOST_CANDIDATES features of a scene whose defender and target have their history;
 * NaN marks what the play does not have (orientation, ball, other players).  The
 * "offense" and "defense" features are the nearest other players with the target's and
 * the defender's role.  Only frames up to at_frame are read, and not the samples' ax,
 * ay: they are central differences that see the next frame.
 */
void
ghost_play_features(const GhostPlay *play, const GhostScene *scene, float *features)
{
	const float *d = sample(play, scene->frame, scene->defender);
	const float *r = sample(play, scene->frame, scene->target);
	double		o = d[TRACK_O] * (FIELD_PI / 180.0);

	features[GF_GAP] = (float) hypot(r[TRACK_X] - d[TRACK_X], r[TRACK_Y] - d[TRACK_Y]);
	motion_features(play, scene, scene->defender, features + GF_D_VPAR);
	put_local(scene, features, GF_D_OPAR, sin(o), cos(o));	/* clockwise from +y */
	motion_features(play, scene, scene->target, features + GF_R_VPAR);
	put_local(scene, features, GF_REL_VPAR, r[TRACK_VX] - d[TRACK_VX], r[TRACK_VY] - d[TRACK_VY]);
	ball_features(play, scene, features);
	nearest_features(play, scene, play->roles[scene->target], features, GF_OFF_PAR);
	nearest_features(play, scene, play->roles[scene->defender], features, GF_DEF_PAR);
	features[GF_FIELD_X] = d[TRACK_X];
	features[GF_FIELD_Y] = d[TRACK_Y];
	features[GF_SIDELINE] = (float) sideline_distance(d[TRACK_Y]);
	features[GF_R_SIDELINE] = (float) sideline_distance(r[TRACK_Y]);
	features[GF_AXIS_X] = (float) scene->axis[0];
	features[GF_AXIS_Y] = (float) scene->axis[1];
}

/*
 * The defender's real future as local displacements from constant velocity,
 * residual[2 t - 2 .. 2 t - 1] = local(p(t) - p(0) - t dt v(0)) for t = 1..horizon;
 * false unless the next horizon frames follow without a gap and have his position
 */
bool
ghost_play_residual(const GhostPlay *play, const GhostScene *scene, int horizon, float *residual)
{
	const int32_t *ids = play->frame_ids;
	int			t;

	if (scene->frame + horizon >= play->frames ||
		(int64_t) ids[scene->frame + horizon] - ids[scene->frame] != horizon)
		return false;
	for (t = 1; t <= horizon; t++)
	{
		const float *v = sample(play, scene->frame + t, scene->defender);
		double		s = t * FRAME_SECONDS;

		if (isnan(v[TRACK_X]) || isnan(v[TRACK_Y]))
			return false;
		put_local(scene, residual, 2 * (t - 1),
				  v[TRACK_X] - scene->origin[0] - s * scene->velocity[0],
				  v[TRACK_Y] - scene->origin[1] - s * scene->velocity[1]);
	}
	return true;
}

/*
 * Call fn for every window of the play: each defender (entity index) at each frame whose
 * id lies in [first_frame, last_frame] where he and the target have their history and
 * he has the next horizon frames (1 to GHOST_MAX_HORIZON; none otherwise)
 */
void
ghost_play_windows(const GhostPlay *play, const int *defenders, int ndefenders, int target,
				   int32_t first_frame, int32_t last_frame, int horizon,
				   GhostWindowFn fn, void *arg)
{
	const int32_t *ids = play->frame_ids;
	float		features[GHOST_CANDIDATES];
	float		residual[2 * GHOST_MAX_HORIZON];
	int			k,
				f;

	if (horizon < 1 || horizon > GHOST_MAX_HORIZON)
		return;
	for (k = 0; k < ndefenders; k++)
		for (f = 0; f < play->frames; f++)
		{
			GhostScene	scene;

			if (ids[f] < first_frame || ids[f] > last_frame ||
				!ghost_play_has_history(play, f, defenders[k]) ||
				!ghost_play_has_history(play, f, target))
				continue;
			ghost_play_scene(play, f, defenders[k], target, &scene);
			if (!ghost_play_residual(play, &scene, horizon, residual))
				continue;
			ghost_play_features(play, &scene, features);
			fn(arg, &scene, features, residual);
		}
}

/*
 * A network's input from a scene's candidate features: the n features it reads
 * (candidate indices feature[]), standardized with mean and std; a missing (NaN) feature
 * becomes 0, its mean
 */
void
ghost_standardize(int n, const int *feature, const float *mean, const float *std,
				  const float *features, float *input)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		float		v = (features[feature[i]] - mean[i]) / std[i];

		input[i] = isnan(v) ? 0.0f : v;
	}
}
