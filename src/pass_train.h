/*
 * pass_train.h: the trainable TCN of the pass model (tcn_train.c), used by the in-database
 * trainer (pass_train.c).
 *
 * The network is the one of shared/design/pass-model.md, with the same channel count C
 * on every level: level 0 reads the 176 normalised input channels (with a 1 x 1
 * downsample when C differs), levels 1..L-1 read C.  Parameters live in one float32
 * vector that the optimizer updates; a convolution's weight is stored tap-major,
 * [kernel][in][out], so that the inner loops run over contiguous outputs, and is
 * written out in PyTorch's [out][in][kernel] order.
 */
#ifndef PASS_TRAIN_H
#define PASS_TRAIN_H

#include "mlp.h"
#include "pass_model.h"

/* One causal dilated convolution inside the parameter vector */
typedef struct TcnConv
{
	int			in;				/* input channels */
	int			out;			/* output channels */
	int			kernel;			/* taps; 0 for an absent downsample */
	int			dilation;		/* frames between taps */
	float	   *weight;			/* [kernel][in][out], inside Tcn.params */
	float	   *bias;			/* [out], inside Tcn.params */
	float	   *weight_t;		/* [kernel][out][in] copy for the input gradient, or NULL */
} TcnConv;

/* One level: two convolutions and the residual connection */
typedef struct TcnLevel
{
	TcnConv		conv1;			/* in -> C */
	TcnConv		conv2;			/* C -> C */
	TcnConv		downsample;		/* 1 x 1, in -> C; kernel 0 when in == C */
	float	   *h1;				/* [rows][C] relu(conv1(x)) of the last forward pass */
	float	   *h2;				/* [rows][C] relu(conv2(h1)) */
	float	   *res;			/* [rows][C] downsample(x), when there is one */
	float	   *out;			/* [rows][C] relu(h2 + residual) */
} TcnLevel;

/* A trainable TCN and the work area of one play */
typedef struct Tcn
{
	int			levels;			/* L */
	int			channels;		/* C */
	int			kernel;			/* K */
	int			receptive;		/* frames that reach the last output */
	int			nparams;		/* length of params */
	float	   *params;			/* every weight and bias */
	TcnLevel	level[PASS_MAX_LEVELS]; /* [levels] */
	int			max_rows;		/* frames the work area holds (0 before tcn_prepare) */
	float	   *grad_out;		/* [rows][C] gradient w.r.t. a level's output */
	float	   *grad_in;		/* [rows][C] gradient w.r.t. a level's input */
	float	   *grad_h1;		/* [rows][C] */
	float	   *grad_h2;		/* [rows][C] */
	MemoryContext mcxt;			/* where the parameters and work area live */
} Tcn;

extern int	tcn_receptive_field(int levels, int kernel);
extern Size tcn_work_bytes(int levels, int channels, int rows);
extern Tcn *tcn_create(int levels, int channels, int kernel);
extern void tcn_init(Tcn *tcn, MlpRng *rng);
extern void tcn_sync(Tcn *tcn);
extern void tcn_prepare(Tcn *tcn, int max_rows);
extern const float *tcn_forward(Tcn *tcn, const float *x, int rows);
extern void tcn_backward(Tcn *tcn, const float *x, int rows, const float *grad_encoding, float *grad);
extern void tcn_export_weight(const TcnConv *conv, float *out);

#endif
