/*
 * calibration.c: the binned evaluation aggregates, ngs.pit_histogram (uniformity of
 * probability integral transform values) and ngs.reliability (the reliability curve of
 * predicted probabilities).  They share ngs.metric_state (metric_state.h): per-bin row
 * counts and, for the reliability curve, per-bin positives and exact sums of predictions.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "metrics/metric_state.h"
#include "metrics/metrics.h"
#include "utils/array.h"

/*
 * The state of a transition call for a row with this bin count, created on first use
 */
static MetricState *
binned_state(FunctionCallInfo fcinfo, int32 bins, int kind)
{
	MemoryContext context = metrics_agg_context(fcinfo);
	MetricState *state;

	if (PG_ARGISNULL(0))
	{
		metrics_check_bins(bins);
		return metric_state_create(kind, bins, context);
	}
	state = (MetricState *) PG_GETARG_POINTER(0);
	metric_state_check_bins(state, bins);
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
	MetricState *state;
	float8		u;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return metrics_state_unchanged(fcinfo, 0);
	u = PG_GETARG_FLOAT8(1);
	state = binned_state(fcinfo, PG_GETARG_INT32(2), METRIC_PIT_HISTOGRAM);
	metrics_check_unit("PIT value", u);
	metric_state_add_rows(state, metrics_uniform_bin(u, state->bins, false), 1);
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
	MetricState *state;
	float8		p;
	int			bin;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return metrics_state_unchanged(fcinfo, 0);
	p = PG_GETARG_FLOAT8(1);
	state = binned_state(fcinfo, PG_GETARG_INT32(3), METRIC_RELIABILITY);
	metrics_check_unit("probability", p);
	bin = metrics_uniform_bin(p, state->bins, true);
	metric_state_add_rows(state, bin, 1);
	metric_positives(state)[bin] += PG_GETARG_BOOL(2);
	exact_sum_add(&metric_sum(state)[bin], p);
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
	MetricState *state;
	Datum	   *counts;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = metric_state_arg(fcinfo, 0);
	metric_state_expect(state, METRIC_PIT_HISTOGRAM);
	if (metric_state_rows(state) == 0)
		PG_RETURN_NULL();
	counts = palloc(state->bins * sizeof(Datum));
	for (int b = 0; b < state->bins; b++)
		counts[b] = Int64GetDatum(metric_count(state)[b]);
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
	MetricState *state;
	TupleDesc	tupdesc;
	Datum	   *mean;
	Datum	   *observed;
	Datum	   *counts;
	bool	   *empty;
	Datum		fields[3];
	bool		nulls[3] = {false, false, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = metric_state_arg(fcinfo, 0);
	metric_state_expect(state, METRIC_RELIABILITY);
	if (metric_state_rows(state) == 0)
		PG_RETURN_NULL();
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
		int64		n = metric_count(state)[b];

		empty[b] = n == 0;
		mean[b] = Float8GetDatum(empty[b] ? 0.0 : exact_sum_value(&metric_sum(state)[b]) / n);
		observed[b] = Float8GetDatum(empty[b] ? 0.0 : (double) metric_positives(state)[b] / n);
		counts[b] = Int64GetDatum(n);
	}
	fields[0] = PointerGetDatum(binned_array(mean, empty, state->bins, FLOAT8OID));
	fields[1] = PointerGetDatum(binned_array(observed, empty, state->bins, FLOAT8OID));
	fields[2] = PointerGetDatum(binned_array(counts, NULL, state->bins, INT8OID));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), fields, nulls)));
}
