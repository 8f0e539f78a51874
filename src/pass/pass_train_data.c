/*
 * pass_train_data.c: the plays a pass trainer learns from.  The source query yields
 * (tensor, context, yards [, game]); each play's model input (the last frames that reach
 * the encoding, tcn_train.c), context and yards are kept in memory, in the training or
 * the validation set by game (trainer.c).  Inputs and context are then normalised with
 * the training plays' mean and standard deviation, which become input.mean/std and
 * context.mean/std of the weight file.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "pass/pass_trainer.h"
#include "utils/memutils.h"

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
void
pass_train_check_columns(TupleDesc desc, void *arg)
{
	const TrainOptions *o = &((PassRun *) ((Trainer *) arg)->state)->o;

	if (!check_source_columns(desc) && o->validation_folds > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source_query has no game column, which the validation split needs"),
				 errhint("Add the game as a fourth column (bigint), or set validation_folds to 0 to train without validation.")));
}

/* Fail unless a play has enough frames for the model */
void
pass_train_check_frames(PlayTensor *pt)
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
void
pass_train_read_context(ArrayType *context, int *length, float *s)
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

/* Refuse yards gained that are not a finite number (NULL is the caller's business) */
void
pass_train_check_yards(double yards)
{
	if (!isfinite(yards))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("yards must be finite, not %g", yards),
				 errhint("Pass the yards gained, or NULL where the outcome is unknown.")));
}

/* Refuse a NULL context, or a NULL game when the query has the game column */
static void
check_nulls(const bool *isnull, int natts)
{
	if (isnull[1])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("context must not be NULL"),
				 errhint("Pass '{}' for no context, and NULL elements for missing values.")));
	if (natts == 4 && isnull[3])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("game must not be NULL"),
				 errhint("Every play needs its game, for the validation split.")));
}

/*
 * Add one source row to its set (the validation set when it has a validation game), or
 * count it as skipped
 */
void
pass_train_read_row(HeapTuple tuple, TupleDesc desc, void *arg)
{
	Trainer    *t = arg;
	TrainData  *d = ((PassRun *) t->state)->d;
	bool		isnull[4] = {false, false, false, false};
	Datum		v[4];
	PlayTensor *pt;
	PlaySet    *set;
	float		s[PASS_MAX_CONTEXT];
	int			rows;
	int			which;
	int64		game;

	for (int k = 0; k < desc->natts; k++)
		v[k] = SPI_getbinval(tuple, desc, k + 1, &isnull[k]);
	if (isnull[0] || isnull[2])
	{
		d->skipped++;			/* nothing to learn from */
		return;
	}
	check_nulls(isnull, desc->natts);
	pass_train_check_yards(DatumGetFloat8(v[2]));
	pass_train_read_context(DatumGetArrayTypeP(v[1]), &d->context, s);
	pt = DatumGetPlayTensorP(v[0]);
	pass_train_check_frames(pt);
	rows = Min(pt->frames, d->keep_rows);
	check_capacity(d, rows);

	game = desc->natts == 4 ? DatumGetInt64(v[3]) : 0;
	which = desc->natts == 4 ? trainer_set_of_game(t, game) : TRAINER_TRAINING;
	set = &d->set[which];
	grow_set(set, rows, d->context, d->cxt);
	pass_model_input(pt, pt->frames - rows, rows, set->x + (Size) set->total_rows * PASS_CHANNELS);
	set->start[set->n] = set->total_rows;
	set->rows[set->n] = rows;
	set->yards[set->n] = DatumGetFloat8(v[2]);
	trainer_add_game(t, which, game);
	memcpy(set->context + (Size) set->n * Max(d->context, 1), s, sizeof(float) * d->context);
	set->total_rows += rows;
	set->n++;
	d->max_rows = Max(d->max_rows, rows);
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
 * The training plays' statistics of input, context and yards; then both sets normalised
 */
static void
normalize_data(TrainData *d)
{
	PlaySet    *train = &d->set[0];
	double		sum = 0.0,
				sum2 = 0.0;

	for (int c = 0; c < PASS_CHANNELS; c++)
		trainer_column_statistics(train->x, train->total_rows, PASS_CHANNELS, c, &d->input_mean[c], &d->input_std[c]);
	for (int k = 0; k < d->context; k++)
		trainer_column_statistics(train->context, train->n, d->context, k, &d->context_mean[k], &d->context_std[k]);
	for (int s = 0; s < 2; s++)
	{
		trainer_normalize_columns(d->set[s].x, d->set[s].total_rows, PASS_CHANNELS, d->input_mean, d->input_std);
		trainer_normalize_columns(d->set[s].context, d->set[s].n, d->context, d->context_mean, d->context_std);
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
 * Read and normalise the plays of the source query (in the run's memory context): set[0]
 * training, set[1] validation, rows in the query's order
 */
TrainData *
pass_train_load(Trainer *t, const char *query)
{
	PassRun    *run = t->state;
	TrainData  *d = palloc0(sizeof(TrainData));

	d->cxt = t->cxt;
	d->context = -1;
	d->keep_rows = tcn_receptive_field(run->o.levels, run->o.kernel);
	run->d = d;
	trainer_read(t, query);
	check_plays(d, &run->o);
	normalize_data(d);
	trainer_report_sets(t, "plays", d->set[0].n, d->set[1].n,
						psprintf(" (%d rows skipped); receptive field %d frames", d->skipped, d->keep_rows),
						pass_train_network_bytes(&run->o, d->context, d->max_rows));
	return d;
}
