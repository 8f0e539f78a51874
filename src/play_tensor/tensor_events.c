/*
 * tensor_events.c: the events section of a version-2 play tensor: building it, checking
 * it, carrying it through slices, and finding the snap and the release in it.
 *
 * Each layout spells the snap and the release its own way; pt_snap_names and
 * pt_release_names list every spelling the real data has (BDB 2019 and 2021, NGS
 * highlights) and the few that NFL feeds add.
 */
#include "postgres.h"

#include "play_tensor/play_tensor.h"

/* Every spelling of the snap and of the release of a pass, NULL-terminated */
const char *const pt_snap_names[] = {"ball_snap", "autoevent_ballsnap", "snap_direct", NULL};
const char *const pt_release_names[] = {"pass_forward", "pass_shovel", "autoevent_passforward", NULL};

/*
 * Fail unless a name can be an event: 1 to PT_MAX_EVENT_LEN printable ASCII bytes, no
 * double quote or backslash (the text form writes names without escapes)
 */
void
pt_check_event_name(const char *name, int len)
{
	bool		ok = len >= 1 && len <= PT_MAX_EVENT_LEN;

	for (int i = 0; ok && i < len; i++)
		ok = name[i] >= 0x20 && name[i] < 0x7f && name[i] != '"' && name[i] != '\\';
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%.*s\" is not a play event name", Min(Max(len, 0), 80), name),
				 errdetail("An event name is 1 to %d printable ASCII characters without \" or \\.",
						   PT_MAX_EVENT_LEN),
				 errhint("Events are tags such as ball_snap or pass_forward; pass NULL for none.")));
}

/* Report an events section that breaks an invariant */
static void
invalid_events(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid play_tensor: %s", what)));
}

/* Order events by frame, then name (bytewise, shorter first on a common prefix) */
static int
event_compare(const void *a, const void *b)
{
	const PtEvent *x = a;
	const PtEvent *y = b;
	int			c;

	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	c = memcmp(x->name, y->name, Min(x->len, y->len));
	return c != 0 ? c : x->len - y->len;
}

/*
 * A version-2 copy of the version-1 tensor pt (which is freed) holding the events (frame
 * indexes into pt), sorted and each listed once; events may be reordered, unless sorted
 * is true: then events out of order or listed twice are an error (the binary form is
 * canonical, so that a value is sent back byte for byte)
 */
PlayTensor *
pt_attach_events(PlayTensor *pt, PtEvent *events, int n, bool sorted)
{
	Size		base = pt_size(pt->frames, pt->entities, pt->duplicates);
	Size		pool = 0;
	int			kept = 0;
	PlayTensor *out;
	int32	   *section;
	char	   *names;

	Assert(pt->version == PT_VERSION_PLAIN);
	for (int i = 0; i < n; i++)
	{
		pt_check_event_name(events[i].name, events[i].len);
		if (events[i].frame < 0 || events[i].frame >= pt->frames)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid play_tensor: event \"%.*s\" is at a frame outside the tensor",
							events[i].len, events[i].name)));
	}
	for (int i = 1; sorted && i < n; i++)
		if (event_compare(&events[i - 1], &events[i]) >= 0)
			invalid_events("events must be sorted by frame and name, each listed once");
	if (n > 1 && !sorted)
		qsort(events, n, sizeof(PtEvent), event_compare);
	for (int i = 0; i < n; i++)
		if (i == 0 || event_compare(&events[i], &events[kept - 1]) != 0)
		{
			events[kept++] = events[i];
			pool += events[i].len;
		}
	if (kept > PT_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("play_tensor has %d events; at most %d are allowed", kept, PT_MAX_EVENTS),
				 errhint("Group the tracking rows by game and play so one tensor holds one play.")));
	out = palloc0(base + pt_events_size(kept, pool));
	memcpy(out, pt, base);
	SET_VARSIZE(out, base + pt_events_size(kept, pool));
	out->version = PT_VERSION_EVENTS;
	section = pt_events_section(out);
	section[0] = kept;
	names = pt_event_pool(out);
	pool = 0;
	for (int i = 0; i < kept; i++)
	{
		pt_event_frames(out)[i] = events[i].frame;
		memcpy(names + pool, events[i].name, events[i].len);
		pool += events[i].len;
		pt_event_ends(out)[i] = pool;
	}
	pfree(pt);
	return out;
}

/*
 * The tensor to, made of frames [first, first + to->frames) of from, with from's events
 * in those frames when from knows its events (to is version 1, and freed then)
 */
PlayTensor *
pt_copy_events(PlayTensor *from, PlayTensor *to, int first)
{
	int			n = 0;
	PtEvent    *events;

	if (!pt_has_events(from))
		return to;
	events = palloc(sizeof(PtEvent) * Max(pt_event_count(from), 1));
	for (int i = 0; i < pt_event_count(from); i++)
	{
		int			f = pt_event_frames(from)[i];

		if (f < first || f >= first + to->frames)
			continue;
		events[n].frame = f - first;
		events[n].name = pt_event_name(from, i, &events[n].len);
		n++;
	}
	to = pt_attach_events(to, events, n, true);
	pfree(events);
	return to;
}

/*
 * Check the events section of a version-2 tensor: its size, frames, order and names
 */
void
pt_validate_events(PlayTensor *pt)
{
	Size		base = pt_size(pt->frames, pt->entities, pt->duplicates);
	int			n;
	int32		end = 0;

	if (VARSIZE(pt) < base + sizeof(int32))
		invalid_events("the events section is missing");
	n = pt_events_section(pt)[0];
	if (n < 0 || n > PT_MAX_EVENTS)
		invalid_events("the event count is out of range");
	if (VARSIZE(pt) < base + pt_events_size(n, 0))
		invalid_events("the events section is truncated");
	for (int i = 0; i < n; i++)
	{
		int32		start = end;

		end = pt_event_ends(pt)[i];
		if (end - start < 1 || end - start > PT_MAX_EVENT_LEN)
			invalid_events("an event name has a bad length");
		if (pt_event_frames(pt)[i] < 0 || pt_event_frames(pt)[i] >= pt->frames)
			invalid_events("an event is at a frame outside the tensor");
	}
	if (VARSIZE(pt) != base + pt_events_size(n, end))
		invalid_events("the events section has the wrong size");
	for (int i = 0; i < n; i++)
	{
		PtEvent		a, b;

		a.frame = pt_event_frames(pt)[i];
		a.name = pt_event_name(pt, i, &a.len);
		pt_check_event_name(a.name, a.len);
		if (i == 0)
			continue;
		b.frame = pt_event_frames(pt)[i - 1];
		b.name = pt_event_name(pt, i - 1, &b.len);
		if (event_compare(&b, &a) >= 0)
			invalid_events("events must be sorted by frame and name, each listed once");
	}
}

/* Whether event i of pt is one of names */
static bool
event_is(PlayTensor *pt, int i, const char *const *names)
{
	int			len;
	const char *name = pt_event_name(pt, i, &len);

	for (; *names; names++)
		if (strlen(*names) == len && memcmp(*names, name, len) == 0)
			return true;
	return false;
}

/*
 * The first frame index at or after first_frame with one of the events names, or -1
 */
int
pt_find_event(PlayTensor *pt, const char *const *names, int first_frame)
{
	for (int i = 0; i < pt_event_count(pt); i++)
		if (pt_event_frames(pt)[i] >= first_frame && event_is(pt, i, names))
			return pt_event_frames(pt)[i];
	return -1;
}

/*
 * The pass window of a tensor that knows its events: the first snap (any spelling) and
 * the first release at or after it; without a snap the window starts at frame 0 and
 * *snap is -1.  Returns false when there is no release.
 */
bool
pt_pass_window(PlayTensor *pt, int *snap, int *release)
{
	*snap = pt_find_event(pt, pt_snap_names, 0);
	*release = pt_find_event(pt, pt_release_names, Max(*snap, 0));
	return *release >= 0;
}

/*
 * The frame index of the release for scoring, or -1 when the tensor has no events or no
 * release (then nothing can be checked)
 */
int
pt_release_frame(PlayTensor *pt)
{
	int			snap, release;

	if (!pt_has_events(pt) || !pt_pass_window(pt, &snap, &release))
		return -1;
	return release;
}
