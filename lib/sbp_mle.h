/*
 * sbp_mle.h: the maximum-likelihood SBP of a sample (shared/design/sbp.md, Fitting), the
 * "no context" baseline that ngs.sbp_fit computes, over a sorted array of doubles.
 *
 * A fit is three steps, so that the caller can allocate the bin masses once their count
 * is known and validate the distribution the way it validates any other:
 *
 *	 sbp_mle_layout   the bin range and count, from the options or the sample
 *	 sbp_mle_counts   the bin masses: counts plus a pseudo-count, over the total
 *	 (the caller normalises and checks them: sbp_math_check, sbp_math_normalise)
 *	 sbp_mle_tails    each tail by GPD maximum likelihood on the excesses past its splice
 *
 * The values must be finite and sorted by sbp_mle_compare; sorting them is what makes the
 * fit independent of their order.
 */
#ifndef SBP_MLE_H
#define SBP_MLE_H

#include <stdint.h>

#include "sbp_math.h"

/* Limits and defaults of the fit, documented in the README */
#define SBP_FIT_MIN_VALUES		10		/* fewer values are an error */
#define SBP_FIT_MIN_EXCESSES	10		/* fewer tail excesses fit an exponential tail */
#define SBP_FIT_MIN_XI			(-0.5)	/* lowest tail shape the fit considers */
#define SBP_FIT_MAX_AUTO_BINS	200		/* cap of the default bin count 2*N^(1/3) */
#define SBP_FIT_DEFAULT_PRIOR	0.5		/* pseudo-count added to every bin */

/* What the fit is asked for; NaN or 0 means "from the sample" */
typedef struct SbpMleOptions
{
	double		lower;			/* bin range, NaN for the sample's robust range */
	double		upper;
	double		alpha;			/* tail mass */
	double		prior;			/* pseudo-count added to every bin, >= 0 */
	int			bins;			/* bin count, 0 for ceil(2*N^(1/3)) capped */
} SbpMleOptions;

/* Why a sample cannot be fitted */
typedef enum SbpMleStatus
{
	SBP_MLE_OK = 0,
	SBP_MLE_TOO_FEW_VALUES,		/* fewer than SBP_FIT_MIN_VALUES values */
	SBP_MLE_ALL_EQUAL			/* no range given and every value the same */
} SbpMleStatus;

extern const SbpMleOptions sbp_mle_default_options;

extern int	sbp_mle_compare(const void *a, const void *b);
extern SbpMleStatus sbp_mle_layout(const SbpMleOptions *options, const double *sorted,
								   int64_t n, SbpParams *fit);
extern void sbp_mle_counts(const SbpMleOptions *options, const double *sorted, int64_t n,
						   const SbpParams *fit, double *mass);
extern void sbp_mle_tails(const double *sorted, int64_t n, SbpParams *fit);
extern const char *sbp_mle_status_text(SbpMleStatus status);

#endif
