/*
 * pass_train_file.c: the weight file of a trained pass model (pass-model.md): the
 * normalisation, TCN and MLP tensors, and metadata with the SBP range, the context
 * names, the options, the training figures and the no-context baseline.
 */
#include "postgres.h"

#include "common/options.h"
#include "pass/pass_trainer.h"
#include "sbp/sbp.h"

/*
 * The no-context baseline: ngs.sbp_fit over the yards of every kept play (training and
 * validation), as text; NULL when there are too few for a fit, or all are equal
 */
char *
pass_train_baseline(const TrainData *d)
{
	int			n = d->set[0].n + d->set[1].n;
	double	   *yards;
	bool		distinct = false;

	if (n < SBP_FIT_MIN_VALUES)
		return NULL;
	yards = palloc(sizeof(double) * n);
	for (int s = 0, k = 0; s < 2; s++)
		for (int p = 0; p < d->set[s].n; p++)
		{
			yards[k++] = d->set[s].yards[p];
			distinct |= d->set[s].yards[p] != yards[0];
		}
	if (!distinct)
		return NULL;
	return sbp_to_text(sbp_fit_doubles(yards, n));
}

/*
 * Append a convolution's weight (in PyTorch's order) and bias, unless it is absent; the
 * shape alone for a TCN laid out without weights
 */
static void
add_conv(TrainerFile *file, int l, const char *part, const TcnConv *c)
{
	float	   *weight = NULL;

	if (c->kernel == 0)
		return;
	if (c->weight)
	{
		weight = palloc(sizeof(float) * c->out * c->in * c->kernel);
		tcn_export_weight(c, weight);
	}
	trainer_file_tensor(file, psprintf("tcn.%d.%s.weight", l, part), weight, c->out, c->in, c->kernel);
	trainer_file_tensor(file, psprintf("tcn.%d.%s.bias", l, part), c->bias, c->out, 0, 0);
}

/*
 * The tensors: input and context normalisation (of d, or shapes only without it), the
 * TCN's levels, the MLP's layers
 */
static void
add_tensors(const TrainData *d, int context, const Tcn *tcn, const Mlp *mlp, TrainerFile *file)
{
	trainer_file_tensor(file, "input.mean", d ? d->input_mean : NULL, PASS_CHANNELS, 0, 0);
	trainer_file_tensor(file, "input.std", d ? d->input_std : NULL, PASS_CHANNELS, 0, 0);
	if (context > 0)
	{
		trainer_file_tensor(file, "context.mean", d ? d->context_mean : NULL, context, 0, 0);
		trainer_file_tensor(file, "context.std", d ? d->context_std : NULL, context, 0, 0);
	}
	for (int l = 0; l < tcn->levels; l++)
	{
		add_conv(file, l, "conv1", &tcn->level[l].conv1);
		add_conv(file, l, "conv2", &tcn->level[l].conv2);
		add_conv(file, l, "downsample", &tcn->level[l].downsample);
	}
	trainer_file_mlp(file, mlp);
}

/*
 * The tensors of the weight file the options make, shapes only (before any data: the
 * context's width is that of context_names, or none), for trainer_check_can_store
 */
void
pass_train_file_shapes(const TrainOptions *o, TrainerFile *file)
{
	Tcn		   *tcn = palloc(sizeof(Tcn));
	Mlp			mlp = {0};

	tcn_layout(tcn, PASS_CHANNELS, o->levels, o->channels, o->kernel, NULL, NULL);
	mlp.layers = pass_train_mlp_sizes(o, o->ncontext_names, mlp.sizes);
	add_tensors(NULL, o->ncontext_names, tcn, &mlp, file);
	pfree(tcn);
}

/* The metadata after ngs.kind and ngs.format */
static void
write_metadata(const Trainer *t, const PassRun *run, TrainerFile *file)
{
	const TrainOptions *o = &run->o;
	const TrainData *d = run->d;
	const TrainerResult *r = &t->result;

	trainer_file_meta(file, "sbp.lower", option_double_text(o->lower));
	trainer_file_meta(file, "sbp.upper", option_double_text(o->upper));
	trainer_file_meta(file, "sbp.alpha", option_double_text(o->alpha));
	if (o->context_names)
		trainer_file_meta(file, "context.names", o->context_names);
	trainer_file_meta(file, "description", "pass model trained in the database by ngs.train_pass_model");
	trainer_file_meta(file, "train.options", train_options_json(o));
	trainer_file_meta(file, "train.plays", psprintf("%d", d->set[0].n));
	trainer_file_meta(file, "train.games", psprintf("%d", trainer_count_games(t, TRAINER_TRAINING)));
	trainer_file_meta(file, "train.skipped_rows", psprintf("%d", d->skipped));
	trainer_file_meta(file, "validation.plays", psprintf("%d", d->set[1].n));
	trainer_file_meta(file, "validation.games", psprintf("%d", trainer_count_games(t, TRAINER_VALIDATION)));
	trainer_file_meta(file, "train.epochs", psprintf("%d", r->epochs));
	trainer_file_meta(file, "train.best_epoch", psprintf("%d", r->best_epoch));
	trainer_file_meta(file, "train.loss", option_double_text(r->train_loss));
	if (d->set[1].n > 0)
		trainer_file_meta(file, "validation.loss", option_double_text(r->validation_loss));
	trainer_file_meta(file, "train.history", r->history.data);
	if (run->baseline)
		trainer_file_meta(file, "baseline.sbp", run->baseline);
}

/* The pass model's tensors and metadata (the Trainer's write_file) */
void
pass_train_write_file(Trainer *t, TrainerFile *file)
{
	PassRun    *run = t->state;

	add_tensors(run->d, run->d->context, run->net->tcn, run->net->mlp, file);
	write_metadata(t, run, file);
}
