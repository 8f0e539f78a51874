/*
 * pass_net.h: the pass model's network as it scores plays (shared/design/pass-model.md,
 * steps 1 to 5): the input normalised, the TCN's encoding of the last frame (tcn.h),
 * the context normalised, and the MLP over both, in float32 over weights packed for its
 * kernels.  src/pass/pass_network.c reads a weight file into a PassNet; the work area
 * comes from the caller.
 */
#ifndef PASS_NET_H
#define PASS_NET_H

#include <stddef.h>

#include "tcn.h"

/* One dense layer of the MLP, y = W z + b, packed for the scoring kernel */
typedef struct PassDense
{
	int			out;			/* outputs */
	int			in;				/* inputs */
	const float *weight;		/* [in][out rounded up to TCN_BLOCK],
								 * zero-padded */
	const float *bias;			/* [out rounded up to TCN_BLOCK], zero-padded */
} PassDense;

/* A pass network ready to score */
typedef struct PassNet
{
	const float *input_mean;	/* [tcn.inputs] */
	const float *input_std;		/* [tcn.inputs], all > 0 */
	int			context;		/* context values S (may be 0) */
	const float *context_mean;	/* [context] */
	const float *context_std;	/* [context], all > 0 */
	TcnPacked	tcn;			/* the TCN */
	int			layers;			/* MLP layers */
	const PassDense *layer;		/* [layers]; the last is linear */
} PassNet;

extern size_t pass_dense_weight_floats(int out, int in);
extern size_t pass_dense_bias_floats(int out);
extern void pass_dense_pack(PassDense *d, int out, int in, const float *weight, const float *bias,
							float *packed_weight, float *packed_bias);
extern int	pass_net_rows(const PassNet *net, int frames);
extern size_t pass_net_work_floats(const PassNet *net, int rows);
extern const float *pass_net_forward(const PassNet *net, const float *input, int rows,
									 const float *context, float *work);

#endif
