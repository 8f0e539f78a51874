/*
 * pass_train_heads.c: the heads the trainer fits and their losses: the SBP head of the
 * pass model (lib/pass_head.c: bin logits, softplus tails; the bin range and tail mass from
 * the options) and the Gaussian head of ngs.train_pass_gaussian; each one's negative log
 * density at the yards gained and its gradient w.r.t. the network's outputs, in float64;
 * and the last layer's start at the training plays' marginal.
 */
#include "postgres.h"

#include <math.h>

#include "pass/pass_train.h"
#include "pass_head.h"
#include "sbp/sbp.h"

#define INIT_XI				0.05	/* tail shape the network starts with */

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
 * The SBP head's loss, -log f(y), with the pass head (logits, then softplus tails);
 * with dout, its gradient w.r.t. the n + 4 outputs times scale.  A tail observation's
 * loss depends on its tail's parameters and, through the splice point, on the logits;
 * a body observation's only on the logits.
 */
double
train_sbp_loss(const TrainOptions *o, const float *out, double y, float *dout, double scale)
{
	int			n = o->bins;
	double		logits[SBP_MAX_BINS];
	PassTails	t;
	Sbp		   *d;
	double		loss;
	double		tau_lo,
				tau_hi;

	pass_head_logits(out, n, logits);
	pass_head_tails(out, n, &t);
	d = sbp_from_logits(o->lower, o->upper, n, logits, o->alpha, t.xi_lo, t.beta_lo, t.xi_hi, t.beta_hi);
	loss = -sbp_logpdf_value(d, y);
	if (dout)
	{
		memset(dout, 0, sizeof(float) * (n + PASS_HEAD));
		sbp_splice_points(d, &tau_lo, &tau_hi);
		if (y < tau_lo)
		{
			pass_head_tail_gradient(t.xi_lo, t.beta_lo, tau_lo - y, out[n], out[n + 1], scale, dout + n);
			splice_gradient(d, o->alpha, (1.0 + t.xi_lo) / (t.beta_lo + t.xi_lo * (tau_lo - y)), scale, dout);
		}
		else if (y > tau_hi)
		{
			pass_head_tail_gradient(t.xi_hi, t.beta_hi, y - tau_hi, out[n + 2], out[n + 3], scale, dout + n + 2);
			splice_gradient(d, 1.0 - o->alpha, -(1.0 + t.xi_hi) / (t.beta_hi + t.xi_hi * (y - tau_hi)), scale, dout);
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
	*sd = d->yards_std * pass_softplus(out[1]) + PASS_BETA_FLOOR;
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
		dout[1] = (float) (scale * (1.0 - r * r) / sd * d->yards_std * pass_sigmoid(out[1]));
	}
	return log(sd) + 0.5 * r * r + 0.5 * log(2.0 * M_PI);
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

		pre[2 * side] = (float) pass_softplus_inverse(INIT_XI);
		pre[2 * side + 1] = (float) pass_softplus_inverse(Max(beta - PASS_BETA_FLOOR, PASS_BETA_FLOOR));
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
		bias[1] = (float) pass_softplus_inverse(1.0);
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
