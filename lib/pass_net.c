/*
 * pass_net.c: the pass model's network scoring one play: normalisation, the TCN's
 * encoding (tcn.c), the context, and the MLP, whose layers keep their weights transposed
 * so that a kernel step computes LANES outputs side by side, each summed over its inputs
 * in order (lanes.h).
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "lanes.h"
#include "pass_net.h"

/* n rounded up to a whole number of TCN_BLOCKs */
static inline int
block_round(int n)
{
	return (n + TCN_BLOCK - 1) / TCN_BLOCK * TCN_BLOCK;
}

/*
 * Floats of a packed dense layer's weights
 */
size_t
pass_dense_weight_floats(int out, int in)
{
	return (size_t) block_round(out) * in;
}

/*
 * Floats of a packed dense layer's bias
 */
size_t
pass_dense_bias_floats(int out)
{
	return (size_t) block_round(out);
}

/*
 * Pack a dense layer from PyTorch's weight [out][in] and bias [out] into packed_weight
 * and packed_bias (pass_dense_weight_floats and pass_dense_bias_floats floats, which the
 * caller keeps): the weights transposed, every row zero-padded to a whole block
 */
void
pass_dense_pack(PassDense *d, int out, int in, const float *weight, const float *bias,
				float *packed_weight, float *packed_bias)
{
	int			width = block_round(out);

	d->out = out;
	d->in = in;
	memset(packed_weight, 0, sizeof(float) * pass_dense_weight_floats(out, in));
	for (int o = 0; o < out; o++)
		for (int i = 0; i < in; i++)
			packed_weight[(size_t) i * width + o] = weight[(size_t) o * in + i];
	memset(packed_bias, 0, sizeof(float) * pass_dense_bias_floats(out));
	memcpy(packed_bias, bias, sizeof(float) * out);
	d->weight = packed_weight;
	d->bias = packed_bias;
}

/*
 * The frames of a play of `frames` frames the network reads: its last ones, as many as
 * reach the encoding
 */
int
pass_net_rows(const PassNet *net, int frames)
{
	return frames < net->tcn.shape.receptive ? frames : net->tcn.shape.receptive;
}

/* Floats of each of the MLP's two buffers: its widest input or (padded) output */
static size_t
mlp_buffer_floats(const PassNet *net)
{
	int			widest = block_round(net->layer[0].in);

	for (int m = 0; m < net->layers; m++)
		widest = widest > block_round(net->layer[m].out) ? widest : block_round(net->layer[m].out);
	return (size_t) widest;
}

/*
 * Floats of the work area for a play of `rows` frames (pass_net_rows); it need not be
 * initialised, and is best 64-byte aligned
 */
size_t
pass_net_work_floats(const PassNet *net, int rows)
{
	return tcn_packed_work_floats(&net->tcn, rows) + 2 * mlp_buffer_floats(net);
}

/* x = (X - mean) / std with NaN as 0, for `rows` rows of X into rows `stride` apart */
LANES_CLONES
static void
normalize_input(const PassNet *net, const float *raw, float *x, int rows)
{
	const float *mean = net->input_mean;
	const float *std = net->input_std;
	int			inputs = net->tcn.inputs;
	int			stride = net->tcn.stride;

	for (int t = 0; t < rows; t++)
	{
		const float *restrict from = raw + (size_t) t * inputs;
		float	   *restrict to = x + (size_t) t * stride;

		for (int c = 0; c < inputs; c++)
		{
			float		v = (from[c] - mean[c]) / std[c];

			/* v == v is false only for NaN; written so that the loop vectorises */
			to[c] = v == v ? v : 0;
		}
	}
}

/* y = W z + b for one dense layer (weights transposed, so the loop runs over outputs) */
LANES_CLONES
static void
dense_layer(const PassDense *d, const float *z, float *y, int relu)
{
	int			width = block_round(d->out);

	for (int o = 0; o < width; o += LANES)
	{
		Lanes		acc = lanes_load(d->bias + o);

		for (int i = 0; i < d->in; i++)
			acc = lanes_madd(acc, z[i], lanes_load(d->weight + (size_t) i * width + o));
		lanes_store(y + o, acc);
	}
	for (int o = 0; o < width && relu; o++)
		y[o] = y[o] > 0 ? y[o] : 0;
}

/*
 * Run the network on a play's model input, `rows` rows (pass_net_rows) of tcn.inputs
 * floats, and its context (net->context values, NaN = missing), in the caller's work area
 * (pass_net_work_floats(rows) floats); returns the last layer's outputs, inside work
 */
const float *
pass_net_forward(const PassNet *net, const float *input, int rows, const float *context, float *work)
{
	float	   *z = work + tcn_packed_work_floats(&net->tcn, rows);
	float	   *o = z + mlp_buffer_floats(net);
	const float *encoding;
	int			width;

	assert(rows >= 1 && rows <= net->tcn.shape.receptive);
	normalize_input(net, input, tcn_packed_input(&net->tcn, work, rows), rows);
	encoding = tcn_packed_encode(&net->tcn, work, rows);

	/* z = concat(last frame's encoding, normalised context) */
	width = net->tcn.level[net->tcn.levels - 1].conv2.out;
	memcpy(z, encoding, sizeof(float) * width);
	for (int k = 0; k < net->context; k++)
	{
		float		v = (context[k] - net->context_mean[k]) / net->context_std[k];

		z[width + k] = isnan(v) ? 0 : v;
	}
	for (int m = 0; m < net->layers; m++)
	{
		float	   *swap;

		dense_layer(&net->layer[m], z, o, m < net->layers - 1);
		swap = z;
		z = o;
		o = swap;
	}
	return z;
}
