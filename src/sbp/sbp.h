/*
 * sbp.h: the spliced binned-Pareto distribution (the ngs.sbp type) in PostgreSQL.
 *
 * The math (shared/design/sbp.md) and the fit are lib/sbp_math.c and lib/sbp_mle.c, over
 * plain structs; sbp.c and sbp_fit.c are their glue (varlena, ereport).  Other parts of
 * the extension (the pass model, training, evaluation) build and evaluate distributions
 * through the functions below; the text and binary forms live in sbp_io.c and the
 * SQL-callable wrappers in sbp_sql.c.
 */
#ifndef SBP_H
#define SBP_H

#include "common/ngs.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "sbp_math.h"			/* SBP_MAX_BINS and the other limits of the type */
#include "sbp_mle.h"			/* SBP_FIT_* limits and defaults */

#define SBP_VERSION			1

/*
 * The on-disk value: parameters, then the n bin masses (which sum to 1).
 */
typedef struct Sbp
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* layout version, SBP_VERSION */
	uint8		flags;			/* reserved for the future, zero */
	uint16		bins;			/* number of bins n, 2..SBP_MAX_BINS */
	int32		reserved;		/* zero; keeps the doubles 8-byte aligned */
	float8		lower;			/* L, left edge of the first bin */
	float8		upper;			/* U, right edge of the last bin, U > L */
	float8		alpha;			/* tail mass on each side, in (0, 1/2) */
	float8		xi_lo;			/* lower GPD tail shape, any real */
	float8		beta_lo;		/* lower GPD tail scale, > 0 */
	float8		xi_hi;			/* upper GPD tail shape, any real */
	float8		beta_hi;		/* upper GPD tail scale, > 0 */
	float8		mass[FLEXIBLE_ARRAY_MEMBER];	/* bin masses p_1..p_n */
} Sbp;

#define DatumGetSbpP(x)			((Sbp *) PG_DETOAST_DATUM(x))
#define PG_GETARG_SBP_P(n)		DatumGetSbpP(PG_GETARG_DATUM(n))
#define PG_RETURN_SBP_P(x)		PG_RETURN_POINTER(x)

/* The lib/sbp_math.h view of a stored value, its masses read in place */
static inline SbpParams
sbp_view(const Sbp *d)
{
	SbpParams	p;

	p.lower = d->lower;
	p.upper = d->upper;
	p.alpha = d->alpha;
	p.xi_lo = d->xi_lo;
	p.beta_lo = d->beta_lo;
	p.xi_hi = d->xi_hi;
	p.beta_hi = d->beta_hi;
	p.bins = d->bins;
	p.mass = d->mass;

	return p;
}

/* Building: validates every parameter and ereports a clear error on bad input */
extern Sbp *sbp_from_masses(double lower, double upper, int bins, const double *mass,
							double alpha, double xi_lo, double beta_lo,
							double xi_hi, double beta_hi);
extern Sbp *sbp_from_logits(double lower, double upper, int bins, const double *logits,
							double alpha, double xi_lo, double beta_lo,
							double xi_hi, double beta_hi);

/* Checking: what the constructors, sbp_io.c, sbp_sql.c and option readers share */
extern void sbp_check_bins(int64 bins);
extern void sbp_check_range(double lower, double upper, int bins);
extern void sbp_validate(const Sbp *d);
extern Sbp *sbp_allocate(double lower, double upper, int bins, double alpha,
						 double xi_lo, double beta_lo, double xi_hi, double beta_hi);

/* Evaluating (pure math, no allocation, never errors) */
extern double sbp_cdf_value(const Sbp *d, double x);
extern double sbp_pdf_value(const Sbp *d, double x);
extern double sbp_logpdf_value(const Sbp *d, double x);
extern double sbp_quantile_value(const Sbp *d, double q);
extern double sbp_mean_value(const Sbp *d);
extern double sbp_crps_value(const Sbp *d, double y);
extern void sbp_splice_points(const Sbp *d, double *tau_lo, double *tau_hi);
extern int	sbp_bin_of(double lower, double upper, int bins, double x);

/*
 * Fitting: ngs.sbp_fit(y) with no options, for C callers (the pass trainer's baseline);
 * NULL for no values, the aggregate's errors otherwise
 */
extern Sbp *sbp_fit_doubles(const double *values, int64 n);

/* The text form ngs.sbp prints (sbp_io.c) */
extern char *sbp_to_text(const Sbp *d);

#define SBP_FIT_MAX_VALUES	50000000	/* values one sbp_fit aggregate keeps */

#endif
