/*
 * metrics.h: what the evaluation aggregates share: the aggregate memory context, input checks and uniform binning.
 */
#ifndef METRICS_H
#define METRICS_H

#include "common/ngs.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "common/shortest_dec.h"
#include "exact_sum.h"

#include <math.h>

/* Evaluation aggregates (metrics.c, roc.c, calibration.c) */
#define METRICS_MAX_ROWS	100000000	/* rows kept by roc_auc / average_precision (8 bytes each) */
#define METRICS_MAX_BINS	1000	/* bins of pit_histogram and reliability */

/* The memory context of the aggregate calling fcinfo, or an error outside aggregates */
extern MemoryContext metrics_agg_context(FunctionCallInfo fcinfo);

/* Report a serialized aggregate state that is not one this build wrote */
extern void metrics_invalid_state(void) pg_attribute_noreturn();

/* The start of a serialized state's payload, after checking the payload is len bytes */
extern const char *metrics_state_bytes(bytea *state, Size len);

/* Bin of x in [0, 1] among n equal bins, with numpy's edges i * (1.0 / n) */
extern int	metrics_uniform_bin(double x, int n, bool right_closed);

/*
 * Return argument n, a state, unchanged (NULL stays NULL): for rows that are skipped
 */
static inline Datum
metrics_state_unchanged(FunctionCallInfo fcinfo, int n)
{
	metrics_agg_context(fcinfo);
	fcinfo->isnull = PG_ARGISNULL(n);
	return PG_GETARG_DATUM(n);
}

/*
 * Refuse a score that cannot be ranked
 */
static inline void
metrics_check_score(double score)
{
	if (isnan(score))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("score must not be NaN"),
				 errhint("Filter out or replace NaN scores before aggregating.")));
}

/*
 * Refuse a value that is not in [0, 1] (a probability or a PIT value)
 */
static inline void
metrics_check_unit(const char *what, double x)
{
	if (!(x >= 0.0 && x <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be between 0 and 1, not %s", what, double_to_shortest_decimal(x)),
				 errhint("Pass values between 0 and 1; NaN is not one.")));
}

/*
 * Refuse a bin count outside 1..METRICS_MAX_BINS
 */
static inline void
metrics_check_bins(int32 bins)
{
	if (bins < 1 || bins > METRICS_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be between 1 and %d, not %d", METRICS_MAX_BINS, bins),
				 errhint("Pass a bin count such as 10.")));
}

#endif
