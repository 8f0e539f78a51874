/*
 * event_access.c: reading a play tensor's events from SQL: the events, the frame of one,
 * slices between two events, the pass window (snap to release), the offense's direction.
 */
#include "postgres.h"

#include "funcapi.h"
#include "play_tensor/play_tensor.h"
#include "utils/builtins.h"

/* Fail unless the tensor knows its events (version 2) */
static void
require_events(PlayTensor *pt)
{
	if (!pt_has_events(pt))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play_tensor does not know its events"),
				 errdetail("It is a version-1 tensor: stored by ngs 1.0 or 1.1, or built without the event argument."),
				 errhint("Rebuild it with ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o, event).")));
}

/* The first frame index at or after first with the event named by a text, or -1 */
static int
find_text_event(PlayTensor *pt, text *event, int first)
{
	const char *names[2] = {text_to_cstring(event), NULL};

	return pt_find_event(pt, names, first);
}

PG_FUNCTION_INFO_V1(play_tensor_has_events);
/*
 * Whether the tensor knows its events (version 2), even if it has none
 */
Datum
play_tensor_has_events(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(pt_has_events(PG_GETARG_PLAY_TENSOR_P(0)));
}

PG_FUNCTION_INFO_V1(play_tensor_events);
/*
 * One row (frame_id, event) per event, by frame then name
 */
Datum
play_tensor_events(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	require_events(pt);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < pt_event_count(pt); i++)
	{
		int			len;
		const char *name = pt_event_name(pt, i, &len);
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = Int32GetDatum(pt_frame_ids(pt)[pt_event_frames(pt)[i]]);
		values[1] = PointerGetDatum(cstring_to_text_with_len(name, len));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(play_tensor_event_frame);
/*
 * The id of the first frame with the event, NULL if the play does not have it
 */
Datum
play_tensor_event_frame(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	int			f;

	require_events(pt);
	f = find_text_event(pt, PG_GETARG_TEXT_PP(1), 0);
	if (f < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(pt_frame_ids(pt)[f]);
}

/* Report a slice whose bounding event is missing (what: a description of it) */
static void
missing_event(const char *what, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("the play has no %s", what),
			 errhint("%s Pass missing_ok => true to get NULL instead.", hint)));
}

PG_FUNCTION_INFO_V1(play_tensor_slice_events);
/*
 * The frames from the first from_event to the first to_event at or after it; an error if
 * either is missing, or NULL when missing_ok
 */
Datum
play_tensor_slice_events(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	text	   *from_event = PG_GETARG_TEXT_PP(1);
	text	   *to_event = PG_GETARG_TEXT_PP(2);
	bool		missing_ok = PG_GETARG_BOOL(3);
	int			from, to;

	require_events(pt);
	from = find_text_event(pt, from_event, 0);
	to = from < 0 ? -1 : find_text_event(pt, to_event, from);
	if (to < 0 && missing_ok)
		PG_RETURN_NULL();
	if (from < 0)
		missing_event(psprintf("event \"%s\"", text_to_cstring(from_event)),
					  "ngs.events(tensor) lists the play's events.");
	if (to < 0)
		missing_event(psprintf("event \"%s\" at or after \"%s\"", text_to_cstring(to_event),
							   text_to_cstring(from_event)),
					  "ngs.events(tensor) lists the play's events.");
	PG_RETURN_PLAY_TENSOR_P(pt_copy_frames(pt, from, to - from + 1));
}

PG_FUNCTION_INFO_V1(play_tensor_pass_window);
/*
 * The frames from the snap to the release of the pass (pt_pass_window's rule: the first
 * snap, the first release at or after it); an error if either is missing, or NULL when
 * missing_ok
 */
Datum
play_tensor_pass_window(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	bool		missing_ok = PG_GETARG_BOOL(1);
	int			snap, release;
	bool		found;

	require_events(pt);
	found = pt_pass_window(pt, &snap, &release) && snap >= 0;
	if (!found && missing_ok)
		PG_RETURN_NULL();
	if (snap < 0)
		missing_event("snap", "The snap is ball_snap, autoevent_ballsnap or snap_direct.");
	if (!found)
		missing_event("pass release after the snap",
					  "The release is pass_forward, pass_shovel or autoevent_passforward; runs, sacks and kicks have none.");
	PG_RETURN_PLAY_TENSOR_P(pt_copy_frames(pt, snap, release - snap + 1));
}

PG_FUNCTION_INFO_V1(play_tensor_offense_direction);
/*
 * 'right' when the mean x of the offense and the ball is below the defense's at the snap
 * (the first frame when the tensor does not know its events or has no snap), else
 * 'left': the direction the offense moves.  The ball counts with the offense (it is on the
 * offense's side of the line at the snap) so that a play tracked without its offense, as
 * one BDB 2021 play is, still has a direction.
 */
Datum
play_tensor_offense_direction(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	int			f = Max(pt_find_event(pt, pt_snap_names, 0), 0);
	double		sum[PT_DEFENSE + 1] = {0}, n[PT_DEFENSE + 1] = {0};

	for (int e = 0; e < pt->entities; e++)
	{
		int			role = pt_roles(pt)[e];
		float4		x = pt_sample(pt, f, e)[PT_X];

		if (isnan(x))
			continue;
		role = role == PT_BALL ? PT_OFFENSE : role;
		sum[role] += x;
		n[role]++;
	}
	if (n[PT_OFFENSE] == 0 || n[PT_DEFENSE] == 0 ||
		sum[PT_OFFENSE] / n[PT_OFFENSE] == sum[PT_DEFENSE] / n[PT_DEFENSE])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot tell the offense's direction at frame %d", pt_frame_ids(pt)[f]),
				 errdetail("The rule compares the mean x of the offense and the ball with the defense's there; both need positions and must differ."),
				 errhint("Pass the play direction the data gives to ngs.standardize.")));
	PG_RETURN_TEXT_P(cstring_to_text(sum[PT_OFFENSE] / n[PT_OFFENSE] < sum[PT_DEFENSE] / n[PT_DEFENSE] ? "right" : "left"));
}
