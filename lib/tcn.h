/*
 * tcn.h: the pass model's temporal convolutional network (shared/design/pass-model.md,
 * step 2): its shape, the scoring forward pass over packed weights (tcn.c), and the
 * trainable network with a forward pass that keeps every activation and the backward
 * pass (tcn_grad.c).
 *
 * Level l has two causal convolutions of dilation 2^l, y[t, o] = b[o] +
 * sum_i sum_j W[o, i, j] x[t - (K - 1 - j) 2^l, i] with x = 0 before t = 0, and a residual
 * connection (a 1 x 1 downsample when the input width differs).  Only the frames that
 * reach the last frame's output are computed: a play longer than the receptive field
 * starts at its last `receptive` frames, and each convolution computes only the rows the
 * next one reads (tcn_level_starts).  All memory comes from the caller.
 */
#ifndef TCN_H
#define TCN_H

#include <stddef.h>

#include "splitmix64.h"

#define TCN_MAX_LEVELS		10	/* levels (dilation up to 512) */
#define TCN_BLOCK			16	/* output channels one scoring step computes */
#define TCN_ROWS			4	/* frames one scoring step computes */

/* The spans of a TCN's convolutions, which say which frames each level needs */
typedef struct TcnShape
{
	int			levels;			/* L */
	int			span[TCN_MAX_LEVELS][2];	/* frames between the first and
											 * the last tap of conv1, conv2 */
	int			receptive;		/* frames that reach the last output */
	int			padding;		/* the longest span */
} TcnShape;

/*
 * The scoring network
 */

/* A convolution with its weights packed for the scoring kernel */
typedef struct TcnPackedConv
{
	int			out;			/* output channels */
	int			in;				/* input channels */
	int			kernel;			/* taps; 0 for an absent downsample */
	int			dilation;		/* frames between taps */
	const float *weight;		/* blocks x kernel x in x TCN_BLOCK, where
								 * blocks = ceil(out / TCN_BLOCK), zero-padded */
	const float *bias;			/* [out rounded up to TCN_BLOCK], zero-padded */
} TcnPackedConv;

/* One scoring level */
typedef struct TcnPackedLevel
{
	TcnPackedConv conv1;		/* in -> out channels */
	TcnPackedConv conv2;		/* out -> out channels */
	TcnPackedConv downsample;	/* 1 x 1, in -> out; kernel 0 when in == out */
} TcnPackedLevel;

/* A TCN ready to score: its levels, shape and work buffer row stride */
typedef struct TcnPacked
{
	int			inputs;			/* input channels of level 0 */
	int			levels;			/* L */
	TcnPackedLevel level[TCN_MAX_LEVELS];
	TcnShape	shape;			/* from tcn_packed_finish */
	int			stride;			/* floats per row of a work buffer */
} TcnPacked;

/*
 * The trainable network: one float32 parameter vector that the optimizer updates; a
 * convolution's weight is stored tap-major, [kernel][in][out], so that the inner loops
 * run over contiguous outputs, and exported in PyTorch's [out][in][kernel] order
 */

/* One causal dilated convolution inside the parameter vector */
typedef struct TcnConv
{
	int			in;				/* input channels */
	int			out;			/* output channels */
	int			kernel;			/* taps; 0 for an absent downsample */
	int			dilation;		/* frames between taps */
	float	   *weight;			/* [kernel][in][out], inside Tcn.params */
	float	   *bias;			/* [out], inside Tcn.params */
	float	   *weight_t;		/* [kernel][out][in] copy for the input
								 * gradient, or NULL */
} TcnConv;

/* One level: two convolutions and the residual connection */
typedef struct TcnLevel
{
	TcnConv		conv1;			/* in -> C */
	TcnConv		conv2;			/* C -> C */
	TcnConv		downsample;		/* 1 x 1, in -> C; kernel 0 when in == C */
	float	   *h1;				/* [rows][C] relu(conv1(x)) of the last
								 * forward pass */
	float	   *h2;				/* [rows][C] relu(conv2(h1)) */
	float	   *res;			/* [rows][C] downsample(x), when there is one */
	float	   *out;			/* [rows][C] relu(h2 + residual) */
} TcnLevel;

/*
 * Called between the convolutions of a forward or backward pass, with the TCN's poll_arg:
 * lets the caller stop a long pass (it may not return); it must not touch the TCN
 */
typedef void (*TcnPoll) (void *arg);

/*
 * A trainable TCN and the work area of one play: the same channel count C on every
 * level; level 0 reads `inputs` channels (with a 1 x 1 downsample when C differs)
 */
typedef struct Tcn
{
	int			inputs;			/* input channels of level 0 */
	int			levels;			/* L */
	int			channels;		/* C */
	int			kernel;			/* K */
	TcnShape	shape;			/* the spans of every level, the receptive
								 * field */
	int			nparams;		/* length of params */
	float	   *params;			/* every weight and bias */
	TcnLevel	level[TCN_MAX_LEVELS];	/* [levels] */
	int			max_rows;		/* frames the work area holds (0 before
								 * tcn_bind_work) */
	float	   *work;			/* the work area, tcn_work_bytes(max_rows) */
	float	   *grad_out;		/* [rows][C] gradient w.r.t. a level's output */
	float	   *grad_in;		/* [rows][C] gradient w.r.t. a level's input */
	float	   *grad_h1;		/* [rows][C] */
	float	   *grad_h2;		/* [rows][C] */
	TcnPoll		poll;			/* called between convolutions, or NULL */
	void	   *poll_arg;		/* its argument */
} Tcn;

/* tcn.c: the shape */
extern int	tcn_conv_span(int kernel, int dilation);
extern void tcn_shape_add_level(TcnShape *shape, int span1, int span2);
extern int	tcn_receptive_field(int levels, int kernel);
extern void tcn_level_starts(const TcnShape *shape, int rows, int *start);
extern int	tcn_first_h1(const TcnShape *shape, const int *start, int l);

/* tcn.c: the scoring network */
extern size_t tcn_pack_weight_floats(int out, int in, int kernel);
extern size_t tcn_pack_bias_floats(int out);
extern void tcn_pack_conv(TcnPackedConv *c, int out, int in, int kernel, int dilation,
						  const float *weight, const float *bias,
						  float *packed_weight, float *packed_bias);
extern void tcn_packed_finish(TcnPacked *t);
extern size_t tcn_packed_work_floats(const TcnPacked *t, int rows);
extern float *tcn_packed_input(const TcnPacked *t, float *work, int rows);
extern const float *tcn_packed_encode(const TcnPacked *t, float *work, int rows);

/* tcn_grad.c: the trainable network */
extern int	tcn_param_count(int inputs, int levels, int channels, int kernel);
extern size_t tcn_transposed_floats(int levels, int channels, int kernel);
extern void tcn_layout(Tcn *tcn, int inputs, int levels, int channels, int kernel,
					   float *params, float *transposed);
extern size_t tcn_work_bytes(int levels, int channels, int rows);
extern void tcn_bind_work(Tcn *tcn, int max_rows, float *work);
extern void tcn_init(Tcn *tcn, Rng *rng);
extern void tcn_sync(Tcn *tcn);
extern const float *tcn_forward(Tcn *tcn, const float *x, int rows);
extern void tcn_backward(Tcn *tcn, const float *x, int rows, const float *grad_encoding, float *grad);
extern void tcn_export_weight(const TcnConv *conv, float *out);

#endif
