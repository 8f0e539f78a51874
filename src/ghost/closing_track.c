/*
 * closing_track.c: ngs.closing_track, the closing metric (closing.c) of the real
 * trajectories of a defender and a receiver over a range of frames of a play.
 */
#include "postgres.h"

#include <math.h>

#include "ghost/ghost.h"
#include "utils/geo_decls.h"

/* ngs.closing_metric(defender, receiver, v_top, v_max, dt, w_closing, w_effort, w_superhuman), closing.c */
extern Datum closing_metric(PG_FUNCTION_ARGS);

/* The defaults of ngs.closing_metric (ghosting.md) */
#define CLOSING_V_TOP		11.0	/* yd/s, top NFL speed */
#define CLOSING_WEIGHT		1.0 /* each part's weight */

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
 * The open path of a player's positions in frames first..first+steps, with an error
 * naming the first frame where he has no position
 */
static PATH *
track_path(PlayTensor *pt, int entity, int first, int steps)
{
	int			n = steps + 1;
	PATH	   *path = pt_open_path(n);

	for (int i = 0; i < n; i++)
	{
		const float4 *v = pt_sample(pt, first + i, entity);

		if (isnan(v[PT_X]) || isnan(v[PT_Y]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("player %d has no position in frame %d", pt_nfl_ids(pt)[entity],
							pt_frame_ids(pt)[first + i]),
					 errhint("Measure a range of frames where both players are tracked, or repair gaps with ngs.clean().")));
		path->p[i].x = v[PT_X];
		path->p[i].y = v[PT_Y];
	}
	return path;
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

	return DirectFunctionCall8(closing_metric,
							   PathPGetDatum(track_path(pt, defender, first, steps)),
							   PathPGetDatum(track_path(pt, receiver, first, steps)),
							   Float8GetDatum(CLOSING_V_TOP), Float8GetDatum(MAX_PLAYER_SPEED),
							   Float8GetDatum(FRAME_SECONDS), Float8GetDatum(CLOSING_WEIGHT),
							   Float8GetDatum(CLOSING_WEIGHT), Float8GetDatum(CLOSING_WEIGHT));
}
