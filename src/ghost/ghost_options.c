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

/* How the training options are named in errors */
static const OptionSet ghost_options = {
	"",
	"Write options like '{\"epochs\": 20, \"seed\": 1}', or '{}' for the defaults.",
	"Options: features (text array), hidden (integer array), horizon, epochs, batch_size, learning_rate, seed, validation_folds.",
	"Options: features (text array), hidden (integer array), horizon, epochs, batch_size, learning_rate, seed, validation_folds."
};

/* The features option: known feature names, each once */
static void
set_features(const OptionSet *s, GhostOptions *o, const char *key, JsonbValue *v)
{
	JsonbValue	elems[GHOST_MAX_FEATURES];

	o->nfeatures = option_array(s, key, v, GHOST_MAX_FEATURES, elems);
	if (o->nfeatures == 0)
		option_error(s, key, "must name at least one feature");
	for (int i = 0; i < o->nfeatures; i++)
	{
		char	   *name;

		if (elems[i].type != jbvString)
			option_error(s, key, "must be an array of feature names");
		name = pnstrdup(elems[i].val.string.val, elems[i].val.string.len);
		o->feature[i] = ghost_feature_index(name);
		if (o->feature[i] < 0)
			option_error(s, key, psprintf("names an unknown feature \"%s\" (ngs.ghost_feature_names() lists them)", name));
		for (int k = 0; k < i; k++)
			if (o->feature[k] == o->feature[i])
				option_error(s, key, psprintf("names \"%s\" twice", name));
	}
}

/* Set one option from its key and value; unknown keys are errors */
static void
set_option(const OptionSet *s, void *target, const char *key, JsonbValue *v)
{
	GhostOptions *o = target;

	if (strcmp(key, "features") == 0)
		set_features(s, o, key, v);
	else if (strcmp(key, "hidden") == 0)
	{
		JsonbValue	elems[MLP_MAX_LAYERS - 1];

		o->layers = option_array(s, key, v, MLP_MAX_LAYERS - 1, elems) + 1;
		for (int i = 0; i < o->layers - 1; i++)
			o->hidden[i] = option_int(s, key, &elems[i], 1, MLP_MAX_WIDTH);
	}
	else if (strcmp(key, "horizon") == 0)
		o->horizon = option_int(s, key, v, 1, GHOST_MAX_HORIZON);
	else if (strcmp(key, "epochs") == 0)
		o->epochs = option_int(s, key, v, 1, GHOST_MAX_EPOCHS);
	else if (strcmp(key, "batch_size") == 0)
		o->batch_size = option_int(s, key, v, 1, GHOST_MAX_BATCH);
	else if (strcmp(key, "learning_rate") == 0)
	{
		o->learning_rate = option_number(s, key, v);
		if (!(o->learning_rate > 0.0 && o->learning_rate <= 1.0))
			option_error(s, key, "must be greater than 0 and at most 1");
	}
	else if (strcmp(key, "seed") == 0)
		o->seed = option_int(s, key, v, PG_INT32_MIN, PG_INT32_MAX);
	else if (strcmp(key, "validation_folds") == 0)
		o->validation_folds = option_int(s, key, v, 2, 1000);
	else
		option_unknown(s, key);
}

/*
 * The options of a jsonb object over the defaults: the published features, two hidden
 * layers of 64, 10 frames, 20 epochs of batches of 256 at 0.001, seed 1, 5 folds
 */
void
ghost_options_parse(Jsonb *jb, GhostOptions *o)
{
	o->nfeatures = lengthof(default_features);
	for (int i = 0; i < o->nfeatures; i++)
		o->feature[i] = ghost_feature_index(default_features[i]);
	o->layers = 3;
	o->hidden[0] = o->hidden[1] = 64;
	o->horizon = 10;
	o->epochs = 20;
	o->batch_size = 256;
	o->learning_rate = 0.001;
	o->seed = 1;
	o->validation_folds = 5;
	options_parse(&ghost_options, jb, set_option, o);
}

/* The options as the JSON text the weight file records */
char *
ghost_options_json(const GhostOptions *o)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoString(&s, "{\"features\":[");
	for (int i = 0; i < o->nfeatures; i++)
		appendStringInfo(&s, "%s\"%s\"", i ? "," : "", ghost_candidate_names[o->feature[i]]);
	appendStringInfoString(&s, "],\"hidden\":[");
	for (int l = 0; l < o->layers - 1; l++)
		appendStringInfo(&s, "%s%d", l ? "," : "", o->hidden[l]);
	appendStringInfo(&s, "],\"horizon\":%d,\"epochs\":%d,\"batch_size\":%d,\"learning_rate\":%s,"
					 "\"seed\":%d,\"validation_folds\":%d}", o->horizon, o->epochs, o->batch_size,
					 option_double_text(o->learning_rate), o->seed, o->validation_folds);
	return s.data;
}
