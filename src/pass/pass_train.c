/*
 * pass_train.c: ngs.train_pass_model, which trains a pass model in the database on the
 * plays a query returns and stores it in the model catalog, and the run it shares with
 * ngs.train_pass_gaussian (pass_train_gaussian.c).
 *
 * The run is model/trainer.c's skeleton (the split by game, the epoch loop with patience,
 * a NOTICE per epoch, the best epoch's weights kept, the weight file stored) over the
 * pass trainer's parts: the plays (pass_train_data.c), the network and its step
 * (pass_train_network.c) and the weight file (pass_train_file.c).  The model row is
 * written at the very end, through ngs.import_model, in the caller's transaction.
 */
#include "postgres.h"

#include "pass/pass_trainer.h"
#include "utils/builtins.h"

/* The pass trainer's parts, for the skeleton */
static const TrainerKind pass_trainer = {
	.model_kind = "pass",
	.context_name = "ngs pass training",
	.check_columns = pass_train_check_columns,
	.read_row = pass_train_read_row,
	.loss_digits = 4,
	.step = pass_train_step,
	.validation_loss = pass_train_validation_loss,
	.describe_validation = NULL,
	.keep_best = pass_train_keep_best,
	.restore_best = pass_train_restore_best,
	.write_file = pass_train_write_file,
};

/* Report how a run ended */
static void
report_result(const TrainData *d, const TrainerResult *r)
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
 * Begin a run with run->o parsed, read and normalise the query's plays, initialise the
 * network and train it; leaves the run's memory context current, for trainer_store or
 * trainer_end
 */
void
pass_train_fit(Trainer *t, PassRun *run, const char *query)
{
	const TrainOptions *o = &run->o;
	TrainerSchedule schedule = {o->epochs, o->patience, o->batch_size, o->seed, o->validation_folds};

	trainer_begin(t, &pass_trainer, run, &schedule);
	pass_train_load(t, query);
	run->net = pass_train_network(o, run->d, &t->rng);
	trainer_run(t, run->d->set[0].n, run->d->set[1].n);
	report_result(run->d, &t->result);
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
	PassRun		run = {0};
	TrainerFile shapes = {0};
	Trainer		t;

	train_options_parse(PG_GETARG_JSONB_P(2), false, &run.o);
	pass_train_file_shapes(&run.o, &shapes);
	trainer_check_can_store(&pass_trainer, "ngs.train_pass_model", name, &shapes);
	pass_train_fit(&t, &run, query);
	run.baseline = pass_train_baseline(run.d);
	PG_RETURN_INT64(trainer_store(&t, name));
}
