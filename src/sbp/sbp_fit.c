/*
 * sbp_fit.c: the ngs.sbp_fit aggregate and sbp_fit_doubles, the maximum-likelihood SBP of
 * a sample (the "no context" baseline of shared/design/sbp.md, Fitting), over the fit of
 * lib/sbp_mle.c.
 *
 * The state keeps the values; the final function sorts them (so serial and parallel
 * plans give the same result) and fits them: the bin range and count from the options or
 * the sample, the bin masses from the counts plus a pseudo-count, and each tail by GPD
 * maximum likelihood on the excesses past its splice point.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "common/agg_context.h"
#include "common/options.h"
#include "sbp/sbp.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

/* The fit's options; NaN or 0 means "from the sample" */
typedef struct SbpFitOptions
{
	double		lower;			/* bin range, NaN for the sample's robust range */
	double		upper;
	double		alpha;			/* tail mass */
	double		prior;			/* pseudo-count added to every bin */
	int32		bins;			/* bin count, 0 for ceil(2*N^(1/3)) */
	int32		given;			/* 1 once options were read */
} SbpFitOptions;

/* The aggregate state: the options and every value seen */
typedef struct SbpFitState
{
	SbpFitOptions options;
	int64		count;			/* values kept */
	int64		capacity;		/* values allocated */
	double	   *values;
} SbpFitState;

/* The default options */
static const SbpFitOptions default_options = {NAN, NAN, SBP_DEFAULT_ALPHA, SBP_FIT_DEFAULT_PRIOR, 0, 0};

#define FIELD(f) offsetof(SbpFitOptions, f)

/* The fit's options */
static const OptionDef sbp_fit_option_defs[] = {
	{"lower", OPTION_NUMBER, FIELD(lower), -DBL_MAX, DBL_MAX},
	{"upper", OPTION_NUMBER, FIELD(upper), -DBL_MAX, DBL_MAX},
	{"bins", OPTION_INT, FIELD(bins), 2, SBP_MAX_BINS, 0,
	"must be a whole number from 2 to " CppAsString2(SBP_MAX_BINS)},
	{"alpha", OPTION_NUMBER, FIELD(alpha), 0.0, 0.5, OPTION_ABOVE_MIN | OPTION_BELOW_MAX,
	"must be between 0 and 0.5 (exclusive)"},
	{"prior", OPTION_NUMBER, FIELD(prior), 0.0, DBL_MAX, 0, "must be a finite number, 0 or more"},
};

/* The fit's options and how their errors name them */
static const OptionSet sbp_fit_options = {
	sbp_fit_option_defs, lengthof(sbp_fit_option_defs), OPTIONS_NAMED, "sbp_fit ",
	"Pass options such as {\"bins\": 60}.",
	"The options are \"lower\", \"upper\", \"bins\", \"alpha\" and \"prior\".",
	"Options are a JSON object such as {\"lower\": -10, \"upper\": 50, \"bins\": 60, \"alpha\": 0.05, \"prior\": 0.5}."
};

/* Read the options object */
static SbpFitOptions
parse_options(Jsonb *json)
{
	SbpFitOptions options = default_options;

	options_parse(&sbp_fit_options, json, &options);
	if (options.lower >= options.upper)
		option_error(&sbp_fit_options, "lower", "must be below \"upper\"");
	options.given = 1;
	return options;
}

/* A new empty state in the aggregate's memory context */
static SbpFitState *
state_new(MemoryContext context)
{
	SbpFitState *state = MemoryContextAllocZero(context, sizeof(SbpFitState));

	state->options = default_options;
	return state;
}

/* Refuse more than SBP_FIT_MAX_VALUES values */
static void
check_count(int64 count)
{
	if (count > SBP_FIT_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sbp_fit keeps at most %d values per group", SBP_FIT_MAX_VALUES),
				 errhint("Fit a random sample of the rows, e.g. with TABLESAMPLE.")));
}

/* Refuse a value that is not finite */
static void
check_value(double y)
{
	if (!isfinite(y))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp_fit values must be finite, not %g", y),
				 errhint("Filter out NaN and infinite values.")));
}

/* Make room for more values, within SBP_FIT_MAX_VALUES */
static void
state_reserve(SbpFitState *state, MemoryContext context, int64 more)
{
	int64		needed = state->count + more;

	check_count(needed);
	if (needed <= state->capacity)
		return;
	state->capacity = Min(Max(needed, 2 * state->capacity + 64), SBP_FIT_MAX_VALUES);
	if (state->values == NULL)
		state->values = MemoryContextAlloc(context, sizeof(double) * state->capacity);
	else
		state->values = repalloc(state->values, sizeof(double) * state->capacity);
}

/* The aggregate's memory context, or an error outside an aggregate */
static MemoryContext
aggregate_context(FunctionCallInfo fcinfo)
{
	return ngs_agg_context(fcinfo, "sbp_fit state function", "the aggregate ngs.sbp_fit");
}

PG_FUNCTION_INFO_V1(sbp_fit_transfn);
/*
 * Transition: keep y (NULLs are skipped); the options are read from the first row
 */
Datum
sbp_fit_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo);
	SbpFitState *state = PG_ARGISNULL(0) ? state_new(context) : (SbpFitState *) PG_GETARG_POINTER(0);

	if (PG_NARGS() > 2 && !PG_ARGISNULL(2) && !state->options.given)
		state->options = parse_options(PG_GETARG_JSONB_P(2));
	if (!PG_ARGISNULL(1))
	{
		double		y = PG_GETARG_FLOAT8(1);

		check_value(y);
		state_reserve(state, context, 1);
		state->values[state->count++] = y;
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(sbp_fit_combinefn);
/*
 * Combine: the values of both states, the options of whichever has them
 */
Datum
sbp_fit_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo);
	SbpFitState *state = PG_ARGISNULL(0) ? state_new(context) : (SbpFitState *) PG_GETARG_POINTER(0);
	SbpFitState *other = PG_ARGISNULL(1) ? NULL : (SbpFitState *) PG_GETARG_POINTER(1);

	if (other == NULL)
		PG_RETURN_POINTER(state);
	if (!state->options.given)
		state->options = other->options;
	if (other->count > 0)
	{
		state_reserve(state, context, other->count);
		memcpy(state->values + state->count, other->values, sizeof(double) * other->count);
		state->count += other->count;
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(sbp_fit_serialfn);
/*
 * Serialize: the options, the count, then the values
 */
Datum
sbp_fit_serialfn(PG_FUNCTION_ARGS)
{
	SbpFitState *state = (SbpFitState *) PG_GETARG_POINTER(0);
	Size		size = VARHDRSZ + sizeof(SbpFitOptions) + sizeof(int64) + sizeof(double) * state->count;
	bytea	   *out = palloc(size);
	char	   *p = VARDATA(out);

	SET_VARSIZE(out, size);
	memcpy(p, &state->options, sizeof(SbpFitOptions));
	memcpy(p + sizeof(SbpFitOptions), &state->count, sizeof(int64));
	memcpy(p + sizeof(SbpFitOptions) + sizeof(int64), state->values, sizeof(double) * state->count);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(sbp_fit_deserialfn);
/*
 * Deserialize what sbp_fit_serialfn wrote, checking its length
 */
Datum
sbp_fit_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		length = VARSIZE_ANY_EXHDR(in);
	SbpFitState *state = state_new(CurrentMemoryContext);
	int64		count;

	if (length < sizeof(SbpFitOptions) + sizeof(int64))
		elog(ERROR, "sbp_fit state is truncated");
	memcpy(&state->options, p, sizeof(SbpFitOptions));
	memcpy(&count, p + sizeof(SbpFitOptions), sizeof(int64));
	if (count < 0 || count > SBP_FIT_MAX_VALUES || state->options.bins < 0 ||
		state->options.bins > SBP_MAX_BINS || !(state->options.prior >= 0.0) ||
		!(state->options.alpha > 0.0 && state->options.alpha < 0.5) ||
		length != sizeof(SbpFitOptions) + sizeof(int64) + sizeof(double) * count)
		elog(ERROR, "sbp_fit state is corrupt");
	if (count > 0)
	{
		state_reserve(state, CurrentMemoryContext, count);
		memcpy(state->values, p + sizeof(SbpFitOptions) + sizeof(int64), sizeof(double) * count);
		state->count = count;
	}
	PG_RETURN_POINTER(state);
}

/*
 * Fit an SBP to n >= 1 finite values, which are sorted here in place (sorting leaves the
 * multiset of values, which is all a sample means, unchanged, and makes the fit
 * independent of their order): lib/sbp_mle.c's steps, the distribution built and checked
 * by sbp_from_masses like any other
 */
static Sbp *
fit_values(const SbpMleOptions *options, double *y, int64 n)
{
	SbpParams	fit;
	SbpMleStatus status;
	double	   *mass;
	Sbp		   *d;

	qsort(y, n, sizeof(double), sbp_mle_compare);
	status = sbp_mle_layout(options, y, n, &fit);
	if (status == SBP_MLE_TOO_FEW_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp_fit needs at least %d values, not %lld", SBP_FIT_MIN_VALUES, (long long) n),
				 errhint("Fit a larger sample.")));
	if (status == SBP_MLE_ALL_EQUAL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp_fit needs at least two distinct values"),
				 errdetail("All %lld values are %g.", (long long) n, y[0]),
				 errhint("Fit a sample with at least two distinct values.")));
	mass = palloc(sizeof(double) * fit.bins);
	sbp_mle_counts(options, y, n, &fit, mass);
	d = sbp_from_masses(fit.lower, fit.upper, fit.bins, mass, fit.alpha,
						fit.xi_lo, fit.beta_lo, fit.xi_hi, fit.beta_hi);
	pfree(mass);
	fit = sbp_view(d);
	sbp_mle_tails(y, n, &fit);
	d->xi_lo = fit.xi_lo;
	d->beta_lo = fit.beta_lo;
	d->xi_hi = fit.xi_hi;
	d->beta_hi = fit.beta_hi;
	return d;
}

/* The lib/sbp_mle.h form of the aggregate's options */
static SbpMleOptions
mle_options(const SbpFitOptions *options)
{
	SbpMleOptions o;

	o.lower = options->lower;
	o.upper = options->upper;
	o.alpha = options->alpha;
	o.prior = options->prior;
	o.bins = options->bins;
	return o;
}

PG_FUNCTION_INFO_V1(sbp_fit_finalfn);
/*
 * Final: the fitted distribution, or NULL for no values
 */
Datum
sbp_fit_finalfn(PG_FUNCTION_ARGS)
{
	SbpFitState *state = PG_ARGISNULL(0) ? NULL : (SbpFitState *) PG_GETARG_POINTER(0);
	SbpMleOptions options;

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	options = mle_options(&state->options);
	PG_RETURN_SBP_P(fit_values(&options, state->values, state->count));
}

/*
 * ngs.sbp_fit(y) with no options over n values in any order, for C callers: the same
 * distribution, bit for bit, and the same errors; NULL for no values
 */
Sbp *
sbp_fit_doubles(const double *values, int64 n)
{
	double	   *y;
	Sbp		   *d;

	if (n <= 0)
		return NULL;
	check_count(n);
	for (int64 i = 0; i < n; i++)
		check_value(values[i]);
	y = palloc(sizeof(double) * n);
	memcpy(y, values, sizeof(double) * n);
	d = fit_values(&sbp_mle_default_options, y, n);
	pfree(y);
	return d;
}
