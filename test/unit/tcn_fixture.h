/*
 * tcn_fixture.h: a small TCN with random weights in PyTorch's layout, a direct
 * implementation of the forward pass formula of shared/design/pass-model.md (every frame,
 * every level), and the same network laid out as lib/tcn.h's scoring and trainable TCNs;
 * shared by test_tcn.c, test_tcn_grad.c and test_pass_net.c.
 */
#ifndef TCN_FIXTURE_H
#define TCN_FIXTURE_H

#include <string.h>

#include "splitmix64.h"
#include "tcn.h"

#define FX_MAX_IN			8	/* channels of any convolution's input */
#define FX_MAX_OUT			8	/* channels of any convolution's output */
#define FX_MAX_KERNEL		3
#define FX_MAX_LEVELS		3
#define FX_MAX_ROWS			64
#define FX_POOL				65536

/* A convolution in PyTorch's layout, weight [out][in][kernel] */
typedef struct FxConv
{
	int			out;
	int			in;
	int			kernel;			/* 0: absent */
	int			dilation;
	float		weight[FX_MAX_OUT * FX_MAX_IN * FX_MAX_KERNEL];
	float		bias[FX_MAX_OUT];
} FxConv;

/* A TCN in PyTorch's layout */
typedef struct FxTcn
{
	int			inputs;
	int			levels;
	int			channels;
	int			kernel;
	FxConv		conv1[FX_MAX_LEVELS];
	FxConv		conv2[FX_MAX_LEVELS];
	FxConv		downsample[FX_MAX_LEVELS];
} FxTcn;

static float fx_pool[FX_POOL];
static size_t fx_pool_used;

/* n floats of the pool (reset by fx_pool_reset) */
static inline float *
fx_alloc(size_t n)
{
	float	   *p = fx_pool + fx_pool_used;

	fx_pool_used += (n + 15) / 16 * 16;
	return fx_pool_used <= FX_POOL ? p : NULL;
}

/* Forget every allocation */
static inline void
fx_pool_reset(void)
{
	fx_pool_used = 0;
}

/* A uniform float in [-bound, bound) */
static inline float
fx_uniform(Rng *rng, double bound)
{
	return (float) ((2.0 * rng_uniform(rng) - 1.0) * bound);
}

/* One convolution with random weights */
static inline void
fx_conv(FxConv *c, int out, int in, int kernel, int dilation, Rng *rng)
{
	c->out = out;
	c->in = in;
	c->kernel = kernel;
	c->dilation = dilation;
	for (int k = 0; k < out * in * kernel; k++)
		c->weight[k] = fx_uniform(rng, 0.8);
	for (int o = 0; o < out; o++)
		c->bias[o] = fx_uniform(rng, 0.3);
}

/* A random TCN of the trainer's shape: C channels on every level */
static inline void
fx_tcn(FxTcn *t, int inputs, int levels, int channels, int kernel, uint64_t seed)
{
	Rng			rng;

	memset(t, 0, sizeof(FxTcn));
	rng_seed(&rng, seed);
	t->inputs = inputs;
	t->levels = levels;
	t->channels = channels;
	t->kernel = kernel;
	for (int l = 0; l < levels; l++)
	{
		int			in = l == 0 ? inputs : channels;

		fx_conv(&t->conv1[l], channels, in, kernel, 1 << l, &rng);
		fx_conv(&t->conv2[l], channels, channels, kernel, 1 << l, &rng);
		if (in != channels)
			fx_conv(&t->downsample[l], channels, in, 1, 1, &rng);
	}
}

/* A random input of `rows` frames, some values exactly zero */
static inline void
fx_input(float *x, int rows, int inputs, uint64_t seed)
{
	Rng			rng;

	rng_seed(&rng, seed);
	for (int k = 0; k < rows * inputs; k++)
		x[k] = k % 7 == 3 ? 0.0f : fx_uniform(&rng, 2.0);
}

/* y[t][o] = b[o] + sum_j sum_i W[o][i][j] x[t - (K - 1 - j) d][i], x = 0 before t = 0 */
static inline void
fx_conv_direct(const FxConv *c, const float *x, int rows, float *y)
{
	for (int t = 0; t < rows; t++)
		for (int o = 0; o < c->out; o++)
		{
			float		sum = c->bias[o];

			for (int j = 0; j < c->kernel; j++)
			{
				int			s = t - (c->kernel - 1 - j) * c->dilation;

				for (int i = 0; i < c->in; i++)
					sum += (s >= 0 ? x[s * c->in + i] : 0.0f) * c->weight[(o * c->in + i) * c->kernel + j];
			}
			y[t * c->out + o] = sum;
		}
}

/* The direct forward pass over every frame; returns the last level's last row in enc */
static inline void
fx_forward_direct(const FxTcn *t, const float *input, int rows, float *enc)
{
	float		x[FX_MAX_ROWS * FX_MAX_IN];
	float		h[FX_MAX_ROWS * FX_MAX_OUT];
	float		y[FX_MAX_ROWS * FX_MAX_OUT];
	float		r[FX_MAX_ROWS * FX_MAX_OUT];
	int			width = t->inputs;

	memcpy(x, input, sizeof(float) * rows * t->inputs);
	for (int l = 0; l < t->levels; l++)
	{
		int			C = t->conv1[l].out;

		fx_conv_direct(&t->conv1[l], x, rows, h);
		for (int k = 0; k < rows * C; k++)
			h[k] = h[k] > 0 ? h[k] : 0;
		fx_conv_direct(&t->conv2[l], h, rows, y);
		if (t->downsample[l].kernel > 0)
			fx_conv_direct(&t->downsample[l], x, rows, r);
		else
			memcpy(r, x, sizeof(float) * rows * width);
		for (int k = 0; k < rows * C; k++)
		{
			float		v = y[k] > 0 ? y[k] : 0;

			v += r[k];
			x[k] = v > 0 ? v : 0;
		}
		width = C;
	}
	memcpy(enc, x + (rows - 1) * width, sizeof(float) * width);
}

/* The network as a scoring TCN, its packed weights in the pool */
static inline void
fx_packed(const FxTcn *t, TcnPacked *p)
{
	memset(p, 0, sizeof(TcnPacked));
	p->inputs = t->inputs;
	p->levels = t->levels;
	for (int l = 0; l < t->levels; l++)
	{
		const FxConv *cs[3] = {&t->conv1[l], &t->conv2[l], &t->downsample[l]};
		TcnPackedConv *ps[3] = {&p->level[l].conv1, &p->level[l].conv2, &p->level[l].downsample};

		for (int c = 0; c < 3; c++)
			if (cs[c]->kernel > 0)
				tcn_pack_conv(ps[c], cs[c]->out, cs[c]->in, cs[c]->kernel, cs[c]->dilation,
							  cs[c]->weight, cs[c]->bias,
							  fx_alloc(tcn_pack_weight_floats(cs[c]->out, cs[c]->in, cs[c]->kernel)),
							  fx_alloc(tcn_pack_bias_floats(cs[c]->out)));
	}
	tcn_packed_finish(p);
}

/* One convolution's PyTorch weights into a trainable convolution (tap-major) */
static inline void
fx_fill_conv(const FxConv *c, TcnConv *tc)
{
	for (int o = 0; o < c->out; o++)
		for (int i = 0; i < c->in; i++)
			for (int j = 0; j < c->kernel; j++)
				tc->weight[(j * c->in + i) * c->out + o] = c->weight[(o * c->in + i) * c->kernel + j];
	memcpy(tc->bias, c->bias, sizeof(float) * c->out);
}

/* The network as a trainable TCN for plays of up to max_rows frames, memory in the pool */
static inline void
fx_trainable(const FxTcn *t, Tcn *tcn, int max_rows)
{
	tcn_layout(tcn, t->inputs, t->levels, t->channels, t->kernel,
			   fx_alloc(tcn_param_count(t->inputs, t->levels, t->channels, t->kernel)),
			   fx_alloc(tcn_transposed_floats(t->levels, t->channels, t->kernel)));
	for (int l = 0; l < t->levels; l++)
	{
		fx_fill_conv(&t->conv1[l], &tcn->level[l].conv1);
		fx_fill_conv(&t->conv2[l], &tcn->level[l].conv2);
		if (t->downsample[l].kernel > 0)
			fx_fill_conv(&t->downsample[l], &tcn->level[l].downsample);
	}
	tcn_sync(tcn);
	tcn_bind_work(tcn, max_rows, fx_alloc(tcn_work_bytes(t->levels, t->channels, max_rows) / sizeof(float)));
}

#endif
