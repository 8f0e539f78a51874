/*
 * pass_train.c: ngs.train_pass_model, which trains a pass model in the database on the
 * plays a query returns and stores it in the model catalog, and ngs.train_pass_gaussian,
 * which trains the Gaussian-output network of the same size and returns its
 * predictions, for the comparison the NGS paper makes.
 *
 * The query yields (tensor, context, yards [, game]).  Each play's model input (the last
 * frames that reach the encoding, tcn_train.c) is kept in memory; games with
 * ngs.kfold(game, validation_folds, seed) = 0 are the validation set.  Inputs and context
 * are normalised with the training plays' mean and standard deviation, which become
 * input.mean/std and context.mean/std of the weight file.  The loss is the mean negative
 * log density of the head's distribution at the yards gained (pass_train_heads.c);
 * mini-batch Adam (adam.c) over the TCN (tcn_train.c) and the MLP (mlp.c) with an L2
 * penalty on the weights, shuffled by our own generator; a NOTICE per epoch; the weights
 * of the epoch with the lowest validation loss are kept, and training stops when it has
 * not improved for `patience` epochs.  One play at a time and in a fixed order, so the
 * same seed and rows give the same weights.  The model row is written at the very end,
 * through ngs.import_model, in the caller's transaction.
 */
#include "postgres.h"

#include <math.h>

#include "common/nets.h"
#include "kfold.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "model/model_catalog.h"
#include "model/model_write.h"
#include "common/options.h"
#include "pass/pass_train.h"
#include "portability/instr_time.h"
#include "sbp/sbp.h"
#include "model/source_query.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"


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

/* What a training run ends with */
typedef struct TrainResult
{
	int			epochs;			/* epochs run */
	int			best_epoch;		/* epoch of the kept weights */
	double		train_loss;		/* its training loss (mean over the epoch's
								 * steps) */
	double		validation_loss;	/* its validation loss, NaN without
									 * validation */
	StringInfoData history;		/* JSON [[train, validation (0 without)], ...]
								 * per epoch */
} TrainResult;

/* What the rows of a source or prediction query are read with */
typedef struct RowReader
{
	const TrainOptions *o;
	TrainData  *d;
	Network    *net;			/* predictions: the trained network */
	ReturnSetInfo *rsinfo;		/* predictions: where they go */
} RowReader;

/*
 * Reading the plays
 */

/*
 * Refuse a source query whose columns are not (tensor ngs.play_tensor, context real[],
 * yards float8 [, game bigint]); returns whether it has the game column
 */
static bool
check_source_columns(TupleDesc desc)
{
	Oid			types[4] = {source_play_tensor_type(), FLOAT4ARRAYOID, FLOAT8OID, INT8OID};

	if (!source_columns_are(desc, types, 3) && !source_columns_are(desc, types, 4))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("source_query must return (tensor ngs.play_tensor, context real[], yards float8[, game bigint])"),
				 errhint("Select standardized tensors from the snap to the release, the context array, "
						 "the yards gained and the game, casting where needed (yards::float8).")));
	return desc->natts == 4;
}

/* Refuse a source query of the wrong columns, or without a game column that validation needs */
static void
check_source_query(TupleDesc desc, void *arg)
{
	const TrainOptions *o = ((RowReader *) arg)->o;

	if (!check_source_columns(desc) && o->validation_folds > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source_query has no game column, which the validation split needs"),
				 errhint("Add the game as a fourth column (bigint), or set validation_folds to 0 to train without validation.")));
}

/* Fail unless a play has enough frames for the model */
static inline void
check_play_frames(PlayTensor *pt)
{
	if (pt->frames < PASS_MIN_FRAMES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play_tensor has %d frames; the pass model needs at least %d",
						pt->frames, PASS_MIN_FRAMES),
				 errhint("Build the tensor from the snap to the release of the pass, and filter out shorter plays.")));
}

/*
 * Read a context array into s (NULL elements become NaN); the first row fixes the
 * context length, every other row must have it
 */
static void
read_context(ArrayType *context, int *length, float *s)
{
	int			count;
	float	   *values = pass_context_values(context, &count);

	if (*length < 0)
	{
		if (count > PASS_MAX_CONTEXT)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("context has %d values, more than %d", count, PASS_MAX_CONTEXT)));
		*length = count;
	}
	if (count != *length)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("context has %d values in one row and %d in another", count, *length),
				 errhint("Every row needs the same context values in the same order; use NULL for a missing one.")));
	memcpy(s, values, sizeof(float) * count);
	pfree(values);
}

/* Make room in a set for one more play of `rows` input rows */
static void
grow_set(PlaySet *set, int rows, int context, MemoryContext cxt)
{
	if (set->n == set->capacity)
	{
		int			cap = set->capacity ? Min(2 * set->capacity, PASS_TRAIN_MAX_PLAYS) : 64;

		set->start = set->start ? repalloc_huge(set->start, sizeof(int) * cap) : MemoryContextAllocHuge(cxt, sizeof(int) * cap);
		set->rows = set->rows ? repalloc_huge(set->rows, sizeof(int) * cap) : MemoryContextAllocHuge(cxt, sizeof(int) * cap);
		set->yards = set->yards ? repalloc_huge(set->yards, sizeof(double) * cap) : MemoryContextAllocHuge(cxt, sizeof(double) * cap);
		set->game = set->game ? repalloc_huge(set->game, sizeof(int64) * cap) : MemoryContextAllocHuge(cxt, sizeof(int64) * cap);
		set->context = set->context ? repalloc_huge(set->context, sizeof(float) * cap * Max(context, 1)) :
			MemoryContextAllocHuge(cxt, sizeof(float) * cap * Max(context, 1));
		set->capacity = cap;
	}
	if (set->total_rows + rows > set->row_capacity)
	{
		int			cap = Min(Max(2 * set->row_capacity, set->total_rows + rows), PASS_TRAIN_MAX_FRAMES);
		Size		bytes = sizeof(float) * (Size) cap * PASS_CHANNELS;

		set->x = set->x ? repalloc_huge(set->x, bytes) : MemoryContextAllocHuge(cxt, bytes);
		set->row_capacity = cap;
	}
}

/* Fail when keeping another play would pass the memory limits */
static inline void
check_capacity(const TrainData *d, int rows)
{
	int			plays = d->set[0].n + d->set[1].n;
	int			frames = d->set[0].total_rows + d->set[1].total_rows;

	if (plays >= PASS_TRAIN_MAX_PLAYS || frames > PASS_TRAIN_MAX_FRAMES - rows)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("source_query yields more than %d plays or %d model-input frames",
						PASS_TRAIN_MAX_PLAYS, PASS_TRAIN_MAX_FRAMES),
				 errhint("Train on fewer plays; the README's \"Memory\" paragraph says what training keeps.")));
}

/* Whether a game is in the validation fold: ngs.kfold(game, folds, seed) = 0 */
static bool
is_validation_game(int64 game, const TrainOptions *o)
{
	return o->validation_folds > 0 &&
		kfold_int64(game, o->validation_folds, o->seed) == 0;
}

/* Refuse yards gained that are not a finite number (NULL is the caller's business) */
static inline void
check_yards(double yards)
{
	if (!isfinite(yards))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("yards must be finite, not %g", yards),
				 errhint("Pass the yards gained, or NULL where the outcome is unknown.")));
}

/* Add one source row to its set, or count it as skipped */
static void
collect_row(HeapTuple tuple, TupleDesc desc, void *arg)
{
	const TrainOptions *o = ((RowReader *) arg)->o;
	TrainData  *d = ((RowReader *) arg)->d;
	bool		isnull[4] = {false, false, false, false};
	Datum		v[4];
	PlayTensor *pt;
	PlaySet    *set;
	float		s[PASS_MAX_CONTEXT];
	int			rows;

	for (int k = 0; k < desc->natts; k++)
		v[k] = SPI_getbinval(tuple, desc, k + 1, &isnull[k]);
	if (isnull[0] || isnull[2])
	{
		d->skipped++;			/* nothing to learn from */
		return;
	}
	if (isnull[1])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("context must not be NULL"),
				 errhint("Pass '{}' for no context, and NULL elements for missing values.")));
	if (desc->natts == 4 && isnull[3])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("game must not be NULL"),
				 errhint("Every play needs its game, for the validation split.")));
	check_yards(DatumGetFloat8(v[2]));
	read_context(DatumGetArrayTypeP(v[1]), &d->context, s);
	pt = DatumGetPlayTensorP(v[0]);
	check_play_frames(pt);
	rows = Min(pt->frames, d->keep_rows);
	check_capacity(d, rows);

	set = &d->set[desc->natts == 4 && is_validation_game(DatumGetInt64(v[3]), o) ? 1 : 0];
	grow_set(set, rows, d->context, d->cxt);
	pass_model_input(pt, pt->frames - rows, rows, set->x + (Size) set->total_rows * PASS_CHANNELS);
	set->start[set->n] = set->total_rows;
	set->rows[set->n] = rows;
	set->yards[set->n] = DatumGetFloat8(v[2]);
	set->game[set->n] = desc->natts == 4 ? DatumGetInt64(v[3]) : 0;
	memcpy(set->context + (Size) set->n * Max(d->context, 1), s, sizeof(float) * d->context);
	set->total_rows += rows;
	set->n++;
	d->max_rows = Max(d->max_rows, rows);
}

/*
 * Every play of the source query: d->set[0] training, d->set[1] validation.  Rows come
 * in the query's order, so an ORDER BY makes the run repeatable.
 */
static void
collect_plays(const char *query, const TrainOptions *o, TrainData *d)
{
	RowReader	reader = {o, d, NULL, NULL};

	source_query_rows(query, check_source_query, collect_row, &reader);
}

/* The number of distinct games of a set */
static int
count_games(const PlaySet *set)
{
	int64	   *games;
	int			n;

	if (set->n == 0)
		return 0;				/* and set->game may be NULL */
	games = palloc(sizeof(int64) * set->n);
	memcpy(games, set->game, sizeof(int64) * set->n);
	n = source_count_games(games, set->n);
	pfree(games);
	return n;
}

/* Refuse a run with no play to train on, or none to validate with when it should */
static inline void
check_plays(const TrainData *d, const TrainOptions *o)
{
	if (d->set[0].n == 0 || (o->validation_folds > 0 && d->set[1].n == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source_query yields %d training and %d validation plays; both need some",
						d->set[0].n, d->set[1].n),
				 errhint("Pass plays of more games (validation holds out the games with "
						 "ngs.kfold(game, validation_folds, seed) = 0), or set validation_folds to 0.")));
	if (o->ncontext_names > 0 && o->ncontext_names != d->context)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"context_names\" has %d names but the context has %d values",
						o->ncontext_names, d->context)));
}

/*
 * Normalisation
 */

/*
 * Mean and standard deviation (population) of the finite values of column c of a
 * [n][width] array; 0 and 1 when there are none, std 1 when they do not vary
 */
static void
column_statistics(const float *values, Size n, int width, int c, float *mean, float *std)
{
	double		sum = 0.0,
				sum2 = 0.0;
	Size		count = 0;

	for (Size r = 0; r < n; r++)
	{
		float		v = values[r * width + c];

		if (isfinite(v))
		{
			sum += v;
			sum2 += (double) v * v;
			count++;
		}
	}
	*mean = count ? (float) (sum / count) : 0.0f;
	*std = count ? (float) sqrt(Max(sum2 / count - (sum / count) * (sum / count), 0.0)) : 1.0f;
	if (!(*std > 1e-6f))
		*std = 1.0f;
}

/* (v - mean) / std in float32, NaN as 0: the forward pass's normalisation */
static void
normalize_columns(float *values, Size n, int width, const float *mean, const float *std)
{
	for (Size r = 0; r < n; r++)
		for (int c = 0; c < width; c++)
		{
			float		v = (values[r * width + c] - mean[c]) / std[c];

			values[r * width + c] = isnan(v) ? 0.0f : v;
		}
}

/*
 * The training plays' statistics of input, context and yards; then both sets normalised
 */
static void
normalize_data(TrainData *d)
{
	PlaySet    *train = &d->set[0];
	double		sum = 0.0,
				sum2 = 0.0;

	for (int c = 0; c < PASS_CHANNELS; c++)
		column_statistics(train->x, train->total_rows, PASS_CHANNELS, c, &d->input_mean[c], &d->input_std[c]);
	for (int k = 0; k < d->context; k++)
		column_statistics(train->context, train->n, d->context, k, &d->context_mean[k], &d->context_std[k]);
	for (int s = 0; s < 2; s++)
	{
		normalize_columns(d->set[s].x, d->set[s].total_rows, PASS_CHANNELS, d->input_mean, d->input_std);
		normalize_columns(d->set[s].context, d->set[s].n, d->context, d->context_mean, d->context_std);
	}
	for (int p = 0; p < train->n; p++)
	{
		sum += train->yards[p];
		sum2 += train->yards[p] * train->yards[p];
	}
	d->yards_mean = sum / train->n;
	d->yards_std = sqrt(Max(sum2 / train->n - d->yards_mean * d->yards_mean, 0.0));
	if (!(d->yards_std > 1e-6))
		d->yards_std = 1.0;
}

/*
 * The network
 */

/* The MLP's sizes: encoding + context in, the hidden layers, the head's outputs out */
static int
mlp_sizes(const TrainOptions *o, int context, int *sizes)
{
	sizes[0] = o->channels + context;
	for (int i = 0; i < o->nhidden; i++)
		sizes[i + 1] = o->hidden[i];
	sizes[o->nhidden + 1] = o->gaussian ? TRAIN_GAUSSIAN_OUTPUTS : o->bins + PASS_HEAD;
	return o->nhidden + 1;
}

/* Fail when one play's activations would take more memory than the limit */
static inline void
check_work_memory(const TrainOptions *o, int rows)
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
 * A network initialised from the seed (TCN first, then the MLP, whose last layer then
 * starts at the marginal; rng continues for the shuffles), with its optimizers
 */
static Network *
create_network(const TrainOptions *o, const TrainData *d, Rng *rng)
{
	Network    *net = palloc0(sizeof(Network));
	int			sizes[MLP_MAX_LAYERS + 1];
	int			layers = mlp_sizes(o, d->context, sizes);

	check_work_memory(o, d->max_rows);
	net->tcn = tcn_create(o->levels, o->channels, o->kernel);
	net->mlp = mlp_create(layers, sizes);
	rng_seed(rng, (uint64) (int64) o->seed);
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
static const float *
network_forward(Network *net, const float *x, int rows, const float *context, int ncontext)
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
	return network_forward(net, set->x + (Size) set->start[p] * PASS_CHANNELS, set->rows[p],
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
 * One epoch of Adam steps over the shuffled training plays; returns the mean loss
 */
static double
train_epoch(Network *net, const TrainOptions *o, const TrainData *d, int32 *order, Rng *rng)
{
	const PlaySet *set = &d->set[0];
	double		loss = 0.0;

	rng_shuffle(rng, order, set->n);
	for (int first = 0; first < set->n; first += o->batch_size)
	{
		int			rows = Min(o->batch_size, set->n - first);

		memset(net->tcn_grad, 0, sizeof(float) * net->tcn->nparams);
		memset(net->mlp_grad, 0, sizeof(float) * net->mlp->nparams);
		for (int k = first; k < first + rows; k++)
		{
			CHECK_FOR_INTERRUPTS();
			loss += play_step(net, o, d, set, order[k], 1.0 / rows);
		}
		decay_network(net, o->weight_decay);
		adam_step(net->tcn_adam, net->tcn->params, net->tcn_grad);
		adam_step(net->mlp_adam, net->mlp->params, net->mlp_grad);
		tcn_sync(net->tcn);
	}
	return loss / set->n;
}

/* The mean loss of the network over a set (NaN for an empty set) */
static double
evaluate(Network *net, const TrainOptions *o, const TrainData *d, const PlaySet *set)
{
	double		loss = 0.0;

	for (int p = 0; p < set->n; p++)
	{
		CHECK_FOR_INTERRUPTS();
		loss += play_loss(o, d, play_forward(net, d, set, p), set->yards[p], NULL, 0.0);
	}
	return set->n ? loss / set->n : get_float8_nan();
}

/* Seconds since start */
static double
seconds_since(instr_time start)
{
	instr_time	now;

	INSTR_TIME_SET_CURRENT(now);
	INSTR_TIME_SUBTRACT(now, start);
	return INSTR_TIME_GET_DOUBLE(now);
}

/* Keep the current parameters as the best */
static void
keep_best(Network *net)
{
	memcpy(net->best_tcn, net->tcn->params, sizeof(float) * net->tcn->nparams);
	memcpy(net->best_mlp, net->mlp->params, sizeof(float) * net->mlp->nparams);
}

/*
 * Train until the epochs run out or the validation loss has not improved for `patience`
 * epochs; leaves the best epoch's parameters in the network (the last epoch's without
 * validation); the shuffles continue the generator that initialised the network
 */
static void
train_network(Network *net, const TrainOptions *o, const TrainData *d, Rng *rng, TrainResult *result)
{
	int32	   *order = palloc(sizeof(int32) * d->set[0].n);
	bool		validate = d->set[1].n > 0;

	for (int p = 0; p < d->set[0].n; p++)
		order[p] = p;
	initStringInfo(&result->history);
	appendStringInfoChar(&result->history, '[');
	for (int epoch = 1; epoch <= o->epochs; epoch++)
	{
		instr_time	start;
		double		train_loss,
					validation_loss;

		INSTR_TIME_SET_CURRENT(start);
		train_loss = train_epoch(net, o, d, order, rng);
		validation_loss = evaluate(net, o, d, &d->set[1]);
		if (validate)
			ereport(NOTICE,
					(errmsg("epoch %d/%d: train loss %.4f, validation loss %.4f, %.1f s",
							epoch, o->epochs, train_loss, validation_loss, seconds_since(start))));
		else
			ereport(NOTICE,
					(errmsg("epoch %d/%d: train loss %.4f, %.1f s", epoch, o->epochs, train_loss,
							seconds_since(start))));
		appendStringInfo(&result->history, "%s[%.9g,%.9g]", epoch > 1 ? "," : "", train_loss,
						 validate ? validation_loss : 0.0);
		result->epochs = epoch;
		if (!validate || epoch == 1 || validation_loss < result->validation_loss)
		{
			result->best_epoch = epoch;
			result->train_loss = train_loss;
			result->validation_loss = validation_loss;
			keep_best(net);
		}
		else if (epoch - result->best_epoch >= o->patience)
			break;
	}
	appendStringInfoChar(&result->history, ']');
	memcpy(net->tcn->params, net->best_tcn, sizeof(float) * net->tcn->nparams);
	memcpy(net->mlp->params, net->best_mlp, sizeof(float) * net->mlp->nparams);
	tcn_sync(net->tcn);
}

/*
 * The weight file and the catalog
 */

/*
 * The no-context baseline: ngs.sbp_fit over the yards of every kept play (training and
 * validation), as text; NULL when there are too few for a fit, or all are equal
 */
static char *
baseline_fit(const TrainData *d)
{
	MemoryContext caller = CurrentMemoryContext;
	int			n = d->set[0].n + d->set[1].n;
	Datum	   *items;
	Oid			type = FLOAT8ARRAYOID;
	Datum		arg;
	char	   *fit;
	bool		distinct = false;

	if (n < SBP_FIT_MIN_VALUES)
		return NULL;
	items = palloc(sizeof(Datum) * n);
	for (int s = 0, k = 0; s < 2; s++)
		for (int p = 0; p < d->set[s].n; p++)
		{
			items[k++] = Float8GetDatum(d->set[s].yards[p]);
			distinct |= d->set[s].yards[p] != DatumGetFloat8(items[0]);
		}
	if (!distinct)
		return NULL;
	arg = PointerGetDatum(construct_array(items, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	SPI_connect();
	if (SPI_execute_with_args("SELECT ngs.sbp_fit(y)::text FROM pg_catalog.unnest($1) y",
							  1, &type, &arg, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not fit the no-context baseline");
	fit = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return fit;
}

/* Append a tensor of up to three dimensions (0 = absent) to t[*n] */
static void
add_tensor(ModelWriteTensor *t, int *n, char *name, const float *data, int d0, int d1, int d2)
{
	ModelWriteTensor *w = &t[(*n)++];

	w->name = name;
	w->data = data;
	w->shape[0] = d0;
	w->shape[1] = d1;
	w->shape[2] = d2;
	w->rank = d2 ? 3 : (d1 ? 2 : 1);
}

/* Append a convolution's weight (in PyTorch's order) and bias, unless it is absent */
static void
add_conv(ModelWriteTensor *t, int *n, int l, const char *part, const TcnConv *c)
{
	float	   *weight;

	if (c->kernel == 0)
		return;
	weight = palloc(sizeof(float) * c->out * c->in * c->kernel);
	tcn_export_weight(c, weight);
	add_tensor(t, n, psprintf("tcn.%d.%s.weight", l, part), weight, c->out, c->in, c->kernel);
	add_tensor(t, n, psprintf("tcn.%d.%s.bias", l, part), c->bias, c->out, 0, 0);
}

/*
 * The weight file of a trained pass model (pass-model.md): the tensors, and metadata
 * with the SBP range, the context names, the options, the training figures and the
 * no-context baseline
 */
static bytea *
pass_weights(const TrainOptions *o, const TrainData *d, const Network *net, const TrainResult *r,
			 const char *baseline)
{
	ModelWriteTensor t[4 + 6 * PASS_MAX_LEVELS + 2 * MLP_MAX_LAYERS];
	const char *meta[2 * 19];
	int			n = 0,
				m = 0;

	add_tensor(t, &n, "input.mean", d->input_mean, PASS_CHANNELS, 0, 0);
	add_tensor(t, &n, "input.std", d->input_std, PASS_CHANNELS, 0, 0);
	if (d->context > 0)
	{
		add_tensor(t, &n, "context.mean", d->context_mean, d->context, 0, 0);
		add_tensor(t, &n, "context.std", d->context_std, d->context, 0, 0);
	}
	for (int l = 0; l < net->tcn->levels; l++)
	{
		add_conv(t, &n, l, "conv1", &net->tcn->level[l].conv1);
		add_conv(t, &n, l, "conv2", &net->tcn->level[l].conv2);
		add_conv(t, &n, l, "downsample", &net->tcn->level[l].downsample);
	}
	for (int l = 0; l < net->mlp->layers; l++)
	{
		add_tensor(t, &n, psprintf("mlp.%d.weight", l), net->mlp->weight[l], net->mlp->sizes[l + 1], net->mlp->sizes[l], 0);
		add_tensor(t, &n, psprintf("mlp.%d.bias", l), net->mlp->bias[l], net->mlp->sizes[l + 1], 0, 0);
	}

#define META(k, v) (meta[2 * m] = (k), meta[2 * m + 1] = (v), m++)
	META("ngs.kind", "pass");
	META("ngs.format", "1");
	META("sbp.lower", option_double_text(o->lower));
	META("sbp.upper", option_double_text(o->upper));
	META("sbp.alpha", option_double_text(o->alpha));
	if (o->context_names)
		META("context.names", o->context_names);
	META("description", "pass model trained in the database by ngs.train_pass_model");
	META("train.options", train_options_json(o));
	META("train.plays", psprintf("%d", d->set[0].n));
	META("train.games", psprintf("%d", count_games(&d->set[0])));
	META("train.skipped_rows", psprintf("%d", d->skipped));
	META("validation.plays", psprintf("%d", d->set[1].n));
	META("validation.games", psprintf("%d", count_games(&d->set[1])));
	META("train.epochs", psprintf("%d", r->epochs));
	META("train.best_epoch", psprintf("%d", r->best_epoch));
	META("train.loss", option_double_text(r->train_loss));
	if (d->set[1].n > 0)
		META("validation.loss", option_double_text(r->validation_loss));
	META("train.history", r->history.data);
	if (baseline)
		META("baseline.sbp", baseline);
#undef META
	return model_write(t, n, meta, m);
}

/*
 * Read and normalise the plays of the source query (in cxt)
 */
static TrainData *
load_data(const char *query, const TrainOptions *o, MemoryContext cxt)
{
	TrainData  *d = palloc0(sizeof(TrainData));

	d->cxt = cxt;
	d->context = -1;
	d->keep_rows = tcn_receptive_field(o->levels, o->kernel);
	collect_plays(query, o, d);
	check_plays(d, o);
	normalize_data(d);
	ereport(NOTICE,
			(errmsg("training on %d plays of %d games, validating on %d plays of %d games (%d rows skipped); "
					"receptive field %d frames",
					d->set[0].n, count_games(&d->set[0]), d->set[1].n, count_games(&d->set[1]),
					d->skipped, d->keep_rows)));
	return d;
}

/* Report how a run ended */
static void
report_result(const TrainData *d, const TrainResult *r)
{
	if (d->set[1].n > 0)
		ereport(NOTICE,
				(errmsg("kept the weights of epoch %d of %d: train loss %.4f, validation loss %.4f",
						r->best_epoch, r->epochs, r->train_loss, r->validation_loss)));
	else
		ereport(NOTICE,
				(errmsg("no validation: kept the weights of the last epoch, %d (train loss %.4f)",
						r->epochs, r->train_loss)));
}

/*
 * ngs.train_pass_model(name, source_query, options): trains a pass model on the query's
 * plays and stores it as a new version of name; returns the model id
 */
PG_FUNCTION_INFO_V1(train_pass_model);
Datum
train_pass_model(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	TrainOptions o;
	TrainData  *d;
	Network    *net;
	TrainResult r = {0};
	Rng		rng;
	MemoryContext cxt,
				caller;
	char	   *baseline;
	bytea	   *weights;

	train_options_parse(PG_GETARG_JSONB_P(2), false, &o);
	model_catalog_check_may_store("ngs.train_pass_model", name);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "ngs pass training", ALLOCSET_DEFAULT_SIZES);
	caller = MemoryContextSwitchTo(cxt);
	d = load_data(query, &o, cxt);
	net = create_network(&o, d, &rng);
	train_network(net, &o, d, &rng, &r);
	report_result(d, &r);
	baseline = baseline_fit(d);
	MemoryContextSwitchTo(caller);
	weights = pass_weights(&o, d, net, &r, baseline);
	MemoryContextDelete(cxt);
	PG_RETURN_INT64(model_catalog_store(name, "pass", weights));
}

/*
 * The Gaussian network's predictions
 */

/*
 * Refuse a prediction query whose columns are not (key bigint, tensor ngs.play_tensor,
 * context real[], yards float8)
 */
static void
check_predict_columns(TupleDesc desc, void *arg)
{
	Oid			types[4] = {INT8OID, source_play_tensor_type(), FLOAT4ARRAYOID, FLOAT8OID};

	if (!source_columns_are(desc, types, 4))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("predict_query must return (key bigint, tensor ngs.play_tensor, context real[], yards float8)"),
				 errhint("The key comes back with each prediction; yards may be NULL (then crps and u are NULL).")));
}

/*
 * One prediction row: the Gaussian's mean and sd for a play, its CRPS at the yards
 * (sd [r (2 Phi(r) - 1) + 2 phi(r) - 1/sqrt(pi)], r = (y - mean)/sd) and its CDF there
 */
static void
predict_values(Network *net, const TrainOptions *o, const TrainData *d, HeapTuple tuple, TupleDesc desc,
			   Datum *values, bool *nulls)
{
	bool		isnull[4];
	Datum		v[4];
	PlayTensor *pt;
	float		s[PASS_MAX_CONTEXT];
	int			context = d->context;
	int			rows;
	float	   *x;
	double		mean,
				sd,
				r;

	for (int k = 0; k < 4; k++)
		v[k] = SPI_getbinval(tuple, desc, k + 1, &isnull[k]);
	values[0] = v[0];
	nulls[0] = isnull[0];
	for (int k = 1; k < 5; k++)
		nulls[k] = true;
	if (isnull[1] || isnull[2])
		return;
	read_context(DatumGetArrayTypeP(v[2]), &context, s);
	pt = DatumGetPlayTensorP(v[1]);
	check_play_frames(pt);
	rows = Min(pt->frames, d->keep_rows);
	x = palloc(sizeof(float) * rows * PASS_CHANNELS);
	pass_model_input(pt, pt->frames - rows, rows, x);
	normalize_columns(x, rows, PASS_CHANNELS, d->input_mean, d->input_std);
	normalize_columns(s, 1, context, d->context_mean, d->context_std);
	if (rows > net->tcn->max_rows)
	{
		check_work_memory(o, rows);
		tcn_prepare(net->tcn, rows);
	}
	train_gaussian_head(d, network_forward(net, x, rows, s, context), &mean, &sd);
	values[1] = Float8GetDatum(mean);
	values[2] = Float8GetDatum(sd);
	nulls[1] = nulls[2] = false;
	if (isnull[3])
		return;
	check_yards(DatumGetFloat8(v[3]));
	r = (DatumGetFloat8(v[3]) - mean) / sd;
	values[3] = Float8GetDatum(sd * (r * erf(r / M_SQRT2) + 2.0 * exp(-0.5 * r * r) / sqrt(2.0 * M_PI) - 1.0 / sqrt(M_PI)));
	values[4] = Float8GetDatum(0.5 * erfc(-r / M_SQRT2));
	nulls[3] = nulls[4] = false;
}

/* Put the prediction for one row of the prediction query into the result */
static void
predict_row(HeapTuple tuple, TupleDesc desc, void *arg)
{
	RowReader  *reader = arg;
	Datum		values[5];
	bool		nulls[5];

	predict_values(reader->net, reader->o, reader->d, tuple, desc, values, nulls);
	tuplestore_putvalues(reader->rsinfo->setResult, reader->rsinfo->setDesc, values, nulls);
}

/* Put one prediction per row of the prediction query into the result */
static void
predict_rows(Network *net, const TrainOptions *o, TrainData *d, const char *query, ReturnSetInfo *rsinfo)
{
	RowReader	reader = {o, d, net, rsinfo};

	source_query_rows(query, check_predict_columns, predict_row, &reader);
}

/*
 * ngs.train_pass_gaussian(source_query, predict_query, options): trains the network of
 * the same TCN and MLP with a Gaussian head (mean, softplus scale) on the source plays,
 * then returns (key, mean, sd, crps, u) for every row of predict_query
 */
PG_FUNCTION_INFO_V1(train_pass_gaussian);
Datum
train_pass_gaussian(PG_FUNCTION_ARGS)
{
	char	   *source = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *predict = text_to_cstring(PG_GETARG_TEXT_PP(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TrainOptions o;
	TrainData  *d;
	Network    *net;
	TrainResult r = {0};
	Rng		rng;
	MemoryContext cxt,
				caller;

	train_options_parse(PG_GETARG_JSONB_P(2), true, &o);
	InitMaterializedSRF(fcinfo, 0);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "ngs pass training", ALLOCSET_DEFAULT_SIZES);
	caller = MemoryContextSwitchTo(cxt);
	d = load_data(source, &o, cxt);
	net = create_network(&o, d, &rng);
	train_network(net, &o, d, &rng, &r);
	report_result(d, &r);
	predict_rows(net, &o, d, predict, rsinfo);
	MemoryContextSwitchTo(caller);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
