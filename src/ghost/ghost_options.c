/*
 * ghost_options.c: the options of ngs.train_ghost_model: a jsonb object over the defaults
 * (README "Defender ghosting", "Training in the database"), every key known, every value
 * checked; and the options as the JSON text the weight file records.
 */
#include "postgres.h"

#include "ghost/ghost.h"
#include "lib/stringinfo.h"
#include "common/options.h"

/* The features the default ghost model reads: the winners of tools/rank_ghost_features.py */
static const char *const default_features[] = {
	"d_dv1par", "d_dv1perp", "d_vpar", "d_vperp", "rel_vperp", "rel_vpar", "gap",
	"ball_speed", "r_dv1perp", "field_x", "axis_x", "ball_par"
};

/* The options as read: the hidden layers counted apart from the output layer */
typedef struct GhostRead
{
	GhostOptions o;
	int			nhidden;		/* o.layers - 1 */
} GhostRead;

/* The features option: known feature names, each once */
static void
read_features(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	GhostOptions *o = &((GhostRead *) target)->o;
	JsonbValue	elems[GHOST_MAX_FEATURES];

	o->nfeatures = option_list(s, def->name, v, false, GHOST_MAX_FEATURES, elems);
	if (o->nfeatures == 0)
		option_error(s, def->name, "must name at least one feature");
	for (int i = 0; i < o->nfeatures; i++)
	{
		char	   *name;

		if (elems[i].type != jbvString)
			option_error(s, def->name, "must be an array of feature names");
		name = pnstrdup(elems[i].val.string.val, elems[i].val.string.len);
		o->feature[i] = ghost_feature_index(name);
		if (o->feature[i] < 0)
			option_error(s, def->name,
						 psprintf("names an unknown feature \"%s\" (ngs.ghost_feature_names() lists them)", name));
		for (int k = 0; k < i; k++)
			if (o->feature[k] == o->feature[i])
				option_error(s, def->name, psprintf("names \"%s\" twice", name));
	}
}

/* The features option as JSON: their names */
static void
write_features(StringInfo out, const OptionDef *def, const void *target)
{
	const GhostOptions *o = &((const GhostRead *) target)->o;

	appendStringInfoChar(out, '[');
	for (int i = 0; i < o->nfeatures; i++)
		appendStringInfo(out, "%s\"%s\"", i ? "," : "", ghost_candidate_names[o->feature[i]]);
	appendStringInfoChar(out, ']');
}

#define FIELD(f) offsetof(GhostRead, f)

/* The options, in the order the weight file records them */
static const OptionDef ghost_option_defs[] = {
	{"features", OPTION_CUSTOM, .read = read_features, .write = write_features},
	{"hidden", OPTION_INT_LIST, FIELD(o.hidden), 1, MLP_MAX_WIDTH,
	.count_offset = FIELD(nhidden), .max_count = MLP_MAX_LAYERS - 1},
	{"horizon", OPTION_INT, FIELD(o.horizon), 1, GHOST_MAX_HORIZON},
	{"epochs", OPTION_INT, FIELD(o.epochs), 1, GHOST_MAX_EPOCHS},
	{"batch_size", OPTION_INT, FIELD(o.batch_size), 1, GHOST_MAX_BATCH},
	{"learning_rate", OPTION_NUMBER, FIELD(o.learning_rate), 0.0, 1.0, OPTION_ABOVE_MIN,
	"must be greater than 0 and at most 1"},
	{"seed", OPTION_INT, FIELD(o.seed), PG_INT32_MIN, PG_INT32_MAX},
	{"validation_folds", OPTION_INT, FIELD(o.validation_folds), 2, 1000},
};

#define GHOST_OPTIONS_LIST "Options: features (text array), hidden (integer array), horizon, epochs, " \
	"batch_size, learning_rate, seed, validation_folds."

/* The training options and how their errors name them */
static const OptionSet ghost_options = {
	ghost_option_defs, lengthof(ghost_option_defs), OPTIONS_NAMED, "",
	"Write options like '{\"epochs\": 20, \"seed\": 1}', or '{}' for the defaults.",
	GHOST_OPTIONS_LIST,
	GHOST_OPTIONS_LIST
};

/*
 * The options of a jsonb object over the defaults: the published features, two hidden
 * layers of 64, 10 frames, 20 epochs of batches of 256 at 0.001, seed 1, 5 folds
 */
void
ghost_options_parse(Jsonb *jb, GhostOptions *o)
{
	GhostRead	r = {{0}};

	r.o.nfeatures = lengthof(default_features);
	for (int i = 0; i < r.o.nfeatures; i++)
		r.o.feature[i] = ghost_feature_index(default_features[i]);
	r.nhidden = 2;
	r.o.hidden[0] = r.o.hidden[1] = 64;
	r.o.horizon = 10;
	r.o.epochs = 20;
	r.o.batch_size = 256;
	r.o.learning_rate = 0.001;
	r.o.seed = 1;
	r.o.validation_folds = 5;
	options_parse(&ghost_options, jb, &r);
	r.o.layers = r.nhidden + 1;
	*o = r.o;
}

/* The options as the JSON text the weight file records */
char *
ghost_options_json(const GhostOptions *o)
{
	GhostRead	r = {*o, o->layers - 1};

	return options_json(&ghost_options, &r, 0);
}
