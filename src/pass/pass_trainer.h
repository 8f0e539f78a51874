/*
 * pass_trainer.h: the pass trainer's parts, shared by its files: the plays
 * (pass_train_data.c), the network and its training step (pass_train_network.c), the
 * weight file (pass_train_file.c), the runs (pass_train.c) and the Gaussian network's
 * predictions (pass_train_gaussian.c).  The epoch loop, the split and the storing are
 * model/trainer.c's.
 */
#ifndef PASS_TRAINER_H
#define PASS_TRAINER_H

#include "common/nets.h"
#include "model/trainer.h"
#include "pass/pass_train.h"

/* The network, its gradients and optimizers, and the best parameters so far */
typedef struct Network
{
	Tcn		   *tcn;			/* the TCN */
	Mlp		   *mlp;			/* the MLP over (encoding, context) */
	MlpBatch   *batch;			/* the MLP's buffers for one row */
	int			outputs;		/* bins + 4, or 2 */
	float	   *z;				/* [C + S] the MLP's input */
	float	   *grad_z;			/* [C] the gradient w.r.t. the encoding */
	float	   *grad_out;		/* [outputs] the gradient w.r.t. the outputs */
	float	   *tcn_grad;		/* [tcn->nparams] */
	float	   *mlp_grad;		/* [mlp->nparams] */
	float	   *mlp_scratch;	/* [mlp->nparams] one play's MLP gradient */
	Adam	   *tcn_adam;		/* the optimizers (Adam is elementwise, so two
								 * are one) */
	Adam	   *mlp_adam;
	float	   *best_tcn;		/* parameters of the best epoch */
	float	   *best_mlp;
} Network;

/* A pass training run: the Trainer's state */
typedef struct PassRun
{
	TrainOptions o;				/* the options */
	TrainData  *d;				/* the plays, normalised */
	Network    *net;			/* the network */
	char	   *baseline;		/* the no-context SBP fit as text, or NULL */
} PassRun;

/* pass_train.c */
extern void pass_train_fit(Trainer *t, PassRun *run, const char *query);

/* pass_train_data.c */
extern void pass_train_check_columns(TupleDesc desc, void *arg);
extern void pass_train_read_row(HeapTuple tuple, TupleDesc desc, void *arg);
extern void pass_train_check_frames(PlayTensor *pt);
extern void pass_train_read_context(ArrayType *context, int *length, float *s);
extern void pass_train_check_yards(double yards);
extern TrainData *pass_train_load(Trainer *t, const char *query);

/* pass_train_network.c */
extern int	pass_train_mlp_sizes(const TrainOptions *o, int context, int *sizes);
extern Size pass_train_network_bytes(const TrainOptions *o, int context, int max_rows);
extern void pass_train_check_work_memory(const TrainOptions *o, int rows);
extern Network *pass_train_network(const TrainOptions *o, const TrainData *d, Rng *rng);
extern const float *pass_train_forward(Network *net, const float *x, int rows, const float *context, int ncontext);
extern void pass_train_step(Trainer *t, const int32 *plays, int n, double *loss);
extern double pass_train_validation_loss(Trainer *t);
extern void pass_train_keep_best(Trainer *t);
extern void pass_train_restore_best(Trainer *t);

/* pass_train_file.c */
extern char *pass_train_baseline(const TrainData *d);
extern void pass_train_file_shapes(const TrainOptions *o, TrainerFile *file);
extern void pass_train_write_file(Trainer *t, TrainerFile *file);

#endif
