/*
 * ghost_trajectory.c: ngs.ghost_trajectory and ngs.ghost_trajectories, the SQL face of
 * the ghost model: checks of the play, players, frame and horizon, then one prediction
 * per defender from the scene at at_frame, as an open path.
 */
#include "postgres.h"

#include "funcapi.h"
#include "ghost/ghost.h"
#include "model/model_catalog.h"
#include "utils/builtins.h"

/*
 * The predicted positions of a scene's defender for the next horizon frames
 */
static void
ghost_predict(const GhostModel *model, const GhostPlay *play, const GhostScene *scene, int horizon,
			  Point *out)
{
	float		features[GHOST_CANDIDATES];
	float		accel[2 * GHOST_MAX_HORIZON];

	ghost_play_features(play, scene, features);
	ghost_model_accelerations(model, features, horizon, accel);
	ghost_integrate(scene, accel, horizon, out);
}

/*
 * Refuse a horizon the model does not predict
 */
static inline void
check_horizon(const GhostModel *model, int32 horizon)
{
	if (horizon < 1 || horizon > model->horizon)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be between 1 and %d frames for this model, not %d", model->horizon, horizon),
				 errhint("The model predicts %d frames (%.1f s) after at_frame.", model->horizon,
						 model->horizon * FRAME_SECONDS)));
}

/*
 * The index of at_frame, with an error unless the play has it
 */
static inline int
check_frame(PlayTensor *pt, int32 at_frame)
{
	int			f = ghost_find_frame(pt, at_frame);

	if (f < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("frame %d is not in this play", at_frame),
				 errhint("ngs.frame_ids(tensor) lists the frames.")));
	return f;
}

/*
 * Refuse a player without a position and velocity in at_frame and the frames before it
 */
static inline void
check_history(PlayTensor *pt, const GhostPlay *play, int frame, int entity)
{
	if (!ghost_play_has_history(play, frame, entity))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("player %d has no %d frames of history up to frame %d",
						pt_nfl_ids(pt)[entity], GHOST_HISTORY, pt_frame_ids(pt)[frame]),
				 errdetail("A prediction reads the player's position and velocity in frames %d to %d, with no frame missing.",
						   pt_frame_ids(pt)[frame] - (GHOST_HISTORY - 1), pt_frame_ids(pt)[frame]),
				 errhint("Pick a later at_frame, or repair gaps with ngs.clean().")));
}

/* An open path of n points */
static PATH *
make_path(const Point *points, int n)
{
	PATH	   *path = pt_open_path(n);

	memcpy(path->p, points, sizeof(Point) * n);
	return path;
}

/*
 * ngs.ghost_trajectory(pt, defender, target, at_frame, horizon, model): the defender's
 * predicted positions in the horizon frames after at_frame, as an open path
 */
PG_FUNCTION_INFO_V1(ghost_trajectory);
Datum
ghost_trajectory(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	int32		horizon = PG_GETARG_INT32(4);
	GhostModel *model = model_catalog_get(fcinfo, PG_GETARG_TEXT_PP(5), "ghost");
	int			defender,
				target,
				frame;
	GhostPlay	play;
	GhostScene	scene;
	Point		points[GHOST_MAX_HORIZON];

	check_horizon(model, horizon);
	ghost_check_play(pt);
	ghost_play_of(pt, &play);
	defender = ghost_player(pt, PG_GETARG_INT32(1), PT_DEFENSE);
	target = ghost_player(pt, PG_GETARG_INT32(2), PT_OFFENSE);
	frame = check_frame(pt, PG_GETARG_INT32(3));
	check_history(pt, &play, frame, defender);
	check_history(pt, &play, frame, target);

	ghost_play_scene(&play, frame, defender, target, &scene);
	ghost_predict(model, &play, &scene, horizon, points);
	PG_RETURN_PATH_P(make_path(points, horizon));
}

/*
 * The defenders a ghost_trajectories call predicts: those the array names (checked, with
 * their history), or when it is NULL every defender of the play with history at the frame
 */
static int *
trajectory_defenders(FunctionCallInfo fcinfo, PlayTensor *pt, const GhostPlay *play, int frame, int *n)
{
	int		   *entities;

	if (!PG_ARGISNULL(5))
	{
		entities = ghost_defenders(pt, PG_GETARG_ARRAYTYPE_P(5), n);
		for (int k = 0; k < *n; k++)
			check_history(pt, play, frame, entities[k]);
		return entities;
	}
	entities = palloc(sizeof(int) * pt->entities);
	*n = 0;
	for (int e = 0; e < pt->entities; e++)
		if (pt_roles(pt)[e] == PT_DEFENSE && ghost_play_has_history(play, frame, e))
			entities[(*n)++] = e;
	return entities;
}

/*
 * ngs.ghost_trajectories(pt, target, at_frame, horizon, model, defenders): one row
 * (nfl_id, trajectory) per defender, all of them predicted against the same target
 */
PG_FUNCTION_INFO_V1(ghost_trajectories);
Datum
ghost_trajectories(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PlayTensor *pt;
	GhostModel *model;
	GhostPlay	play;
	int32		horizon;
	int			target,
				frame,
				ndefenders;
	int		   *defenders;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	pt = PG_GETARG_PLAY_TENSOR_P(0);
	horizon = PG_GETARG_INT32(3);
	model = model_catalog_get(fcinfo, PG_GETARG_TEXT_PP(4), "ghost");
	check_horizon(model, horizon);
	ghost_check_play(pt);
	ghost_play_of(pt, &play);
	target = ghost_player(pt, PG_GETARG_INT32(1), PT_OFFENSE);
	frame = check_frame(pt, PG_GETARG_INT32(2));
	check_history(pt, &play, frame, target);
	defenders = trajectory_defenders(fcinfo, pt, &play, frame, &ndefenders);

	for (int k = 0; k < ndefenders; k++)
	{
		GhostScene	scene;
		Point		points[GHOST_MAX_HORIZON];
		Datum		values[2];
		bool		nulls[2] = {false, false};

		ghost_play_scene(&play, frame, defenders[k], target, &scene);
		ghost_predict(model, &play, &scene, horizon, points);
		values[0] = Int32GetDatum(pt_nfl_ids(pt)[defenders[k]]);
		values[1] = PathPGetDatum(make_path(points, horizon));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PG_RETURN_NULL();
}
