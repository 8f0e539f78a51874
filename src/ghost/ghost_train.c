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
 * squared position error over the horizon, yd^2) and its gradient are exact.  The run is
 * model/trainer.c's skeleton: Adam over shuffled mini-batches, a NOTICE per epoch, the
 * weights of the epoch with the lowest validation loss kept (every epoch runs: there is
 * no patience option).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/nets.h"
#include "executor/spi.h"
#include "ghost/ghost.h"
#include "miscadmin.h"
#include "model/trainer.h"
#include "utils/builtins.h"
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
} WindowSet;

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

/* A ghost training run: the Trainer's state */
typedef struct GhostRun
{
	GhostOptions o;				/* the options */
	WindowSet	sets[2];		/* training, validation */
	WindowSet  *set;			/* where the current row's windows go */
	int			total;			/* windows in both sets, against
								 * GHOST_MAX_WINDOWS */
	float		mean[GHOST_MAX_FEATURES];	/* the training features' statistics */
	float		std[GHOST_MAX_FEATURES];
	Mlp		   *mlp;			/* the network */
	float	   *best;			/* [mlp->nparams] parameters of the best epoch */
	Adam	   *adam;			/* its optimizer */
	MlpBatch   *batch;			/* its buffers for a batch */
	float	   *x;				/* [batch_size][nfeatures] a batch's inputs */
	float	   *r;				/* [batch_size][2 horizon] its displacements */
	float	   *dout;			/* [batch_size][2 horizon] the loss gradient */
	float	   *grad;			/* [mlp->nparams] the parameters' gradient */
	Fit			fit;			/* of the last validation pass */
	Fit			best_fit;		/* of the best epoch */
} GhostRun;


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

/* Append one window to the current row's set (arg: the Trainer) */
static void
collect_window(void *arg, const GhostScene *scene, const float *features, const float *residual)
{
	Trainer    *t = arg;
	GhostRun   *run = t->state;
	WindowSet  *set = run->set;
	int			nf = run->o.nfeatures;
	int			nr = 2 * run->o.horizon;

	if (run->total >= GHOST_MAX_WINDOWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("source_query yields more than %d training windows", GHOST_MAX_WINDOWS),
				 errhint("Train on fewer plays, or limit the frames with last_frame.")));
	if (set->n == set->capacity)
	{
		set->capacity = set->capacity ? Min(2 * set->capacity, GHOST_MAX_WINDOWS) : 4096;
		set->x = set->x ? repalloc_huge(set->x, sizeof(float) * set->capacity * nf) :
			MemoryContextAllocHuge(t->cxt, sizeof(float) * set->capacity * nf);
		set->r = set->r ? repalloc_huge(set->r, sizeof(float) * set->capacity * nr) :
			MemoryContextAllocHuge(t->cxt, sizeof(float) * set->capacity * nr);
	}
	for (int i = 0; i < nf; i++)
		set->x[(Size) set->n * nf + i] = features[run->o.feature[i]];
	memcpy(set->r + (Size) set->n * nr, residual, sizeof(float) * nr);
	set->n++;
	run->total++;
}

/*
 * The windows of one source row, into the set of its game (arg: the Trainer); the game
 * is recorded when the row gave windows
 */
static void
read_row(HeapTuple tuple, TupleDesc desc, void *arg)
{
	Trainer    *t = arg;
	GhostRun   *run = t->state;
	bool		isnull[SOURCE_COLUMNS];
	Datum		v[SOURCE_COLUMNS];
	PlayTensor *pt;
	int			ndefenders,
				before,
				which;
	int		   *defenders;

	for (int k = 0; k < SOURCE_COLUMNS; k++)
		v[k] = SPI_getbinval(tuple, desc, k + 1, &isnull[k]);
	if (isnull[0] || isnull[1] || isnull[2] || isnull[3] || isnull[5])
		return;					/* nothing to learn from */
	which = trainer_set_of_game(t, DatumGetInt64(v[0]));
	run->set = &run->sets[which];
	before = run->set->n;
	pt = DatumGetPlayTensorP(v[1]);
	ghost_check_play(pt);
	defenders = ghost_defenders(pt, DatumGetArrayTypeP(v[5]), &ndefenders);
	ghost_each_window(pt, defenders, ndefenders, ghost_player(pt, DatumGetInt32(v[2]), PT_OFFENSE),
					  DatumGetInt32(v[3]), isnull[4] ? PG_INT32_MAX : DatumGetInt32(v[4]),
					  run->o.horizon, collect_window, t);
	if (run->set->n > before)
		trainer_add_game(t, which, DatumGetInt64(v[0]));	/* rows <= windows:
															 * bounded */
}

/*
 * Standardize the features of both sets with the training set's mean and standard
 * deviation (trainer.c); NaN becomes 0, the mean
 */
static void
standardize_windows(GhostRun *run)
{
	int			nf = run->o.nfeatures;

	for (int i = 0; i < nf; i++)
		trainer_column_statistics(run->sets[0].x, run->sets[0].n, nf, i, &run->mean[i], &run->std[i]);
	for (int s = 0; s < 2; s++)
		trainer_normalize_columns(run->sets[s].x, run->sets[s].n, nf, run->mean, run->std);
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
 * The memory of the network create_network makes: per parameter the value, gradient, two
 * Adam moments and the best; a batch's buffers, inputs, targets and output gradients
 */
static Size
network_bytes(const GhostOptions *o)
{
	Mlp			mlp = {0};

	mlp.layers = o->layers;
	network_sizes(o, mlp.sizes);
	return sizeof(float) * (5 * (Size) mlp_param_count(mlp.layers, mlp.sizes) +
							mlp_batch_floats(&mlp, o->batch_size) +
							(Size) o->batch_size * (o->nfeatures + 4 * o->horizon));
}

/*
 * The network initialised from the run's generator (which continues for the shuffles),
 * its optimizer and a batch's buffers
 */
static void
create_network(GhostRun *run, Rng *rng)
{
	const GhostOptions *o = &run->o;
	int			sizes[MLP_MAX_LAYERS + 1];
	int			nr = 2 * o->horizon;

	network_sizes(o, sizes);
	run->mlp = mlp_create(o->layers, sizes);
	run->best = palloc(sizeof(float) * run->mlp->nparams);
	mlp_init(run->mlp, rng);
	run->adam = adam_create(run->mlp->nparams, o->learning_rate);
	run->batch = mlp_batch_create(run->mlp, o->batch_size);
	run->x = palloc(sizeof(float) * o->batch_size * o->nfeatures);
	run->r = palloc(sizeof(float) * o->batch_size * nr);
	run->dout = palloc(sizeof(float) * o->batch_size * nr);
	run->grad = palloc(sizeof(float) * run->mlp->nparams);
}

/* One Adam step over n training windows; adds their losses to *loss */
static void
step(Trainer *t, const int32 *windows, int n, double *loss)
{
	GhostRun   *run = t->state;
	const GhostOptions *o = &run->o;
	Mlp		   *mlp = run->mlp;
	const float *out;

	gather(&run->sets[0], windows, n, o->nfeatures, 2 * o->horizon, run->x, run->r);
	out = mlp_forward(mlp, run->batch, run->x, n);
	*loss += batch_loss(out, run->r, n, o->horizon, run->dout, NULL);
	memset(run->grad, 0, sizeof(float) * mlp->nparams);
	mlp_backward(mlp, run->batch, run->x, run->dout, n, run->grad);
	adam_step(run->adam, mlp->params, run->grad);
}

/*
 * The loss and errors of the network over the validation windows, in batches; returns
 * the loss and keeps the errors for the NOTICE
 */
static double
validation_loss(Trainer *t)
{
	GhostRun   *run = t->state;
	const WindowSet *set = &run->sets[1];
	const GhostOptions *o = &run->o;
	MlpBatch   *batch = run->batch;
	Fit			fit = {0};
	int			nr = 2 * o->horizon;

	for (int start = 0; start < set->n; start += batch->max_rows)
	{
		int			rows = Min(batch->max_rows, set->n - start);

		CHECK_FOR_INTERRUPTS();
		fit.loss += batch_loss(mlp_forward(run->mlp, batch, set->x + (Size) start * o->nfeatures, rows),
							   set->r + (Size) start * nr, rows, o->horizon, NULL, &fit);
	}
	fit.loss /= set->n;
	fit.ade /= set->n;
	fit.fde /= set->n;
	fit.cv_ade /= set->n;
	fit.cv_fde /= set->n;
	run->fit = fit;
	return fit.loss;
}

/* The errors after the validation loss in the epoch NOTICE */
static void
describe_validation(Trainer *t, StringInfo notice)
{
	GhostRun   *run = t->state;

	appendStringInfo(notice, " yd^2 (ADE %.3f, FDE %.3f yd)", run->fit.ade, run->fit.fde);
}

/* Keep the current parameters and their fit as the best */
static void
keep_best(Trainer *t)
{
	GhostRun   *run = t->state;

	memcpy(run->best, run->mlp->params, sizeof(float) * run->mlp->nparams);
	run->best_fit = run->fit;
}

/* Put the best parameters back into the network */
static void
restore_best(Trainer *t)
{
	GhostRun   *run = t->state;

	memcpy(run->mlp->params, run->best, sizeof(float) * run->mlp->nparams);
}

/*
 * The tensors: input.mean/std and mlp.* (trainer_file_mlp); shapes only with mean, std and
 * the MLP's weights NULL (before training, for trainer_check_can_store)
 */
static void
add_tensors(const GhostOptions *o, const float *mean, const float *std, const Mlp *mlp, TrainerFile *file)
{
	trainer_file_tensor(file, "input.mean", mean, o->nfeatures, 0, 0);
	trainer_file_tensor(file, "input.std", std, o->nfeatures, 0, 0);
	trainer_file_mlp(file, mlp);
}

/*
 * The weight file's tensors (input.mean, input.std, mlp.{l}.weight and .bias) and its
 * metadata after ngs.kind and ngs.format: ghost.features, the options and the fit
 */
static void
write_file(Trainer *t, TrainerFile *file)
{
	GhostRun   *run = t->state;
	const GhostOptions *o = &run->o;
	StringInfoData features;

	initStringInfo(&features);
	for (int i = 0; i < o->nfeatures; i++)
		appendStringInfo(&features, "%s%s", i ? "," : "", ghost_candidate_names[o->feature[i]]);
	add_tensors(o, run->mean, run->std, run->mlp, file);
	trainer_file_meta(file, "ghost.features", features.data);
	trainer_file_meta(file, "ghost.options", ghost_options_json(o));
	trainer_file_meta(file, "ghost.train_windows", psprintf("%d", run->sets[0].n));
	trainer_file_meta(file, "ghost.validation_windows", psprintf("%d", run->sets[1].n));
	trainer_file_meta(file, "ghost.validation_ade", psprintf("%.4f", run->best_fit.ade));
	trainer_file_meta(file, "ghost.validation_fde", psprintf("%.4f", run->best_fit.fde));
	trainer_file_meta(file, "ghost.validation_cv_fde", psprintf("%.4f", run->best_fit.cv_fde));
	trainer_file_meta(file, "description",
					  "defender ghosting: MLP over features in the defender's frame turned toward the target, predicting accelerations");
}

/* The ghost trainer's parts, for the skeleton */
static const TrainerKind ghost_trainer = {
	.model_kind = "ghost",
	.context_name = "ngs ghost training",
	.check_columns = check_source_columns,
	.read_row = read_row,
	.loss_digits = 5,
	.step = step,
	.validation_loss = validation_loss,
	.describe_validation = describe_validation,
	.keep_best = keep_best,
	.restore_best = restore_best,
	.write_file = write_file,
};

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
	GhostRun	run = {0};
	Mlp			shapes = {0};
	TrainerFile file = {0};
	TrainerSchedule schedule;
	Trainer		t;

	ghost_options_parse(PG_GETARG_JSONB_P(2), &run.o);
	shapes.layers = run.o.layers;
	network_sizes(&run.o, shapes.sizes);
	ghost_check_architecture(run.o.nfeatures, run.o.layers, shapes.sizes);
	add_tensors(&run.o, NULL, NULL, &shapes, &file);
	trainer_check_can_store(&ghost_trainer, "ngs.train_ghost_model", name, &file);
	/* patience = epochs: no epoch is ever that far from the best, so every epoch runs */
	schedule = (TrainerSchedule) {run.o.epochs, run.o.epochs, run.o.batch_size, run.o.seed, run.o.validation_folds};

	trainer_begin(&t, &ghost_trainer, &run, &schedule);
	trainer_read(&t, query);
	check_windows(run.sets);
	trainer_report_sets(&t, "windows", run.sets[0].n, run.sets[1].n, "", network_bytes(&run.o));
	standardize_windows(&run);
	create_network(&run, &t.rng);
	trainer_run(&t, run.sets[0].n, run.sets[1].n);
	ereport(NOTICE,
			(errmsg("best validation loss %.5f yd^2: ADE %.3f, FDE %.3f yd (constant velocity: ADE %.3f, FDE %.3f yd)",
					run.best_fit.loss, run.best_fit.ade, run.best_fit.fde, run.best_fit.cv_ade, run.best_fit.cv_fde)));
	PG_RETURN_INT64(trainer_store(&t, name));
}
