/*
 * pass_train.h: training the pass model in the database: the trainable TCN (lib/tcn.h,
 * in palloc'd memory by tcn_train.c), the options (pass_train_options.c), the heads and
 * their losses (pass_train_heads.c), and the plays the trainer (pass_train*.c,
 * pass_trainer.h) learns from.
 *
 * The network is the one of shared/design/pass-model.md, with the same channel count C
 * on every level: level 0 reads the 176 normalised input channels (with a 1 x 1
 * downsample when C differs), levels 1..L-1 read C.
 */
#ifndef PASS_TRAIN_H
#define PASS_TRAIN_H

#include "common/nets.h"
#include "pass/pass_model.h"
#include "tcn.h"
#include "utils/jsonb.h"

/* Training the pass model (pass_train.c, tcn_train.c) */
#define PASS_TRAIN_MAX_PLAYS	1000000 /* source rows kept by train_pass_model */
#define PASS_TRAIN_MAX_FRAMES	1000000 /* model-input frames kept, 704 bytes each */
#define PASS_TRAIN_MAX_EPOCHS	10000	/* epochs of train_pass_model */
#define PASS_TRAIN_MAX_BATCH	65536	/* plays per training step */
#define PASS_TRAIN_MAX_WORK_BYTES	(256 * 1024 * 1024) /* activations and gradients of one play */

#define TRAIN_GAUSSIAN_OUTPUTS	2	/* the Gaussian head: mean and scale
									 * pre-activations */

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

/* tcn_train.c (the rest of the trainable TCN is lib/tcn.h's) */
extern Tcn *tcn_create(int levels, int channels, int kernel);
extern void tcn_prepare(Tcn *tcn, int max_rows);

/* pass_train_options.c */
extern void train_options_parse(Jsonb *jb, bool gaussian, TrainOptions *o);
extern char *train_options_json(const TrainOptions *o);

/* pass_train_heads.c */
extern double train_sbp_loss(const TrainOptions *o, const float *out, double y, float *dout, double scale);
extern void train_gaussian_head(const TrainData *d, const float *out, double *mean, double *sd);
extern double train_gaussian_loss(const TrainData *d, const float *out, double y, float *dout, double scale);
extern void train_init_head(Mlp *mlp, const TrainOptions *o, const TrainData *d);

#endif
