/*
 * sbp_mle.c: the maximum-likelihood SBP of a sorted sample (shared/design/sbp.md,
 * Fitting): the bin range and count from the options or the sample, the bin masses from
 * the counts plus a pseudo-count, and each tail by GPD maximum likelihood on the excesses
 * past its splice point.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "sbp_mle.h"

/* The default options: range and bins from the sample */
const SbpMleOptions sbp_mle_default_options = {NAN, NAN, SBP_DEFAULT_ALPHA, SBP_FIT_DEFAULT_PRIOR, 0};

/* Order doubles for qsort; the values are finite */
int
sbp_mle_compare(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* What a status means, in a few words */
const char *
sbp_mle_status_text(SbpMleStatus status)
{
	switch (status)
	{
		case SBP_MLE_OK:
			return "fitted";
		case SBP_MLE_TOO_FEW_VALUES:
			return "too few values";
		case SBP_MLE_ALL_EQUAL:
			return "all values equal";
	}
	return "unknown sbp_mle status";
}

/*
 * The bin range and count
 */

/* The q-quantile of sorted values, linearly interpolated (Hyndman and Fan type 7) */
static double
sorted_quantile(const double *sorted, int64_t count, double q)
{
	double		h = (count - 1) * q;
	int64_t		i = (int64_t) floor(h);

	if (i + 1 >= count)
		return sorted[count - 1];
	return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
}

/* The default bin count for n values: ceil(2*N^(1/3)) within 2..SBP_FIT_MAX_AUTO_BINS */
static int
auto_bins(int64_t n)
{
	double		bins = ceil(2.0 * cbrt((double) n));

	bins = bins > 2.0 ? bins : 2.0;
	return (int) (bins < SBP_FIT_MAX_AUTO_BINS ? bins : SBP_FIT_MAX_AUTO_BINS);
}

/*
 * The distribution's layout: the range from the options where given, else the sample's
 * alpha/2 and 1 - alpha/2 quantiles (its extremes should those coincide); the bin count
 * from the options, else auto_bins; alpha from the options and provisional exponential
 * tails.  The range is not checked here.
 */
SbpMleStatus
sbp_mle_layout(const SbpMleOptions *options, const double *sorted, int64_t n, SbpParams *fit)
{
	bool		from_sample = isnan(options->lower) && isnan(options->upper);
	double		lower;
	double		upper;

	if (n < SBP_FIT_MIN_VALUES)
		return SBP_MLE_TOO_FEW_VALUES;
	lower = isnan(options->lower) ? sorted_quantile(sorted, n, options->alpha / 2.0) : options->lower;
	upper = isnan(options->upper) ? sorted_quantile(sorted, n, 1.0 - options->alpha / 2.0) : options->upper;
	if (upper <= lower && from_sample)
	{
		lower = sorted[0];
		upper = sorted[n - 1];
	}
	if (upper <= lower && from_sample)
		return SBP_MLE_ALL_EQUAL;
	fit->lower = lower;
	fit->upper = upper;
	fit->bins = options->bins > 0 ? options->bins : auto_bins(n);
	fit->alpha = options->alpha;
	fit->xi_lo = 0.0;
	fit->beta_lo = 1.0;
	fit->xi_hi = 0.0;
	fit->beta_hi = 1.0;
	fit->mass = NULL;
	return SBP_MLE_OK;
}

/*
 * The bin masses before normalisation, (count_k + prior)/(n + bins*prior), into the
 * caller's array of fit->bins doubles
 */
void
sbp_mle_counts(const SbpMleOptions *options, const double *sorted, int64_t n,
			   const SbpParams *fit, double *mass)
{
	for (int k = 0; k < fit->bins; k++)
		mass[k] = 0.0;
	for (int64_t i = 0; i < n; i++)
		mass[sbp_math_bin_of(fit->lower, fit->upper, fit->bins, sorted[i])] += 1.0;
	for (int k = 0; k < fit->bins; k++)
		mass[k] = (mass[k] + options->prior) / (n + fit->bins * options->prior);
}

/*
 * The tails
 */

/*
 * The excesses past one splice point, read from the sorted sample: tau - y[i] for the m
 * lowest values (the lower tail), y[n-1-i] - tau for the m highest (the upper tail)
 */
typedef struct Excesses
{
	const double *sorted;
	int64_t		last;			/* n - 1 */
	int64_t		m;				/* how many excesses */
	double		tau;			/* the splice point */
	bool		upper;			/* the upper tail */
} Excesses;

/* The i-th excess, i < m */
static inline double
excess(const Excesses *z, int64_t i)
{
	return z->upper ? z->sorted[z->last - i] - z->tau : z->tau - z->sorted[i];
}

/*
 * The GPD log likelihood per excess, maximised over the scale, at theta = xi/beta
 * (Grimshaw 1993): with xi(theta) the mean of log1p(theta*z), it is
 * -log(xi/theta) - xi - 1, and -log(mean z) - 1 at theta = 0.  Shapes below
 * SBP_FIT_MIN_XI are excluded (-Infinity).
 */
static double
profile_loglik(const Excesses *z, double mean, double theta, double *xi)
{
	double		sum = 0.0;

	if (theta == 0.0)
	{
		*xi = 0.0;
		return -log(mean) - 1.0;
	}
	for (int64_t i = 0; i < z->m; i++)
		sum += log1p(theta * excess(z, i));
	*xi = sum / z->m;
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
best_theta(const Excesses *z, double mean, double zmax)
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
		double		l = profile_loglik(z, mean, grid[j], &shape);

		if (l > best)
		{
			best = l;
			b = j;
		}
	}
	lo = grid[b - 1 > 0 ? b - 1 : 0];
	hi = grid[b + 1 < THETA_GRID - 1 ? b + 1 : THETA_GRID - 1];
	for (int step = 0; step < GOLDEN_STEPS; step++)
	{
		double		left = hi - golden * (hi - lo);
		double		right = lo + golden * (hi - lo);

		if (profile_loglik(z, mean, left, &shape) >= profile_loglik(z, mean, right, &shape))
			hi = right;
		else
			lo = left;
	}
	if (profile_loglik(z, mean, (lo + hi) / 2.0, &shape) < best)
		return grid[b];
	return (lo + hi) / 2.0;
}

/*
 * Fit a GPD to the positive excesses by maximum likelihood.  Fewer than
 * SBP_FIT_MIN_EXCESSES excesses give an exponential tail with the mean excess as scale
 * (or fallback_beta when there is none).
 */
static void
fit_gpd(const Excesses *z, double fallback_beta, double *xi, double *beta)
{
	double		mean = 0.0;
	double		zmax = 0.0;
	double		theta;

	for (int64_t i = 0; i < z->m; i++)
	{
		double		e = excess(z, i);

		mean += e / z->m;
		zmax = zmax > e ? zmax : e;
	}
	*xi = 0.0;
	*beta = z->m > 0 ? mean : fallback_beta;
	if (z->m < SBP_FIT_MIN_EXCESSES)
		return;
	theta = best_theta(z, mean, zmax);
	profile_loglik(z, mean, theta, xi);
	*beta = theta == 0.0 ? mean : *xi / theta;
}

/*
 * Each tail of a fit whose masses are set, by GPD maximum likelihood on the excesses past
 * its splice point; a tail with no excess gets the bin width as scale
 */
void
sbp_mle_tails(const double *sorted, int64_t n, SbpParams *fit)
{
	Excesses	below = {sorted, n - 1, 0, 0.0, false};
	Excesses	above = {sorted, n - 1, 0, 0.0, true};
	double		width = (fit->upper - fit->lower) / fit->bins;

	sbp_math_splice_points(fit, &below.tau, &above.tau);
	while (below.m < n && sorted[below.m] < below.tau)
		below.m++;
	while (above.m < n && sorted[n - 1 - above.m] > above.tau)
		above.m++;
	fit_gpd(&below, width, &fit->xi_lo, &fit->beta_lo);
	fit_gpd(&above, width, &fit->xi_hi, &fit->beta_hi);
}
