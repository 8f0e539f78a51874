/*
 * mlp.h: dense networks (relu between layers, a linear last layer) as a reusable block:
 * one-row inference, and batched forward and backward passes for training.
 *
 * Every computation runs in float32 in a fixed order, so the same parameters and inputs
 * give the same bits on every run.  Initialisation draws from
 * lib/splitmix64.h.
 */
#ifndef MLP_H
#define MLP_H

#include "postgres.h"

#include "splitmix64.h"

#define MLP_MAX_LAYERS		8	/* dense layers in a network */
#define MLP_MAX_WIDTH		1024	/* inputs or outputs of a layer */

/* A dense network; weight[l] is [sizes[l + 1]][sizes[l]] row-major, like torch.nn.Linear */
typedef struct Mlp
{
	int			layers;			/* number of dense layers, 1..MLP_MAX_LAYERS */
	int			sizes[MLP_MAX_LAYERS + 1];	/* sizes[0] inputs, sizes[l + 1]
											 * outputs of layer l */
	float	   *weight[MLP_MAX_LAYERS]; /* each layer's weights, pointing into
										 * params */
	float	   *bias[MLP_MAX_LAYERS];	/* each layer's biases, pointing into
										 * params */
	int			nparams;		/* number of parameters */
	float	   *params;			/* all parameters: layer 0 weight, bias, layer
								 * 1 ... */
} Mlp;

/* Activations and deltas of a batch of rows, for a training step */
typedef struct MlpBatch
{
	int			max_rows;		/* rows the buffers hold */
	float	   *act[MLP_MAX_LAYERS];	/* outputs of each layer (after relu
										 * but the last) */
	float	   *delta[2];		/* gradient w.r.t. a layer's output, ping-pong */
} MlpBatch;

extern void mlp_check_sizes(int layers, const int *sizes);
extern Mlp *mlp_create(int layers, const int *sizes);
extern void mlp_init(Mlp *mlp, Rng *rng);
extern void mlp_forward_row(const Mlp *mlp, const float *x, float *out);
extern MlpBatch *mlp_batch_create(const Mlp *mlp, int max_rows);
extern const float *mlp_forward(const Mlp *mlp, MlpBatch *batch, const float *x, int rows);
extern void mlp_backward(const Mlp *mlp, MlpBatch *batch, const float *x, const float *dout,
						 int rows, float *grad);


#endif
