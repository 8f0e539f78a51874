/*
 * sbp_math.c: the spliced binned-Pareto distribution of shared/design/sbp.md in double
 * precision: validation, the bin masses, and the math over an SbpParams view.
 *
 * Bins are numbered from 0 here: bin k spans [e_k, e_{k+1}) with e_k = L + k*w, and
 * C_k = mass[0] + ... + mass[k-1], summed in that order.
 */
#include <float.h>
#include <math.h>

#include "sbp_math.h"

/* The larger of two doubles, the first when they are unordered (PostgreSQL's Max) */
static inline double
max_of(double a, double b)
{
	return a > b ? a : b;
}

/* The smaller of two doubles, the second when they are unordered (PostgreSQL's Min) */
static inline double
min_of(double a, double b)
{
	return a < b ? a : b;
}

/*
 * Validation: each check returns the first problem it finds
 */

/* A bin count outside 2..SBP_MAX_BINS */
SbpStatus
sbp_math_check_bins(int64_t bins)
{
	if (bins > SBP_MAX_BINS)
		return SBP_TOO_MANY_BINS;
	if (bins < 2)
		return SBP_TOO_FEW_BINS;
	return SBP_OK;
}

/* A bin range that is not finite, not increasing, or too narrow for distinct edges */
SbpStatus
sbp_math_check_range(double lower, double upper, int bins)
{
	double		width = (upper - lower) / bins;

	if (!isfinite(lower) || !isfinite(upper) || !isfinite(upper - lower))
		return SBP_RANGE_NOT_FINITE;
	if (lower >= upper)
		return SBP_RANGE_NOT_INCREASING;
	if (width < SBP_MIN_WIDTH_RATIO * max_of(fabs(lower), fabs(upper)) || width < DBL_MIN)
		return SBP_BINS_TOO_NARROW;
	return SBP_OK;
}

/* A tail mass outside (0, 1/2) */
SbpStatus
sbp_math_check_alpha(double alpha)
{
	if (!(alpha > 0.0 && alpha < 0.5))
		return SBP_ALPHA_OUT_OF_RANGE;
	return SBP_OK;
}

/* A tail with a non-finite shape or a scale that is not positive and finite */
SbpStatus
sbp_math_check_tails(double xi_lo, double beta_lo, double xi_hi, double beta_hi)
{
	if (!isfinite(xi_lo))
		return SBP_XI_LO_NOT_FINITE;
	if (!(beta_lo > 0.0 && isfinite(beta_lo)))
		return SBP_BETA_LO_NOT_POSITIVE;
	if (!isfinite(xi_hi))
		return SBP_XI_HI_NOT_FINITE;
	if (!(beta_hi > 0.0 && isfinite(beta_hi)))
		return SBP_BETA_HI_NOT_POSITIVE;
	return SBP_OK;
}

/* Every parameter but the masses: bins, range, alpha, then the tails */
SbpStatus
sbp_math_check_shape(const SbpParams *d)
{
	SbpStatus	status = sbp_math_check_bins(d->bins);

	if (status == SBP_OK)
		status = sbp_math_check_range(d->lower, d->upper, d->bins);
	if (status == SBP_OK)
		status = sbp_math_check_alpha(d->alpha);
	if (status == SBP_OK)
		status = sbp_math_check_tails(d->xi_lo, d->beta_lo, d->xi_hi, d->beta_hi);
	return status;
}

/*
 * Masses that are negative or not finite (*bad is the first such bin) or do not sum to 1
 * within SBP_MASS_TOLERANCE; *sum is their sum, in bin order, when every mass is valid
 */
SbpStatus
sbp_math_check_masses(const double *mass, int bins, int *bad, double *sum)
{
	*sum = 0.0;
	for (int k = 0; k < bins; k++)
	{
		if (!(mass[k] >= 0.0 && isfinite(mass[k])))
		{
			*bad = k;
			return SBP_MASS_INVALID;
		}
		*sum += mass[k];
	}
	if (!(fabs(*sum - 1.0) <= SBP_MASS_TOLERANCE))
		return SBP_MASS_SUM;
	return SBP_OK;
}

/* Logits that are not finite; *bad is the first such bin */
SbpStatus
sbp_math_check_logits(const double *logits, int bins, int *bad)
{
	for (int k = 0; k < bins; k++)
		if (!isfinite(logits[k]))
		{
			*bad = k;
			return SBP_LOGIT_NOT_FINITE;
		}
	return SBP_OK;
}

/* Every invariant of a distribution, the masses last (*bad and *sum as for the masses) */
SbpStatus
sbp_math_check(const SbpParams *d, int *bad, double *sum)
{
	SbpStatus	status = sbp_math_check_shape(d);

	if (status != SBP_OK)
		return status;
	return sbp_math_check_masses(d->mass, d->bins, bad, sum);
}

/* What a status means, in a few words, in SbpStatus order */
static const char *const status_texts[] = {
	"valid", "too many bins", "too few bins", "bin range not finite",
	"lower bound not below upper bound", "bins too narrow for their position",
	"tail mass alpha not in (0, 0.5)", "xi_lo not finite", "beta_lo not positive and finite",
	"xi_hi not finite", "beta_hi not positive and finite", "bin mass negative or not finite",
	"bin masses do not sum to 1", "logit not finite"
};

/* A compile-time check that status_texts names every status */
typedef char status_texts_name_every_status[sizeof(status_texts) / sizeof(status_texts[0]) == SBP_LOGIT_NOT_FINITE + 1 ? 1 : -1];

/* What a status means, in a few words */
const char *
sbp_math_status_text(SbpStatus status)
{
	if ((int) status < 0 || status > SBP_LOGIT_NOT_FINITE)
		return "unknown sbp status";
	return status_texts[status];
}

/*
 * The bin masses
 */

/* Masses that passed sbp_math_check_masses, divided by their sum */
void
sbp_math_normalise(const double *mass, int bins, double sum, double *out)
{
	for (int k = 0; k < bins; k++)
		out[k] = mass[k] / sum;
}

/*
 * Masses p = softmax(logits) of finite logits, the maximum subtracted before exp (sbp.md,
 * Parameters)
 */
void
sbp_math_softmax(const double *logits, int bins, double *out)
{
	double		top = -INFINITY;
	double		sum = 0.0;

	for (int k = 0; k < bins; k++)
		top = max_of(top, logits[k]);
	for (int k = 0; k < bins; k++)
	{
		out[k] = exp(logits[k] - top);
		sum += out[k];
	}
	for (int k = 0; k < bins; k++)
		out[k] /= sum;
}

/*
 * The generalized Pareto tail (sbp.md, Tails), on the excess z >= 0 past a splice point
 */

/* True when the GPD is evaluated by its exponential limit (|xi| tiny, sbp.md Tails) */
static inline bool
gpd_is_exponential(double xi)
{
	return fabs(xi) < SBP_XI_EXPONENTIAL;
}

/*
 * log(1 + xi*z/beta), the quantity every GPD formula is built on; -Infinity at and past
 * the end z_max = -beta/xi of a finite (xi < 0) tail.  When xi*z/beta overflows, the
 * same value is computed from log(xi*z/beta).
 */
static inline double
gpd_log1p(double xi, double beta, double z)
{
	double		t = xi * z / beta;
	double		log_t;

	if (t <= -1.0)
		return -INFINITY;
	if (isfinite(t))
		return log1p(t);
	log_t = log(xi) + log(z) - log(beta);
	return log_t + log1p(exp(-log_t));
}

/*
 * log S(z) = log(1 - G(z)) = -log1p(xi*z/beta)/xi, or -z/beta at xi = 0 (sbp.md, Tails:
 * the stable form of G); -Infinity past the end of a finite tail
 */
static double
gpd_log_survival(double xi, double beta, double z)
{
	if (gpd_is_exponential(xi))
		return -z / beta;
	return -gpd_log1p(xi, beta, z) / xi;
}

/* The GPD survival S(z) = 1 - G(z) (sbp.md, Tails) */
static inline double
gpd_survival(double xi, double beta, double z)
{
	return exp(gpd_log_survival(xi, beta, z));
}

/*
 * The excess whose log survival is log_s: G^-1(u) = beta*expm1(-xi*log1p(-u))/xi, or
 * -beta*log1p(-u) at xi = 0, with log1p(-u) = log_s (sbp.md, Tails)
 */
static double
gpd_inverse(double xi, double beta, double log_s)
{
	if (gpd_is_exponential(xi))
		return -beta * log_s;
	return beta * expm1(-xi * log_s) / xi;
}

/*
 * log g(z) = -log(beta) - (1 + 1/xi)*log1p(xi*z/beta), or -log(beta) - z/beta at xi = 0
 * (sbp.md, Tails); -Infinity at and past the end z_max of a finite tail
 */
static double
gpd_log_density(double xi, double beta, double z)
{
	double		l;

	if (gpd_is_exponential(xi))
		return -log(beta) - z / beta;
	l = gpd_log1p(xi, beta, z);
	if (l == -INFINITY)
		return -INFINITY;
	return -log(beta) - (1.0 + 1.0 / xi) * l;
}

/*
 * The integral of S^k from 0 to d (k = 1, 2): beta/(k - xi)*[1 - (1 + xi*d/beta)^((xi-k)/xi)]
 * = -beta*expm1((k - xi)*log S(d))/(k - xi), and -beta*log S(d) when xi = k (sbp.md, CRPS)
 */
static double
gpd_survival_integral(double xi, double beta, double d, double k)
{
	double		log_s = gpd_log_survival(xi, beta, d);

	if (xi == k)
		return -beta * log_s;
	return -beta * expm1((k - xi) * log_s) / (k - xi);
}

/*
 * The integral of S^k from d to infinity: beta/(k - xi)*S(d)^(k - xi), infinite when
 * xi >= k (sbp.md, CRPS: the integral of S^2 from 0 is beta/(2 - xi))
 */
static double
gpd_survival_tail_integral(double xi, double beta, double d, double k)
{
	if (xi >= k)
		return INFINITY;
	return beta * exp((k - xi) * gpd_log_survival(xi, beta, d)) / (k - xi);
}

/*
 * The body: the binned distribution on [L, U] (sbp.md, Body)
 */

/* Bin width w = (U - L)/n */
static inline double
sbp_width(const SbpParams *d)
{
	return (d->upper - d->lower) / d->bins;
}

/* Edge e_k = L + k*w, with e_n = U */
static inline double
sbp_edge(const SbpParams *d, int k)
{
	return k == d->bins ? d->upper : d->lower + k * sbp_width(d);
}

/*
 * The bin k with e_k <= x < e_{k+1} for the computed edges, clamped to 0..n-1
 */
int
sbp_math_bin_of(double lower, double upper, int bins, double x)
{
	double		width = (upper - lower) / bins;
	double		u = (x - lower) / width;
	int			k = u >= bins ? bins - 1 : (u >= 0.0 ? (int) u : 0);	/* NaN gives 0 */

	while (k > 0 && x < lower + k * width)
		k--;
	while (k < bins - 1 && x >= lower + (k + 1) * width)
		k++;
	return k;
}

/*
 * Binned CDF F_B(x) = C_{k-1} + p_k*(x - e_{k-1})/w for x in bin k, 0 below L and 1 at
 * or above U (sbp.md, Body)
 */
static double
body_cdf(const SbpParams *d, double x)
{
	double		cumulative = 0.0;
	int			k;

	if (x < d->lower)
		return 0.0;
	if (x >= d->upper)
		return 1.0;
	k = sbp_math_bin_of(d->lower, d->upper, d->bins, x);
	for (int j = 0; j < k; j++)
		cumulative += d->mass[j];
	return cumulative + d->mass[k] * min_of((x - sbp_edge(d, k)) / sbp_width(d), 1.0);
}

/*
 * Binned quantile Q_B(q) = e_{k-1} + w*(q - C_{k-1})/p_k with k the first bin with
 * C_k > q (sbp.md, Body).  Should rounding leave C_n <= q, the top of the last bin with
 * mass is returned.
 */
static double
body_quantile(const SbpParams *d, double q)
{
	double		cumulative = 0.0;
	int			k;

	for (k = 0; k < d->bins; k++)
	{
		double		next = cumulative + d->mass[k];

		if (next > q)
			return sbp_edge(d, k) + sbp_width(d) * min_of((q - cumulative) / d->mass[k], 1.0);
		cumulative = next;
	}
	while (k > 1 && d->mass[k - 1] == 0.0)
		k--;
	return sbp_edge(d, k);
}

/*
 * Splice points tau_lo = Q_B(alpha) and tau_hi = Q_B(1 - alpha) (sbp.md, Body)
 */
void
sbp_math_splice_points(const SbpParams *d, double *tau_lo, double *tau_hi)
{
	*tau_lo = body_quantile(d, d->alpha);
	*tau_hi = body_quantile(d, 1.0 - d->alpha);
}

/*
 * The spliced distribution (sbp.md, The spliced distribution)
 */

/*
 * CDF: alpha*S_lo(tau_lo - x) below tau_lo, F_B(x) in the body (kept in [alpha, 1 - alpha]
 * against rounding, so F stays monotone), 1 - alpha*S_hi(x - tau_hi) above tau_hi
 */
double
sbp_math_cdf(const SbpParams *d, double x)
{
	double		tau_lo;
	double		tau_hi;

	if (isnan(x))
		return x;
	sbp_math_splice_points(d, &tau_lo, &tau_hi);
	if (x < tau_lo)
		return d->alpha * gpd_survival(d->xi_lo, d->beta_lo, tau_lo - x);
	if (x > tau_hi)
		return 1.0 - d->alpha * gpd_survival(d->xi_hi, d->beta_hi, x - tau_hi);
	return min_of(max_of(body_cdf(d, x), d->alpha), 1.0 - d->alpha);
}

/*
 * Density: alpha*g_lo(tau_lo - x), p_k/w in the body (tau_lo <= x <= tau_hi), or
 * alpha*g_hi(x - tau_hi)
 */
double
sbp_math_pdf(const SbpParams *d, double x)
{
	double		tau_lo;
	double		tau_hi;

	if (isnan(x))
		return x;
	sbp_math_splice_points(d, &tau_lo, &tau_hi);
	if (x < tau_lo)
		return d->alpha * exp(gpd_log_density(d->xi_lo, d->beta_lo, tau_lo - x));
	if (x > tau_hi)
		return d->alpha * exp(gpd_log_density(d->xi_hi, d->beta_hi, x - tau_hi));
	return d->mass[sbp_math_bin_of(d->lower, d->upper, d->bins, x)] / sbp_width(d);
}

/*
 * Log density, the logarithm of each piece of sbp_math_pdf
 */
double
sbp_math_logpdf(const SbpParams *d, double x)
{
	double		tau_lo;
	double		tau_hi;

	if (isnan(x))
		return x;
	sbp_math_splice_points(d, &tau_lo, &tau_hi);
	if (x < tau_lo)
		return log(d->alpha) + gpd_log_density(d->xi_lo, d->beta_lo, tau_lo - x);
	if (x > tau_hi)
		return log(d->alpha) + gpd_log_density(d->xi_hi, d->beta_hi, x - tau_hi);
	return log(d->mass[sbp_math_bin_of(d->lower, d->upper, d->bins, x)]) - log(sbp_width(d));
}

/*
 * Quantile: tau_lo - G_lo^-1(1 - q/alpha) for q < alpha, Q_B(q) in the body, and
 * tau_hi + G_hi^-1((q - (1 - alpha))/alpha) for q > 1 - alpha.  The tail arguments are
 * passed as log survivals, log(q/alpha) and log((1 - q)/alpha).  NaN for q outside [0, 1].
 */
double
sbp_math_quantile(const SbpParams *d, double q)
{
	double		tau_lo;
	double		tau_hi;

	if (!(q >= 0.0 && q <= 1.0))
		return NAN;
	sbp_math_splice_points(d, &tau_lo, &tau_hi);
	if (q < d->alpha)
		return tau_lo - gpd_inverse(d->xi_lo, d->beta_lo, log(q / d->alpha));
	if (q > 1.0 - d->alpha)
		return tau_hi + gpd_inverse(d->xi_hi, d->beta_hi, log((1.0 - q) / d->alpha));
	return body_quantile(d, q);
}

/*
 * Mean: alpha*(tau_lo - beta_lo/(1 - xi_lo)) + alpha*(tau_hi + beta_hi/(1 - xi_hi)) plus the
 * body's sum over bins clipped to [tau_lo, tau_hi] of (p_k/w)*(b^2 - a^2)/2.  A tail with
 * xi >= 1 has no mean: the result is -Infinity or +Infinity, and NaN when both have none.
 */
double
sbp_math_mean(const SbpParams *d)
{
	double		tau_lo;
	double		tau_hi;
	double		body = 0.0;

	sbp_math_splice_points(d, &tau_lo, &tau_hi);
	for (int k = 0; k < d->bins; k++)
	{
		double		a = max_of(sbp_edge(d, k), tau_lo);
		double		b = min_of(sbp_edge(d, k + 1), tau_hi);

		if (b > a)
			body += d->mass[k] / sbp_width(d) * (b - a) * (a + b) / 2.0;
	}
	return d->alpha * (tau_lo - gpd_survival_tail_integral(d->xi_lo, d->beta_lo, 0.0, 1.0))
		+ d->alpha * (tau_hi + gpd_survival_tail_integral(d->xi_hi, d->beta_hi, 0.0, 1.0))
		+ body;
}

/*
 * The integral over [a, b] of (F - c)^2 for F linear from fa to fb:
 * (b - a)*[(fa - c)^2 + (fa - c)(fb - c) + (fb - c)^2]/3 (sbp.md, CRPS)
 */
static inline double
segment_crps(double a, double b, double fa, double fb, double c)
{
	fa -= c;
	fb -= c;
	return (b - a) * (fa * fa + fa * fb + fb * fb) / 3.0;
}

/*
 * One tail's share of the CRPS, with reach the distance y lies past the splice point
 * into the tail: alpha^2 * integral of S^2 over [0, inf) when reach <= 0, else
 * alpha^2 * integral of S^2 over [reach, inf) plus the integral over [0, reach] of
 * (1 - alpha*S)^2 = reach - 2*alpha*I1 + alpha^2*I2 (each I_k is at most reach)
 */
static double
tail_crps(double xi, double beta, double alpha, double reach)
{
	double		beyond = gpd_survival_tail_integral(xi, beta, max_of(reach, 0.0), 2.0);
	double		i1;
	double		i2;

	if (isinf(beyond))
		return INFINITY;		/* xi >= 2, however small alpha^2 is */
	if (reach <= 0.0)
		return alpha * alpha * beyond;
	i1 = min_of(gpd_survival_integral(xi, beta, reach, 1.0), reach);
	i2 = min_of(gpd_survival_integral(xi, beta, reach, 2.0), reach);
	return alpha * alpha * beyond + reach - 2.0 * alpha * i1 + alpha * alpha * i2;
}

/*
 * The body's share of the CRPS: every bin clipped to [tau_lo, tau_hi], split at y,
 * integrated in closed form with c = 0 left of y and c = 1 right of it
 */
static double
body_crps(const SbpParams *d, double tau_lo, double tau_hi, double y)
{
	double		width = sbp_width(d);
	double		cumulative = 0.0;
	double		sum = 0.0;

	for (int k = 0; k < d->bins; k++)
	{
		double		e = sbp_edge(d, k);
		double		a = max_of(e, tau_lo);
		double		b = min_of(sbp_edge(d, k + 1), tau_hi);
		double		fa = cumulative + d->mass[k] * (a - e) / width;
		double		fb = cumulative + d->mass[k] * (b - e) / width;

		cumulative += d->mass[k];
		if (b <= a)
			continue;
		if (b <= y || a >= y)
			sum += segment_crps(a, b, fa, fb, b <= y ? 0.0 : 1.0);
		else
		{
			double		fy = cumulative - d->mass[k] + d->mass[k] * (y - e) / width;

			sum += segment_crps(a, y, fa, fy, 0.0) + segment_crps(y, b, fy, fb, 1.0);
		}
	}
	return sum;
}

/*
 * CRPS(F, y) = integral of F^2 below y plus integral of (1 - F)^2 above y, in closed
 * form (sbp.md, CRPS); +Infinity when a tail has xi >= 2 or y is infinite
 */
double
sbp_math_crps(const SbpParams *d, double y)
{
	double		tau_lo;
	double		tau_hi;

	if (isnan(y))
		return y;
	if (isinf(y))
		return INFINITY;
	sbp_math_splice_points(d, &tau_lo, &tau_hi);
	return tail_crps(d->xi_lo, d->beta_lo, d->alpha, tau_lo - y)
		+ body_crps(d, tau_lo, tau_hi, y)
		+ tail_crps(d->xi_hi, d->beta_hi, d->alpha, y - tau_hi);
}
