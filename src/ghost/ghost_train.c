/*
 * ghost_train.c: ngs.train_ghost_model, which trains a ghost model in the database from
 * the plays a query returns and stores it in the model catalog.
 *
 * The query yields (game, tensor, target, first_frame, last_frame, defenders); every
 * window of every listed defender (ghost_each_window) becomes a sample: its features and
 * its real future as displacements from constant velocity.  Games with
 * ngs.kfold(game, validation_folds, seed) = 0 are the validation set.  The network's
 * 2 x horizon outputs are accelerations in the defender's frame; integrated without the
 * physical clamps they are a linear function of the displacements, so the loss (mean
 * squared position error over the horizon, yd^2) and its gradient are exact.  Adam,
 * shuffled mini-batches from our own generator, a NOTICE per epoch, the weights of the
 * epoch with the lowest validation loss kept.
 */
#include "postgres.h"

#include <math.h>

#include "common/nets.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "ghost/ghost.h"
#include "kfold.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "model/model_catalog.h"
#include "model/model_write.h"
#include "portability/instr_time.h"
#include "model/source_query.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#define SOURCE_COLUMNS		6	/* game, tensor, target, first_frame,
								 * last_frame, defenders */

/* A growing set of windows: network inputs and real displacements */
typedef struct WindowSet
{
	int			n;				/* windows */
	int			capacity;		/* windows the arrays hold */
	float	   *x;				/* [n][nfeatures] features, later standardized */
	float	   *r;				/* [n][2 horizon] displacements from constant
								 * velocity */
	int			rows;			/* source rows that gave windows here */
	int64	   *game;			/* [rows] the game of each, for counting games */
} WindowSet;

/* What the window callback needs */
typedef struct Collector
{
	const GhostOptions *options;	/* features and horizon */
	WindowSet  *set;			/* where this play's windows go */
	WindowSet  *sets;			/* training, validation */
	int		   *total;			/* windows in all sets, against
								 * GHOST_MAX_WINDOWS */
	MemoryContext cxt;			/* where the sets live */
} Collector;

/* Loss and errors of a pass over a window set */
typedef struct Fit
{
	double		loss;			/* mean squared position error over the
								 * horizon, yd^2 */
	double		ade;			/* mean position error over the horizon, yd */
	double		fde;			/* mean position error at the last frame, yd */
	double		cv_ade;			/* the same for constant velocity */
	double		cv_fde;
} Fit;


/* The sizes of the network the options describe */
static void
network_sizes(const GhostOptions *o, int *sizes)
{
	sizes[0] = o->nfeatures;
	for (int l = 0; l < o->layers - 1; l++)
		sizes[l + 1] = o->hidden[l];
	sizes[o->layers] = 2 * o->horizon;
}

/*
 * Refuse a source query whose columns are not (game bigint, tensor ngs.play_tensor,
 * target int, first_frame int, last_frame int, defenders int[])
 */
static void
check_source_columns(TupleDesc desc, void *arg)
{
	Oid			want[SOURCE_COLUMNS] = {INT8OID, source_play_tensor_type(), INT4OID, INT4OID, INT4OID, INT4ARRAYOID};

	if (!source_columns_are(desc, want, SOURCE_COLUMNS))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("source_query must return (game bigint, tensor ngs.play_tensor, target int, first_frame int, last_frame int, defenders int[])"),
				 errhint("Select standardized, cleaned tensors with the target receiver, the first and last at_frame (NULL: the end), and the defenders to learn from.")));
}

/* Append one window to the collector's set */
static void
collect_window(void *arg, const GhostScene *scene, const float *features, const float *residual)
{
	Collector  *c = arg;
	WindowSet  *set = c->set;
	int			nf = c->options->nfeatures;
	int			nr = 2 * c->options->horizon;

	if (*c->total >= GHOST_MAX_WINDOWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("source_query yields more than %d training windows", GHOST_MAX_WINDOWS),
				 errhint("Train on fewer plays, or limit the frames with last_frame.")));
	if (set->n == set->capacity)
	{
		set->capacity = set->capacity ? Min(2 * set->capacity, GHOST_MAX_WINDOWS) : 4096;
		set->x = set->x ? repalloc_huge(set->x, sizeof(float) * set->capacity * nf) :
			MemoryContextAllocHuge(c->cxt, sizeof(float) * set->capacity * nf);
		set->r = set->r ? repalloc_huge(set->r, sizeof(float) * set->capacity * nr) :
			MemoryContextAllocHuge(c->cxt, sizeof(float) * set->capacity * nr);
	}
	for (int i = 0; i < nf; i++)
		set->x[(Size) set->n * nf + i] = features[c->options->feature[i]];
	memcpy(set->r + (Size) set->n * nr, residual, sizeof(float) * nr);
	set->n++;
	(*c->total)++;
}

/* Whether a game is in the validation fold: ngs.kfold(game, folds, seed) = 0 */
static bool
is_validation_game(int64 game, const GhostOptions *o)
{
	return kfold_int64(game, o->validation_folds, o->seed) == 0;
}

/* Record the game of a source row that goes to set (one int64 per row, in cxt) */
static void
add_game(WindowSet *set, int64 game, MemoryContext cxt)
{
	if ((set->rows & (set->rows - 1)) == 0)
		set->game = set->game ? repalloc_huge(set->game, sizeof(int64) * Max(2 * set->rows, 1)) :
			MemoryContextAlloc(cxt, sizeof(int64));
	set->game[set->rows++] = game;
}

/* The windows of one source row */
static void
collect_row(HeapTuple tuple, TupleDesc desc, void *arg)
{
	Collector  *c = arg;
	bool		isnull[SOURCE_COLUMNS];
	Datum		v[SOURCE_COLUMNS];
	PlayTensor *pt;
	int			ndefenders,
				before;
	int		   *defenders;

	for (int k = 0; k < SOURCE_COLUMNS; k++)
		v[k] = SPI_getbinval(tuple, desc, k + 1, &isnull[k]);
	if (isnull[0] || isnull[1] || isnull[2] || isnull[3] || isnull[5])
		return;					/* nothing to learn from */
	c->set = &c->sets[is_validation_game(DatumGetInt64(v[0]), c->options) ? 1 : 0];
	before = c->set->n;
	pt = DatumGetPlayTensorP(v[1]);
	ghost_check_play(pt);
	defenders = ghost_defenders(pt, DatumGetArrayTypeP(v[5]), &ndefenders);
	ghost_each_window(pt, defenders, ndefenders, ghost_player(pt, DatumGetInt32(v[2]), PT_OFFENSE),
					  DatumGetInt32(v[3]), isnull[4] ? PG_INT32_MAX : DatumGetInt32(v[4]),
					  c->options->horizon, collect_window, c);
	if (c->set->n > before)
		add_game(c->set, DatumGetInt64(v[0]), c->cxt);	/* rows <= windows:
														 * bounded */
}

/*
 * Every window of the source query: sets[0] training, sets[1] validation.  Rows come in
 * the query's order, so an ORDER BY makes the run repeatable.
 */
static void
collect_windows(const char *query, const GhostOptions *o, WindowSet *sets, MemoryContext cxt)
{
	int			total = 0;
	Collector	c = {o, NULL, sets, &total, cxt};

	source_query_rows(query, check_source_columns, collect_row, &c);
}

/*
 * Standardize the features of both sets with the training set's mean and standard
 * deviation (over finite values; 0 and 1 when there are none or they do not vary);
 * NaN becomes 0, the mean
 */
static void
standardize_windows(WindowSet *sets, int nf, float *mean, float *std)
{
	for (int i = 0; i < nf; i++)
	{
		double		sum = 0,
					sum2 = 0;
		int64		n = 0;

		for (int w = 0; w < sets[0].n; w++)
		{
			float		x = sets[0].x[(Size) w * nf + i];

			if (isfinite(x))
			{
				sum += x;
				sum2 += (double) x * x;
				n++;
			}
		}
		mean[i] = n ? (float) (sum / n) : 0.0f;
		std[i] = n ? (float) sqrt(Max(sum2 / n - (sum / n) * (sum / n), 0.0)) : 1.0f;
		if (!(std[i] > 1e-6f))
			std[i] = 1.0f;
	}
	for (int s = 0; s < 2; s++)
		for (Size k = 0; k < (Size) sets[s].n * nf; k++)
		{
			float		v = (sets[s].x[k] - mean[k % nf]) / std[k % nf];

			sets[s].x[k] = isnan(v) ? 0.0f : v;
		}
}

/*
 * Displacements from constant velocity of local accelerations, integrated without the
 * clamps: d(t) = dt^2 sum_{s < t} (t - s) a(s), for both components
 */
static inline void
displacements(const float *accel, int horizon, float *d)
{
	for (int t = 1; t <= horizon; t++)
	{
		float		par = 0.0f,
					perp = 0.0f;

		for (int s = 0; s < t; s++)
		{
			par += (t - s) * accel[2 * s];
			perp += (t - s) * accel[2 * s + 1];
		}
		d[2 * t - 2] = (float) (FRAME_SECONDS * FRAME_SECONDS) * par;
		d[2 * t - 1] = (float) (FRAME_SECONDS * FRAME_SECONDS) * perp;
	}
}

/*
 * Loss of one batch (sum over its windows of the mean squared error over the horizon);
 * with dout set, also the gradient of the batch's mean loss w.r.t. the outputs; with fit
 * set, adds the position errors of the model and of constant velocity
 */
static double
batch_loss(const float *out, const float *real, int rows, int horizon, float *dout, Fit *fit)
{
	double		loss = 0.0;
	float		d[2 * GHOST_MAX_HORIZON];

	for (int w = 0; w < rows; w++)
	{
		const float *r = real + (Size) w * 2 * horizon;

		displacements(out + (Size) w * 2 * horizon, horizon, d);
		for (int t = 0; t < horizon; t++)
		{
			double		ex = d[2 * t] - r[2 * t];
			double		ey = d[2 * t + 1] - r[2 * t + 1];
			double		e = sqrt(ex * ex + ey * ey);
			double		cv = sqrt((double) r[2 * t] * r[2 * t] + (double) r[2 * t + 1] * r[2 * t + 1]);

			loss += (ex * ex + ey * ey) / horizon;
			d[2 * t] = (float) (2.0 * ex / ((double) horizon * rows));
			d[2 * t + 1] = (float) (2.0 * ey / ((double) horizon * rows));
			if (fit)
			{
				fit->ade += e / horizon;
				fit->cv_ade += cv / horizon;
				if (t == horizon - 1)
				{
					fit->fde += e;
					fit->cv_fde += cv;
				}
			}
		}
		if (dout)
		{
			/*
			 * back through the integration: da(s) = dt^2 sum_{t > s} (t - s)
			 * dd(t)
			 */
			float	   *g = dout + (Size) w * 2 * horizon;

			for (int s = 0; s < horizon; s++)
			{
				float		par = 0.0f,
							perp = 0.0f;

				for (int t = s + 1; t <= horizon; t++)
				{
					par += (t - s) * d[2 * t - 2];
					perp += (t - s) * d[2 * t - 1];
				}
				g[2 * s] = (float) (FRAME_SECONDS * FRAME_SECONDS) * par;
				g[2 * s + 1] = (float) (FRAME_SECONDS * FRAME_SECONDS) * perp;
			}
		}
	}
	return loss;
}

/* The gathered inputs and displacements of a batch of window indices */
static void
gather(const WindowSet *set, const int32 *index, int rows, int nf, int nr, float *x, float *r)
{
	for (int k = 0; k < rows; k++)
	{
		memcpy(x + (Size) k * nf, set->x + (Size) index[k] * nf, sizeof(float) * nf);
		memcpy(r + (Size) k * nr, set->r + (Size) index[k] * nr, sizeof(float) * nr);
	}
}

/*
 * One epoch of Adam steps over the shuffled training windows; returns the mean loss
 */
static double
train_epoch(Mlp *mlp, Adam *adam, MlpBatch *batch, const WindowSet *set, int32 *order,
			Rng *rng, const GhostOptions *o, float *x, float *r, float *dout, float *grad)
{
	int			nr = 2 * o->horizon;
	double		loss = 0.0;

	rng_shuffle(rng, order, set->n);
	for (int start = 0; start < set->n; start += o->batch_size)
	{
		int			rows = Min(o->batch_size, set->n - start);
		const float *out;

		CHECK_FOR_INTERRUPTS();
		gather(set, order + start, rows, o->nfeatures, nr, x, r);
		out = mlp_forward(mlp, batch, x, rows);
		loss += batch_loss(out, r, rows, o->horizon, dout, NULL);
		memset(grad, 0, sizeof(float) * mlp->nparams);
		mlp_backward(mlp, batch, x, dout, rows, grad);
		adam_step(adam, mlp->params, grad);
	}
	return loss / set->n;
}

/*
 * The loss and errors of the network over a window set, in batches
 */
static Fit
evaluate(Mlp *mlp, MlpBatch *batch, const WindowSet *set, const GhostOptions *o)
{
	Fit			fit = {0};
	int			nr = 2 * o->horizon;

	for (int start = 0; start < set->n; start += batch->max_rows)
	{
		int			rows = Min(batch->max_rows, set->n - start);

		CHECK_FOR_INTERRUPTS();
		fit.loss += batch_loss(mlp_forward(mlp, batch, set->x + (Size) start * o->nfeatures, rows),
							   set->r + (Size) start * nr, rows, o->horizon, NULL, &fit);
	}
	fit.loss /= set->n;
	fit.ade /= set->n;
	fit.fde /= set->n;
	fit.cv_ade /= set->n;
	fit.cv_fde /= set->n;
	return fit;
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

/*
 * Train: returns the network of the epoch with the lowest validation loss, and its fit
 */
static Mlp *
train_network(const GhostOptions *o, WindowSet *sets, Fit *best_fit)
{
	int			sizes[MLP_MAX_LAYERS + 1];
	Mlp		   *mlp,
			   *best;
	Adam	   *adam;
	MlpBatch   *batch;
	Rng		rng;
	int32	   *order = palloc(sizeof(int32) * sets[0].n);
	float	   *x,
			   *r,
			   *dout,
			   *grad;
	int			nr = 2 * o->horizon;

	network_sizes(o, sizes);
	mlp = mlp_create(o->layers, sizes);
	best = mlp_create(o->layers, sizes);
	rng_seed(&rng, (uint64) (int64) o->seed);
	mlp_init(mlp, &rng);
	adam = adam_create(mlp->nparams, o->learning_rate);
	batch = mlp_batch_create(mlp, o->batch_size);
	x = palloc(sizeof(float) * o->batch_size * o->nfeatures);
	r = palloc(sizeof(float) * o->batch_size * nr);
	dout = palloc(sizeof(float) * o->batch_size * nr);
	grad = palloc(sizeof(float) * mlp->nparams);
	for (int w = 0; w < sets[0].n; w++)
		order[w] = w;

	for (int epoch = 1; epoch <= o->epochs; epoch++)
	{
		instr_time	start;
		double		train_loss;
		Fit			fit;

		INSTR_TIME_SET_CURRENT(start);
		train_loss = train_epoch(mlp, adam, batch, &sets[0], order, &rng, o, x, r, dout, grad);
		fit = evaluate(mlp, batch, &sets[1], o);
		ereport(NOTICE,
				(errmsg("epoch %d/%d: train loss %.5f, validation loss %.5f yd^2 (ADE %.3f, FDE %.3f yd), %.1f s",
						epoch, o->epochs, train_loss, fit.loss, fit.ade, fit.fde, seconds_since(start))));
		if (epoch == 1 || fit.loss < best_fit->loss)
		{
			*best_fit = fit;
			memcpy(best->params, mlp->params, sizeof(float) * mlp->nparams);
		}
	}
	return best;
}

/* A tensor of one or two dimensions (rows x cols; cols 0 for a vector) to write */
static void
add_tensor(ModelWriteTensor *t, char *name, const float *data, int rows, int cols)
{
	t->name = name;
	t->data = data;
	t->shape[0] = rows;
	t->shape[1] = cols;
	t->rank = cols ? 2 : 1;
}

/*
 * The weight file of a trained model: input.mean, input.std, mlp.{l}.weight and .bias;
 * metadata ngs.kind = ghost, ngs.format = 1, ghost.features, the options and the fit
 */
static bytea *
ghost_weights(const GhostOptions *o, const Mlp *mlp, const float *mean, const float *std,
			  const WindowSet *sets, const Fit *fit)
{
	ModelWriteTensor tensors[2 + 2 * MLP_MAX_LAYERS];
	StringInfoData features;
	const char *meta[2 * 10];
	int			n = 0;

	initStringInfo(&features);
	for (int i = 0; i < o->nfeatures; i++)
		appendStringInfo(&features, "%s%s", i ? "," : "", ghost_candidate_names[o->feature[i]]);
	add_tensor(&tensors[n++], pstrdup("input.mean"), mean, o->nfeatures, 0);
	add_tensor(&tensors[n++], pstrdup("input.std"), std, o->nfeatures, 0);
	for (int l = 0; l < mlp->layers; l++)
	{
		add_tensor(&tensors[n++], psprintf("mlp.%d.weight", l), mlp->weight[l], mlp->sizes[l + 1], mlp->sizes[l]);
		add_tensor(&tensors[n++], psprintf("mlp.%d.bias", l), mlp->bias[l], mlp->sizes[l + 1], 0);
	}
	meta[0] = "ngs.kind";
	meta[1] = "ghost";
	meta[2] = "ngs.format";
	meta[3] = "1";
	meta[4] = "ghost.features";
	meta[5] = features.data;
	meta[6] = "ghost.options";
	meta[7] = ghost_options_json(o);
	meta[8] = "ghost.train_windows";
	meta[9] = psprintf("%d", sets[0].n);
	meta[10] = "ghost.validation_windows";
	meta[11] = psprintf("%d", sets[1].n);
	meta[12] = "ghost.validation_ade";
	meta[13] = psprintf("%.4f", fit->ade);
	meta[14] = "ghost.validation_fde";
	meta[15] = psprintf("%.4f", fit->fde);
	meta[16] = "ghost.validation_cv_fde";
	meta[17] = psprintf("%.4f", fit->cv_fde);
	meta[18] = "description";
	meta[19] = "defender ghosting: MLP over features in the defender's frame turned toward the target, predicting accelerations";
	return model_write(tensors, n, meta, 10);
}

/*
 * Refuse a run with no window to train on or none to validate with
 */
static inline void
check_windows(const WindowSet *sets)
{
	if (sets[0].n == 0 || sets[1].n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source_query yields %d training and %d validation windows; both need some",
						sets[0].n, sets[1].n),
				 errhint("Pass plays of more games (validation holds out the games with ngs.kfold(game, validation_folds, seed) = 0), with defenders who have 3 frames of history and horizon frames after first_frame.")));
}

/*
 * ngs.train_ghost_model(name, source_query, options): trains a ghost model on the
 * query's plays and stores it as a new version of name; returns the model id
 */
PG_FUNCTION_INFO_V1(train_ghost_model);
Datum
train_ghost_model(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	GhostOptions o;
	int			sizes[MLP_MAX_LAYERS + 1];
	MemoryContext cxt,
				caller;
	WindowSet	sets[2] = {{0}, {0}};
	float		mean[GHOST_MAX_FEATURES],
				std[GHOST_MAX_FEATURES];
	Fit			fit = {0};
	Mlp		   *mlp;
	bytea	   *weights;

	model_catalog_check_may_store("ngs.train_ghost_model", name);
	ghost_options_parse(PG_GETARG_JSONB_P(2), &o);
	network_sizes(&o, sizes);
	ghost_check_architecture(o.nfeatures, o.layers, sizes);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "ngs ghost training", ALLOCSET_DEFAULT_SIZES);
	caller = MemoryContextSwitchTo(cxt);
	collect_windows(query, &o, sets, cxt);
	check_windows(sets);
	ereport(NOTICE,
			(errmsg("training on %d windows of %d games, validating on %d windows of %d games",
					sets[0].n, source_count_games(sets[0].game, sets[0].rows),
					sets[1].n, source_count_games(sets[1].game, sets[1].rows))));
	standardize_windows(sets, o.nfeatures, mean, std);
	mlp = train_network(&o, sets, &fit);
	ereport(NOTICE,
			(errmsg("best validation loss %.5f yd^2: ADE %.3f, FDE %.3f yd (constant velocity: ADE %.3f, FDE %.3f yd)",
					fit.loss, fit.ade, fit.fde, fit.cv_ade, fit.cv_fde)));
	MemoryContextSwitchTo(caller);
	weights = ghost_weights(&o, mlp, mean, std, sets, &fit);
	MemoryContextDelete(cxt);
	PG_RETURN_INT64(model_catalog_store(name, "ghost", weights));
}
