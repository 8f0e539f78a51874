/*
 * ghost_features.c: what a ghost prediction reads: the scene (a defender and a target at
 * one frame), the candidate features in the frame centred on the defender and turned
 * toward the target, and the real future as displacements from constant velocity.
 *
 * ngs.ghost_windows lists every window of a play (features and real future) so that the
 * features can be ranked and models trained outside the database; ngs.train_ghost_model
 * reads the same windows through ghost_each_window.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "ghost/ghost.h"
#include "utils/array.h"
#include "utils/builtins.h"

/* motion_features writes a player's seven motion features in this order */
StaticAssertDecl(GF_D_DVPERP == GF_D_VPAR + 6 && GF_R_DVPERP == GF_R_VPAR + 6,
				 "motion features must be contiguous");

/* Seconds between the first and the last history frame */
#define HISTORY_SECONDS		((GHOST_HISTORY - 1) * FRAME_SECONDS)

/* Where the features the SQL functions return come from: one window of a play */
typedef struct WindowRows
{
	ReturnSetInfo *rsinfo;		/* the materialized result */
	PlayTensor *pt;				/* the play, for ids */
	int			horizon;		/* frames of real future per window */
} WindowRows;

/*
 * Refuse a play that is not standardized: the model reads field positions
 */
void
ghost_check_play(PlayTensor *pt)
{
	if (!(pt->flags & PT_STANDARDIZED))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ghosting needs a standardized play"),
				 errhint("Apply ngs.standardize(tensor, play_direction) first.")));
}

/*
 * The entity index of a player, with an error unless he is in the play with this role
 */
int
ghost_player(PlayTensor *pt, int32 nfl_id, int role)
{
	int			e = pt_find_entity(pt, false, nfl_id);

	if (e < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("player %d is not in this play", nfl_id),
				 errhint("ngs.nfl_ids(tensor) lists the players.")));
	if (pt_roles(pt)[e] != role)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("player %d is on %s, not on %s", nfl_id,
						pt_role_name(pt_roles(pt)[e]), pt_role_name(role)),
				 errhint("ngs.roles(tensor) gives each player's role, in the order of ngs.nfl_ids(tensor).")));
	return e;
}

/*
 * The index of the frame with this id, or -1
 */
int
ghost_find_frame(PlayTensor *pt, int32 frame_id)
{
	int32	   *ids = pt_frame_ids(pt);
	int			lo = 0,
				hi = pt->frames - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (ids[mid] == frame_id)
			return mid;
		if (ids[mid] < frame_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Whether a sample has a position and a velocity */
static inline bool
has_motion(const float4 *v)
{
	return !isnan(v[PT_X]) && !isnan(v[PT_Y]) && !isnan(v[PT_VX]) && !isnan(v[PT_VY]);
}

/*
 * Whether an entity has a position and a velocity in the GHOST_HISTORY consecutive
 * frames that end at frame index frame
 */
bool
ghost_has_history(PlayTensor *pt, int frame, int entity)
{
	int			first = frame - (GHOST_HISTORY - 1);

	if (first < 0 || pt_frame_ids(pt)[frame] - pt_frame_ids(pt)[first] != GHOST_HISTORY - 1)
		return false;
	for (int f = first; f <= frame; f++)
		if (!has_motion(pt_sample(pt, f, entity)))
			return false;
	return true;
}

/*
 * The scene of a defender and a target at frame index frame (both with history); the
 * axis falls back to +x when the two stand on the same spot
 */
void
ghost_scene(PlayTensor *pt, int frame, int defender, int target, GhostScene *scene)
{
	const float4 *d = pt_sample(pt, frame, defender);
	const float4 *r = pt_sample(pt, frame, target);
	double		dx = (double) r[PT_X] - d[PT_X];
	double		dy = (double) r[PT_Y] - d[PT_Y];
	double		gap = hypot(dx, dy);

	scene->frame = frame;
	scene->defender = defender;
	scene->target = target;
	scene->origin[0] = d[PT_X];
	scene->origin[1] = d[PT_Y];
	scene->velocity[0] = d[PT_VX];
	scene->velocity[1] = d[PT_VY];
	scene->axis[0] = gap > 1e-6 ? dx / gap : 1.0;
	scene->axis[1] = gap > 1e-6 ? dy / gap : 0.0;
}

/* Store a field vector's local coordinates in features[at] and features[at + 1] */
static inline void
put_local(const GhostScene *scene, float *features, int at, double wx, double wy)
{
	double		par,
				perp;

	ghost_to_local(scene, wx, wy, &par, &perp);
	features[at] = (float) par;
	features[at + 1] = (float) perp;
}

/* Distance from a position to the nearer sideline */
static inline double
sideline_distance(double y)
{
	return Min(y, FIELD_WIDTH - y);
}

/*
 * The motion features of one player, written from out[0] in the order of the enum:
 * velocity (par, perp), speed, velocity change over the last frame and over the history
 */
static void
motion_features(PlayTensor *pt, const GhostScene *scene, int entity, float *out)
{
	const float4 *now = pt_sample(pt, scene->frame, entity);
	const float4 *prev = pt_sample(pt, scene->frame - 1, entity);
	const float4 *first = pt_sample(pt, scene->frame - (GHOST_HISTORY - 1), entity);

	put_local(scene, out, 0, now[PT_VX], now[PT_VY]);
	out[2] = (float) hypot(now[PT_VX], now[PT_VY]);
	put_local(scene, out, 3, (now[PT_VX] - prev[PT_VX]) / FRAME_SECONDS,
			  (now[PT_VY] - prev[PT_VY]) / FRAME_SECONDS);
	put_local(scene, out, 5, (now[PT_VX] - first[PT_VX]) / HISTORY_SECONDS,
			  (now[PT_VY] - first[PT_VY]) / HISTORY_SECONDS);
}

/*
 * The nearest player of a role other than the defender and the target, relative to the
 * defender, at features[at ...]: par, perp, distance (NaN when there is none)
 */
static void
nearest_features(PlayTensor *pt, const GhostScene *scene, int role, float *features, int at)
{
	double		best = INFINITY,
				bx = 0,
				by = 0;

	for (int e = 0; e < pt->entities; e++)
	{
		const float4 *v = pt_sample(pt, scene->frame, e);
		double		dx,
					dy,
					dist;

		if (pt_roles(pt)[e] != role || e == scene->defender || e == scene->target ||
			isnan(v[PT_X]) || isnan(v[PT_Y]))
			continue;
		dx = v[PT_X] - scene->origin[0];
		dy = v[PT_Y] - scene->origin[1];
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
ball_features(PlayTensor *pt, const GhostScene *scene, float *features)
{
	int			e = pt_find_entity(pt, true, 0);
	const float4 *b = e >= 0 ? pt_sample(pt, scene->frame, e) : NULL;
	const float4 *prev = e >= 0 ? pt_sample(pt, scene->frame - 1, e) : NULL;
	const float4 *r = pt_sample(pt, scene->frame, scene->target);

	features[GF_BALL_PAR] = features[GF_BALL_PERP] = NAN;
	features[GF_BALL_SPEED] = features[GF_BALL_GAP] = NAN;
	if (b == NULL || isnan(b[PT_X]) || isnan(b[PT_Y]))
		return;
	put_local(scene, features, GF_BALL_PAR, b[PT_X] - scene->origin[0], b[PT_Y] - scene->origin[1]);
	features[GF_BALL_GAP] = (float) hypot(b[PT_X] - r[PT_X], b[PT_Y] - r[PT_Y]);
	if (!isnan(prev[PT_X]) && !isnan(prev[PT_Y]))
		features[GF_BALL_SPEED] = (float) (hypot(b[PT_X] - prev[PT_X], b[PT_Y] - prev[PT_Y]) / FRAME_SECONDS);
}

/*
 * All GHOST_CANDIDATES features of a scene; NaN marks what the play does not have
 * (orientation, ball, other players).  Only frames up to at_frame are read, and not the
 * tensor's ax, ay: they are central differences that see the next frame.
 */
void
ghost_features(PlayTensor *pt, const GhostScene *scene, float *features)
{
	const float4 *d = pt_sample(pt, scene->frame, scene->defender);
	const float4 *r = pt_sample(pt, scene->frame, scene->target);
	double		o = d[PT_O] * (M_PI / 180.0);

	features[GF_GAP] = (float) hypot(r[PT_X] - d[PT_X], r[PT_Y] - d[PT_Y]);
	motion_features(pt, scene, scene->defender, features + GF_D_VPAR);
	put_local(scene, features, GF_D_OPAR, sin(o), cos(o));	/* clockwise from +y */
	motion_features(pt, scene, scene->target, features + GF_R_VPAR);
	put_local(scene, features, GF_REL_VPAR, r[PT_VX] - d[PT_VX], r[PT_VY] - d[PT_VY]);
	ball_features(pt, scene, features);
	nearest_features(pt, scene, PT_OFFENSE, features, GF_OFF_PAR);
	nearest_features(pt, scene, PT_DEFENSE, features, GF_DEF_PAR);
	features[GF_FIELD_X] = d[PT_X];
	features[GF_FIELD_Y] = d[PT_Y];
	features[GF_SIDELINE] = (float) sideline_distance(d[PT_Y]);
	features[GF_R_SIDELINE] = (float) sideline_distance(r[PT_Y]);
	features[GF_AXIS_X] = (float) scene->axis[0];
	features[GF_AXIS_Y] = (float) scene->axis[1];
}

/*
 * The defender's real future as local displacements from constant velocity,
 * residual[2 t - 2 .. 2 t - 1] = local(p(t) - p(0) - t dt v(0)) for t = 1..horizon;
 * false unless the next horizon frames follow without a gap and have his position
 */
bool
ghost_residual(PlayTensor *pt, const GhostScene *scene, int horizon, float *residual)
{
	int32	   *ids = pt_frame_ids(pt);

	if (scene->frame + horizon >= pt->frames ||
		ids[scene->frame + horizon] - ids[scene->frame] != horizon)
		return false;
	for (int t = 1; t <= horizon; t++)
	{
		const float4 *v = pt_sample(pt, scene->frame + t, scene->defender);
		double		s = t * FRAME_SECONDS;

		if (isnan(v[PT_X]) || isnan(v[PT_Y]))
			return false;
		put_local(scene, residual, 2 * (t - 1),
				  v[PT_X] - scene->origin[0] - s * scene->velocity[0],
				  v[PT_Y] - scene->origin[1] - s * scene->velocity[1]);
	}
	return true;
}

/*
 * Call fn for every window of the play: each defender (entity index) at each frame whose
 * id lies in [first_frame, last_frame] where he and the target have their history and
 * he has the next horizon frames
 */
void
ghost_each_window(PlayTensor *pt, const int *defenders, int ndefenders, int target,
				  int32 first_frame, int32 last_frame, int horizon,
				  GhostWindowFn fn, void *arg)
{
	int32	   *ids = pt_frame_ids(pt);
	float		features[GHOST_CANDIDATES];
	float		residual[2 * GHOST_MAX_HORIZON];

	for (int k = 0; k < ndefenders; k++)
		for (int f = 0; f < pt->frames; f++)
		{
			GhostScene	scene;

			if (ids[f] < first_frame || ids[f] > last_frame ||
				!ghost_has_history(pt, f, defenders[k]) || !ghost_has_history(pt, f, target))
				continue;
			ghost_scene(pt, f, defenders[k], target, &scene);
			if (!ghost_residual(pt, &scene, horizon, residual))
				continue;
			ghost_features(pt, &scene, features);
			fn(arg, &scene, features, residual);
		}
}

/*
 * Refuse a horizon outside 1..GHOST_MAX_HORIZON
 */
static inline void
check_horizon(int32 horizon)
{
	if (horizon < 1 || horizon > GHOST_MAX_HORIZON)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be between 1 and %d frames, not %d", GHOST_MAX_HORIZON, horizon),
				 errhint("The default ghost model predicts 10 frames (1 s).")));
}

/* A real[] of n floats, NaN as NULL */
static ArrayType *
real_array(const float *values, int n)
{
	Datum		d[Max(GHOST_CANDIDATES, 2 * GHOST_MAX_HORIZON)];
	bool		nulls[Max(GHOST_CANDIDATES, 2 * GHOST_MAX_HORIZON)];
	int			dims[1] = {n}, lbs[1] = {1};

	for (int i = 0; i < n; i++)
	{
		nulls[i] = isnan(values[i]);
		d[i] = Float4GetDatum(values[i]);
	}
	return construct_md_array(d, nulls, 1, dims, lbs, FLOAT4OID, 4, true, TYPALIGN_INT);
}

/* Add one window to ngs.ghost_windows' result */
static void
window_row(void *arg, const GhostScene *scene, const float *features, const float *residual)
{
	WindowRows *rows = arg;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	values[0] = Int32GetDatum(pt_nfl_ids(rows->pt)[scene->defender]);
	values[1] = Int32GetDatum(pt_frame_ids(rows->pt)[scene->frame]);
	values[2] = PointerGetDatum(real_array(features, GHOST_CANDIDATES));
	values[3] = PointerGetDatum(real_array(residual, 2 * rows->horizon));
	tuplestore_putvalues(rows->rsinfo->setResult, rows->rsinfo->setDesc, values, nulls);
}

/*
 * The entity indices of the defenders an int[] names, each checked to be a defender of
 * the play; *n gets their number
 */
int *
ghost_defenders(PlayTensor *pt, ArrayType *ids, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int		   *entities;

	if (ARR_NDIM(ids) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("defenders must be a one-dimensional array")));
	deconstruct_array(ids, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, n);
	entities = palloc(sizeof(int) * Max(*n, 1));
	for (int k = 0; k < *n; k++)
	{
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("defenders must not contain NULL"),
					 errhint("List the defenders' NFL ids.")));
		entities[k] = ghost_player(pt, DatumGetInt32(elems[k]), PT_DEFENSE);
		for (int j = 0; j < k; j++)
			if (entities[j] == entities[k])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("defenders names player %d twice", DatumGetInt32(elems[k])),
						 errhint("List each defender once.")));
	}
	return entities;
}

/*
 * ngs.ghost_windows(pt, defenders, target, first_frame, last_frame, horizon): one row per
 * window (defender, at_frame, candidate features, real future displacements from
 * constant velocity in the local frame); NULL last_frame means the end of the play
 */
PG_FUNCTION_INFO_V1(ghost_windows);
Datum
ghost_windows(PG_FUNCTION_ARGS)
{
	PlayTensor *pt;
	int		   *defenders;
	int			ndefenders;
	WindowRows	rows;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	pt = PG_GETARG_PLAY_TENSOR_P(0);
	rows.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	rows.pt = pt;
	rows.horizon = PG_GETARG_INT32(5);
	check_horizon(rows.horizon);
	ghost_check_play(pt);
	defenders = ghost_defenders(pt, PG_GETARG_ARRAYTYPE_P(1), &ndefenders);
	ghost_each_window(pt, defenders, ndefenders, ghost_player(pt, PG_GETARG_INT32(2), PT_OFFENSE),
					  PG_GETARG_INT32(3), PG_ARGISNULL(4) ? PG_INT32_MAX : PG_GETARG_INT32(4),
					  rows.horizon, window_row, &rows);
	PG_RETURN_NULL();
}

/*
 * ngs.ghost_feature_names(): the names of the candidate features, in ghost_windows' order
 */
PG_FUNCTION_INFO_V1(ghost_feature_names);
Datum
ghost_feature_names(PG_FUNCTION_ARGS)
{
	Datum		d[GHOST_CANDIDATES];

	for (int k = 0; k < GHOST_CANDIDATES; k++)
		d[k] = CStringGetTextDatum(ghost_candidate_names[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, GHOST_CANDIDATES, TEXTOID, -1, false, TYPALIGN_INT));
}
