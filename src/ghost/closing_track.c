/*
 * closing_track.c: ngs.closing_track, the closing metric (closing_score, lib/closing.c)
 * of the real trajectories of a defender and a receiver over a range of frames of a play.
 */
#include "postgres.h"

#include <math.h>

#include "ghost/ghost.h"

/*
 * The index of from_frame, with an error unless frames from_frame..to_frame are a
 * non-empty run of consecutive frames of the play
 */
static inline int
check_frame_range(PlayTensor *pt, int32 from_frame, int32 to_frame)
{
	int			f = ghost_find_frame(pt, from_frame);
	int64		steps = (int64) to_frame - from_frame;

	if (steps <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("to_frame (%d) must be after from_frame (%d)", to_frame, from_frame),
				 errhint("The closing metric measures at least one step of 0.1 s.")));
	if (f < 0 || steps >= pt->frames - f || pt_frame_ids(pt)[f + steps] != to_frame)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("frames %d to %d are not all in this play", from_frame, to_frame),
				 errhint("ngs.frame_ids(tensor) lists the frames.")));
	return f;
}

/*
 * A player's positions in frames first..first+steps as x, y pairs, with an error naming
 * the first frame where he has no position
 */
static double *
track_points(PlayTensor *pt, int entity, int first, int steps)
{
	int			n = steps + 1;
	double	   *xy = palloc(sizeof(double) * 2 * n);

	for (int i = 0; i < n; i++)
	{
		const float4 *v = pt_sample(pt, first + i, entity);

		if (isnan(v[PT_X]) || isnan(v[PT_Y]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("player %d has no position in frame %d", pt_nfl_ids(pt)[entity],
							pt_frame_ids(pt)[first + i]),
					 errhint("Measure a range of frames where both players are tracked, or repair gaps with ngs.clean().")));
		xy[2 * i] = v[PT_X];
		xy[2 * i + 1] = v[PT_Y];
	}
	return xy;
}

/*
 * ngs.closing_track(pt, defender, receiver, from_frame, to_frame): the closing metric,
 * with its default speeds and weights, of the two players' real trajectories over the
 * frames from_frame to to_frame
 */
PG_FUNCTION_INFO_V1(closing_track);
Datum
closing_track(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	int			defender = ghost_player(pt, PG_GETARG_INT32(1), PT_DEFENSE);
	int			receiver = ghost_player(pt, PG_GETARG_INT32(2), PT_OFFENSE);
	int32		from_frame = PG_GETARG_INT32(3);
	int32		to_frame = PG_GETARG_INT32(4);
	int			first = check_frame_range(pt, from_frame, to_frame);
	int			steps = to_frame - from_frame;
	ClosingParams params = closing_default_params();

	PG_RETURN_FLOAT8(closing_score(track_points(pt, defender, first, steps),
								   track_points(pt, receiver, first, steps), steps + 1, &params));
}
