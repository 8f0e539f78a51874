/*
 * pass_model.h: the pass model of shared/design/pass-model.md: its input matrix, and the
 * TCN + MLP network read from a weight file (the forward pass is lib/pass_net.c's, the
 * head lib/pass_head.c's).
 */
#ifndef PASS_MODEL_H
#define PASS_MODEL_H

#include "model/model_file.h"
#include "pass_head.h"
#include "pass_net.h"
#include "play_tensor/play_tensor.h"
#include "utils/array.h"

/* Pass model limits */
#define PASS_MAX_LEVELS			TCN_MAX_LEVELS		/* TCN levels (dilation up to 512) */
#define PASS_MAX_CHANNELS		512		/* channels of a TCN level */
#define PASS_MAX_KERNEL			16		/* taps of a TCN convolution */
#define PASS_MAX_CONTEXT		64		/* context values */
#define PASS_MAX_MLP_LAYERS		8		/* MLP layers */
#define PASS_MAX_WIDTH			1024	/* outputs of an MLP layer (bins + 4 for the last) */
#define PASS_MIN_FRAMES			5		/* frames a play needs to be scored (0.5 s) */

#define PASS_SLOTS			11	/* players per side the model reads */
#define PASS_CHANNELS		(2 * PASS_SLOTS * PT_FEATURES)	/* 176 input channels */


/* A pass model ready to run: its network, and what the weight file says besides */
typedef struct PassNetwork
{
	PassNet		net;			/* the network (lib/pass_net.h) */
	char	   *context_names;	/* the file's context.names, or NULL */
	int			bins;			/* SBP bins n */
	double		lower;			/* SBP bin range L */
	double		upper;			/* SBP bin range U */
	double		alpha;			/* SBP tail mass */
} PassNetwork;

/* pass_network.c */
extern PassNetwork *pass_network_load(ModelFile *mf);
extern int	pass_network_rows(const PassNetwork *net, int frames);
extern void pass_network_forward(const PassNetwork *net, const float *input, int rows,
								 const float *context, float *out);

/* pass_kind.c */
extern void pass_kind_register(void);

/* model_input.c */
extern void pass_model_input(PlayTensor *pt, int first_frame, int frames, float *out);
extern float *pass_context_values(ArrayType *context, int *count);

#endif
