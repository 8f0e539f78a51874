/*
 * sbp.c: the glue of the spliced binned-Pareto distribution: the stored value (varlena),
 * the errors its checks raise, and the C interface of sbp.h over lib/sbp_math.c, which
 * holds the math of shared/design/sbp.md.  The text and binary forms of the ngs.sbp type
 * are in sbp_io.c, its SQL functions in sbp_sql.c.
 */
#include "postgres.h"

#include <float.h>

#include "sbp/sbp.h"

/* Size in bytes of a distribution with this many bins */
static inline Size
sbp_size(int bins)
{
	return offsetof(Sbp, mass) + sizeof(float8) * (Size) bins;
}

/*
 * Validation: lib/sbp_math.c checks, each report_* turns its statuses into errors
 */

/* Report a bin count outside 2..SBP_MAX_BINS */
static void
report_bins(SbpStatus status, int64 bins)
{
	if (status == SBP_TOO_MANY_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sbp cannot have more than %d bins, not " INT64_FORMAT, SBP_MAX_BINS, bins),
				 errhint("Use at most %d bin masses or logits.", SBP_MAX_BINS)));
	if (status == SBP_TOO_FEW_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp needs at least 2 bins, not " INT64_FORMAT, bins),
				 errhint("Pass two or more bin masses or logits.")));
}

/* Report a bin range that is not finite, not increasing, or too narrow for distinct edges */
static void
report_range(SbpStatus status, double lower, double upper, int bins)
{
	double		width = (upper - lower) / bins;

	if (status == SBP_RANGE_NOT_FINITE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp bin range must be finite"),
				 errdetail("lower is %g and upper is %g.", lower, upper),
				 errhint("Pass finite bounds whose difference is a finite double.")));
	if (status == SBP_RANGE_NOT_INCREASING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp lower bound must be below its upper bound"),
				 errdetail("lower is %g and upper is %g.", lower, upper),
				 errhint("Pass lower < upper.")));
	if (status == SBP_BINS_TOO_NARROW)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp bins are too narrow for their position"),
				 errdetail("The bin width %g is below %g times the larger of |lower| and |upper|, or below %g.",
						   width, SBP_MIN_WIDTH_RATIO, DBL_MIN),
				 errhint("Use fewer bins or a wider range, or shift the values toward zero.")));
}

/* Report a tail with a non-finite shape or a scale that is not positive and finite */
static void
report_tail(const char *side, bool bad_shape, bool bad_scale, double xi, double beta)
{
	if (bad_shape)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp tail shape xi_%s must be finite, not %g", side, xi),
				 errhint("Any finite shape is accepted; 0 is the exponential tail.")));
	if (bad_scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp tail scale beta_%s must be positive and finite, not %g", side, beta),
				 errhint("Pass a scale above 0.")));
}

/* Report a failed check of any parameter but the masses */
static void
report_shape(SbpStatus status, const SbpParams *p)
{
	report_bins(status, p->bins);
	report_range(status, p->lower, p->upper, p->bins);
	if (status == SBP_ALPHA_OUT_OF_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp tail mass alpha must be between 0 and 0.5 (exclusive), not %g", p->alpha),
				 errhint("The default 0.05 puts 5%% of the mass in each tail.")));
	report_tail("lo", status == SBP_XI_LO_NOT_FINITE, status == SBP_BETA_LO_NOT_POSITIVE,
				p->xi_lo, p->beta_lo);
	report_tail("hi", status == SBP_XI_HI_NOT_FINITE, status == SBP_BETA_HI_NOT_POSITIVE,
				p->xi_hi, p->beta_hi);
}

/* Report masses that are negative or not finite (bin bad), or do not sum to 1 */
static void
report_masses(SbpStatus status, const double *mass, int bad, double sum)
{
	if (status == SBP_MASS_INVALID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp bin masses must be finite and non-negative"),
				 errdetail("Bin %d has mass %g.", bad + 1, mass[bad]),
				 errhint("Pass probabilities, or logits to ngs.sbp.")));
	if (status == SBP_MASS_SUM)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp bin masses must sum to 1"),
				 errdetail("They sum to %.17g; the tolerance is %g.", sum, SBP_MASS_TOLERANCE),
				 errhint("Normalise the masses, or pass logits to ngs.sbp.")));
}

/* Refuse a bin count outside 2..SBP_MAX_BINS, before anything is allocated */
void
sbp_check_bins(int64 bins)
{
	report_bins(sbp_math_check_bins(bins), bins);
}

/* Refuse a bin range that is not finite, not increasing, or too narrow for distinct edges */
void
sbp_check_range(double lower, double upper, int bins)
{
	report_range(sbp_math_check_range(lower, upper, bins), lower, upper, bins);
}

/* Check every invariant of a value that came from outside (text or binary) */
void
sbp_validate(const Sbp *d)
{
	SbpParams	p = sbp_view(d);
	SbpStatus	status;
	int			bad;
	double		sum;

	if (d->version != SBP_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported sbp version %d", d->version),
				 errhint("This build of ngs reads version %d.", SBP_VERSION)));
	if (d->flags != 0 || d->reserved != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid sbp: reserved fields must be zero"),
				 errhint("Values written by this version of ngs have zero flags.")));
	status = sbp_math_check(&p, &bad, &sum);
	report_shape(status, &p);
	report_masses(status, p.mass, bad, sum);
}

/*
 * Construction
 */

/* Allocate a distribution with these parameters (already checked) and unset masses */
Sbp *
sbp_allocate(double lower, double upper, int bins, double alpha,
			 double xi_lo, double beta_lo, double xi_hi, double beta_hi)
{
	Size		size = sbp_size(bins);
	Sbp		   *d = (Sbp *) palloc0(size);

	SET_VARSIZE(d, size);
	d->version = SBP_VERSION;
	d->bins = bins;
	d->lower = lower;
	d->upper = upper;
	d->alpha = alpha;
	d->xi_lo = xi_lo;
	d->beta_lo = beta_lo;
	d->xi_hi = xi_hi;
	d->beta_hi = beta_hi;
	return d;
}

/* The parameters of a distribution being built, as a lib view */
static SbpParams
sbp_params(double lower, double upper, int bins, const double *mass, double alpha,
		   double xi_lo, double beta_lo, double xi_hi, double beta_hi)
{
	SbpParams	p;

	p.lower = lower;
	p.upper = upper;
	p.alpha = alpha;
	p.xi_lo = xi_lo;
	p.beta_lo = beta_lo;
	p.xi_hi = xi_hi;
	p.beta_hi = beta_hi;
	p.bins = bins;
	p.mass = mass;
	return p;
}

/*
 * Build a distribution from bin masses (non-negative, summing to 1 within
 * SBP_MASS_TOLERANCE), renormalised by their sum
 */
Sbp *
sbp_from_masses(double lower, double upper, int bins, const double *mass,
				double alpha, double xi_lo, double beta_lo,
				double xi_hi, double beta_hi)
{
	SbpParams	p = sbp_params(lower, upper, bins, mass, alpha, xi_lo, beta_lo, xi_hi, beta_hi);
	SbpStatus	status;
	int			bad;
	double		sum;
	Sbp		   *d;

	status = sbp_math_check(&p, &bad, &sum);
	report_shape(status, &p);
	report_masses(status, mass, bad, sum);
	d = sbp_allocate(lower, upper, bins, alpha, xi_lo, beta_lo, xi_hi, beta_hi);
	sbp_math_normalise(mass, bins, sum, d->mass);
	return d;
}

/*
 * Build a distribution from bin logits: masses p = softmax(logits), the maximum
 * subtracted before exp (sbp.md, Parameters)
 */
Sbp *
sbp_from_logits(double lower, double upper, int bins, const double *logits,
				double alpha, double xi_lo, double beta_lo,
				double xi_hi, double beta_hi)
{
	SbpParams	p = sbp_params(lower, upper, bins, NULL, alpha, xi_lo, beta_lo, xi_hi, beta_hi);
	int			bad;
	Sbp		   *d;

	report_shape(sbp_math_check_shape(&p), &p);
	if (sbp_math_check_logits(logits, bins, &bad) != SBP_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbp logits must be finite"),
				 errdetail("Logit %d is %g.", bad + 1, logits[bad]),
				 errhint("Pass finite logits; a bin with no mass needs ngs.sbp_from_masses.")));
	d = sbp_allocate(lower, upper, bins, alpha, xi_lo, beta_lo, xi_hi, beta_hi);
	sbp_math_softmax(logits, bins, d->mass);
	return d;
}

/*
 * Evaluation: the lib/sbp_math.c functions on the stored value, read in place
 */

/* The bin k with e_k <= x < e_{k+1} for the computed edges, clamped to 0..n-1 */
int
sbp_bin_of(double lower, double upper, int bins, double x)
{
	return sbp_math_bin_of(lower, upper, bins, x);
}

/* Splice points tau_lo = Q_B(alpha) and tau_hi = Q_B(1 - alpha) (sbp.md, Body) */
void
sbp_splice_points(const Sbp *d, double *tau_lo, double *tau_hi)
{
	SbpParams	p = sbp_view(d);

	sbp_math_splice_points(&p, tau_lo, tau_hi);
}

/* CDF F(x) = P(X <= x); NaN for NaN */
double
sbp_cdf_value(const Sbp *d, double x)
{
	SbpParams	p = sbp_view(d);

	return sbp_math_cdf(&p, x);
}

/* Density f(x) */
double
sbp_pdf_value(const Sbp *d, double x)
{
	SbpParams	p = sbp_view(d);

	return sbp_math_pdf(&p, x);
}

/* Log density log f(x) */
double
sbp_logpdf_value(const Sbp *d, double x)
{
	SbpParams	p = sbp_view(d);

	return sbp_math_logpdf(&p, x);
}

/* Quantile Q(q), NaN for q outside [0, 1] */
double
sbp_quantile_value(const Sbp *d, double q)
{
	SbpParams	p = sbp_view(d);

	return sbp_math_quantile(&p, q);
}

/* Mean; -/+Infinity when one tail has xi >= 1, NaN when both do */
double
sbp_mean_value(const Sbp *d)
{
	SbpParams	p = sbp_view(d);

	return sbp_math_mean(&p);
}

/* CRPS of the outcome y; +Infinity when a tail has xi >= 2 or y is infinite */
double
sbp_crps_value(const Sbp *d, double y)
{
	SbpParams	p = sbp_view(d);

	return sbp_math_crps(&p, y);
}
