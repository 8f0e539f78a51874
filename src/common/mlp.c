/*
 * mlp.c: dense networks (relu between layers, a linear last layer): creation, PyTorch's
 * default initialisation, one-row inference, and batched forward and backward passes.
 *
 * Nothing here knows what the network is for: the ghosting model and its trainer use it,
 * and any other trainer can (sizes, a batch of rows in, gradients out).
 */
#include "postgres.h"

#include <math.h>

#include "common/mlp.h"

#define MLP_BLOCK			8	/* outputs a dense layer computes side by side */

/*
 * Refuse a layer count or a layer size outside the limits
 */
void
mlp_check_sizes(int layers, const int *sizes)
{
	if (layers < 1 || layers > MLP_MAX_LAYERS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a network must have between 1 and %d layers, not %d", MLP_MAX_LAYERS, layers),
				 errhint("Use fewer hidden layers.")));
	for (int l = 0; l <= layers; l++)
		if (sizes[l] < 1 || sizes[l] > MLP_MAX_WIDTH)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a layer must have between 1 and %d units, not %d", MLP_MAX_WIDTH, sizes[l]),
					 errhint("Use narrower layers.")));
}

/*
 * A network of the given sizes (checked), parameters zero, in the current memory context
 */
Mlp *
mlp_create(int layers, const int *sizes)
{
	Mlp		   *mlp = palloc0(sizeof(Mlp));
	float	   *p;

	mlp_check_sizes(layers, sizes);
	mlp->layers = layers;
	for (int l = 0; l <= layers; l++)
		mlp->sizes[l] = sizes[l];
	for (int l = 0; l < layers; l++)
		mlp->nparams += sizes[l + 1] * (sizes[l] + 1);
	p = mlp->params = palloc0(sizeof(float) * mlp->nparams);
	for (int l = 0; l < layers; l++)
	{
		mlp->weight[l] = p;
		p += sizes[l + 1] * sizes[l];
		mlp->bias[l] = p;
		p += sizes[l + 1];
	}
	return mlp;
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
 * Buffers for batches of up to max_rows rows
 */
MlpBatch   *
mlp_batch_create(const Mlp *mlp, int max_rows)
{
	MlpBatch   *batch = palloc0(sizeof(MlpBatch));
	int			widest = 0;

	batch->max_rows = max_rows;
	for (int l = 0; l < mlp->layers; l++)
	{
		batch->act[l] = palloc(sizeof(float) * max_rows * mlp->sizes[l + 1]);
		widest = Max(widest, mlp->sizes[l + 1]);
	}
	batch->delta[0] = palloc(sizeof(float) * max_rows * widest);
	batch->delta[1] = palloc(sizeof(float) * max_rows * widest);
	return batch;
}

/*
 * Forward pass of rows input rows (row-major), keeping every layer's activations for
 * mlp_backward; returns the outputs, rows x sizes[layers]
 */
const float *
mlp_forward(const Mlp *mlp, MlpBatch *batch, const float *x, int rows)
{
	Assert(rows <= batch->max_rows);
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
