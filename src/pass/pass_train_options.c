/*
 * pass_train_options.c: the options of ngs.train_pass_model and ngs.train_pass_gaussian:
 * a jsonb object over the defaults (README "Training the pass model"), every key known,
 * every value checked; and the options as the JSON text the weight file records.
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "common/options.h"
#include "pass/pass_train.h"
#include "sbp/sbp.h"
#include "utils/builtins.h"

/* How the training options are named in errors */
static const OptionSet pass_options = {
	"",
	"Write options like '{\"epochs\": 50, \"seed\": 1}', or '{}' for the defaults.",
	"Options: channels, levels, kernel, hidden, bins, lower, upper, alpha, context_names, "
	"epochs, patience, batch_size, learning_rate, weight_decay, seed, validation_folds.",
	"The README's \"Training the pass model\" section lists the options and their ranges."
};

/* The context_names option: names without commas, joined by commas */
static void
set_context_names(TrainOptions *o, const char *key, JsonbValue *v)
{
	JsonbValue	elems[PASS_MAX_CONTEXT];
	StringInfoData names;

	o->ncontext_names = option_array(&pass_options, key, v, PASS_MAX_CONTEXT, elems);
	initStringInfo(&names);
	for (int i = 0; i < o->ncontext_names; i++)
	{
		if (elems[i].type != jbvString || elems[i].val.string.len == 0 ||
			memchr(elems[i].val.string.val, ',', elems[i].val.string.len) != NULL)
			option_error(&pass_options, key, "must be an array of non-empty names without commas");
		appendStringInfo(&names, "%s%.*s", i ? "," : "", elems[i].val.string.len, elems[i].val.string.val);
	}
	o->context_names = o->ncontext_names ? names.data : NULL;
}

/* Fail on an option that only the SBP head reads, given to the Gaussian network */
static inline void
check_sbp_option(const TrainOptions *o, const char *key)
{
	if (o->gaussian)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" does not apply to the gaussian network", key),
				 errhint("bins, lower, upper, alpha and context_names describe the SBP head of ngs.train_pass_model.")));
}

/* Set one option from its key and value; unknown keys are errors */
static void
set_option(const OptionSet *s, void *target, const char *key, JsonbValue *v)
{
	TrainOptions *o = target;

	if (strcmp(key, "channels") == 0)
		o->channels = option_int(s, key, v, 1, PASS_MAX_CHANNELS);
	else if (strcmp(key, "levels") == 0)
		o->levels = option_int(s, key, v, 1, PASS_MAX_LEVELS);
	else if (strcmp(key, "kernel") == 0)
		o->kernel = option_int(s, key, v, 1, PASS_MAX_KERNEL);
	else if (strcmp(key, "hidden") == 0)
	{
		JsonbValue	elems[MLP_MAX_LAYERS - 1];

		o->nhidden = option_array(s, key, v, Min(MLP_MAX_LAYERS, PASS_MAX_MLP_LAYERS) - 1, elems);
		for (int i = 0; i < o->nhidden; i++)
			o->hidden[i] = option_int(s, key, &elems[i], 1, Min(MLP_MAX_WIDTH, PASS_MAX_WIDTH));
	}
	else if (strcmp(key, "bins") == 0 || strcmp(key, "lower") == 0 || strcmp(key, "upper") == 0 ||
			 strcmp(key, "alpha") == 0 || strcmp(key, "context_names") == 0)
	{
		check_sbp_option(o, key);
		if (strcmp(key, "bins") == 0)
			o->bins = option_int(s, key, v, 2, Min(SBP_MAX_BINS, PASS_MAX_WIDTH - PASS_HEAD));
		else if (strcmp(key, "lower") == 0)
			o->lower = option_number(s, key, v);
		else if (strcmp(key, "upper") == 0)
			o->upper = option_number(s, key, v);
		else if (strcmp(key, "alpha") == 0)
			o->alpha = option_number(s, key, v);
		else
			set_context_names(o, key, v);
	}
	else if (strcmp(key, "epochs") == 0)
		o->epochs = option_int(s, key, v, 1, PASS_TRAIN_MAX_EPOCHS);
	else if (strcmp(key, "patience") == 0)
		o->patience = option_int(s, key, v, 1, PASS_TRAIN_MAX_EPOCHS);
	else if (strcmp(key, "batch_size") == 0)
		o->batch_size = option_int(s, key, v, 1, PASS_TRAIN_MAX_BATCH);
	else if (strcmp(key, "learning_rate") == 0)
	{
		o->learning_rate = option_number(s, key, v);
		if (!(o->learning_rate > 0.0 && o->learning_rate <= 1.0))
			option_error(s, key, "must be greater than 0 and at most 1");
	}
	else if (strcmp(key, "weight_decay") == 0)
	{
		o->weight_decay = option_number(s, key, v);
		if (!(o->weight_decay >= 0.0 && o->weight_decay <= 1.0))
			option_error(s, key, "must be between 0 and 1");
	}
	else if (strcmp(key, "seed") == 0)
		o->seed = option_int(s, key, v, PG_INT32_MIN, PG_INT32_MAX);
	else if (strcmp(key, "validation_folds") == 0)
	{
		o->validation_folds = option_int(s, key, v, 0, 1000);
		if (o->validation_folds == 1)
			option_error(s, key, "must be 0 (no validation) or between 2 and 1000");
	}
	else
		option_unknown(s, key);
}

/*
 * Fail unless the SBP range, bin count and tail mass make a distribution, before any
 * data is read (a range too wide for a double or too narrow for its bins included)
 */
static inline void
check_sbp_range(const TrainOptions *o)
{
	if (!(o->lower < o->upper))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"lower\" (%g) must be below option \"upper\" (%g)", o->lower, o->upper)));
	if (!(o->alpha > 0.0 && o->alpha < 0.5))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"alpha\" (%g) must be greater than 0 and less than 0.5", o->alpha)));
	sbp_check_range(o->lower, o->upper, o->bins);
}

/*
 * The options of a jsonb object over the defaults (README "Training the pass model")
 */
void
train_options_parse(Jsonb *jb, bool gaussian, TrainOptions *o)
{
	memset(o, 0, sizeof(TrainOptions));
	o->gaussian = gaussian;
	o->channels = 8;
	o->levels = 3;
	o->kernel = 3;
	o->nhidden = 1;
	o->hidden[0] = 64;
	o->bins = 11;
	o->lower = -10.5;
	o->upper = 99.5;
	o->alpha = SBP_DEFAULT_ALPHA;
	o->epochs = 100;
	o->patience = 20;
	o->batch_size = 16;
	o->learning_rate = 0.001;
	o->weight_decay = 0.1;
	o->seed = 1;
	o->validation_folds = 5;

	options_parse(&pass_options, jb, set_option, o);
	if (!gaussian)
		check_sbp_range(o);
}

/* The options as the JSON text the weight file records */
char *
train_options_json(const TrainOptions *o)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "{\"channels\":%d,\"levels\":%d,\"kernel\":%d,\"hidden\":[",
					 o->channels, o->levels, o->kernel);
	for (int i = 0; i < o->nhidden; i++)
		appendStringInfo(&s, "%s%d", i ? "," : "", o->hidden[i]);
	appendStringInfoChar(&s, ']');
	if (!o->gaussian)
		appendStringInfo(&s, ",\"bins\":%d,\"lower\":%s,\"upper\":%s,\"alpha\":%s", o->bins,
						 option_double_text(o->lower), option_double_text(o->upper), option_double_text(o->alpha));
	appendStringInfo(&s, ",\"epochs\":%d,\"patience\":%d,\"batch_size\":%d,\"learning_rate\":%s,"
					 "\"weight_decay\":%s,\"seed\":%d,\"validation_folds\":%d}", o->epochs, o->patience,
					 o->batch_size, option_double_text(o->learning_rate), option_double_text(o->weight_decay), o->seed,
					 o->validation_folds);
	return s.data;
}
