/*
 * tensor_agg.c: ngs.play_tensor_agg, which builds a play tensor from tracking rows.
 *
 * Rows arrive in any order.  The final function sorts them, lays out frames (by frame id)
 * and entities (offense, defense, ball; each by NFL id), and derives the velocity and
 * acceleration features of each entity with track_derive (lib/track.c).
 *
 * The variants with an event argument collect each frame's events and make a version-2
 * tensor; a trailing strict_duplicates argument makes one call refuse any duplicate row,
 * as SET ngs.strict_duplicates = on does for a session.  Positions and speeds come as real
 * or double precision, ids as int or bigint.
 */
#include "postgres.h"

#include <math.h>

#include "common/agg_context.h"
#include "libpq/pqformat.h"
#include "play_tensor/play_tensor.h"
#include "track.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#define PT_MAX_ROWS		(PT_MAX_FRAMES * PT_MAX_ENTITIES)	/* rows per play, duplicates included */
#define PT_DUPLICATES_ALLOWED	3	/* duplicate rows a play may always have ... */
#define PT_DUPLICATES_PERCENT	1	/* ... and the share of its samples beyond that (real: 0.6% at most) */

/* Arguments of the transition functions (0 is the state) */
#define ARG_EVENT		10
#define ARG_STRICT		11

/* The tensor's feature order is the one track_derive writes */
StaticAssertDecl((int) PT_X == TRACK_X && (int) PT_Y == TRACK_Y && (int) PT_VX == TRACK_VX &&
				 (int) PT_VY == TRACK_VY && (int) PT_AX == TRACK_AX && (int) PT_AY == TRACK_AY &&
				 (int) PT_DIR == TRACK_DIR && (int) PT_O == TRACK_O && PT_FEATURES == TRACK_FEATURES,
				 "play tensor features must be in track.h's order");

/* One tracking row (40 bytes, no padding, so a state serialises as raw bytes) */
typedef struct TrackingRow
{
	int32		frame_id;		/* frame id */
	int32		nfl_id;			/* NFL id, 0 for the ball */
	int32		role;			/* PtRole */
	int32		seq;			/* arrival order, set by the final function */
	float4		raw[TRACK_RAW_COUNT];	/* x, y, s, a, dir, o; NaN where NULL */
} TrackingRow;

/* One distinct (frame, event) pair and how many rows carry it (72 bytes, serialised raw) */
typedef struct TrackingEvent
{
	int32		frame_id;		/* frame id */
	int32		rows;			/* rows of the frame that carry the event */
	char		name[PT_MAX_EVENT_LEN + 1]; /* zero-padded */
} TrackingEvent;

/* State flags */
#define STATE_EVENTS	0x01	/* called with the event argument: make a version-2 tensor */
#define STATE_STRICT	0x02	/* called with strict_duplicates => true */

/* The aggregate's state: the rows in arrival order and the distinct events */
typedef struct TensorAggState
{
	int32		count;			/* rows held */
	int32		capacity;		/* rows allocated */
	int32		events;			/* events held */
	int32		event_capacity; /* events allocated */
	int32		flags;			/* STATE_* */
	TrackingRow *rows;			/* the rows */
	TrackingEvent *event;		/* the events */
} TensorAggState;

/* The header of a serialised state, then its rows, then its events */
typedef struct SerialHeader
{
	int32		count;
	int32		events;
	int32		flags;
} SerialHeader;

/* Create an empty state in the aggregate's memory context */
static TensorAggState *
state_create(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext = ngs_agg_context(fcinfo, "play_tensor_agg", "the aggregate ngs.play_tensor_agg");

	return (TensorAggState *) MemoryContextAllocZero(aggcontext, sizeof(TensorAggState));
}

/* Make room for n more rows (in the memory context that holds the state) */
static void
state_reserve(TensorAggState *state, int64 n)
{
	if (state->count + n > PT_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("play_tensor_agg received more than %d rows for one play", PT_MAX_ROWS),
				 errhint("Group the tracking rows by game and play.")));
	if (state->count + n <= state->capacity)
		return;
	state->capacity = Min(Max(2 * (int64) state->capacity, state->count + n), PT_MAX_ROWS);
	if (state->rows)
		state->rows = repalloc(state->rows, sizeof(TrackingRow) * state->capacity);
	else
		state->rows = MemoryContextAlloc(GetMemoryChunkContext(state),
										 sizeof(TrackingRow) * state->capacity);
}

/*
 * A new event slot in the state, or NULL once it holds PT_MAX_EVENTS + 1 (one too many,
 * which build_tensor reports)
 */
static TrackingEvent *
event_slot(TensorAggState *state)
{
	if (state->events > PT_MAX_EVENTS)
		return NULL;
	if (state->events == state->event_capacity)
	{
		state->event_capacity = state->event_capacity ? Min(2 * state->event_capacity, PT_MAX_EVENTS + 1) : 16;
		state->event = state->event ?
			repalloc(state->event, sizeof(TrackingEvent) * state->event_capacity) :
			MemoryContextAlloc(GetMemoryChunkContext(state), sizeof(TrackingEvent) * state->event_capacity);
	}
	return &state->event[state->events++];
}

/* Parse a role without allocating */
static int
role_from_text(text *t)
{
	int			len = VARSIZE_ANY_EXHDR(t);
	const char *s = VARDATA_ANY(t);

	for (int role = PT_OFFENSE; role <= PT_BALL; role++)
	{
		const char *name = pt_role_name(role);

		if (strlen(name) == len && memcmp(s, name, len) == 0)
			return role;
	}
	return pt_role_parse(text_to_cstring(t));	/* reports the error */
}

/* Fail unless a value fits what the tensor stores (finite, at most PT_MAX_ABS_VALUE) */
static void
check_value(double v, const char *name)
{
	if (isnan(v) || fabs(v) > PT_MAX_ABS_VALUE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tracking value %s = %g is not allowed", name, v),
				 errdetail("Values must be finite and at most %g in magnitude.", PT_MAX_ABS_VALUE),
				 errhint("Pass NULL for a missing value.")));
}

/* An id argument (int, or bigint when wide) as an int32; an error outside int32 */
static int32
id_arg(FunctionCallInfo fcinfo, int arg, bool wide, const char *name)
{
	int64		v;

	if (!wide)
		return PG_GETARG_INT32(arg);
	v = PG_GETARG_INT64(arg);
	if (v < PG_INT32_MIN || v > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tracking value %s = " INT64_FORMAT " is out of range", name, v),
				 errdetail("A play tensor stores %s as a 32-bit integer.", name)));
	return (int32) v;
}

/* Add the row's event (argument ARG_EVENT) to the state unless NULL, empty, 'None' or known */
static void
add_event(TensorAggState *state, FunctionCallInfo fcinfo, int32 frame_id)
{
	text	   *t;
	int			len;
	const char *name;
	TrackingEvent *ev;

	if (PG_ARGISNULL(ARG_EVENT))
		return;
	t = PG_GETARG_TEXT_PP(ARG_EVENT);
	len = VARSIZE_ANY_EXHDR(t);
	name = VARDATA_ANY(t);
	if (len == 0 || (len == 4 && memcmp(name, "None", 4) == 0))
		return;
	pt_check_event_name(name, len);
	for (int i = state->events - 1; i >= 0; i--)
		if (state->event[i].frame_id == frame_id && strncmp(state->event[i].name, name, len) == 0 &&
			state->event[i].name[len] == '\0')
		{
			state->event[i].rows++;
			return;
		}
	if ((ev = event_slot(state)) == NULL)
		return;
	memset(ev, 0, sizeof(TrackingEvent));
	ev->frame_id = frame_id;
	ev->rows = 1;
	memcpy(ev->name, name, len);
}

/*
 * Transition shared by every variant: append one row; wide means bigint ids and double
 * precision values
 */
static TensorAggState *
append_row(FunctionCallInfo fcinfo, bool wide)
{
	static const char *const names[TRACK_RAW_COUNT] = {"x", "y", "s", "a", "dir", "o"};
	TensorAggState *state = PG_ARGISNULL(0) ? state_create(fcinfo) : (TensorAggState *) PG_GETARG_POINTER(0);
	TrackingRow *row;
	int			role;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("play_tensor_agg needs a frame id and a role on every row"),
				 errhint("Filter out rows whose frame_id or role is NULL.")));
	role = role_from_text(PG_GETARG_TEXT_PP(3));
	if ((role == PT_BALL) != PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the ball, and only the ball, has a NULL nfl_id"),
				 errhint("Give players their NFL id and the ball the role \"ball\".")));
	if (role != PT_BALL && id_arg(fcinfo, 2, wide, "nfl_id") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nfl_id 0 is reserved for the ball")));

	state_reserve(state, 1);
	row = &state->rows[state->count++];
	row->frame_id = id_arg(fcinfo, 1, wide, "frame_id");
	row->nfl_id = role == PT_BALL ? 0 : id_arg(fcinfo, 2, wide, "nfl_id");
	row->role = role;
	for (int k = 0; k < TRACK_RAW_COUNT; k++)
	{
		double		v;

		if (PG_ARGISNULL(4 + k))
		{
			row->raw[k] = get_float4_nan();
			continue;
		}
		v = wide ? PG_GETARG_FLOAT8(4 + k) : PG_GETARG_FLOAT4(4 + k);
		check_value(v, names[k]);
		row->raw[k] = (float4) v;
	}
	if (PG_NARGS() > ARG_EVENT)
	{
		state->flags |= STATE_EVENTS;
		add_event(state, fcinfo, row->frame_id);
	}
	if (PG_NARGS() > ARG_STRICT && !PG_ARGISNULL(ARG_STRICT) && PG_GETARG_BOOL(ARG_STRICT))
		state->flags |= STATE_STRICT;
	return state;
}

PG_FUNCTION_INFO_V1(play_tensor_agg_transfn);
/*
 * Transition (int ids, real values, optional event and strict_duplicates): append one row
 */
Datum
play_tensor_agg_transfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(append_row(fcinfo, false));
}

PG_FUNCTION_INFO_V1(play_tensor_agg_transfn_wide);
/*
 * Transition (bigint ids, double precision values, optional event and strict_duplicates):
 * append one row
 */
Datum
play_tensor_agg_transfn_wide(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(append_row(fcinfo, true));
}

/* Append events to a state, adding the row counts of those it has */
static void
merge_events(TensorAggState *a, const TrackingEvent *events, int n)
{
	for (int i = 0; i < n; i++)
	{
		bool		known = false;
		TrackingEvent *slot;

		for (int k = 0; !known && k < a->events; k++)
			if (a->event[k].frame_id == events[i].frame_id && strcmp(a->event[k].name, events[i].name) == 0)
			{
				a->event[k].rows += events[i].rows;
				known = true;
			}
		if (!known && (slot = event_slot(a)) != NULL)
			*slot = events[i];
	}
}

PG_FUNCTION_INFO_V1(play_tensor_agg_combinefn);
/*
 * Combine: append the second state's rows to the first's
 */
Datum
play_tensor_agg_combinefn(PG_FUNCTION_ARGS)
{
	TensorAggState *a = PG_ARGISNULL(0) ? NULL : (TensorAggState *) PG_GETARG_POINTER(0);
	TensorAggState *b = PG_ARGISNULL(1) ? NULL : (TensorAggState *) PG_GETARG_POINTER(1);

	if (b == NULL || (b->count == 0 && b->events == 0 && b->flags == 0))
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = state_create(fcinfo);
	state_reserve(a, b->count);
	if (b->count)
		memcpy(a->rows + a->count, b->rows, sizeof(TrackingRow) * b->count);
	a->count += b->count;
	a->flags |= b->flags;
	merge_events(a, b->event, b->events);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(play_tensor_agg_serialfn);
/*
 * Serialise a state for a parallel worker: a SerialHeader, the rows' bytes, the events'
 */
Datum
play_tensor_agg_serialfn(PG_FUNCTION_ARGS)
{
	TensorAggState *state = (TensorAggState *) PG_GETARG_POINTER(0);
	SerialHeader head = {state->count, state->events, state->flags};
	Size		rows = sizeof(TrackingRow) * state->count;
	Size		events = sizeof(TrackingEvent) * state->events;
	bytea	   *out = palloc(VARHDRSZ + sizeof(head) + rows + events);
	char	   *p = VARDATA(out);

	SET_VARSIZE(out, VARHDRSZ + sizeof(head) + rows + events);
	memcpy(p, &head, sizeof(head));
	if (rows)
		memcpy(p + sizeof(head), state->rows, rows);
	if (events)
		memcpy(p + sizeof(head) + rows, state->event, events);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(play_tensor_agg_deserialfn);
/*
 * Deserialise a state written by play_tensor_agg_serialfn
 */
Datum
play_tensor_agg_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	Size		len = VARSIZE_ANY_EXHDR(in);
	const char *p = VARDATA_ANY(in);
	TensorAggState *state = state_create(fcinfo);
	SerialHeader head = {0};

	if (len >= sizeof(head))
		memcpy(&head, p, sizeof(head));
	if (len < sizeof(head) || head.count < 0 || head.count > PT_MAX_ROWS || head.events < 0 ||
		head.events > PT_MAX_EVENTS + 1 ||
		len != sizeof(head) + sizeof(TrackingRow) * head.count + sizeof(TrackingEvent) * head.events)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid play_tensor_agg state of %zu bytes", len)));
	state_reserve(state, head.count);
	if (head.count)
		memcpy(state->rows, p + sizeof(head), sizeof(TrackingRow) * head.count);
	state->count = head.count;
	state->flags = head.flags;
	merge_events(state, (const TrackingEvent *) (p + sizeof(head) + sizeof(TrackingRow) * head.count), head.events);
	PG_RETURN_POINTER(state);
}

/* Order rows by frame, role, NFL id, then arrival (so the first of duplicates leads) */
static int
row_compare(const void *a, const void *b)
{
	const TrackingRow *x = a;
	const TrackingRow *y = b;

	if (x->frame_id != y->frame_id)
		return x->frame_id < y->frame_id ? -1 : 1;
	if (x->role != y->role)
		return x->role - y->role;
	if (x->nfl_id != y->nfl_id)
		return x->nfl_id < y->nfl_id ? -1 : 1;
	return x->seq - y->seq;
}

/* Order entity keys (role, NFL id) */
static int
entity_compare(const void *a, const void *b)
{
	const int32 *x = a;
	const int32 *y = b;

	if (x[0] != y[0])
		return x[0] - y[0];
	return x[1] < y[1] ? -1 : (x[1] > y[1]);
}

/* True when two sorted rows are the same frame and entity */
static inline bool
same_sample(const TrackingRow *a, const TrackingRow *b)
{
	return a->frame_id == b->frame_id && a->role == b->role && a->nfl_id == b->nfl_id;
}

/* Report a duplicate when ngs.strict_duplicates is on or the call asked for strictness */
static void
check_strict_duplicate(const TrackingRow *row, bool strict)
{
	if (ngs_strict_duplicates || strict)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("duplicate tracking row for frame %d and %s %d",
						row->frame_id, pt_role_name(row->role), row->nfl_id),
				 errhint(strict ? "Remove the duplicate rows, or drop strict_duplicates => true to keep the first." :
						 "Remove the duplicate rows, or SET ngs.strict_duplicates = off to keep the first.")));
}

/* Whether two values differ, NaN (missing) equal to NaN only */
static inline bool
value_differs(float4 a, float4 b)
{
	return isnan(a) != isnan(b) || (!isnan(a) && a != b);
}

/*
 * Refuse duplicate rows that real tracking does not have: more than PT_DUPLICATES_ALLOWED
 * duplicates at another position than the first row's, or more than PT_DUPLICATES_ALLOWED
 * and PT_DUPLICATES_PERCENT of the samples in all.  Real duplicates repeat a sample
 * exactly (757 in the real data, at most 0.6% of a play's samples); rows of several plays
 * grouped together put one frame's ball and players at several positions.
 */
static void
check_duplicate_share(const TrackingRow *rows, int count)
{
	int			extra = 0, moved = 0;

	for (int i = 1; i < count; i++)
	{
		if (!same_sample(&rows[i], &rows[i - 1]))
			continue;
		extra++;
		moved += value_differs(rows[i].raw[TRACK_RAW_X], rows[i - 1].raw[TRACK_RAW_X]) ||
			value_differs(rows[i].raw[TRACK_RAW_Y], rows[i - 1].raw[TRACK_RAW_Y]);
	}
	if (moved > PT_DUPLICATES_ALLOWED ||
		(extra > PT_DUPLICATES_ALLOWED && (int64) extra * 100 > (int64) (count - extra) * PT_DUPLICATES_PERCENT))
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("play_tensor_agg received %d duplicate rows for %d (frame, player) samples, %d of them at another position",
						extra, count - extra, moved),
				 errdetail("More than %d duplicates at another position, or more than %d and %d%% of the samples, mean that the rows of several plays were grouped together.",
						   PT_DUPLICATES_ALLOWED, PT_DUPLICATES_ALLOWED, PT_DUPLICATES_PERCENT),
				 errhint("Group the tracking rows by play, e.g. GROUP BY game_id, play_id: a play id alone repeats across games.")));
}

/*
 * The state's events as PtEvents of the tensor pt (whose frame ids they name), leaving
 * out stray tags: a frame has an event when at least half as many of its rows carry it
 * as carry it at the frame where most do (one row of a real play carries the snap and
 * the release 80 frames early); sets *n
 */
static PtEvent *
tensor_events(PlayTensor *pt, TensorAggState *state, int *n)
{
	PtEvent    *events = palloc(sizeof(PtEvent) * Max(state->events, 1));

	*n = 0;
	for (int i = 0; i < state->events; i++)
	{
		int32		most = 0;

		for (int k = 0; k < state->events; k++)
			if (strcmp(state->event[k].name, state->event[i].name) == 0)
				most = Max(most, state->event[k].rows);
		if (2 * state->event[i].rows < most)
			continue;
		events[*n].frame = pt_frame_index(pt, state->event[i].frame_id);
		Assert(events[*n].frame >= 0);	/* every event came with a row of its frame */
		events[*n].name = state->event[i].name;
		events[*n].len = strlen(state->event[i].name);
		(*n)++;
	}
	return events;
}
/*
 * Lay the sorted rows out as a tensor and derive its features
 */
static PlayTensor *
build_tensor(TrackingRow *rows, int count, bool strict)
{
	int32	   *keys = palloc(sizeof(int32) * 2 * Min(count, PT_MAX_ENTITIES + 1));
	int			frames = 0, entities = 0, duplicates = 0, f = -1;
	PlayTensor *pt;
	TrackRaw   *raw;
	double	   *t;
	void	   *work;

	/* First pass: count frames and duplicates, collect entity keys */
	for (int i = 0; i < count; i++)
	{
		int32		key[2] = {rows[i].role, rows[i].nfl_id};

		frames += (i == 0 || rows[i].frame_id != rows[i - 1].frame_id);
		if (i > 0 && same_sample(&rows[i], &rows[i - 1]))
		{
			check_strict_duplicate(&rows[i], strict);
			duplicates += !(i > 1 && same_sample(&rows[i - 1], &rows[i - 2]));
			continue;
		}
		if (bsearch(key, keys, entities, sizeof(int32) * 2, entity_compare) == NULL)
		{
			pt_check_dimensions(1, entities + 1, 0);
			keys[2 * entities] = key[0];
			keys[2 * entities + 1] = key[1];
			entities++;
			qsort(keys, entities, sizeof(int32) * 2, entity_compare);
		}
	}
	pt = pt_allocate(frames, entities, duplicates);
	for (int e = 0; e < entities; e++)
	{
		pt_roles(pt)[e] = keys[2 * e];
		pt_nfl_ids(pt)[e] = keys[2 * e + 1];
	}
	/* Second pass: place raw values, record duplicates */
	raw = palloc0(sizeof(TrackRaw) * frames * entities);
	duplicates = 0;
	for (int i = 0; i < count; i++)
	{
		int32		key[2] = {rows[i].role, rows[i].nfl_id};
		int			e = ((int32 *) bsearch(key, keys, entities, sizeof(int32) * 2, entity_compare) - keys) / 2;
		TrackRaw   *r;

		if (i == 0 || rows[i].frame_id != rows[i - 1].frame_id)
			pt_frame_ids(pt)[++f] = rows[i].frame_id;
		if (i > 0 && same_sample(&rows[i], &rows[i - 1]))
		{
			if (!(i > 1 && same_sample(&rows[i - 1], &rows[i - 2])))
			{
				pt_duplicates(pt)[2 * duplicates] = f;
				pt_duplicates(pt)[2 * duplicates++ + 1] = e;
			}
			continue;
		}
		r = &raw[(Size) f * entities + e];
		r->present = true;
		memcpy(r->raw, rows[i].raw, sizeof(r->raw));
	}

	/* Features of each entity, from its samples at the frames' times */
	t = palloc(sizeof(double) * frames);
	for (int k = 0; k < frames; k++)
		t[k] = pt_frame_ids(pt)[k] * FRAME_SECONDS;
	work = palloc(track_work_size(frames));
	for (int e = 0; e < entities; e++)
		track_derive(raw + e, entities, t, frames, pt_data(pt) + e * PT_FEATURES,
					 (Size) entities * PT_FEATURES, work);
	pfree(work);
	pfree(t);
	pfree(raw);
	pfree(keys);
	pt_validate(pt);			/* e.g. one NFL id under two roles */
	return pt;
}

PG_FUNCTION_INFO_V1(play_tensor_agg_finalfn);
/*
 * Final: the play's tensor, or NULL for no rows
 */
Datum
play_tensor_agg_finalfn(PG_FUNCTION_ARGS)
{
	TensorAggState *state = PG_ARGISNULL(0) ? NULL : (TensorAggState *) PG_GETARG_POINTER(0);
	TrackingRow *rows;
	PlayTensor *pt;

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	/* sort a copy: the final function may be called again on the same state */
	rows = palloc(sizeof(TrackingRow) * state->count);
	memcpy(rows, state->rows, sizeof(TrackingRow) * state->count);
	for (int i = 0; i < state->count; i++)
		rows[i].seq = i;
	qsort(rows, state->count, sizeof(TrackingRow), row_compare);
	if (!(state->flags & STATE_STRICT) && !ngs_strict_duplicates)
		check_duplicate_share(rows, state->count);
	pt = build_tensor(rows, state->count, (state->flags & STATE_STRICT) != 0);
	if (state->flags & STATE_EVENTS)
	{
		int			n;
		PtEvent    *events = tensor_events(pt, state, &n);

		pt = pt_attach_events(pt, events, n, false);
		pt_validate_events(pt);
	}
	PG_RETURN_PLAY_TENSOR_P(pt);
}
