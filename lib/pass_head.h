/*
 * pass_head.h: the pass model's head (shared/design/pass-model.md, step 6): the network's
 * last n + 4 outputs as the parameters of an SBP over yards gained.  Bin logits are
 * outputs 0..n-1; the tails are xi = softplus(o) and beta = softplus(o) + PASS_BETA_FLOOR
 * from outputs n..n+3.  Scoring (src/pass/pass_model.c) and training
 * (src/pass/pass_train_heads.c) both use it, and the training gradient of a tail too.
 */
#ifndef PASS_HEAD_H
#define PASS_HEAD_H

#define PASS_HEAD			4	/* outputs after the bin logits: xi_lo,
								 * beta_lo, xi_hi, beta_hi */
#define PASS_BETA_FLOOR		1e-6	/* added to every tail scale (and to the
									 * Gaussian head's sd) */

/* The tail parameters of an SBP */
typedef struct PassTails
{
	double		xi_lo;			/* lower tail shape, >= 0 */
	double		beta_lo;		/* lower tail scale, >= PASS_BETA_FLOOR */
	double		xi_hi;			/* upper tail shape, >= 0 */
	double		beta_hi;		/* upper tail scale, >= PASS_BETA_FLOOR */
} PassTails;

extern double pass_softplus(double x);
extern double pass_softplus_inverse(double y);
extern double pass_sigmoid(double x);
extern void pass_head_logits(const float *out, int bins, double *logits);
extern void pass_head_tails(const float *out, int bins, PassTails *tails);
extern void pass_head_tail_gradient(double xi, double beta, double z, float a, float b,
									double scale, float *g);

#endif
