/*
 * tensor_agg.c: ngs.play_tensor_agg, which builds a play tensor from tracking rows.
 *
 * Rows arrive in any order.  The final function sorts them, lays out frames (by frame id)
 * and entities (offense, defense, ball; each by NFL id), and derives the velocity and
 * acceleration features as architecture.md specifies.
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "play_tensor/play_tensor.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#define PT_MAX_ROWS		(PT_MAX_FRAMES * PT_MAX_ENTITIES)	/* rows per play, duplicates included */

/* Raw values of one row, in the order the aggregate takes them */
enum
{
	RAW_X, RAW_Y, RAW_S, RAW_A, RAW_DIR, RAW_O, RAW_COUNT
};

/* One tracking row (40 bytes, no padding, so a state serialises as raw bytes) */
typedef struct TrackingRow
{
	int32		frame_id;		/* frame id */
	int32		nfl_id;			/* NFL id, 0 for the ball */
	int32		role;			/* PtRole */
	int32		seq;			/* arrival order, set by the final function */
	float4		raw[RAW_COUNT];	/* x, y, s, a, dir, o; NaN where NULL */
} TrackingRow;

/* The aggregate's state: the rows in arrival order */
typedef struct TensorAggState
{
	int32		count;			/* rows held */
	int32		capacity;		/* rows allocated */
	TrackingRow *rows;			/* the rows */
} TensorAggState;

/* Per-sample inputs the feature derivation reads */
typedef struct RawSample
{
	bool		present;		/* a row exists for this frame and entity */
	float4		raw[RAW_COUNT];	/* its raw values */
} RawSample;

/* Create an empty state in the aggregate's memory context */
static TensorAggState *
state_create(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("play_tensor_agg called outside an aggregate")));
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
	static const char *const names[RAW_COUNT] = {"x", "y", "s", "a", "dir", "o"};
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
	for (int k = 0; k < RAW_COUNT; k++)
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

/* Heading of a vector in degrees clockwise from +y, in [0, 360) */
static inline double
heading(double vx, double vy)
{
	double		d = atan2(vx, vy) * (180.0 / M_PI);

	return d < 0 ? d + 360.0 : d;
}

/*
 * Finite difference of the series (u, v) over time t at frame f: central between the
 * neighbouring frames, one-sided at the ends or next to a missing value.  False when
 * the sample or both neighbours are missing.
 */
static bool
difference(const double *t, const double *u, const double *v, const bool *ok,
		   int f, int frames, double *du, double *dv)
{
	int			a = (f > 0 && ok[f - 1]) ? f - 1 : f;
	int			b = (f + 1 < frames && ok[f + 1]) ? f + 1 : f;

	if (!ok[f] || a == b)
		return false;
	*du = (u[b] - u[a]) / (t[b] - t[a]);
	*dv = (v[b] - v[a]) / (t[b] - t[a]);
	return true;
}

/*
 * Fill one entity's features from its raw samples: positions as given, velocity from
 * s and dir (derived from positions where NULL), acceleration of magnitude a in the
 * direction of the velocity change (the change itself where a is NULL).
 */
static void
derive_entity(PlayTensor *pt, int e, const RawSample *raw, const double *t, double *work)
{
	int			frames = pt->frames;
	double	   *px = work, *py = work + frames, *vx = work + 2 * frames, *vy = work + 3 * frames;
	bool	   *okp = (bool *) (work + 4 * frames), *okv = okp + frames;

	for (int f = 0; f < frames; f++)
	{
		const RawSample *r = &raw[(Size) f * pt->entities + e];

		px[f] = r->raw[RAW_X];
		py[f] = r->raw[RAW_Y];
		okp[f] = r->present && !isnan(px[f]) && !isnan(py[f]);
	}
	for (int f = 0; f < frames; f++)
	{
		const RawSample *r = &raw[(Size) f * pt->entities + e];
		float4	   *out = pt_sample(pt, f, e);
		double		s = r->raw[RAW_S], dir = r->raw[RAW_DIR], dx, dy;

		if (!r->present)
		{
			okv[f] = false;
			continue;
		}
		if ((isnan(s) || isnan(dir)) && difference(t, px, py, okp, f, frames, &dx, &dy))
		{
			if (isnan(s))
				s = hypot(dx, dy);
			if (isnan(dir) && (dx != 0 || dy != 0))
				dir = heading(dx, dy);
		}
		vx[f] = s == 0 ? 0 : s * sin(dir * (M_PI / 180.0));
		vy[f] = s == 0 ? 0 : s * cos(dir * (M_PI / 180.0));
		okv[f] = !isnan(vx[f]) && !isnan(vy[f]);
		out[PT_X] = px[f];
		out[PT_Y] = py[f];
		out[PT_VX] = vx[f];
		out[PT_VY] = vy[f];
		out[PT_DIR] = dir;
		out[PT_O] = r->raw[RAW_O];
	}
	for (int f = 0; f < frames; f++)
	{
		const RawSample *r = &raw[(Size) f * pt->entities + e];
		float4	   *out = pt_sample(pt, f, e);
		double		a = r->raw[RAW_A], ax = NAN, ay = NAN, dx, dy;

		if (!r->present)
			continue;
		if (difference(t, vx, vy, okv, f, frames, &dx, &dy))
		{
			double		m = hypot(dx, dy);

			ax = isnan(a) ? dx : (m > 0 ? a * dx / m : 0);
			ay = isnan(a) ? dy : (m > 0 ? a * dy / m : 0);
		}
		else if (a == 0)
			ax = ay = 0;
		out[PT_AX] = ax;
		out[PT_AY] = ay;
	}
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
	RawSample  *raw;
	double	   *t, *work;

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
	raw = palloc0(sizeof(RawSample) * frames * entities);
	duplicates = 0;
	for (int i = 0; i < count; i++)
	{
		int32		key[2] = {rows[i].role, rows[i].nfl_id};
		int			e = ((int32 *) bsearch(key, keys, entities, sizeof(int32) * 2, entity_compare) - keys) / 2;
		RawSample  *r;

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

	/* Features: NaN everywhere, then each entity's present samples */
	for (Size i = 0; i < (Size) frames * entities * PT_FEATURES; i++)
		pt_data(pt)[i] = get_float4_nan();
	t = palloc(sizeof(double) * frames);
	for (int k = 0; k < frames; k++)
		t[k] = pt_frame_ids(pt)[k] * FRAME_SECONDS;
	work = palloc(sizeof(double) * 5 * frames);
	for (int e = 0; e < entities; e++)
		derive_entity(pt, e, raw, t, work);
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
