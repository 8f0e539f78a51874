/*
 * ghost_features.c: the SQL side of what a ghost prediction reads (the scene, features
 * and windows themselves are lib/ghost_features.c's): checks of the play and players,
 * the play tensor as a GhostPlay, and ngs.ghost_windows, which lists every window of a
 * play (features and real future) so that the features can be ranked and models trained
 * outside the database; ngs.train_ghost_model reads the same windows through
 * ghost_each_window.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "ghost/ghost.h"
#include "utils/array.h"
#include "utils/builtins.h"

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

/*
 * The play tensor's samples as lib/ghost_features.h reads them
 */
void
ghost_play_of(PlayTensor *pt, GhostPlay *play)
{
	play->frames = pt->frames;
	play->entities = pt->entities;
	play->frame_ids = pt_frame_ids(pt);
	play->roles = pt_roles(pt);
	play->data = pt_data(pt);
	play->ball = pt_find_entity(pt, true, 0);
}

/*
 * Call fn for every window of the play (ghost_play_windows): each defender (entity
 * index) at each frame whose id lies in [first_frame, last_frame] where he and the
 * target have their history and he has the next horizon frames
 */
void
ghost_each_window(PlayTensor *pt, const int *defenders, int ndefenders, int target,
				  int32 first_frame, int32 last_frame, int horizon,
				  GhostWindowFn fn, void *arg)
{
	GhostPlay	play;

	ghost_play_of(pt, &play);
	ghost_play_windows(&play, defenders, ndefenders, target, first_frame, last_frame, horizon,
					   fn, arg);
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
