/*
 * roc.c: the ranking evaluation aggregates ngs.roc_auc and ngs.average_precision.
 *
 * Both rank every score, so their shared state keeps every score: the positives' and
 * the negatives' in two float8 arrays (8 bytes per row).  The final functions sort
 * them and walk the two sorted arrays together, which is exact and order-independent.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "metrics/metrics.h"

/* Sort float8 values ascending (NaN never gets here) */
#define ST_SORT sort_float8
#define ST_ELEMENT_TYPE float8
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

#define RANKING_INITIAL_CAPACITY 64

/* A growable array of scores */
typedef struct Scores
{
	int64		n;				/* scores held */
	int64		capacity;		/* scores that fit before the array must grow */
	float8	   *values;			/* the scores, in the aggregate context */
} Scores;

/* The ranking state: the scores of the rows labelled true and false */
typedef struct Ranking
{
	Scores		pos;			/* scores of positive rows */
	Scores		neg;			/* scores of negative rows */
} Ranking;

/*
 * Refuse to keep more than METRICS_MAX_ROWS scores, before allocating for them
 */
static inline void
ranking_check_rows(int64 rows)
{
	if (rows > METRICS_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("ranking aggregates keep at most %d rows", METRICS_MAX_ROWS),
				 errhint("Aggregate a sample, or split the rows with GROUP BY.")));
}

/*
 * Make room for extra more scores in an array (allocated in context), doubling it
 * for single rows but taking a bulk append (combine, deserialize) at its exact size
 */
static void
scores_reserve(Scores *s, int64 extra, MemoryContext context)
{
	int64		capacity;

	if (s->n + extra <= s->capacity)
		return;
	capacity = Max(Min(2 * s->capacity, METRICS_MAX_ROWS), s->n + extra);
	capacity = Max(capacity, RANKING_INITIAL_CAPACITY);
	if (s->values == NULL)
		s->values = MemoryContextAlloc(context, capacity * sizeof(float8));
	else
		s->values = repalloc(s->values, capacity * sizeof(float8));
	s->capacity = capacity;
}

/*
 * Append n scores to an array
 */
static void
scores_append(Scores *s, const float8 *values, int64 n, MemoryContext context)
{
	if (n == 0)
		return;
	scores_reserve(s, n, context);
	memcpy(s->values + s->n, values, n * sizeof(float8));
	s->n += n;
}

/*
 * Transition of ngs.roc_auc and ngs.average_precision: keeps the score by its label,
 * skipping rows with a NULL
 */
PG_FUNCTION_INFO_V1(ranking_accum);
Datum
ranking_accum(PG_FUNCTION_ARGS)
{
	MemoryContext context = metrics_agg_context(fcinfo);
	Ranking    *state;
	float8		score;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return metrics_state_unchanged(fcinfo, 0);
	score = PG_GETARG_FLOAT8(1);
	metrics_check_score(score);
	if (PG_ARGISNULL(0))
		state = MemoryContextAllocZero(context, sizeof(Ranking));
	else
		state = (Ranking *) PG_GETARG_POINTER(0);
	ranking_check_rows(state->pos.n + state->neg.n + 1);
	scores_append(PG_GETARG_BOOL(2) ? &state->pos : &state->neg, &score, 1, context);
	PG_RETURN_POINTER(state);
}

/*
 * Combine function of the ranking aggregates: appends the second state's scores
 */
PG_FUNCTION_INFO_V1(ranking_combine);
Datum
ranking_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = metrics_agg_context(fcinfo);
	Ranking    *state;
	Ranking    *other;

	if (PG_ARGISNULL(1))
		return metrics_state_unchanged(fcinfo, 0);
	other = (Ranking *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
		state = MemoryContextAllocZero(context, sizeof(Ranking));
	else
		state = (Ranking *) PG_GETARG_POINTER(0);
	ranking_check_rows(state->pos.n + state->neg.n + other->pos.n + other->neg.n);
	scores_append(&state->pos, other->pos.values, other->pos.n, context);
	scores_append(&state->neg, other->neg.values, other->neg.n, context);
	PG_RETURN_POINTER(state);
}

/*
 * Serialization of a ranking state: the two counts, then the positive and negative scores
 */
PG_FUNCTION_INFO_V1(ranking_serialize);
Datum
ranking_serialize(PG_FUNCTION_ARGS)
{
	Ranking    *state;
	StringInfoData buf;

	metrics_agg_context(fcinfo);
	state = (Ranking *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, 2 * sizeof(int64) + (state->pos.n + state->neg.n) * sizeof(float8));
	pq_sendbytes(&buf, (char *) &state->pos.n, sizeof(int64));
	pq_sendbytes(&buf, (char *) &state->neg.n, sizeof(int64));
	pq_sendbytes(&buf, (char *) state->pos.values, state->pos.n * sizeof(float8));
	pq_sendbytes(&buf, (char *) state->neg.values, state->neg.n * sizeof(float8));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Deserialization of a ranking state
 */
PG_FUNCTION_INFO_V1(ranking_deserialize);
Datum
ranking_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	Ranking    *state = palloc0(sizeof(Ranking));
	int64		counts[2] = {-1, -1};	/* positives, negatives */
	const char *data;

	metrics_agg_context(fcinfo);
	if (VARSIZE_ANY_EXHDR(bytes) >= sizeof(counts))
		memcpy(counts, VARDATA_ANY(bytes), sizeof(counts));
	if (counts[0] < 0 || counts[1] < 0 || counts[0] > METRICS_MAX_ROWS - counts[1])
		metrics_invalid_state();
	data = metrics_state_bytes(bytes, sizeof(counts) + (counts[0] + counts[1]) * sizeof(float8));
	data += sizeof(counts);
	scores_append(&state->pos, (const float8 *) data, counts[0], CurrentMemoryContext);
	scores_append(&state->neg, (const float8 *) (data + counts[0] * sizeof(float8)), counts[1],
				  CurrentMemoryContext);
	PG_RETURN_POINTER(state);
}

/*
 * The state with both score arrays sorted ascending, or NULL when a class is missing.
 * Sorting in place leaves the multiset of scores, all the state means, unchanged.
 */
static Ranking *
ranking_sorted(FunctionCallInfo fcinfo, bool need_negatives)
{
	Ranking    *state;

	if (PG_ARGISNULL(0))
		return NULL;
	state = (Ranking *) PG_GETARG_POINTER(0);
	if (state->pos.n == 0 || (need_negatives && state->neg.n == 0))
		return NULL;
	sort_float8(state->pos.values, state->pos.n);
	if (state->neg.n > 0)
		sort_float8(state->neg.values, state->neg.n);
	return state;
}

/*
 * Final function of ngs.roc_auc: the Mann-Whitney U over n+ n-, ties counting one half;
 * NULL unless both classes occur
 */
PG_FUNCTION_INFO_V1(roc_auc_final);
Datum
roc_auc_final(PG_FUNCTION_ARGS)
{
	Ranking    *state = ranking_sorted(fcinfo, true);
	const float8 *pos;
	const float8 *neg;
	int64		below = 0;		/* negatives scored below the current positive */
	uint64		twice_u = 0;	/* 2U, an exact integer below 2^53 */

	if (state == NULL)
		PG_RETURN_NULL();
	pos = state->pos.values;
	neg = state->neg.values;
	for (int64 i = 0; i < state->pos.n;)
	{
		float8		v = pos[i];
		int64		positives = 0;
		int64		tied = 0;

		while (i < state->pos.n && pos[i] == v)
			i++, positives++;
		while (below < state->neg.n && neg[below] < v)
			below++;
		while (below + tied < state->neg.n && neg[below + tied] == v)
			tied++;
		twice_u += (uint64) positives * (2 * below + tied);
	}
	PG_RETURN_FLOAT8((double) twice_u / (2.0 * state->pos.n * state->neg.n));
}

/*
 * Final function of ngs.average_precision: sum over distinct score thresholds, from
 * high to low, of (recall gain) x precision, as scikit-learn's average_precision_score;
 * NULL without positives
 */
PG_FUNCTION_INFO_V1(average_precision_final);
Datum
average_precision_final(PG_FUNCTION_ARGS)
{
	Ranking    *state = ranking_sorted(fcinfo, false);
	const float8 *pos;
	const float8 *neg;
	int64		i;
	int64		j;
	int64		tp = 0;
	int64		fp = 0;
	double		sum = 0.0;

	if (state == NULL)
		PG_RETURN_NULL();
	pos = state->pos.values;
	neg = state->neg.values;
	i = state->pos.n - 1;
	j = state->neg.n - 1;
	/* thresholds below the lowest positive add no recall, so stop there */
	while (i >= 0)
	{
		float8		v = (j >= 0 && neg[j] > pos[i]) ? neg[j] : pos[i];
		int64		gained = 0;

		while (i >= 0 && pos[i] == v)
			i--, gained++;
		while (j >= 0 && neg[j] == v)
			j--, fp++;
		tp += gained;
		if (gained > 0)
			sum += gained * ((double) tp / (double) (tp + fp));
	}
	PG_RETURN_FLOAT8(sum / state->pos.n);
}
