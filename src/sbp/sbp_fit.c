/*
 * sbp_fit.c: the ngs.sbp_fit aggregate, the maximum-likelihood SBP of a sample (the
 * "no context" baseline of shared/design/sbp.md, Fitting).
 *
 * The state keeps the values; the final function sorts them (so serial and parallel
 * plans give the same result), takes the bin range and count from the options or the
 * sample, the bin masses from the counts plus a pseudo-count, and each tail by GPD
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

/* Make room for more values, within SBP_FIT_MAX_VALUES */
static void
state_reserve(SbpFitState *state, MemoryContext context, int64 more)
{
	int64		needed = state->count + more;

	if (needed > SBP_FIT_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sbp_fit keeps at most %d values per group", SBP_FIT_MAX_VALUES),
				 errhint("Fit a random sample of the rows, e.g. with TABLESAMPLE.")));
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

		if (!isfinite(y))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sbp_fit values must be finite, not %g", y),
					 errhint("Filter out NaN and infinite values.")));
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

/* Order doubles for qsort */
static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* The q-quantile of sorted values, linearly interpolated (Hyndman and Fan type 7) */
static double
sorted_quantile(const double *sorted, int64 count, double q)
{
	double		h = (count - 1) * q;
	int64		i = (int64) floor(h);

	if (i + 1 >= count)
		return sorted[count - 1];
	return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
}

/*
 * The GPD log likelihood per excess, maximised over the scale, at theta = xi/beta
 * (Grimshaw 1993): with xi(theta) the mean of log1p(theta*z), it is
 * -log(xi/theta) - xi - 1, and -log(mean z) - 1 at theta = 0.  Shapes below
 * SBP_FIT_MIN_XI are excluded (-Infinity).
 */
static double
profile_loglik(const double *z, int64 m, double mean, double theta, double *xi)
{
	double		sum = 0.0;

	if (theta == 0.0)
	{
		*xi = 0.0;
		return -log(mean) - 1.0;
	}
	for (int64 i = 0; i < m; i++)
		sum += log1p(theta * z[i]);
	*xi = sum / m;
	if (!(*xi >= SBP_FIT_MIN_XI))
		return -INFINITY;
	return -log(*xi / theta) - *xi - 1.0;
}

#define THETA_GRID		133		/* 31 values below 0, 0, 101 above */
#define GOLDEN_STEPS	60		/* shrink the bracket by 0.618^60 */

/*
 * The theta = xi/beta of largest profile likelihood for m >= 2 excesses: the best of a
 * grid from -1/max z to 10^6/mean z, refined by golden-section search between its grid
 * neighbours
 */
static double
best_theta(const double *z, int64 m, double mean, double zmax)
{
	const double golden = (sqrt(5.0) - 1.0) / 2.0;
	double		grid[THETA_GRID];
	double		best = -INFINITY;
	double		shape;
	double		lo;
	double		hi;
	int			b = 0;

	for (int j = 0; j <= 30; j++)	/* -1/zmax up to -10^-3/zmax */
		grid[j] = -pow(10.0, -j / 10.0) / zmax;
	grid[31] = 0.0;
	for (int j = 0; j <= 100; j++)	/* 10^-4/mean up to 10^6/mean */
		grid[32 + j] = pow(10.0, (j - 40) / 10.0) / mean;
	for (int j = 0; j < THETA_GRID; j++)
	{
		double		l = profile_loglik(z, m, mean, grid[j], &shape);

		if (l > best)
		{
			best = l;
			b = j;
		}
	}
	lo = grid[Max(b - 1, 0)];
	hi = grid[Min(b + 1, THETA_GRID - 1)];
	for (int step = 0; step < GOLDEN_STEPS; step++)
	{
		double		left = hi - golden * (hi - lo);
		double		right = lo + golden * (hi - lo);

		if (profile_loglik(z, m, mean, left, &shape) >= profile_loglik(z, m, mean, right, &shape))
			hi = right;
		else
			lo = left;
	}
	if (profile_loglik(z, m, mean, (lo + hi) / 2.0, &shape) < best)
		return grid[b];
	return (lo + hi) / 2.0;
}

/*
 * Fit a GPD to m positive excesses by maximum likelihood.  Fewer than
 * SBP_FIT_MIN_EXCESSES excesses give an exponential tail with the mean excess as scale
 * (or fallback_beta when there is none).
 */
static void
fit_gpd(const double *z, int64 m, double fallback_beta, double *xi, double *beta)
{
	double		mean = 0.0;
	double		zmax = 0.0;
	double		theta;

	for (int64 i = 0; i < m; i++)
	{
		mean += z[i] / m;
		zmax = Max(zmax, z[i]);
	}
	*xi = 0.0;
	*beta = m > 0 ? mean : fallback_beta;
	if (m < SBP_FIT_MIN_EXCESSES)
		return;
	theta = best_theta(z, m, mean, zmax);
	profile_loglik(z, m, mean, theta, xi);
	*beta = theta == 0.0 ? mean : *xi / theta;
}

/* The bin range and count: the options where given, else from the sorted sample */
static void
choose_bins(const SbpFitOptions *options, const double *sorted, int64 count,
			double *lower, double *upper, int *bins)
{
	*lower = isnan(options->lower) ? sorted_quantile(sorted, count, options->alpha / 2.0) : options->lower;
	*upper = isnan(options->upper) ? sorted_quantile(sorted, count, 1.0 - options->alpha / 2.0) : options->upper;
	if (*upper <= *lower && isnan(options->lower) && isnan(options->upper))
	{
		*lower = sorted[0];
		*upper = sorted[count - 1];
	}
	if (*upper <= *lower && isnan(options->lower) && isnan(options->upper))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp_fit needs at least two distinct values"),
				 errdetail("All %lld values are %g.", (long long) count, sorted[0]),
				 errhint("Fit a sample with at least two distinct values.")));
	*bins = options->bins > 0 ? options->bins
		: (int) Min(Max(ceil(2.0 * cbrt((double) count)), 2.0), SBP_FIT_MAX_AUTO_BINS);
}

PG_FUNCTION_INFO_V1(sbp_fit_finalfn);
/*
 * Final: the fitted distribution, or NULL for no values
 */
Datum
sbp_fit_finalfn(PG_FUNCTION_ARGS)
{
	SbpFitState *state = PG_ARGISNULL(0) ? NULL : (SbpFitState *) PG_GETARG_POINTER(0);
	double	   *y;
	int64		n;
	double		lower;
	double		upper;
	int			bins;
	double	   *mass;
	double		tau_lo;
	double		tau_hi;
	int64		below = 0;
	int64		above = 0;
	double	   *excess;
	Sbp		   *d;

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	y = state->values;
	n = state->count;
	if (n < SBP_FIT_MIN_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp_fit needs at least %d values, not %lld", SBP_FIT_MIN_VALUES, (long long) n),
				 errhint("Fit a larger sample.")));
	/* sorting leaves the multiset of values, which is all the state means, unchanged */
	qsort(y, n, sizeof(double), compare_doubles);
	choose_bins(&state->options, y, n, &lower, &upper, &bins);

	/* bin masses from counts plus the prior; tails provisional until tau is known */
	mass = palloc0(sizeof(double) * bins);
	for (int64 i = 0; i < n; i++)
		mass[sbp_bin_of(lower, upper, bins, y[i])] += 1.0;
	for (int k = 0; k < bins; k++)
		mass[k] = (mass[k] + state->options.prior) / (n + bins * state->options.prior);
	d = sbp_from_masses(lower, upper, bins, mass, state->options.alpha, 0.0, 1.0, 0.0, 1.0);
	sbp_splice_points(d, &tau_lo, &tau_hi);

	/* each tail by GPD maximum likelihood on the excesses past its splice point */
	while (below < n && y[below] < tau_lo)
		below++;
	while (above < n && y[n - 1 - above] > tau_hi)
		above++;
	excess = palloc(sizeof(double) * Max(Max(below, above), 1));
	for (int64 i = 0; i < below; i++)
		excess[i] = tau_lo - y[i];
	fit_gpd(excess, below, (upper - lower) / bins, &d->xi_lo, &d->beta_lo);
	for (int64 i = 0; i < above; i++)
		excess[i] = y[n - 1 - i] - tau_hi;
	fit_gpd(excess, above, (upper - lower) / bins, &d->xi_hi, &d->beta_hi);
	PG_RETURN_SBP_P(d);
}
