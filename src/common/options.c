/*
 * options.c: one reader for the jsonb options objects of ngs.train_pass_model,
 * ngs.train_pass_gaussian, ngs.train_ghost_model and ngs.sbp_fit: each key is handed
 * to the caller's setter, which reads its value with the typed getters below.
 */
#include "postgres.h"

#include <math.h>

#include "common/options.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/*
 * Hand each key and value of an options object to set; anything but an object is an error
 */
void
options_parse(const OptionSet *s, Jsonb *jb, OptionSetter set, void *target)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%soptions must be a JSON object", s->prefix),
				 errhint("%s", s->object_hint)));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = pnstrdup(v.val.string.val, v.val.string.len);
		else if (tok == WJB_VALUE)
			set(s, target, key, &v);
	}
}

/*
 * Report a key the function does not know
 */
void
option_unknown(const OptionSet *s, const char *key)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown %soption \"%s\"", s->prefix, key),
			 errhint("%s", s->unknown_hint)));
}

/*
 * Report a bad option value; problem completes the sentence ("must be a number")
 */
void
option_error(const OptionSet *s, const char *key, const char *problem)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%soption \"%s\" %s", s->prefix, key, problem),
			 errhint("%s", s->value_hint)));
}

/*
 * A numeric option value as a finite double
 */
double
option_number(const OptionSet *s, const char *key, JsonbValue *v)
{
	double		d;

	if (v->type != jbvNumeric)
		option_error(s, key, "must be a number");
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
	if (!isfinite(d))
		option_error(s, key, "must be finite");
	return d;
}

/*
 * An integer option value in [lo, hi]
 */
int
option_int(const OptionSet *s, const char *key, JsonbValue *v, int lo, int hi)
{
	double		d = option_number(s, key, v);

	if (d != floor(d) || d < lo || d > hi)
		option_error(s, key, psprintf("must be an integer between %d and %d", lo, hi));
	return (int) d;
}

/*
 * The elements of an array option into elems, at most max of them; returns their number
 */
int
option_array(const OptionSet *s, const char *key, JsonbValue *v, int max, JsonbValue *elems)
{
	JsonbIterator *it;
	JsonbValue	elem;
	JsonbIteratorToken tok;
	int			n = 0;

	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		option_error(s, key, "must be an array");
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (n == max)
			option_error(s, key, psprintf("has more than %d elements", max));
		elems[n++] = elem;
	}
	return n;
}

/* The shortest decimal text (15 to 17 digits) that reads back as the same double */
char *
option_double_text(double v)
{
	char	   *out = NULL;

	for (int digits = 15; digits <= 17; digits++)
	{
		out = psprintf("%.*g", digits, v);
		if (strtod(out, NULL) == v)
			break;
	}
	return out;
}
