/*
 * pass_head.c: the pass model's head: softplus tails with the beta floor, the bin logits,
 * and the gradient of a tail observation's loss w.r.t. its tail's two outputs.
 */
#include <math.h>

#include "pass_head.h"

#define SERIES_BELOW		1e-3	/* xi z / beta below which a series gives
									 * the xi gradient */

/*
 * log(1 + e^x) without overflow
 */
double
pass_softplus(double x)
{
	return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/*
 * softplus^-1(y) = log(e^y - 1), for y > 0
 */
double
pass_softplus_inverse(double y)
{
	return y > 30.0 ? y : log(expm1(y));
}

/*
 * The logistic function, softplus' derivative
 */
double
pass_sigmoid(double x)
{
	return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}

/*
 * The bin logits of outputs 0..bins-1, in double
 */
void
pass_head_logits(const float *out, int bins, double *logits)
{
	for (int k = 0; k < bins; k++)
		logits[k] = out[k];
}

/*
 * The tails of outputs bins..bins+3: xi = softplus(o), beta = softplus(o) + floor
 */
void
pass_head_tails(const float *out, int bins, PassTails *tails)
{
	tails->xi_lo = pass_softplus(out[bins]);
	tails->beta_lo = pass_softplus(out[bins + 1]) + PASS_BETA_FLOOR;
	tails->xi_hi = pass_softplus(out[bins + 2]);
	tails->beta_hi = pass_softplus(out[bins + 3]) + PASS_BETA_FLOOR;
}

/*
 * Gradient of a GPD tail's negative log density -log(alpha g(z)) w.r.t. the
 * pre-activations of xi = softplus(a) and beta = softplus(b) + floor, scaled, into g[0..1].
 * With t = z/beta and u = xi t: d/dbeta = 1/beta - (1 + xi) z / (beta (beta + xi z)),
 * d/dxi = t/(1 + u) + t^2 h(u), h(u) = 1/(u (1 + u)) - log1p(u)/u^2, whose series
 * sum_k (-1)^k k u^(k-1)/(k + 1) serves for small u (and gives the exponential limit).
 */
void
pass_head_tail_gradient(double xi, double beta, double z, float a, float b, double scale, float *g)
{
	double		t = z / beta;
	double		u = xi * t;
	double		h;

	if (u < SERIES_BELOW)
		h = -0.5 + u * (2.0 / 3.0 + u * (-0.75 + u * (0.8 - u * 5.0 / 6.0)));
	else
		h = 1.0 / (u * (1.0 + u)) - log1p(u) / (u * u);
	g[0] = (float) (scale * (t / (1.0 + u) + t * t * h) * pass_sigmoid(a));
	g[1] = (float) (scale * (1.0 / beta - (1.0 + xi) * z / (beta * (beta + xi * z))) * pass_sigmoid(b));
}
