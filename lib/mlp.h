/*
 * mlp.h: dense networks (relu between layers, a linear last layer) as a reusable block:
 * one-row inference, and batched forward and backward passes for training.
 *
 * Every computation runs in float32 in a fixed order, so the same parameters and inputs
 * give the same bits on every run.  Initialisation draws from splitmix64.h.  Memory comes
 * from the caller: mlp_param_count() floats of parameters for mlp_bind(), and
 * mlp_batch_floats() floats for mlp_batch_bind() (src/common/nets.c pallocs both).
 */
#ifndef MLP_H
#define MLP_H

#include <stddef.h>

#include "splitmix64.h"

#define MLP_MAX_LAYERS		8	/* dense layers in a network */
#define MLP_MAX_WIDTH		1024	/* inputs or outputs of a layer */

/* What mlp_check() finds wrong with a network's sizes */
typedef enum MlpStatus
{
	MLP_OK,
	MLP_BAD_LAYERS,				/* the layer count is outside
								 * 1..MLP_MAX_LAYERS */
	MLP_BAD_WIDTH				/* a size is outside 1..MLP_MAX_WIDTH */
} MlpStatus;

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

extern MlpStatus mlp_check(int layers, const int *sizes, int *bad);
extern int	mlp_param_count(int layers, const int *sizes);
extern void mlp_bind(Mlp *mlp, int layers, const int *sizes, float *params);
extern void mlp_init(Mlp *mlp, Rng *rng);
extern void mlp_forward_row(const Mlp *mlp, const float *x, float *out);
extern size_t mlp_batch_floats(const Mlp *mlp, int max_rows);
extern void mlp_batch_bind(MlpBatch *batch, const Mlp *mlp, int max_rows, float *buffer);
extern const float *mlp_forward(const Mlp *mlp, MlpBatch *batch, const float *x, int rows);
extern void mlp_backward(const Mlp *mlp, MlpBatch *batch, const float *x, const float *dout,
						 int rows, float *grad);

#endif
