/*
 * tensor_agg.c: ngs.play_tensor_agg, which builds a play tensor from tracking rows.
 *
 * Rows arrive in any order.  The final function sorts them, lays out frames (by frame id)
 * and entities (offense, defense, ball; each by NFL id), and derives the velocity and
 * acceleration features of each entity with track_derive (lib/track.c).
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

/* The aggregate's state: the rows in arrival order */
typedef struct TensorAggState
{
	int32		count;			/* rows held */
	int32		capacity;		/* rows allocated */
	TrackingRow *rows;			/* the rows */
} TensorAggState;

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

/* An argument as a float4, NaN for NULL; non-finite or absurd values are errors */
static float4
raw_value(FunctionCallInfo fcinfo, int arg, const char *name)
{
	float4		v;

	if (PG_ARGISNULL(arg))
		return get_float4_nan();
	v = PG_GETARG_FLOAT4(arg);
	if (isnan(v) || fabs(v) > PT_MAX_ABS_VALUE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tracking value %s = %g is not allowed", name, v),
				 errdetail("Values must be finite and at most %g in magnitude.", PT_MAX_ABS_VALUE),
				 errhint("Pass NULL for a missing value.")));
	return v;
}

PG_FUNCTION_INFO_V1(play_tensor_agg_transfn);
/*
 * Transition: append one tracking row
 */
Datum
play_tensor_agg_transfn(PG_FUNCTION_ARGS)
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
	if (role != PT_BALL && PG_GETARG_INT32(2) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nfl_id 0 is reserved for the ball")));

	state_reserve(state, 1);
	row = &state->rows[state->count++];
	row->frame_id = PG_GETARG_INT32(1);
	row->nfl_id = role == PT_BALL ? 0 : PG_GETARG_INT32(2);
	row->role = role;
	for (int k = 0; k < TRACK_RAW_COUNT; k++)
		row->raw[k] = raw_value(fcinfo, 4 + k, names[k]);
	PG_RETURN_POINTER(state);
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

	if (b == NULL || b->count == 0)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = state_create(fcinfo);
	state_reserve(a, b->count);
	memcpy(a->rows + a->count, b->rows, sizeof(TrackingRow) * b->count);
	a->count += b->count;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(play_tensor_agg_serialfn);
/*
 * Serialise a state for a parallel worker: the rows' bytes
 */
Datum
play_tensor_agg_serialfn(PG_FUNCTION_ARGS)
{
	TensorAggState *state = (TensorAggState *) PG_GETARG_POINTER(0);
	Size		len = sizeof(TrackingRow) * state->count;
	bytea	   *out = palloc(VARHDRSZ + len);

	SET_VARSIZE(out, VARHDRSZ + len);
	if (len)
		memcpy(VARDATA(out), state->rows, len);
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
	TensorAggState *state = state_create(fcinfo);

	if (len % sizeof(TrackingRow) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid play_tensor_agg state of %zu bytes", len)));
	state_reserve(state, len / sizeof(TrackingRow));
	memcpy(state->rows, VARDATA_ANY(in), len);
	state->count = len / sizeof(TrackingRow);
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

/* Report a duplicate when ngs.strict_duplicates is on */
static void
check_strict_duplicate(const TrackingRow *row)
{
	if (ngs_strict_duplicates)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("duplicate tracking row for frame %d and %s %d",
						row->frame_id, pt_role_name(row->role), row->nfl_id),
				 errhint("Remove the duplicate rows, or SET ngs.strict_duplicates = off to keep the first.")));
}

/*
 * Lay the sorted rows out as a tensor and derive its features
 */
static PlayTensor *
build_tensor(TrackingRow *rows, int count)
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
			check_strict_duplicate(&rows[i]);
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

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	/* sort a copy: the final function may be called again on the same state */
	rows = palloc(sizeof(TrackingRow) * state->count);
	memcpy(rows, state->rows, sizeof(TrackingRow) * state->count);
	for (int i = 0; i < state->count; i++)
		rows[i].seq = i;
	qsort(rows, state->count, sizeof(TrackingRow), row_compare);
	PG_RETURN_PLAY_TENSOR_P(build_tensor(rows, state->count));
}
