/*
 * pass_train_options.c: the options of ngs.train_pass_model and ngs.train_pass_gaussian:
 * a jsonb object over the defaults (README "Training the pass model"), every key known,
 * every value checked; and the options as the JSON text the weight file records.
 */
#include "postgres.h"

#include <float.h>

#include "lib/stringinfo.h"
#include "common/options.h"
#include "pass/pass_train.h"
#include "sbp/sbp.h"
#include "utils/builtins.h"

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

/* An option of the SBP head: bins, lower, upper or alpha */
static void
read_sbp_option(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	check_sbp_option(target, def->name);
	option_store(s, def, v, target);
}

/* The context_names option: names without commas, joined by commas */
static void
read_context_names(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	TrainOptions *o = target;
	JsonbValue	elems[PASS_MAX_CONTEXT];
	StringInfoData names;

	check_sbp_option(o, def->name);
	o->ncontext_names = option_list(s, def->name, v, false, PASS_MAX_CONTEXT, elems);
	initStringInfo(&names);
	for (int i = 0; i < o->ncontext_names; i++)
	{
		if (elems[i].type != jbvString || elems[i].val.string.len == 0 ||
			memchr(elems[i].val.string.val, ',', elems[i].val.string.len) != NULL)
			option_error(s, def->name, "must be an array of non-empty names without commas");
		appendStringInfo(&names, "%s%.*s", i ? "," : "", elems[i].val.string.len, elems[i].val.string.val);
	}
	o->context_names = o->ncontext_names ? names.data : NULL;
}

/* The validation_folds option: 0 (no validation) or 2 to 1000 */
static void
read_validation_folds(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	option_store(s, def, v, target);
	if (((TrainOptions *) target)->validation_folds == 1)
		option_error(s, def->name, "must be 0 (no validation) or between 2 and 1000");
}

#define FIELD(f) offsetof(TrainOptions, f)

/* The options, in the order the weight file records them (README "Training the pass model") */
static const OptionDef pass_option_defs[] = {
	{"channels", OPTION_INT, FIELD(channels), 1, PASS_MAX_CHANNELS},
	{"levels", OPTION_INT, FIELD(levels), 1, PASS_MAX_LEVELS},
	{"kernel", OPTION_INT, FIELD(kernel), 1, PASS_MAX_KERNEL},
	{"hidden", OPTION_INT_LIST, FIELD(hidden), 1, Min(MLP_MAX_WIDTH, PASS_MAX_WIDTH),
	.count_offset = FIELD(nhidden), .max_count = Min(MLP_MAX_LAYERS, PASS_MAX_MLP_LAYERS) - 1},
	{"bins", OPTION_INT, FIELD(bins), 2, Min(SBP_MAX_BINS, PASS_MAX_WIDTH - PASS_HEAD), OPTION_GROUP,
	.read = read_sbp_option},
	{"lower", OPTION_NUMBER, FIELD(lower), -DBL_MAX, DBL_MAX, OPTION_GROUP, .read = read_sbp_option},
	{"upper", OPTION_NUMBER, FIELD(upper), -DBL_MAX, DBL_MAX, OPTION_GROUP, .read = read_sbp_option},
	{"alpha", OPTION_NUMBER, FIELD(alpha), -DBL_MAX, DBL_MAX, OPTION_GROUP, .read = read_sbp_option},
	{"context_names", OPTION_CUSTOM, .flags = OPTION_GROUP, .read = read_context_names},
	{"epochs", OPTION_INT, FIELD(epochs), 1, PASS_TRAIN_MAX_EPOCHS},
	{"patience", OPTION_INT, FIELD(patience), 1, PASS_TRAIN_MAX_EPOCHS},
	{"batch_size", OPTION_INT, FIELD(batch_size), 1, PASS_TRAIN_MAX_BATCH},
	{"learning_rate", OPTION_NUMBER, FIELD(learning_rate), 0.0, 1.0, OPTION_ABOVE_MIN,
	"must be greater than 0 and at most 1"},
	{"weight_decay", OPTION_NUMBER, FIELD(weight_decay), 0.0, 1.0, 0, "must be between 0 and 1"},
	{"seed", OPTION_INT, FIELD(seed), PG_INT32_MIN, PG_INT32_MAX},
	{"validation_folds", OPTION_INT, FIELD(validation_folds), 0, 1000, .read = read_validation_folds},
};

/* The training options and how their errors name them */
static const OptionSet pass_options = {
	pass_option_defs, lengthof(pass_option_defs), OPTIONS_NAMED, "",
	"Write options like '{\"epochs\": 50, \"seed\": 1}', or '{}' for the defaults.",
	"Options: channels, levels, kernel, hidden, bins, lower, upper, alpha, context_names, "
	"epochs, patience, batch_size, learning_rate, weight_decay, seed, validation_folds.",
	"The README's \"Training the pass model\" section lists the options and their ranges."
};

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

	options_parse(&pass_options, jb, o);
	if (!gaussian)
		check_sbp_range(o);
}

/* The options as the JSON text the weight file records: the SBP head's only for its network */
char *
train_options_json(const TrainOptions *o)
{
	return options_json(&pass_options, o, o->gaussian ? OPTION_GROUP : 0);
}
