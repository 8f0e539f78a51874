/*
 * pass_model.h: the pass model of shared/design/pass-model.md: its input matrix, the
 * TCN + MLP network read from a weight file, and the forward pass.
 */
#ifndef PASS_MODEL_H
#define PASS_MODEL_H

#include "model/model_file.h"
#include "play_tensor/play_tensor.h"
#include "utils/array.h"

#define PASS_SLOTS			11	/* players per side the model reads */
#define PASS_CHANNELS		(2 * PASS_SLOTS * PT_FEATURES)	/* 176 input channels */
#define PASS_HEAD			4	/* outputs after the bin logits: xi_lo,
								 * beta_lo, xi_hi, beta_hi */
#define PASS_BLOCK			16	/* output channels one kernel step computes */
#define PASS_ROWS			4	/* frames one kernel step computes */

/* A causal dilated convolution, weights repacked for the kernel */
typedef struct PassConv
{
	int			out;			/* output channels */
	int			in;				/* input channels */
	int			kernel;			/* taps */
	int			dilation;		/* frames between taps */
	float	   *weight;			/* blocks x kernel x in x PASS_BLOCK, where
								 * blocks = ceil(out / PASS_BLOCK), zero-padded */
	float	   *bias;			/* [out rounded up to PASS_BLOCK], zero-padded */
} PassConv;

/* One TCN level: two convolutions and a residual connection */
typedef struct PassLevel
{
	PassConv	conv1;			/* in -> out channels */
	PassConv	conv2;			/* out -> out channels */
	PassConv	downsample;		/* 1 x 1, in -> out; kernel 0 when in == out */
} PassLevel;

/* One MLP layer, y = W z + b */
typedef struct PassLayer
{
	int			out;			/* outputs */
	int			in;				/* inputs */
	const float *weight;		/* [out][in] */
	const float *bias;			/* [out] */
} PassLayer;

/* A pass model ready to run; lives in one memory context of the model cache */
typedef struct PassNetwork
{
	int			levels;			/* TCN levels L */
	PassLevel  *level;			/* [levels] */
	int			context;		/* context values S (may be 0) */
	char	   *context_names;	/* the file's context.names, or NULL */
	int			layers;			/* MLP layers */
	PassLayer  *layer;			/* [layers]; the last has bins + PASS_HEAD
								 * outputs */
	int			bins;			/* SBP bins n */
	double		lower;			/* SBP bin range L */
	double		upper;			/* SBP bin range U */
	double		alpha;			/* SBP tail mass */
	const float *input_mean;	/* [PASS_CHANNELS] */
	const float *input_std;		/* [PASS_CHANNELS], all > 0 */
	const float *context_mean;	/* [context] */
	const float *context_std;	/* [context], all > 0 */
	int			receptive;		/* frames that can reach the last output */
	int			stride;			/* floats per row of a work buffer */
	int			padding;		/* zero rows before frame 0 of a work buffer */
	int			work_rows;		/* frame rows the work buffers hold now */
	void	   *work_chunk;		/* the allocation that holds the work area, or
								 * NULL */
	float	   *work;			/* aligned work area: 3 buffers of padding +
								 * work_rows + PASS_ROWS rows, the raw input,
								 * MLP scratch */
	MemoryContext mcxt;			/* where the network and its work buffers live */
} PassNetwork;

/* pass_network.c */
extern PassNetwork *pass_network_load(ModelFile *mf);
extern float *pass_network_input(PassNetwork *net, int frames);
extern const float *pass_network_forward(PassNetwork *net, int frames, const float *context);

/* pass_kind.c */
extern void pass_kind_register(void);

/* model_input.c */
extern void pass_model_input(PlayTensor *pt, int first_frame, int frames, float *out);
extern float *pass_context_values(ArrayType *context, int *count);

#endif
