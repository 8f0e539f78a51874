/*
 * pass_train.h: training the pass model in the database: the trainable TCN
 * (tcn_train.c), the options (pass_train_options.c), the heads and their losses
 * (pass_train_heads.c), and the plays the trainer (pass_train*.c, pass_trainer.h)
 * learns from.
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

#include "common/mlp.h"
#include "pass/pass_model.h"
#include "utils/jsonb.h"

#define TRAIN_GAUSSIAN_OUTPUTS	2	/* the Gaussian head: mean and scale
									 * pre-activations */
#define HEAD_BETA_FLOOR		1e-6	/* added to every tail scale, as
									 * pass_model.c does */

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
	int			max_rows;		/* frames the work area holds (0 before
								 * tcn_prepare) */
	float	   *grad_out;		/* [rows][C] gradient w.r.t. a level's output */
	float	   *grad_in;		/* [rows][C] gradient w.r.t. a level's input */
	float	   *grad_h1;		/* [rows][C] */
	float	   *grad_h2;		/* [rows][C] */
	MemoryContext mcxt;			/* where the parameters and work area live */
} Tcn;

/* The options of a training run */
typedef struct TrainOptions
{
	bool		gaussian;		/* the Gaussian network (train_pass_gaussian) */
	int			channels;		/* TCN channels C on every level */
	int			levels;			/* TCN levels L */
	int			kernel;			/* TCN kernel K */
	int			nhidden;		/* hidden MLP layers */
	int			hidden[MLP_MAX_LAYERS - 1]; /* their widths */
	int			bins;			/* SBP bins n */
	double		lower;			/* SBP bin range L */
	double		upper;			/* SBP bin range U */
	double		alpha;			/* SBP tail mass */
	int			epochs;			/* most passes over the training plays */
	int			patience;		/* epochs without a better validation loss
								 * before stopping */
	int			batch_size;		/* plays per Adam step */
	double		learning_rate;	/* Adam's step size */
	double		weight_decay;	/* L2 penalty on the weights (not the biases) */
	int			seed;			/* seeds initialisation, shuffling and the
								 * split */
	int			validation_folds;	/* 1/k of the games validate; 0 = no
									 * validation */
	int			ncontext_names; /* names given, 0 = none */
	char	   *context_names;	/* comma-separated, or NULL */
} TrainOptions;

/* A growing set of plays: their model input, context and yards */
typedef struct PlaySet
{
	int			n;				/* plays */
	int			capacity;		/* plays the arrays hold */
	int		   *start;			/* [n] first input row of each play */
	int		   *rows;			/* [n] input rows of each play */
	double	   *yards;			/* [n] yards gained */
	float	   *context;		/* [n][context] later normalised */
	int			total_rows;		/* input rows of all plays */
	int			row_capacity;	/* rows x holds */
	float	   *x;				/* [total_rows][PASS_CHANNELS] later
								 * normalised */
} PlaySet;

/* The training data: both sets and what describes them */
typedef struct TrainData
{
	PlaySet		set[2];			/* training, validation */
	int			context;		/* context values S, -1 before the first row */
	int			skipped;		/* rows with nothing to learn from */
	int			keep_rows;		/* input rows kept per play: the receptive
								 * field */
	int			max_rows;		/* most rows of a kept play */
	float		input_mean[PASS_CHANNELS];	/* training statistics */
	float		input_std[PASS_CHANNELS];
	float		context_mean[PASS_MAX_CONTEXT];
	float		context_std[PASS_MAX_CONTEXT];
	double		yards_mean;		/* the Gaussian head's scale of yards */
	double		yards_std;
	MemoryContext cxt;			/* where the sets live */
} TrainData;

/* tcn_train.c */
extern int	tcn_receptive_field(int levels, int kernel);
extern Size tcn_work_bytes(int levels, int channels, int rows);
extern Tcn *tcn_create(int levels, int channels, int kernel);
extern void tcn_init(Tcn *tcn, Rng *rng);
extern void tcn_sync(Tcn *tcn);
extern void tcn_prepare(Tcn *tcn, int max_rows);
extern const float *tcn_forward(Tcn *tcn, const float *x, int rows);
extern void tcn_backward(Tcn *tcn, const float *x, int rows, const float *grad_encoding, float *grad);
extern void tcn_export_weight(const TcnConv *conv, float *out);

/* pass_train_options.c */
extern void train_options_parse(Jsonb *jb, bool gaussian, TrainOptions *o);
extern char *train_options_json(const TrainOptions *o);

/* pass_train_heads.c */
extern double train_sbp_loss(const TrainOptions *o, const float *out, double y, float *dout, double scale);
extern void train_gaussian_head(const TrainData *d, const float *out, double *mean, double *sd);
extern double train_gaussian_loss(const TrainData *d, const float *out, double y, float *dout, double scale);
extern void train_init_head(Mlp *mlp, const TrainOptions *o, const TrainData *d);

#endif
