/*
 * metrics.c: the mean-loss evaluation aggregates (ngs.brier, ngs.log_loss) and what
 * every evaluation aggregate shares: the aggregate context, binning.
 *
 * Every state is order-independent (exact integer counts and exact sums), so a
 * parallel plan returns the very same float8 as a serial one.
 */
#include "postgres.h"

#include <float.h>

#include "common/agg_context.h"
#include "metrics/metric_state.h"
#include "metrics/metrics.h"

/*
 * The memory context of the aggregate calling fcinfo, or an error outside aggregates
 */
MemoryContext
metrics_agg_context(FunctionCallInfo fcinfo)
{
	return ngs_agg_context(fcinfo, "aggregate support function", "the aggregate itself, such as ngs.roc_auc");
}

/*
 * Report a serialized aggregate state that is not one this build wrote
 */
void
metrics_invalid_state(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized aggregate state"),
			 errdetail("Only the aggregate's own serialization function writes its states.")));
}

/*
 * The payload of a serialized state, after checking it is exactly len bytes long
 */
const char *
metrics_state_bytes(bytea *state, Size len)
{
	if (VARSIZE_ANY_EXHDR(state) != len)
		metrics_invalid_state();
	return VARDATA_ANY(state);
}

/* Edge i of n equal bins on [0, 1], computed as numpy.linspace(0, 1, n + 1) does */
static inline double
uniform_edge(int i, int n)
{
	return i == n ? 1.0 : i * (1.0 / n);
}

/*
 * Bin of x in [0, 1] among n equal bins: [e_i, e_i+1) with the last closed, as
 * numpy.histogram; or, right_closed, (e_i, e_i+1] with the first closed, as
 * sklearn's calibration_curve
 */
int
metrics_uniform_bin(double x, int n, bool right_closed)
{
	int			k = Min((int) (x * n), n - 1);

	/* x * n is within an ulp of the right bin: step to the exact one */
	if (right_closed)
	{
		while (k > 0 && x <= uniform_edge(k, n))
			k--;
		while (k < n - 1 && x > uniform_edge(k + 1, n))
			k++;
	}
	else
	{
		while (k > 0 && x < uniform_edge(k, n))
			k--;
		while (k < n - 1 && x >= uniform_edge(k + 1, n))
			k++;
	}
	return k;
}

/*
 * Add one row's loss to a mean-loss state of a kind, creating it in the aggregate context
 */
static MetricState *
mean_loss_add(FunctionCallInfo fcinfo, int kind, double loss)
{
	MemoryContext context = metrics_agg_context(fcinfo);
	MetricState *state;

	if (PG_ARGISNULL(0))
		state = metric_state_create(kind, 1, context);
	else
		state = (MetricState *) PG_GETARG_POINTER(0);
	metric_state_add_rows(state, 0, 1);
	exact_sum_add(&metric_sum(state)[0], loss);
	return state;
}

/*
 * Transition of ngs.brier: adds (p - y)^2, skipping rows with a NULL
 */
PG_FUNCTION_INFO_V1(brier_accum);
Datum
brier_accum(PG_FUNCTION_ARGS)
{
	double		p;
	double		y;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return metrics_state_unchanged(fcinfo, 0);
	p = PG_GETARG_FLOAT8(1);
	y = PG_GETARG_BOOL(2) ? 1.0 : 0.0;
	metrics_check_unit("probability", p);
	PG_RETURN_POINTER(mean_loss_add(fcinfo, METRIC_BRIER, (p - y) * (p - y)));
}

/*
 * Transition of ngs.log_loss: adds -log of the probability given to the outcome,
 * with p clipped to [eps, 1 - eps] (eps = 2^-52, scikit-learn's eps="auto")
 */
PG_FUNCTION_INFO_V1(log_loss_accum);
Datum
log_loss_accum(PG_FUNCTION_ARGS)
{
	double		p;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return metrics_state_unchanged(fcinfo, 0);
	p = PG_GETARG_FLOAT8(1);
	metrics_check_unit("probability", p);
	p = Min(Max(p, DBL_EPSILON), 1.0 - DBL_EPSILON);
	PG_RETURN_POINTER(mean_loss_add(fcinfo, METRIC_LOG_LOSS, PG_GETARG_BOOL(2) ? -log(p) : -log1p(-p)));
}

/* The mean loss of a state of a kind, NULL without rows */
static Datum
mean_loss_value(FunctionCallInfo fcinfo, int kind)
{
	MetricState *state;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = metric_state_arg(fcinfo, 0);
	if (kind != 0)
		metric_state_expect(state, kind);
	if (metric_count(state)[0] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(exact_sum_value(&metric_sum(state)[0]) / metric_count(state)[0]);
}

/*
 * Final function of the 1.1 ngs.brier and ngs.log_loss (internal state)
 */
PG_FUNCTION_INFO_V1(mean_loss_final);
Datum
mean_loss_final(PG_FUNCTION_ARGS)
{
	return mean_loss_value(fcinfo, 0);
}

/*
 * Final function of ngs.brier, and the Brier score of a merged state
 */
PG_FUNCTION_INFO_V1(brier_final);
Datum
brier_final(PG_FUNCTION_ARGS)
{
	return mean_loss_value(fcinfo, METRIC_BRIER);
}

/*
 * Final function of ngs.log_loss, and the log loss of a merged state
 */
PG_FUNCTION_INFO_V1(log_loss_final);
Datum
log_loss_final(PG_FUNCTION_ARGS)
{
	return mean_loss_value(fcinfo, METRIC_LOG_LOSS);
}
