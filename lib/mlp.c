/*
 * mlp.c: dense networks (relu between layers, a linear last layer): layout over the
 * caller's memory, PyTorch's default initialisation, one-row inference, and batched
 * forward and backward passes.
 *
 * Nothing here knows what the network is for: the ghosting model and its trainer use it,
 * and any other trainer can (sizes, a batch of rows in, gradients out).
 */
#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "mlp.h"

#define MLP_BLOCK			8	/* outputs a dense layer computes side by side */

/*
 * Whether a layer count and the layer sizes are within the limits; on a bad size, *bad
 * is its index in sizes
 */
MlpStatus
mlp_check(int layers, const int *sizes, int *bad)
{
	if (layers < 1 || layers > MLP_MAX_LAYERS)
		return MLP_BAD_LAYERS;
	for (int l = 0; l <= layers; l++)
		if (sizes[l] < 1 || sizes[l] > MLP_MAX_WIDTH)
		{
			*bad = l;
			return MLP_BAD_WIDTH;
		}
	return MLP_OK;
}

/*
 * Parameters of a network of the given (checked) sizes
 */
int
mlp_param_count(int layers, const int *sizes)
{
	int			n = 0;

	for (int l = 0; l < layers; l++)
		n += sizes[l + 1] * (sizes[l] + 1);
	return n;
}

/*
 * Lay a network of the given (checked) sizes over params, mlp_param_count() floats that
 * the caller owns and keeps (their values are left as they are)
 */
void
mlp_bind(Mlp *mlp, int layers, const int *sizes, float *params)
{
	float	   *p = params;

	memset(mlp, 0, sizeof(Mlp));
	mlp->layers = layers;
	for (int l = 0; l <= layers; l++)
		mlp->sizes[l] = sizes[l];
	mlp->nparams = mlp_param_count(layers, sizes);
	mlp->params = params;
	for (int l = 0; l < layers; l++)
	{
		mlp->weight[l] = p;
		p += sizes[l + 1] * sizes[l];
		mlp->bias[l] = p;
		p += sizes[l + 1];
	}
}

/*
 * torch.nn.Linear's default initialisation: weights and biases uniform in
 * [-1/sqrt(in), 1/sqrt(in)], drawn layer by layer, weights before biases
 */
void
mlp_init(Mlp *mlp, Rng *rng)
{
	for (int l = 0; l < mlp->layers; l++)
	{
		int			in = mlp->sizes[l];
		int			out = mlp->sizes[l + 1];
		double		bound = 1.0 / sqrt((double) in);

		for (int k = 0; k < out * in; k++)
			mlp->weight[l][k] = (float) ((2.0 * rng_uniform(rng) - 1.0) * bound);
		for (int k = 0; k < out; k++)
			mlp->bias[l][k] = (float) ((2.0 * rng_uniform(rng) - 1.0) * bound);
	}
}

/*
 * One dense layer on one row: out = W x + b, then relu unless it is the last layer.
 * Outputs go MLP_BLOCK at a time so that their sums, each still taken over i in order
 * (the same bits as one at a time), run side by side instead of waiting on one another.
 */
static inline void
dense_row(const Mlp *mlp, int l, const float *x, float *out)
{
	int			in = mlp->sizes[l];
	int			n = mlp->sizes[l + 1];
	bool		relu = l < mlp->layers - 1;
	int			o = 0;

	for (; o + MLP_BLOCK <= n; o += MLP_BLOCK)
	{
		const float *w = mlp->weight[l] + o * in;
		float		sum[MLP_BLOCK];

		for (int k = 0; k < MLP_BLOCK; k++)
			sum[k] = mlp->bias[l][o + k];
		for (int i = 0; i < in; i++)
			for (int k = 0; k < MLP_BLOCK; k++)
				sum[k] += w[k * in + i] * x[i];
		for (int k = 0; k < MLP_BLOCK; k++)
			out[o + k] = relu && sum[k] < 0.0f ? 0.0f : sum[k];
	}
	for (; o < n; o++)
	{
		const float *w = mlp->weight[l] + o * in;
		float		sum = mlp->bias[l][o];

		for (int i = 0; i < in; i++)
			sum += w[i] * x[i];
		out[o] = relu && sum < 0.0f ? 0.0f : sum;
	}
}

/*
 * The network's outputs for one input row (no allocation)
 */
void
mlp_forward_row(const Mlp *mlp, const float *x, float *out)
{
	float		buf[2][MLP_MAX_WIDTH];
	const float *in = x;

	for (int l = 0; l < mlp->layers; l++)
	{
		float	   *dst = l == mlp->layers - 1 ? out : buf[l % 2];

		dense_row(mlp, l, in, dst);
		in = dst;
	}
}

/*
 * Floats of the buffers for batches of up to max_rows rows
 */
size_t
mlp_batch_floats(const Mlp *mlp, int max_rows)
{
	size_t		n = 0;
	int			widest = 0;

	for (int l = 0; l < mlp->layers; l++)
	{
		n += (size_t) max_rows * mlp->sizes[l + 1];
		widest = widest > mlp->sizes[l + 1] ? widest : mlp->sizes[l + 1];
	}
	return n + 2 * (size_t) max_rows * widest;
}

/*
 * Lay the buffers for batches of up to max_rows rows over buffer, mlp_batch_floats()
 * floats that the caller owns
 */
void
mlp_batch_bind(MlpBatch *batch, const Mlp *mlp, int max_rows, float *buffer)
{
	int			widest = 0;

	memset(batch, 0, sizeof(MlpBatch));
	batch->max_rows = max_rows;
	for (int l = 0; l < mlp->layers; l++)
	{
		batch->act[l] = buffer;
		buffer += (size_t) max_rows * mlp->sizes[l + 1];
		widest = widest > mlp->sizes[l + 1] ? widest : mlp->sizes[l + 1];
	}
	batch->delta[0] = buffer;
	batch->delta[1] = buffer + (size_t) max_rows * widest;
}

/*
 * Forward pass of rows input rows (row-major), keeping every layer's activations for
 * mlp_backward; returns the outputs, rows x sizes[layers]
 */
const float *
mlp_forward(const Mlp *mlp, MlpBatch *batch, const float *x, int rows)
{
	assert(rows <= batch->max_rows);
	for (int l = 0; l < mlp->layers; l++)
	{
		const float *in = l == 0 ? x : batch->act[l - 1];

		for (int r = 0; r < rows; r++)
			dense_row(mlp, l, in + r * mlp->sizes[l], batch->act[l] + r * mlp->sizes[l + 1]);
	}
	return batch->act[mlp->layers - 1];
}

/*
 * Backward pass after mlp_forward on the same rows: adds the gradient of the loss to grad
 * (laid out like params), given dout, the loss's gradient w.r.t. the outputs
 */
void
mlp_backward(const Mlp *mlp, MlpBatch *batch, const float *x, const float *dout, int rows,
			 float *grad)
{
	const float *delta = dout;

	for (int l = mlp->layers - 1; l >= 0; l--)
	{
		int			in = mlp->sizes[l];
		int			out = mlp->sizes[l + 1];
		const float *act_in = l == 0 ? x : batch->act[l - 1];
		float	   *gw = grad + (mlp->weight[l] - mlp->params);
		float	   *gb = grad + (mlp->bias[l] - mlp->params);
		float	   *next = batch->delta[l % 2];

		for (int r = 0; r < rows; r++)
		{
			const float *a = act_in + r * in;
			const float *d = delta + r * out;

			for (int o = 0; o < out; o++)
			{
				float	   *g = gw + o * in;

				gb[o] += d[o];
				for (int i = 0; i < in; i++)
					g[i] += d[o] * a[i];
			}
		}
		if (l == 0)
			break;
		/* the delta of the layer below: W^T delta, through its relu */
		for (int r = 0; r < rows; r++)
		{
			const float *a = act_in + r * in;
			const float *d = delta + r * out;
			float	   *nd = next + r * in;

			memset(nd, 0, sizeof(float) * in);
			for (int o = 0; o < out; o++)
			{
				const float *w = mlp->weight[l] + o * in;

				for (int i = 0; i < in; i++)
					nd[i] += w[i] * d[o];
			}
			for (int i = 0; i < in; i++)
				if (a[i] <= 0.0f)
					nd[i] = 0.0f;
		}
		delta = next;
	}
}
