/*
 * pass_train_network.c: the pass trainer's network and its training step.  The TCN
 * (tcn_train.c) encodes a play's model input, the MLP (mlp.c) reads the encoding and the
 * context; the loss is the mean negative log density of the head's distribution at the
 * yards gained (pass_train_heads.c).  A step is mini-batch Adam (adam.c) over both with
 * an L2 penalty on the weights, one play at a time in a fixed order, so the same seed
 * and rows give the same weights.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "pass/pass_trainer.h"
#include "utils/float.h"

/*
 * The MLP's sizes: encoding + context in, the hidden layers, the head's outputs out;
 * returns the number of layers
 */
int
pass_train_mlp_sizes(const TrainOptions *o, int context, int *sizes)
{
	sizes[0] = o->channels + context;
	for (int i = 0; i < o->nhidden; i++)
		sizes[i + 1] = o->hidden[i];
	sizes[o->nhidden + 1] = o->gaussian ? TRAIN_GAUSSIAN_OUTPUTS : o->bins + PASS_HEAD;
	return o->nhidden + 1;
}

/* Fail when one play's activations would take more memory than the limit */
void
pass_train_check_work_memory(const TrainOptions *o, int rows)
{
	Size		bytes = tcn_work_bytes(o->levels, o->channels, rows);

	if (bytes > PASS_TRAIN_MAX_WORK_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the activations of a %d-frame play would take %zu MB, more than %d MB",
						rows, bytes >> 20, PASS_TRAIN_MAX_WORK_BYTES >> 20),
				 errhint("Use fewer channels or levels, or shorter plays.")));
}

/*
 * The memory of the network pass_train_network makes for plays of up to max_rows frames:
 * per parameter the value, gradient, two Adam moments and the best (the MLP also a
 * scratch gradient), the TCN's transposed weights and work area, the MLP's buffers
 */
Size
pass_train_network_bytes(const TrainOptions *o, int context, int max_rows)
{
	Mlp			mlp = {0};
	Size		tcn_params = tcn_param_count(PASS_CHANNELS, o->levels, o->channels, o->kernel);

	mlp.layers = pass_train_mlp_sizes(o, context, mlp.sizes);
	return sizeof(float) * (5 * tcn_params + tcn_transposed_floats(o->levels, o->channels, o->kernel) +
							6 * (Size) mlp_param_count(mlp.layers, mlp.sizes) + mlp_batch_floats(&mlp, 1)) +
		tcn_work_bytes(o->levels, o->channels, max_rows);
}

/*
 * A network initialised from the run's generator (TCN first, then the MLP, whose last
 * layer then starts at the marginal; the generator continues for the shuffles), with its
 * optimizers
 */
Network *
pass_train_network(const TrainOptions *o, const TrainData *d, Rng *rng)
{
	Network    *net = palloc0(sizeof(Network));
	int			sizes[MLP_MAX_LAYERS + 1];
	int			layers = pass_train_mlp_sizes(o, d->context, sizes);

	pass_train_check_work_memory(o, d->max_rows);
	net->tcn = tcn_create(o->levels, o->channels, o->kernel);
	net->mlp = mlp_create(layers, sizes);
	tcn_init(net->tcn, rng);
	mlp_init(net->mlp, rng);
	train_init_head(net->mlp, o, d);
	tcn_prepare(net->tcn, d->max_rows);
	net->batch = mlp_batch_create(net->mlp, 1);
	net->outputs = sizes[layers];
	net->z = palloc0(sizeof(float) * sizes[0]);
	net->grad_z = palloc(sizeof(float) * o->channels);
	net->grad_out = palloc(sizeof(float) * net->outputs);
	net->tcn_grad = palloc(sizeof(float) * net->tcn->nparams);
	net->mlp_grad = palloc(sizeof(float) * net->mlp->nparams);
	net->mlp_scratch = palloc(sizeof(float) * net->mlp->nparams);
	net->tcn_adam = adam_create(net->tcn->nparams, o->learning_rate);
	net->mlp_adam = adam_create(net->mlp->nparams, o->learning_rate);
	net->best_tcn = palloc(sizeof(float) * net->tcn->nparams);
	net->best_mlp = palloc(sizeof(float) * net->mlp->nparams);
	return net;
}

/* Fail on a non-finite network output: the run diverged */
static inline void
check_outputs(const float *out, int n)
{
	for (int k = 0; k < n; k++)
		if (!isfinite(out[k]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("training diverged: the network's outputs are not finite"),
					 errhint("Lower learning_rate, and look for absurd yards among the plays.")));
}

/*
 * The network's outputs for a play's normalised input (rows x 176) and context
 * (activations kept for a backward pass)
 */
const float *
pass_train_forward(Network *net, const float *x, int rows, const float *context, int ncontext)
{
	const float *encoding = tcn_forward(net->tcn, x, rows);
	const float *out;

	memcpy(net->z, encoding, sizeof(float) * net->tcn->channels);
	memcpy(net->z + net->tcn->channels, context, sizeof(float) * ncontext);
	out = mlp_forward(net->mlp, net->batch, net->z, 1);
	check_outputs(out, net->outputs);
	return out;
}

/* The network's outputs for play p of a set */
static const float *
play_forward(Network *net, const TrainData *d, const PlaySet *set, int p)
{
	return pass_train_forward(net, set->x + (Size) set->start[p] * PASS_CHANNELS, set->rows[p],
							  set->context + (Size) p * Max(d->context, 1), d->context);
}

/* The head's loss at play p's yards; with dout, its gradient times scale */
static double
play_loss(const TrainOptions *o, const TrainData *d, const float *out, double y, float *dout, double scale)
{
	return o->gaussian ? train_gaussian_loss(d, out, y, dout, scale) : train_sbp_loss(o, out, y, dout, scale);
}

/*
 * Forward and backward pass of play p: adds scale times its loss gradient to the TCN's
 * and the MLP's gradients; returns its loss
 */
static double
play_step(Network *net, const TrainOptions *o, const TrainData *d, const PlaySet *set, int p, double scale)
{
	const float *out = play_forward(net, d, set, p);
	double		loss = play_loss(o, d, out, set->yards[p], net->grad_out, scale);
	Mlp		   *mlp = net->mlp;
	const float *delta;
	int			in = mlp->sizes[0];

	memset(net->mlp_scratch, 0, sizeof(float) * mlp->nparams);
	mlp_backward(mlp, net->batch, net->z, net->grad_out, 1, net->mlp_scratch);

	/*
	 * for one row, the first layer's bias gradient is the gradient w.r.t. its
	 * outputs
	 */
	delta = net->mlp_scratch + (mlp->bias[0] - mlp->params);
	memset(net->grad_z, 0, sizeof(float) * o->channels);
	for (int j = 0; j < mlp->sizes[1]; j++)
	{
		const float *w = mlp->weight[0] + (Size) j * in;

		for (int i = 0; i < o->channels; i++)
			net->grad_z[i] += w[i] * delta[j];
	}
	for (int k = 0; k < mlp->nparams; k++)
		net->mlp_grad[k] += net->mlp_scratch[k];
	tcn_backward(net->tcn, set->x + (Size) set->start[p] * PASS_CHANNELS, set->rows[p], net->grad_z, net->tcn_grad);
	return loss;
}

/* Add the L2 penalty's gradient, decay times the weight, for n weights */
static void
decay_weights(const float *weight, Size n, double decay, float *grad)
{
	for (Size k = 0; k < n; k++)
		grad[k] += (float) decay * weight[k];
}

/* The weight decay of every convolution's and layer's weights (not the biases) */
static void
decay_network(Network *net, double decay)
{
	Tcn		   *tcn = net->tcn;
	Mlp		   *mlp = net->mlp;

	for (int l = 0; l < tcn->levels && decay > 0.0; l++)
	{
		TcnConv    *convs[3] = {&tcn->level[l].conv1, &tcn->level[l].conv2, &tcn->level[l].downsample};

		for (int c = 0; c < 3; c++)
			if (convs[c]->kernel > 0)
				decay_weights(convs[c]->weight, (Size) convs[c]->kernel * convs[c]->in * convs[c]->out, decay,
							  net->tcn_grad + (convs[c]->weight - tcn->params));
	}
	for (int l = 0; l < mlp->layers && decay > 0.0; l++)
		decay_weights(mlp->weight[l], (Size) mlp->sizes[l] * mlp->sizes[l + 1], decay,
					  net->mlp_grad + (mlp->weight[l] - mlp->params));
}

/*
 * One Adam step over n training plays: each play's loss gradient (scaled 1/n) added up
 * in order, the weight decay, then the update; adds the plays' losses to *loss
 */
void
pass_train_step(Trainer *t, const int32 *plays, int n, double *loss)
{
	PassRun    *run = t->state;
	Network    *net = run->net;
	const PlaySet *set = &run->d->set[0];

	memset(net->tcn_grad, 0, sizeof(float) * net->tcn->nparams);
	memset(net->mlp_grad, 0, sizeof(float) * net->mlp->nparams);
	for (int k = 0; k < n; k++)
	{
		CHECK_FOR_INTERRUPTS();
		*loss += play_step(net, &run->o, run->d, set, plays[k], 1.0 / n);
	}
	decay_network(net, run->o.weight_decay);
	adam_step(net->tcn_adam, net->tcn->params, net->tcn_grad);
	adam_step(net->mlp_adam, net->mlp->params, net->mlp_grad);
	tcn_sync(net->tcn);
}

/* The mean loss of the network over the validation plays (NaN when there are none) */
double
pass_train_validation_loss(Trainer *t)
{
	PassRun    *run = t->state;
	const PlaySet *set = &run->d->set[1];
	double		loss = 0.0;

	for (int p = 0; p < set->n; p++)
	{
		CHECK_FOR_INTERRUPTS();
		loss += play_loss(&run->o, run->d, play_forward(run->net, run->d, set, p), set->yards[p], NULL, 0.0);
	}
	return set->n ? loss / set->n : get_float8_nan();
}

/* Keep the current parameters as the best */
void
pass_train_keep_best(Trainer *t)
{
	Network    *net = ((PassRun *) t->state)->net;

	memcpy(net->best_tcn, net->tcn->params, sizeof(float) * net->tcn->nparams);
	memcpy(net->best_mlp, net->mlp->params, sizeof(float) * net->mlp->nparams);
}

/* Put the best parameters back into the network */
void
pass_train_restore_best(Trainer *t)
{
	Network    *net = ((PassRun *) t->state)->net;

	memcpy(net->tcn->params, net->best_tcn, sizeof(float) * net->tcn->nparams);
	memcpy(net->mlp->params, net->best_mlp, sizeof(float) * net->mlp->nparams);
	tcn_sync(net->tcn);
}
