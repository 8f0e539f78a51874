/*
 * sbp_sql.c: the SQL functions of the ngs.sbp type: constructors, accessors, evaluation
 * and sampling, over the C interface of sbp.c.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "utils/array.h"
#include "sbp/sbp.h"
#include "splitmix64.h"

/*
 * SQL constructors and accessors
 */

/* The values of a float8[] argument: one-dimensional, no NULLs, 2..SBP_MAX_BINS of them */
static const double *
array_values(ArrayType *array, const char *what, int *count)
{
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("sbp %s must be a one-dimensional array", what),
				 errhint("Pass one value per bin.")));
	if (ARR_HASNULL(array) && array_contains_nulls(array))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sbp %s must not contain NULL", what),
				 errhint("Pass one value per bin.")));
	*count = ARR_NDIM(array) == 0 ? 0 : ARR_DIMS(array)[0];
	sbp_check_bins(*count);
	return (const double *) ARR_DATA_PTR(array);
}

/* A float8[] of these values */
static ArrayType *
values_array(const double *values, int count)
{
	Datum	   *datums = palloc(sizeof(Datum) * count);

	for (int i = 0; i < count; i++)
		datums[i] = Float8GetDatum(values[i]);
	return construct_array(datums, count, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

PG_FUNCTION_INFO_V1(sbp);
/*
 * ngs.sbp(lower, upper, logits, xi_lo, beta_lo, xi_hi, beta_hi, alpha): masses softmax(logits)
 */
Datum
sbp(PG_FUNCTION_ARGS)
{
	int			bins;
	const double *logits = array_values(PG_GETARG_ARRAYTYPE_P(2), "logits", &bins);

	PG_RETURN_SBP_P(sbp_from_logits(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), bins, logits,
									PG_GETARG_FLOAT8(7), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
									PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6)));
}

PG_FUNCTION_INFO_V1(sbp_from_masses_sql);
/*
 * ngs.sbp_from_masses(lower, upper, masses, xi_lo, beta_lo, xi_hi, beta_hi, alpha); the C
 * name carries _sql because sbp_from_masses is the C interface it calls
 */
Datum
sbp_from_masses_sql(PG_FUNCTION_ARGS)
{
	int			bins;
	const double *mass = array_values(PG_GETARG_ARRAYTYPE_P(2), "masses", &bins);

	PG_RETURN_SBP_P(sbp_from_masses(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), bins, mass,
									PG_GETARG_FLOAT8(7), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
									PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6)));
}

PG_FUNCTION_INFO_V1(sbp_lower);
/*
 * The left edge L of the first bin
 */
Datum
sbp_lower(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_SBP_P(0)->lower);
}

PG_FUNCTION_INFO_V1(sbp_upper);
/*
 * The right edge U of the last bin
 */
Datum
sbp_upper(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_SBP_P(0)->upper);
}

PG_FUNCTION_INFO_V1(sbp_bins);
/*
 * The number of bins n
 */
Datum
sbp_bins(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_SBP_P(0)->bins);
}

PG_FUNCTION_INFO_V1(sbp_alpha);
/*
 * The tail mass alpha on each side
 */
Datum
sbp_alpha(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_SBP_P(0)->alpha);
}

PG_FUNCTION_INFO_V1(sbp_xi_lo);
/*
 * The lower tail's shape xi_lo
 */
Datum
sbp_xi_lo(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_SBP_P(0)->xi_lo);
}

PG_FUNCTION_INFO_V1(sbp_beta_lo);
/*
 * The lower tail's scale beta_lo
 */
Datum
sbp_beta_lo(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_SBP_P(0)->beta_lo);
}

PG_FUNCTION_INFO_V1(sbp_xi_hi);
/*
 * The upper tail's shape xi_hi
 */
Datum
sbp_xi_hi(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_SBP_P(0)->xi_hi);
}

PG_FUNCTION_INFO_V1(sbp_beta_hi);
/*
 * The upper tail's scale beta_hi
 */
Datum
sbp_beta_hi(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_SBP_P(0)->beta_hi);
}

PG_FUNCTION_INFO_V1(sbp_masses);
/*
 * The bin masses p_1..p_n
 */
Datum
sbp_masses(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);

	PG_RETURN_ARRAYTYPE_P(values_array(d->mass, d->bins));
}

PG_FUNCTION_INFO_V1(sbp_logits);
/*
 * Logits of the bin masses, log(p_k) (-Infinity for an empty bin); their softmax is p
 */
Datum
sbp_logits(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	double	   *logits = palloc(sizeof(double) * d->bins);

	for (int k = 0; k < d->bins; k++)
		logits[k] = log(d->mass[k]);
	PG_RETURN_ARRAYTYPE_P(values_array(logits, d->bins));
}

PG_FUNCTION_INFO_V1(sbp_tau_lo);
/*
 * The lower splice point tau_lo = Q_B(alpha)
 */
Datum
sbp_tau_lo(PG_FUNCTION_ARGS)
{
	double		tau_lo;
	double		tau_hi;

	sbp_splice_points(PG_GETARG_SBP_P(0), &tau_lo, &tau_hi);
	PG_RETURN_FLOAT8(tau_lo);
}

PG_FUNCTION_INFO_V1(sbp_tau_hi);
/*
 * The upper splice point tau_hi = Q_B(1 - alpha)
 */
Datum
sbp_tau_hi(PG_FUNCTION_ARGS)
{
	double		tau_lo;
	double		tau_hi;

	sbp_splice_points(PG_GETARG_SBP_P(0), &tau_lo, &tau_hi);
	PG_RETURN_FLOAT8(tau_hi);
}

/*
 * SQL evaluation
 */

/* Refuse a probability level outside [0, 1] */
static inline void
check_level(double q)
{
	if (!(q >= 0.0 && q <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp quantile level must be between 0 and 1, not %s", double_to_shortest_decimal(q)),
				 errhint("Pass a probability; 0.5 is the median.")));
}

PG_FUNCTION_INFO_V1(sbp_cdf);
/*
 * ngs.sbp_cdf(sbp, x): P(X <= x)
 */
Datum
sbp_cdf(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	double		x = PG_GETARG_FLOAT8(1);

	PG_RETURN_FLOAT8(sbp_cdf_value(d, x));
}

PG_FUNCTION_INFO_V1(sbp_pdf);
/*
 * ngs.sbp_pdf(sbp, x): the density at x
 */
Datum
sbp_pdf(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	double		x = PG_GETARG_FLOAT8(1);

	PG_RETURN_FLOAT8(sbp_pdf_value(d, x));
}

PG_FUNCTION_INFO_V1(sbp_logpdf);
/*
 * ngs.sbp_logpdf(sbp, x): the log density at x
 */
Datum
sbp_logpdf(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	double		x = PG_GETARG_FLOAT8(1);

	PG_RETURN_FLOAT8(sbp_logpdf_value(d, x));
}

PG_FUNCTION_INFO_V1(sbp_quantile);
/*
 * ngs.sbp_quantile(sbp, q): the q-quantile, -/+Infinity at 0 and 1 for unbounded tails
 */
Datum
sbp_quantile(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	double		q = PG_GETARG_FLOAT8(1);

	check_level(q);
	PG_RETURN_FLOAT8(sbp_quantile_value(d, q));
}

PG_FUNCTION_INFO_V1(sbp_quantiles);
/*
 * ngs.sbp_quantiles(sbp, q[]): the quantile at every level, in the shape of q; a NULL
 * level gives NULL, as the strict ngs.sbp_quantile does
 */
Datum
sbp_quantiles(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	ArrayType  *levels = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *q;
	bool	   *nulls;
	int			n;

	deconstruct_array(levels, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &q, &nulls, &n);
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			check_level(DatumGetFloat8(q[i]));
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			q[i] = Float8GetDatum(sbp_quantile_value(d, DatumGetFloat8(q[i])));
	PG_RETURN_ARRAYTYPE_P(construct_md_array(q, nulls, ARR_NDIM(levels), ARR_DIMS(levels), ARR_LBOUND(levels),
											 FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(sbp_median);
/*
 * ngs.sbp_median(sbp): the 0.5-quantile
 */
Datum
sbp_median(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(sbp_quantile_value(PG_GETARG_SBP_P(0), 0.5));
}

PG_FUNCTION_INFO_V1(sbp_mean);
/*
 * ngs.sbp_mean(sbp): the mean; -/+Infinity when one tail has xi >= 1, NULL when both do
 */
Datum
sbp_mean(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	double		mean = sbp_mean_value(d);

	if (!isfinite(mean) && d->xi_lo < 1.0 && d->xi_hi < 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sbp mean is out of the range of a double"),
				 errdetail("A tail's beta / (1 - xi) overflows: beta_lo is %g, xi_lo %g, beta_hi %g, xi_hi %g.",
						   d->beta_lo, d->xi_lo, d->beta_hi, d->xi_hi),
				 errhint("Rescale the distribution, or use ngs.sbp_median.")));
	if (isnan(mean))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(mean);
}

PG_FUNCTION_INFO_V1(sbp_crps);
/*
 * ngs.sbp_crps(sbp, y): the continuous ranked probability score of the outcome y
 */
Datum
sbp_crps(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	double		y = PG_GETARG_FLOAT8(1);

	PG_RETURN_FLOAT8(sbp_crps_value(d, y));
}

/* The state of a running sampler */
typedef struct SbpSampler
{
	Sbp		   *d;				/* the distribution, detoasted once */
	Rng			rng;			/* the draws */
} SbpSampler;

PG_FUNCTION_INFO_V1(sbp_sample);
/*
 * ngs.sbp_sample(sbp, n, seed): n draws by inverse CDF, the same for the same seed
 */
Datum
sbp_sample(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	SbpSampler *sampler;

	if (SRF_IS_FIRSTCALL())
	{
		int32		n = PG_GETARG_INT32(1);
		MemoryContext old;

		if (n < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sbp_sample needs a non-negative number of draws, not %d", n),
					 errhint("Pass n >= 0.")));
		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		sampler = palloc(sizeof(SbpSampler));
		sampler->d = (Sbp *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		rng_seed(&sampler->rng, (uint64) PG_GETARG_INT64(2));
		funcctx->user_fctx = sampler;
		funcctx->max_calls = n;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	sampler = (SbpSampler *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
		SRF_RETURN_NEXT(funcctx, Float8GetDatum(sbp_quantile_value(sampler->d, rng_uniform_open(&sampler->rng))));
	SRF_RETURN_DONE(funcctx);
}
