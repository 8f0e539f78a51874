/*
 * pass_train_heads.c: the heads the trainer fits and their losses: the SBP head of the
 * pass model (pass_model.c's: bin logits, softplus tails; the bin range and tail mass from
 * the options) and the Gaussian head of ngs.train_pass_gaussian; each one's negative log
 * density at the yards gained and its gradient w.r.t. the network's outputs, in float64;
 * and the last layer's start at the training plays' marginal.
 */
#include "postgres.h"

#include <math.h>

#include "pass/pass_train.h"
#include "sbp/sbp.h"

#define SERIES_BELOW		1e-3	/* xi z / beta below which a series gives
									 * the xi gradient */
#define INIT_XI				0.05	/* tail shape the network starts with */

/* log(1 + e^x) without overflow, as pass_model.c computes it */
static inline double
softplus(double x)
{
	return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* The logistic function, softplus' derivative */
static inline double
sigmoid(double x)
{
	return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}

/*
 * Gradient of a GPD tail's negative log density -log(alpha g(z)) w.r.t. the
 * pre-activations of xi = softplus(a) and beta = softplus(b) + floor, scaled, into g[0..1].
 * With t = z/beta and u = xi t: d/dbeta = 1/beta - (1 + xi) z / (beta (beta + xi z)),
 * d/dxi = t/(1 + u) + t^2 h(u), h(u) = 1/(u (1 + u)) - log1p(u)/u^2, whose series
 * sum_k (-1)^k k u^(k-1)/(k + 1) serves for small u (and gives the exponential limit).
 */
static void
tail_gradient(double xi, double beta, double z, float a, float b, double scale, float *g)
{
	double		t = z / beta;
	double		u = xi * t;
	double		h;

	if (u < SERIES_BELOW)
		h = -0.5 + u * (2.0 / 3.0 + u * (-0.75 + u * (0.8 - u * 5.0 / 6.0)));
	else
		h = 1.0 / (u * (1.0 + u)) - log1p(u) / (u * u);
	g[0] = (float) (scale * (t / (1.0 + u) + t * t * h) * sigmoid(a));
	g[1] = (float) (scale * (1.0 / beta - (1.0 + xi) * z / (beta * (beta + xi * z))) * sigmoid(b));
}

/*
 * The gradient w.r.t. the logits of a tail observation's loss through its splice point:
 * tau = e_{k-1} + w (q - C_{k-1}) / p_k for the first bin k with C_k > q (the binned
 * quantile), so dtau/dp_j = -w / p_k for j < k and -w (q - C_{k-1}) / p_k^2 for j = k;
 * through the softmax, dlogit_i = p_i (g_i - sum_j p_j g_j) with g_j = dloss/dtau dtau/dp_j
 */
static void
splice_gradient(const Sbp *d, double q, double dtau, double scale, float *dout)
{
	double		w = (d->upper - d->lower) / d->bins;
	double		cumulative = 0.0;
	double		g[SBP_MAX_BINS];
	double		mean = 0.0;
	int			k;

	for (k = 0; k < d->bins && cumulative + d->mass[k] <= q; k++)
		cumulative += d->mass[k];
	if (k == d->bins)
		return;					/* rounding put q past the last bin: tau is
								 * the edge U */
	for (int j = 0; j < d->bins; j++)
		g[j] = j < k ? -dtau * w / d->mass[k] : 0.0;
	g[k] = -dtau * w * (q - cumulative) / (d->mass[k] * d->mass[k]);
	for (int j = 0; j <= k; j++)
		mean += d->mass[j] * g[j];
	for (int i = 0; i < d->bins; i++)
		dout[i] = (float) (scale * d->mass[i] * (g[i] - mean));
}

/*
 * The SBP head's loss, -log f(y), with pass_model.c's head (logits, then softplus tails);
 * with dout, its gradient w.r.t. the n + 4 outputs times scale.  A tail observation's
 * loss depends on its tail's parameters and, through the splice point, on the logits;
 * a body observation's only on the logits.
 */
double
train_sbp_loss(const TrainOptions *o, const float *out, double y, float *dout, double scale)
{
	int			n = o->bins;
	double		logits[SBP_MAX_BINS];
	double		xi_lo = softplus(out[n]);
	double		beta_lo = softplus(out[n + 1]) + HEAD_BETA_FLOOR;
	double		xi_hi = softplus(out[n + 2]);
	double		beta_hi = softplus(out[n + 3]) + HEAD_BETA_FLOOR;
	Sbp		   *d;
	double		loss;
	double		tau_lo,
				tau_hi;

	for (int k = 0; k < n; k++)
		logits[k] = out[k];
	d = sbp_from_logits(o->lower, o->upper, n, logits, o->alpha, xi_lo, beta_lo, xi_hi, beta_hi);
	loss = -sbp_logpdf_value(d, y);
	if (dout)
	{
		memset(dout, 0, sizeof(float) * (n + PASS_HEAD));
		sbp_splice_points(d, &tau_lo, &tau_hi);
		if (y < tau_lo)
		{
			tail_gradient(xi_lo, beta_lo, tau_lo - y, out[n], out[n + 1], scale, dout + n);
			splice_gradient(d, o->alpha, (1.0 + xi_lo) / (beta_lo + xi_lo * (tau_lo - y)), scale, dout);
		}
		else if (y > tau_hi)
		{
			tail_gradient(xi_hi, beta_hi, y - tau_hi, out[n + 2], out[n + 3], scale, dout + n + 2);
			splice_gradient(d, 1.0 - o->alpha, -(1.0 + xi_hi) / (beta_hi + xi_hi * (y - tau_hi)), scale, dout);
		}
		else
		{
			int			bin = sbp_bin_of(o->lower, o->upper, n, y);

			for (int k = 0; k < n; k++)
				dout[k] = (float) (scale * (d->mass[k] - (k == bin ? 1.0 : 0.0)));
		}
	}
	pfree(d);
	return loss;
}

/* The Gaussian head: mean and standard deviation of yards from its two outputs */
void
train_gaussian_head(const TrainData *d, const float *out, double *mean, double *sd)
{
	*mean = d->yards_mean + d->yards_std * out[0];
	*sd = d->yards_std * softplus(out[1]) + HEAD_BETA_FLOOR;
}

/*
 * The Gaussian head's loss, -log N(y; mean, sd), and with dout its gradient times scale
 */
double
train_gaussian_loss(const TrainData *d, const float *out, double y, float *dout, double scale)
{
	double		mean,
				sd,
				r;

	train_gaussian_head(d, out, &mean, &sd);
	r = (y - mean) / sd;
	if (dout)
	{
		dout[0] = (float) (scale * (-r / sd) * d->yards_std);
		dout[1] = (float) (scale * (1.0 - r * r) / sd * d->yards_std * sigmoid(out[1]));
	}
	return log(sd) + 0.5 * r * r + 0.5 * log(2.0 * M_PI);
}

/* softplus^-1(y) = log(e^y - 1), for y > 0 */
static inline double
softplus_inverse(double y)
{
	return y > 30.0 ? y : log(expm1(y));
}

/*
 * The tail pre-activations of the marginal: xi = INIT_XI and beta = the mean excess of the
 * training yards beyond each splice point of the binned marginal d (the exponential
 * tail's maximum likelihood scale), or the bin width without excesses
 */
static void
init_tails(const Sbp *d, const PlaySet *train, float *pre)
{
	double		tau[2];
	double		excess[2] = {0.0, 0.0};
	int			count[2] = {0, 0};

	sbp_splice_points(d, &tau[0], &tau[1]);
	for (int p = 0; p < train->n; p++)
	{
		int			side = train->yards[p] < tau[0] ? 0 : (train->yards[p] > tau[1] ? 1 : -1);

		if (side < 0)
			continue;
		excess[side] += side == 0 ? tau[0] - train->yards[p] : train->yards[p] - tau[1];
		count[side]++;
	}
	for (int side = 0; side < 2; side++)
	{
		double		beta = count[side] ? excess[side] / count[side] : (d->upper - d->lower) / d->bins;

		pre[2 * side] = (float) softplus_inverse(INIT_XI);
		pre[2 * side + 1] = (float) softplus_inverse(Max(beta - HEAD_BETA_FLOOR, HEAD_BETA_FLOOR));
	}
}

/*
 * Start the network at the no-context marginal of the training plays: the last layer's
 * weights zero and its biases the head's parameters of it.  SBP: bin logits
 * log(count + 1/2) of the training yards per bin (outside values in the end bins), tails
 * by init_tails.  Gaussian: the training yards' mean and standard deviation (outputs 0
 * and softplus^-1(1)).
 */
void
train_init_head(Mlp *mlp, const TrainOptions *o, const TrainData *d)
{
	int			last = mlp->layers - 1;
	float	   *bias = mlp->bias[last];
	const PlaySet *train = &d->set[0];
	double		logits[SBP_MAX_BINS];
	Sbp		   *marginal;

	memset(mlp->weight[last], 0, sizeof(float) * mlp->sizes[last] * mlp->sizes[last + 1]);
	if (o->gaussian)
	{
		bias[0] = 0.0f;
		bias[1] = (float) softplus_inverse(1.0);
		return;
	}
	for (int k = 0; k < o->bins; k++)
		logits[k] = 0.5;
	for (int p = 0; p < train->n; p++)
		logits[sbp_bin_of(o->lower, o->upper, o->bins, train->yards[p])] += 1.0;
	for (int k = 0; k < o->bins; k++)
		bias[k] = (float) log(logits[k]);
	for (int k = 0; k < o->bins; k++)
		logits[k] = bias[k];
	marginal = sbp_from_logits(o->lower, o->upper, o->bins, logits, o->alpha, 1.0, 1.0, 1.0, 1.0);
	init_tails(marginal, train, bias + o->bins);
}
