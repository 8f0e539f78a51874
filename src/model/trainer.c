/*
 * trainer.c: the skeleton every in-database trainer runs (trainer.h).
 *
 * A run lives in its own memory context.  The source query's rows go to the trainer's
 * read_row in the query's order (an ORDER BY makes a run repeatable); the games with
 * ngs.kfold(game, validation_folds, seed) = 0 are the validation set.  Each epoch shuffles
 * the training samples with the run's generator (seeded with the seed, after the network
 * drew its initial weights from it), steps over them in mini-batches, computes the
 * validation loss and reports both in a NOTICE; the weights of the epoch with the lowest
 * validation loss (the last epoch's without validation) are kept, and the run stops when
 * that has not improved for `patience` epochs.  The weight file is assembled in the
 * caller's memory context and stored through the model catalog.
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "kfold.h"
#include "miscadmin.h"
#include "model/model_catalog.h"
#include "model/trainer.h"
#include "portability/instr_time.h"
#include "utils/float.h"
#include "utils/memutils.h"

#define TRAINER_FILE_START	16	/* tensors or metadata entries a file starts
								 * with room for */

/*
 * Start a run of a kind: a memory context for it (made current) and the generator seeded
 * with the schedule's seed
 */
void
trainer_begin(Trainer *t, const TrainerKind *kind, void *state, const TrainerSchedule *schedule)
{
	memset(t, 0, sizeof(Trainer));
	t->kind = kind;
	t->state = state;
	t->schedule = *schedule;
	/* the kind's context_name is a string constant, as AllocSetContextCreate requires */
	t->cxt = AllocSetContextCreateInternal(CurrentMemoryContext, kind->context_name, ALLOCSET_DEFAULT_SIZES);
	t->caller = MemoryContextSwitchTo(t->cxt);
	rng_seed(&t->rng, (uint64) (int64) schedule->seed);
}

/* Hand every row of the source query to the kind's read_row, after its column check */
void
trainer_read(Trainer *t, const char *query)
{
	source_query_rows(query, t->kind->check_columns, t->kind->read_row, t);
}

/* The set a game's rows go to: validation when ngs.kfold(game, folds, seed) = 0 */
int
trainer_set_of_game(const Trainer *t, int64 game)
{
	const TrainerSchedule *s = &t->schedule;

	return s->validation_folds > 0 && kfold_int64(game, s->validation_folds, s->seed) == 0 ?
		TRAINER_VALIDATION : TRAINER_TRAINING;
}

/* Record the game of a source row that gave a set samples (in the run's context) */
void
trainer_add_game(Trainer *t, int set, int64 game)
{
	TrainerGames *g = &t->games[set];

	if (g->n == g->capacity)
	{
		g->capacity = g->capacity ? 2 * g->capacity : 64;
		g->game = g->game ? repalloc_huge(g->game, sizeof(int64) * (Size) g->capacity) :
			MemoryContextAllocHuge(t->cxt, sizeof(int64) * (Size) g->capacity);
	}
	g->game[g->n++] = game;
}

/* The number of distinct games of a set */
int
trainer_count_games(const Trainer *t, int set)
{
	const TrainerGames *g = &t->games[set];
	int64	   *games;
	int			n;

	if (g->n == 0)
		return 0;				/* and g->game may be NULL */
	games = palloc(sizeof(int64) * g->n);
	memcpy(games, g->game, sizeof(int64) * g->n);
	n = source_count_games(games, g->n);
	pfree(games);
	return n;
}

/* Megabytes of a byte count, rounded up */
static inline Size
megabytes(Size bytes)
{
	return (bytes + (1 << 20) - 1) >> 20;
}

/*
 * The first NOTICE of a run: what it trains and validates on (detail follows the counts),
 * and the memory it needs: the samples it holds (read so far, in the run's context) and
 * network_bytes, the kind's estimate of its network, optimizer and work areas
 */
void
trainer_report_sets(const Trainer *t, const char *samples, int ntrain, int nvalidation, const char *detail,
					Size network_bytes)
{
	Size		data_bytes = MemoryContextMemAllocated(t->cxt, true);

	ereport(NOTICE,
			(errmsg("training on %d %s of %d games, validating on %d %s of %d games%s; needs about %zu MB of memory (%zu MB of %s, %zu MB of network)",
					ntrain, samples, trainer_count_games(t, TRAINER_TRAINING),
					nvalidation, samples, trainer_count_games(t, TRAINER_VALIDATION), detail,
					megabytes(data_bytes + network_bytes), megabytes(data_bytes), samples,
					megabytes(network_bytes))));
}

/* The metadata every weight file starts with: ngs.kind, then ngs.format = 1 */
static void
file_begin(const TrainerKind *kind, TrainerFile *file)
{
	trainer_file_meta(file, "ngs.kind", kind->model_kind);
	trainer_file_meta(file, "ngs.format", "1");
}

/*
 * Refuse, before any work, a run whose model could not be stored: on a hot standby or in
 * a read-only transaction, under a name or by a user that ngs.import_model would refuse,
 * or with a weight file over the catalog's limit.  shapes holds the kind's tensors as the
 * options lay them out (data NULL); the metadata, written after training, only adds.
 */
void
trainer_check_can_store(const TrainerKind *kind, const char *trainer, text *name, TrainerFile *shapes)
{
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot train a model during recovery"),
				 errdetail("%s stores the model it trains in ngs.model, and a hot standby cannot write.", trainer),
				 errhint("Train on the primary server.")));
	if (XactReadOnly)
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot train a model in a read-only transaction"),
				 errdetail("%s stores the model it trains in ngs.model.", trainer),
				 errhint("Train in a read-write transaction: not in BEGIN READ ONLY, nor with default_transaction_read_only on.")));
	model_catalog_check_may_store(trainer, name);
	file_begin(kind, shapes);
	model_write_check_size(shapes->tensors, shapes->ntensors, shapes->meta, shapes->nmeta, true);
}

/*
 * Mean and standard deviation (population) of the finite values of column c of a
 * [n][width] array; 0 and 1 when there are none, std 1 when they do not vary
 */
void
trainer_column_statistics(const float *values, Size n, int width, int c, float *mean, float *std)
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

/* (v - mean) / std in float32, NaN as 0 (the mean), over a [n][width] array */
void
trainer_normalize_columns(float *values, Size n, int width, const float *mean, const float *std)
{
	for (Size r = 0; r < n; r++)
		for (int c = 0; c < width; c++)
		{
			float		v = (values[r * width + c] - mean[c]) / std[c];

			values[r * width + c] = isnan(v) ? 0.0f : v;
		}
}

/*
 * One epoch: the training samples shuffled, then an optimizer step per batch; returns
 * the mean loss over the samples
 */
static double
run_epoch(Trainer *t, int32 *order, int n)
{
	int			batch_size = t->schedule.batch_size;
	double		loss = 0.0;

	rng_shuffle(&t->rng, order, n);
	for (int first = 0; first < n; first += batch_size)
	{
		CHECK_FOR_INTERRUPTS();
		t->kind->step(t, order + first, Min(batch_size, n - first), &loss);
	}
	return loss / n;
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
 * The NOTICE of an epoch: "epoch e/E: train loss L[, validation loss V<kind's detail>],
 * S s", the losses with the kind's decimals
 */
static void
report_epoch(Trainer *t, int epoch, double train_loss, bool validate, double validation_loss,
			 double seconds)
{
	const TrainerKind *kind = t->kind;
	StringInfoData notice;

	initStringInfo(&notice);
	appendStringInfo(&notice, "epoch %d/%d: train loss %.*f", epoch, t->schedule.epochs,
					 kind->loss_digits, train_loss);
	if (validate)
	{
		appendStringInfo(&notice, ", validation loss %.*f", kind->loss_digits, validation_loss);
		if (kind->describe_validation)
			kind->describe_validation(t, &notice);
	}
	appendStringInfo(&notice, ", %.1f s", seconds);
	ereport(NOTICE, (errmsg_internal("%s", notice.data)));
	pfree(notice.data);
}

/*
 * Train until the epochs run out or the validation loss has not improved for `patience`
 * epochs; leaves the best epoch's weights in the network (the last epoch's without
 * validation) and the run's figures in t->result
 */
void
trainer_run(Trainer *t, int ntrain, int nvalidation)
{
	TrainerResult *r = &t->result;
	int32	   *order = palloc(sizeof(int32) * ntrain);
	bool		validate = nvalidation > 0;

	for (int p = 0; p < ntrain; p++)
		order[p] = p;
	initStringInfo(&r->history);
	appendStringInfoChar(&r->history, '[');
	for (int epoch = 1; epoch <= t->schedule.epochs; epoch++)
	{
		instr_time	start;
		double		train_loss,
					validation_loss;

		INSTR_TIME_SET_CURRENT(start);
		train_loss = run_epoch(t, order, ntrain);
		validation_loss = validate ? t->kind->validation_loss(t) : get_float8_nan();
		report_epoch(t, epoch, train_loss, validate, validation_loss, seconds_since(start));
		appendStringInfo(&r->history, "%s[%.9g,%.9g]", epoch > 1 ? "," : "", train_loss,
						 validate ? validation_loss : 0.0);
		r->epochs = epoch;
		if (!validate || epoch == 1 || validation_loss < r->validation_loss)
		{
			r->best_epoch = epoch;
			r->train_loss = train_loss;
			r->validation_loss = validation_loss;
			t->kind->keep_best(t);
		}
		else if (epoch - r->best_epoch >= t->schedule.patience)
			break;
	}
	appendStringInfoChar(&r->history, ']');
	t->kind->restore_best(t);
}

/*
 * Append a float32 tensor of up to three dimensions (0 = absent) to a weight file; data
 * NULL for a file's shapes only (trainer_check_can_store)
 */
void
trainer_file_tensor(TrainerFile *file, char *name, const float *data, int d0, int d1, int d2)
{
	ModelWriteTensor *w;

	if (file->ntensors == file->tensor_capacity)
	{
		file->tensor_capacity = file->tensor_capacity ? 2 * file->tensor_capacity : TRAINER_FILE_START;
		file->tensors = file->tensors ?
			repalloc(file->tensors, sizeof(ModelWriteTensor) * file->tensor_capacity) :
			palloc(sizeof(ModelWriteTensor) * file->tensor_capacity);
	}
	w = &file->tensors[file->ntensors++];
	w->name = name;
	w->data = data;
	w->shape[0] = d0;
	w->shape[1] = d1;
	w->shape[2] = d2;
	w->rank = d2 ? 3 : (d1 ? 2 : 1);
}

/* Append an MLP's layers to a weight file: mlp.{l}.weight [out][in] and mlp.{l}.bias */
void
trainer_file_mlp(TrainerFile *file, const Mlp *mlp)
{
	for (int l = 0; l < mlp->layers; l++)
	{
		trainer_file_tensor(file, psprintf("mlp.%d.weight", l), mlp->weight[l],
							mlp->sizes[l + 1], mlp->sizes[l], 0);
		trainer_file_tensor(file, psprintf("mlp.%d.bias", l), mlp->bias[l], mlp->sizes[l + 1], 0, 0);
	}
}

/* Append a metadata entry to a weight file */
void
trainer_file_meta(TrainerFile *file, const char *key, const char *value)
{
	if (file->nmeta == file->meta_capacity)
	{
		file->meta_capacity = file->meta_capacity ? 2 * file->meta_capacity : TRAINER_FILE_START;
		file->meta = file->meta ? repalloc(file->meta, sizeof(char *) * 2 * file->meta_capacity) :
			palloc(sizeof(char *) * 2 * file->meta_capacity);
	}
	file->meta[2 * file->nmeta] = key;
	file->meta[2 * file->nmeta + 1] = value;
	file->nmeta++;
}

/*
 * End a run by storing its model: the weight file (ngs.kind, ngs.format = 1, then what
 * the kind writes) assembled in the caller's memory context, the run's context freed,
 * the file stored as a new version of name; returns the model id
 */
int64
trainer_store(Trainer *t, text *name)
{
	TrainerFile file = {0};
	bytea	   *weights;

	MemoryContextSwitchTo(t->caller);
	file_begin(t->kind, &file);
	t->kind->write_file(t, &file);
	weights = model_write(file.tensors, file.ntensors, file.meta, file.nmeta);
	MemoryContextDelete(t->cxt);
	/* through ngs.import_model over SPI, for its privilege check (model_catalog.c) */
	return model_catalog_store(name, t->kind->model_kind, weights);
}

/* End a run without storing: back to the caller's memory context, the run's freed */
void
trainer_end(Trainer *t)
{
	MemoryContextSwitchTo(t->caller);
	MemoryContextDelete(t->cxt);
}
