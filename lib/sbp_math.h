/*
 * sbp_math.h: the spliced binned-Pareto distribution (shared/design/sbp.md) in double
 * precision, over a plain view of its parameters: validation as status codes, building
 * the bin masses from masses or logits, and CDF, density, quantile, mean and CRPS.
 *
 * Nothing here allocates or fails: the checks return an SbpStatus for the caller to
 * report, and the evaluations are defined for every valid distribution.
 */
#ifndef SBP_MATH_H
#define SBP_MATH_H

#include <stdbool.h>
#include <stdint.h>

/* Limits and tolerances of the distribution, documented in the README */
#define SBP_MAX_BINS		1000	/* bins per distribution */
#define SBP_DEFAULT_ALPHA	0.05	/* tail mass on each side */
#define SBP_MASS_TOLERANCE	1e-9	/* |sum of masses - 1| accepted before renormalising */
#define SBP_MIN_WIDTH_RATIO	1e-12	/* bin width >= this times max(|L|, |U|) */
#define SBP_XI_EXPONENTIAL	1e-15	/* |xi| below this uses the exponential limit */

/*
 * A distribution: bins n equal bins on [lower, upper] with masses mass[0..n-1] summing
 * to 1, tail mass alpha on each side, and the GPD tails (xi_lo, beta_lo), (xi_hi, beta_hi).
 * mass points at the caller's array (for the glue, straight into the stored value).
 */
typedef struct SbpParams
{
	double		lower;			/* L, left edge of the first bin */
	double		upper;			/* U, right edge of the last bin, U > L */
	double		alpha;			/* tail mass on each side, in (0, 1/2) */
	double		xi_lo;			/* lower GPD tail shape, any finite real */
	double		beta_lo;		/* lower GPD tail scale, > 0 */
	double		xi_hi;			/* upper GPD tail shape, any finite real */
	double		beta_hi;		/* upper GPD tail scale, > 0 */
	int			bins;			/* n, 2..SBP_MAX_BINS */
	const double *mass;			/* p_1..p_n */
} SbpParams;

/* What a check found wrong, in the order the checks run */
typedef enum SbpStatus
{
	SBP_OK = 0,
	SBP_TOO_MANY_BINS,			/* more than SBP_MAX_BINS bins */
	SBP_TOO_FEW_BINS,			/* fewer than 2 bins */
	SBP_RANGE_NOT_FINITE,		/* L, U or U - L is not finite */
	SBP_RANGE_NOT_INCREASING,	/* L >= U */
	SBP_BINS_TOO_NARROW,		/* w < SBP_MIN_WIDTH_RATIO * max(|L|, |U|), or w < DBL_MIN */
	SBP_ALPHA_OUT_OF_RANGE,		/* alpha not in (0, 1/2) */
	SBP_XI_LO_NOT_FINITE,		/* xi_lo is NaN or infinite */
	SBP_BETA_LO_NOT_POSITIVE,	/* beta_lo is not positive and finite */
	SBP_XI_HI_NOT_FINITE,		/* xi_hi is NaN or infinite */
	SBP_BETA_HI_NOT_POSITIVE,	/* beta_hi is not positive and finite */
	SBP_MASS_INVALID,			/* a mass is negative or not finite */
	SBP_MASS_SUM,				/* the masses do not sum to 1 within SBP_MASS_TOLERANCE */
	SBP_LOGIT_NOT_FINITE		/* a logit is NaN or infinite */
} SbpStatus;

/* Checking; sbp_math_check runs them all: bins, range, alpha, lower tail, upper tail, masses */
extern SbpStatus sbp_math_check_bins(int64_t bins);
extern SbpStatus sbp_math_check_range(double lower, double upper, int bins);
extern SbpStatus sbp_math_check_alpha(double alpha);
extern SbpStatus sbp_math_check_tails(double xi_lo, double beta_lo, double xi_hi, double beta_hi);
extern SbpStatus sbp_math_check_shape(const SbpParams *d);
extern SbpStatus sbp_math_check_masses(const double *mass, int bins, int *bad, double *sum);
extern SbpStatus sbp_math_check_logits(const double *logits, int bins, int *bad);
extern SbpStatus sbp_math_check(const SbpParams *d, int *bad, double *sum);
extern const char *sbp_math_status_text(SbpStatus status);

/* Building the masses into a caller's array of bins doubles (after the checks) */
extern void sbp_math_normalise(const double *mass, int bins, double sum, double *out);
extern void sbp_math_softmax(const double *logits, int bins, double *out);

/* Evaluating (sbp.md): no allocation, never fails */
extern int	sbp_math_bin_of(double lower, double upper, int bins, double x);
extern void sbp_math_splice_points(const SbpParams *d, double *tau_lo, double *tau_hi);
extern double sbp_math_cdf(const SbpParams *d, double x);
extern double sbp_math_pdf(const SbpParams *d, double x);
extern double sbp_math_logpdf(const SbpParams *d, double x);
extern double sbp_math_quantile(const SbpParams *d, double q);
extern double sbp_math_mean(const SbpParams *d);
extern double sbp_math_crps(const SbpParams *d, double y);

#endif
