/*
 * calibration.c: the binned evaluation aggregates, ngs.pit_histogram (uniformity of
 * probability integral transform values) and ngs.reliability (the reliability curve of
 * predicted probabilities).  They share one state: per-bin row counts and, for the
 * reliability curve, per-bin positives and exact sums of the predictions.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "metrics/metrics.h"
#include "utils/array.h"

/* The binned state; the arrays follow the struct in the same allocation */
typedef struct Binned
{
	int32		bins;			/* number of bins, 1..METRICS_MAX_BINS */
	bool		labelled;		/* keeps positives and sums (ngs.reliability) */
	int64	   *count;			/* rows per bin */
	int64	   *positives;		/* rows labelled true per bin, or NULL */
	ExactSum   *sum;			/* exact sum of predictions per bin, or NULL */
} Binned;

/* Bytes of the per-bin arrays of a state */
static inline Size
binned_array_bytes(int bins, bool labelled)
{
	return bins * (sizeof(int64) + (labelled ? sizeof(int64) + sizeof(ExactSum) : 0));
}

/*
 * A zeroed state of the given shape, allocated in context
 */
static Binned *
binned_create(int bins, bool labelled, MemoryContext context)
{
	Binned	   *state = MemoryContextAllocZero(context, MAXALIGN(sizeof(Binned)) +
											   binned_array_bytes(bins, labelled));

	state->bins = bins;
	state->labelled = labelled;
	state->count = (int64 *) ((char *) state + MAXALIGN(sizeof(Binned)));
	if (labelled)
	{
		state->positives = state->count + bins;
		state->sum = (ExactSum *) (state->positives + bins);
	}
	return state;
}

/*
 * Refuse to aggregate rows with different bin counts together
 */
static inline void
binned_check_same_bins(const Binned *state, int bins)
{
	if (state->bins != bins)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be the same in every row, not %d and %d", state->bins, bins),
				 errhint("Pass the bin count as a constant.")));
}

/*
 * The state of a transition call for a row with this bin count, created on first use
 */
static Binned *
binned_state(FunctionCallInfo fcinfo, int32 bins, bool labelled)
{
	MemoryContext context = metrics_agg_context(fcinfo);
	Binned	   *state;

	if (PG_ARGISNULL(0))
	{
		metrics_check_bins(bins);
		return binned_create(bins, labelled, context);
	}
	state = (Binned *) PG_GETARG_POINTER(0);
	binned_check_same_bins(state, bins);
	return state;
}

/*
 * Transition of ngs.pit_histogram: counts u in its bin [i/n, (i+1)/n) (the last bin
 * also holds 1), skipping rows with a NULL
 */
PG_FUNCTION_INFO_V1(pit_histogram_accum);
Datum
pit_histogram_accum(PG_FUNCTION_ARGS)
{
	Binned	   *state;
	float8		u;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return metrics_state_unchanged(fcinfo, 0);
	u = PG_GETARG_FLOAT8(1);
	state = binned_state(fcinfo, PG_GETARG_INT32(2), false);
	metrics_check_unit("PIT value", u);
	state->count[metrics_uniform_bin(u, state->bins, false)]++;
	PG_RETURN_POINTER(state);
}

/*
 * Transition of ngs.reliability: counts p and its label in its bin (i/n, (i+1)/n] (the
 * first bin also holds 0), skipping rows with a NULL
 */
PG_FUNCTION_INFO_V1(reliability_accum);
Datum
reliability_accum(PG_FUNCTION_ARGS)
{
	Binned	   *state;
	float8		p;
	int			bin;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return metrics_state_unchanged(fcinfo, 0);
	p = PG_GETARG_FLOAT8(1);
	state = binned_state(fcinfo, PG_GETARG_INT32(3), true);
	metrics_check_unit("probability", p);
	bin = metrics_uniform_bin(p, state->bins, true);
	state->count[bin]++;
	state->positives[bin] += PG_GETARG_BOOL(2);
	exact_sum_add(&state->sum[bin], p);
	PG_RETURN_POINTER(state);
}

/*
 * Combine function of the binned aggregates: adds the second state bin by bin
 */
PG_FUNCTION_INFO_V1(binned_combine);
Datum
binned_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = metrics_agg_context(fcinfo);
	Binned	   *state;
	Binned	   *other;

	if (PG_ARGISNULL(1))
		return metrics_state_unchanged(fcinfo, 0);
	other = (Binned *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
		state = binned_create(other->bins, other->labelled, context);
	else
		state = (Binned *) PG_GETARG_POINTER(0);
	binned_check_same_bins(state, other->bins);
	for (int b = 0; b < state->bins; b++)
	{
		state->count[b] += other->count[b];
		if (state->labelled)
		{
			state->positives[b] += other->positives[b];
			exact_sum_merge(&state->sum[b], &other->sum[b]);
		}
	}
	PG_RETURN_POINTER(state);
}

/*
 * Serialization of a binned state: bins, labelled, then the per-bin arrays
 */
PG_FUNCTION_INFO_V1(binned_serialize);
Datum
binned_serialize(PG_FUNCTION_ARGS)
{
	Binned	   *state;
	int32		header[2];
	StringInfoData buf;

	metrics_agg_context(fcinfo);
	state = (Binned *) PG_GETARG_POINTER(0);
	header[0] = state->bins;
	header[1] = state->labelled;
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) header, sizeof(header));
	pq_sendbytes(&buf, (char *) state->count, binned_array_bytes(state->bins, state->labelled));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Deserialization of a binned state
 */
PG_FUNCTION_INFO_V1(binned_deserialize);
Datum
binned_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	int32		header[2] = {0, -1};	/* bins, labelled */
	Binned	   *state;
	const char *data;

	metrics_agg_context(fcinfo);
	if (VARSIZE_ANY_EXHDR(bytes) >= sizeof(header))
		memcpy(header, VARDATA_ANY(bytes), sizeof(header));
	if (header[0] < 1 || header[0] > METRICS_MAX_BINS || (header[1] != 0 && header[1] != 1))
		metrics_invalid_state();
	data = metrics_state_bytes(bytes, sizeof(header) + binned_array_bytes(header[0], header[1]));
	state = binned_create(header[0], header[1], CurrentMemoryContext);
	memcpy(state->count, data + sizeof(header), binned_array_bytes(header[0], header[1]));
	PG_RETURN_POINTER(state);
}

/*
 * A one-dimensional float8 or bigint array of n values, NULL where isnull says
 */
static ArrayType *
binned_array(Datum *values, bool *isnull, int n, Oid type)
{
	int			lbound = 1;

	return construct_md_array(values, isnull, 1, &n, &lbound, type, 8, FLOAT8PASSBYVAL,
							  TYPALIGN_DOUBLE);
}

/*
 * Final function of ngs.pit_histogram: the count of every bin as a bigint[], NULL
 * without rows
 */
PG_FUNCTION_INFO_V1(pit_histogram_final);
Datum
pit_histogram_final(PG_FUNCTION_ARGS)
{
	Binned	   *state;
	Datum	   *counts;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (Binned *) PG_GETARG_POINTER(0);
	counts = palloc(state->bins * sizeof(Datum));
	for (int b = 0; b < state->bins; b++)
		counts[b] = Int64GetDatum(state->count[b]);
	PG_RETURN_ARRAYTYPE_P(binned_array(counts, NULL, state->bins, INT8OID));
}

/*
 * Final function of ngs.reliability: per bin the mean prediction, the observed
 * frequency of true labels (both NULL for an empty bin) and the row count; NULL
 * without rows
 */
PG_FUNCTION_INFO_V1(reliability_final);
Datum
reliability_final(PG_FUNCTION_ARGS)
{
	Binned	   *state;
	TupleDesc	tupdesc;
	Datum	   *mean;
	Datum	   *observed;
	Datum	   *counts;
	bool	   *empty;
	Datum		fields[3];
	bool		nulls[3] = {false, false, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (Binned *) PG_GETARG_POINTER(0);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ngs.reliability must return the composite ngs.reliability_curve")));
	mean = palloc(state->bins * sizeof(Datum));
	observed = palloc(state->bins * sizeof(Datum));
	counts = palloc(state->bins * sizeof(Datum));
	empty = palloc(state->bins * sizeof(bool));
	for (int b = 0; b < state->bins; b++)
	{
		int64		n = state->count[b];

		empty[b] = n == 0;
		mean[b] = Float8GetDatum(empty[b] ? 0.0 : exact_sum_value(&state->sum[b]) / n);
		observed[b] = Float8GetDatum(empty[b] ? 0.0 : (double) state->positives[b] / n);
		counts[b] = Int64GetDatum(n);
	}
	fields[0] = PointerGetDatum(binned_array(mean, empty, state->bins, FLOAT8OID));
	fields[1] = PointerGetDatum(binned_array(observed, empty, state->bins, FLOAT8OID));
	fields[2] = PointerGetDatum(binned_array(counts, NULL, state->bins, INT8OID));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), fields, nulls)));
}
