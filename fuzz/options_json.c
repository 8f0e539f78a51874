/*
 * options_json.c: libFuzzer harness for the jsonb options objects that options.c reads:
 * the training options of ngs.train_pass_model, ngs.train_pass_gaussian and
 * ngs.train_ghost_model, the options of the ngs.sbp_fit aggregate over a fixed sample,
 * and those of ngs.sbp_svg over a fixed distribution.  Accepted training options must
 * lie in their documented ranges, read back the same from the JSON the weight file
 * records, and (for the SBP head) describe a distribution that can be built; an accepted
 * fit must survive its parallel state's round trip and give a valid distribution with
 * the bins, range and tail mass asked for; an accepted picture must be one SVG document
 * of the size asked for.
 * sources: src/common/options.c src/common/agg_context.c src/pass/pass_train_options.c src/ghost/ghost_options.c src/ghost/ghost_names.c src/sbp/sbp.c src/sbp/sbp_fit.c src/sbp/sbp_svg.c src/common/svg.c fuzz/jsonb_stub.c
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "fuzz.h"
#include "ghost/ghost.h"
#include "common/options.h"
#include "common/svg.h"
#include "mb/pg_wchar.h"
#include "pass/pass_train.h"
#include "sbp/sbp.h"

#define FIT_VALUES		64		/* values of the fixed sample */

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum sbp_fit_transfn(PG_FUNCTION_ARGS);
extern Datum sbp_fit_serialfn(PG_FUNCTION_ARGS);
extern Datum sbp_fit_deserialfn(PG_FUNCTION_ARGS);
extern Datum sbp_fit_finalfn(PG_FUNCTION_ARGS);
extern Datum sbp_svg(PG_FUNCTION_ARGS);

/* One reading of training options */
typedef struct TrainCase
{
	Jsonb	   *jb;				/* the options */
	bool		gaussian;		/* read for the Gaussian network */
	TrainOptions o;				/* what was read */
} TrainCase;

/* One reading of ghost training options */
typedef struct GhostCase
{
	Jsonb	   *jb;				/* the options */
	GhostOptions o;				/* what was read */
} GhostCase;

/* One fit: the options, the aggregate state and the result */
typedef struct FitCase
{
	Jsonb	   *jb;				/* the options */
	Datum		state;			/* after every value */
	Sbp		   *d;				/* the fitted distribution */
	double		given[5];		/* lower, upper, bins, alpha, prior from the
								 * options, NaN where absent */
} FitCase;

#define GIVEN(i) offsetof(FitCase, given) + (i) * sizeof(double)

/* The fit's options as plain numbers, to check its result against */
static const OptionDef given_defs[] = {
	{"lower", OPTION_NUMBER, GIVEN(0), -DBL_MAX, DBL_MAX},
	{"upper", OPTION_NUMBER, GIVEN(1), -DBL_MAX, DBL_MAX},
	{"bins", OPTION_NUMBER, GIVEN(2), -DBL_MAX, DBL_MAX},
	{"alpha", OPTION_NUMBER, GIVEN(3), -DBL_MAX, DBL_MAX},
	{"prior", OPTION_NUMBER, GIVEN(4), -DBL_MAX, DBL_MAX},
};
static const OptionSet given_options = {given_defs, lengthof(given_defs), OPTIONS_NAMED, "", "", "", ""};

/* One picture: the options and the document */
typedef struct SvgCase
{
	Jsonb	   *jb;				/* the options */
	Sbp		   *d;				/* the distribution drawn */
	text	   *svg;			/* the document */
} SvgCase;

/* The aggregate context sbp_fit's transition asks for: pg_stub.c's heap */
int
AggCheckCallContext(FunctionCallInfo fcinfo, MemoryContext *aggcontext)
{
	if (aggcontext)
		*aggcontext = CurrentMemoryContext;
	return AGG_CONTEXT_AGGREGATE;
}

/* The server's encoding, for svg.c: UTF-8 */
int
GetDatabaseEncoding(void)
{
	return PG_UTF8;
}

/* The decimal text of an int64, for svg.c */
int
pg_lltoa(int64 value, char *a)
{
	return sprintf(a, "%lld", (long long) value);
}

/* A text datum of len bytes, for sbp_svg's document */
text *
cstring_to_text_with_len(const char *s, int len)
{
	text	   *t = palloc(VARHDRSZ + len);

	SET_VARSIZE(t, VARHDRSZ + len);
	memcpy(VARDATA(t), s, len);
	return t;
}

/* True when lo <= v <= hi */
static inline bool
in_range(double v, double lo, double hi)
{
	return v >= lo && v <= hi;
}

/* Read c->jb as training options */
static void
read_train(void *arg)
{
	TrainCase  *c = arg;

	train_options_parse(c->jb, c->gaussian, &c->o);
}

/* Build the SBP head the options describe, as training starts it */
static void
build_head(void *arg)
{
	const TrainOptions *o = arg;
	double		logits[SBP_MAX_BINS] = {0};

	sbp_from_logits(o->lower, o->upper, o->bins, logits, o->alpha, 1.0, 1.0, 1.0, 1.0);
}

/* True when the context names are ncontext_names non-empty names joined by commas */
static bool
names_ok(const TrainOptions *o)
{
	int			names = 1;

	if (o->ncontext_names == 0)
		return o->context_names == NULL;
	if (o->context_names == NULL || o->context_names[0] == ',' || o->context_names[0] == '\0')
		return false;
	for (const char *p = o->context_names; *p; p++)
		if (*p == ',' && (p[1] == ',' || p[1] == '\0'))
			return false;
		else if (*p == ',')
			names++;
	return names == o->ncontext_names;
}

/* True when training options lie in their documented ranges */
static bool
train_in_ranges(const TrainOptions *o)
{
	for (int i = 0; i < o->nhidden; i++)
		if (!in_range(o->hidden[i], 1, Min(MLP_MAX_WIDTH, PASS_MAX_WIDTH)))
			return false;
	return in_range(o->channels, 1, PASS_MAX_CHANNELS) &&
		in_range(o->levels, 1, PASS_MAX_LEVELS) &&
		in_range(o->kernel, 1, PASS_MAX_KERNEL) &&
		in_range(o->nhidden, 0, Min(MLP_MAX_LAYERS, PASS_MAX_MLP_LAYERS) - 1) &&
		in_range(o->bins, 2, Min(SBP_MAX_BINS, PASS_MAX_WIDTH - PASS_HEAD)) &&
		in_range(o->epochs, 1, PASS_TRAIN_MAX_EPOCHS) &&
		in_range(o->patience, 1, PASS_TRAIN_MAX_EPOCHS) &&
		in_range(o->batch_size, 1, PASS_TRAIN_MAX_BATCH) &&
		o->learning_rate > 0.0 && o->learning_rate <= 1.0 &&
		in_range(o->weight_decay, 0.0, 1.0) &&
		(o->validation_folds == 0 || in_range(o->validation_folds, 2, 1000)) &&
		in_range(o->ncontext_names, 0, PASS_MAX_CONTEXT) && names_ok(o);
}

/*
 * Abort unless accepted training options are in range, leave the SBP head alone for the
 * Gaussian network, and otherwise describe an SBP head that can be built
 */
static void
check_train(const TrainOptions *o, const TrainOptions *defaults)
{
	bool		ok = train_in_ranges(o);

	if (o->gaussian)
		ok = ok && o->bins == defaults->bins && o->lower == defaults->lower &&
			o->upper == defaults->upper && o->alpha == defaults->alpha && o->ncontext_names == 0;
	else
		ok = ok && fuzz_try(build_head, unconstify(TrainOptions *, o));
	if (!ok)
		abort();
}

/* True when two readings agree on everything the weight file records */
static bool
same_train(const TrainOptions *a, const TrainOptions *b)
{
	if (a->nhidden != b->nhidden || memcmp(a->hidden, b->hidden, sizeof(int) * a->nhidden) != 0)
		return false;
	return a->gaussian == b->gaussian && a->channels == b->channels && a->levels == b->levels &&
		a->kernel == b->kernel && a->bins == b->bins && a->lower == b->lower &&
		a->upper == b->upper && a->alpha == b->alpha && a->epochs == b->epochs &&
		a->patience == b->patience && a->batch_size == b->batch_size &&
		a->learning_rate == b->learning_rate && a->weight_decay == b->weight_decay &&
		a->seed == b->seed && a->validation_folds == b->validation_folds;
}

/* Read the training options for one network and check what was accepted */
static void
fuzz_train(Jsonb *jb, bool gaussian)
{
	TrainCase	defaults = {fuzz_jsonb("{}", 2), gaussian};
	TrainCase	c = {jb, gaussian};
	TrainCase	again = {NULL, gaussian};

	if (!fuzz_try(read_train, &defaults))
		abort();
	if (!fuzz_try(read_train, &c))
		return;
	check_train(&c.o, &defaults.o);
	again.jb = fuzz_jsonb(train_options_json(&c.o), strlen(train_options_json(&c.o)));
	if (!fuzz_try(read_train, &again) || !same_train(&c.o, &again.o))
		abort();				/* the recorded options must read back */
}

/* Read c->jb as ghost training options */
static void
read_ghost(void *arg)
{
	GhostCase  *c = arg;

	ghost_options_parse(c->jb, &c->o);
}

/* True when the features are 1 to GHOST_MAX_FEATURES known candidates, each once */
static bool
ghost_features_ok(const GhostOptions *o)
{
	if (!in_range(o->nfeatures, 1, GHOST_MAX_FEATURES))
		return false;
	for (int i = 0; i < o->nfeatures; i++)
	{
		if (!in_range(o->feature[i], 0, GHOST_CANDIDATES - 1))
			return false;
		for (int k = 0; k < i; k++)
			if (o->feature[k] == o->feature[i])
				return false;
	}
	return true;
}

/*
 * True when ghost training options lie in their documented ranges (README "Training in
 * the database"), the network they describe within the MLP's limits
 */
static bool
ghost_in_ranges(const GhostOptions *o)
{
	if (!in_range(o->layers, 1, MLP_MAX_LAYERS))
		return false;
	for (int l = 0; l < o->layers - 1; l++)
		if (!in_range(o->hidden[l], 1, MLP_MAX_WIDTH))
			return false;
	return ghost_features_ok(o) &&
		in_range(o->horizon, 1, Min(GHOST_MAX_HORIZON, MLP_MAX_WIDTH / 2)) &&
		in_range(o->epochs, 1, GHOST_MAX_EPOCHS) &&
		in_range(o->batch_size, 1, GHOST_MAX_BATCH) &&
		o->learning_rate > 0.0 && o->learning_rate <= 1.0 &&
		in_range(o->validation_folds, 2, 1000);
}

/* True when two readings agree on everything the weight file records */
static bool
same_ghost(const GhostOptions *a, const GhostOptions *b)
{
	if (a->nfeatures != b->nfeatures || memcmp(a->feature, b->feature, sizeof(int) * a->nfeatures) != 0 ||
		a->layers != b->layers || memcmp(a->hidden, b->hidden, sizeof(int) * (a->layers - 1)) != 0)
		return false;
	return a->horizon == b->horizon && a->epochs == b->epochs && a->batch_size == b->batch_size &&
		a->learning_rate == b->learning_rate &&
		a->seed == b->seed && a->validation_folds == b->validation_folds;
}

/* Read the ghost training options and check what was accepted */
static void
fuzz_ghost(Jsonb *jb)
{
	GhostCase	defaults = {fuzz_jsonb("{}", 2)};
	GhostCase	c = {jb};
	GhostCase	again = {NULL};

	if (!fuzz_try(read_ghost, &defaults) || !ghost_in_ranges(&defaults.o))
		abort();
	if (!fuzz_try(read_ghost, &c))
		return;
	if (!ghost_in_ranges(&c.o))
		abort();
	again.jb = fuzz_jsonb(ghost_options_json(&c.o), strlen(ghost_options_json(&c.o)));
	if (!fuzz_try(read_ghost, &again) || !same_ghost(&c.o, &again.o))
		abort();				/* the recorded options must read back */
}

/* Feed the fixed sample to sbp_fit's transition with the options */
static void
fit_accumulate(void *arg)
{
	LOCAL_FCINFO(fcinfo, 3);
	FitCase    *c = arg;

	InitFunctionCallInfoData(*fcinfo, NULL, 3, InvalidOid, NULL, NULL);
	for (int i = 0; i < FIT_VALUES; i++)
	{
		/* Cauchy quantiles: a body and two heavy tails */
		fcinfo->args[0].value = c->state;
		fcinfo->args[0].isnull = i == 0;
		fcinfo->args[1].value = Float8GetDatum(10.0 + 5.0 * tan(M_PI * (i + 0.5) / FIT_VALUES - M_PI / 2));
		fcinfo->args[1].isnull = false;
		fcinfo->args[2].value = PointerGetDatum(c->jb);
		fcinfo->args[2].isnull = false;
		c->state = sbp_fit_transfn(fcinfo);
	}
}

/* Send the state through the parallel serialization and back */
static void
fit_round_trip(void *arg)
{
	FitCase    *c = arg;

	c->state = fuzz_call1(sbp_fit_deserialfn, fuzz_call1(sbp_fit_serialfn, c->state));
}

/* The fitted distribution */
static void
fit_final(void *arg)
{
	FitCase    *c = arg;

	c->d = DatumGetSbpP(fuzz_call1(sbp_fit_finalfn, c->state));
}

/* Check every invariant of the fit's result */
static void
fit_validate(void *arg)
{
	sbp_validate(((FitCase *) arg)->d);
}

/* Fit the fixed sample with the options and check what was accepted */
static void
fuzz_fit(Jsonb *jb)
{
	FitCase		c = {jb, (Datum) 0, NULL, {NAN, NAN, NAN, SBP_DEFAULT_ALPHA, NAN}};

	if (!fuzz_try(fit_accumulate, &c))
		return;
	options_parse(&given_options, jb, &c);
	if (!fuzz_try(fit_round_trip, &c))
		abort();				/* accepted options must cross to a worker */
	if (!fuzz_try(fit_final, &c))
		return;
	if (!fuzz_try(fit_validate, &c) ||
		(!isnan(c.given[0]) && c.d->lower != c.given[0]) ||
		(!isnan(c.given[1]) && c.d->upper != c.given[1]) ||
		(!isnan(c.given[2]) && c.d->bins != c.given[2]) ||
		c.d->alpha != c.given[3])
		abort();				/* the fit must be valid and as asked */
}

/* Draw c->d with the options, the actual outcome at 3 yards */
static void
draw(void *arg)
{
	LOCAL_FCINFO(fcinfo, 3);
	SvgCase    *c = arg;

	InitFunctionCallInfoData(*fcinfo, NULL, 3, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = PointerGetDatum(c->d);
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = Float8GetDatum(3.0);
	fcinfo->args[1].isnull = false;
	fcinfo->args[2].value = PointerGetDatum(c->jb);
	fcinfo->args[2].isnull = false;
	c->svg = DatumGetTextPP(sbp_svg(fcinfo));
}

/* Draw a fixed distribution with the options and check what was accepted */
static void
fuzz_svg(Jsonb *jb)
{
	static const double mass[] = {0.1, 0.4, 0.3, 0.2};
	SvgCase		c = {jb, sbp_from_masses(-5.0, 15.0, lengthof(mass), mass, 0.05, 0.1, 2.0, 0.2, 3.0)};
	char	   *doc;
	int			width,
				height;

	if (!fuzz_try(draw, &c))
		return;
	doc = pnstrdup(VARDATA_ANY(c.svg), VARSIZE_ANY_EXHDR(c.svg));
	if (sscanf(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\"", &width, &height) != 2 ||
		!in_range(width, 320, SVG_MAX_WIDTH) || !in_range(height, 160, SVG_MAX_WIDTH) ||
		strlen(doc) < 6 || strcmp(doc + strlen(doc) - 6, "</svg>") != 0)
		abort();				/* one document, within the size limits */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		Jsonb	   *jb = fuzz_jsonb((const char *) data, size);

		fuzz_train(jb, false);
		fuzz_train(jb, true);
		fuzz_ghost(jb);
		fuzz_fit(jb);
		fuzz_svg(jb);
	}
	fuzz_reset();
	return 0;
}
