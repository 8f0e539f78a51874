/*
 * options.c: the reader of jsonb options objects (options.h): one walk over the object,
 * each key looked up in the function's table and its value checked and stored by its
 * kind; numbers are read exactly, so 2.5 and 2.0000000000000000001 are not integers and
 * 1e1000 is out of every range.  And the writer of the same options as JSON.
 */
#include "postgres.h"

#include <float.h>

#include "common/options.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

/* The pictures' hints, one per problem (OPTIONS_BARE) */
#define HINT_NUMBER		"Write it as a JSON number, such as 10, without quotes."
#define HINT_WHOLE		"Pass a whole number in that range."
#define HINT_DOUBLE		"Pass a number of magnitude below 1e308."
#define HINT_STRING		"Write it as a JSON string in double quotes."
#define HINT_ARRAY		"Write it as [value, ...]."
#define HINT_OBJECT		"Write it as {\"key\": value, ...}."

static void value_error(const OptionSet *s, const char *key, int sqlstate, const char *problem,
						const char *hint) pg_attribute_noreturn();

/*
 * Report a bad value: 'option "key" problem' with the set's hint, or in the pictures'
 * style 'key problem' with the problem's own hint
 */
static void
value_error(const OptionSet *s, const char *key, int sqlstate, const char *problem, const char *hint)
{
	if (s->style == OPTIONS_NAMED)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("%soption \"%s\" %s", s->prefix, key, problem),
				 errhint("%s", s->value_hint)));
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("%s %s", key, problem),
			 hint ? errhint("%s", hint) : 0));
}

/*
 * Report a bad option value; problem completes the sentence ("must be a number")
 */
void
option_error(const OptionSet *s, const char *key, const char *problem)
{
	value_error(s, key, ERRCODE_INVALID_PARAMETER_VALUE, problem, NULL);
}

/* The digits a JSON number needs after the decimal point: 0 for a whole number */
static int
number_scale(Numeric n)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_min_scale, NumericGetDatum(n)));
}

/* A JSON number as the nearest double, infinite beyond the double range */
static double
number_double(Numeric n)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(n)));
}

/* A JSON number as the pictures' messages show it: %g if whole, else every digit */
static char *
number_text(Numeric n)
{
	return number_scale(n) > 0 ? numeric_normalize(n) : psprintf("%g", number_double(n));
}

/* The JSON number of a value, or an error if it is something else */
static Numeric
number_value(const OptionSet *s, const char *key, const JsonbValue *v)
{
	if (v->type != jbvNumeric)
		value_error(s, key, ERRCODE_INVALID_PARAMETER_VALUE, "must be a number", HINT_NUMBER);
	return v->val.numeric;
}

/*
 * A whole number in [min, max]; message (default "must be an integer between min and
 * max") says so when the value is not
 */
static int
int_value(const OptionSet *s, const char *key, JsonbValue *v, int min, int max, const char *message)
{
	Numeric		n = number_value(s, key, v);
	bool		overflow = false;
	int32		i;

	if (number_scale(n) == 0)
	{
		i = numeric_int4_opt_error(n, &overflow);
		if (!overflow && i >= min && i <= max)
			return i;
	}
	if (message == NULL)
		message = psprintf("must be an integer between %d and %d", min, max);
	if (s->style == OPTIONS_BARE)
		message = psprintf("%s, not %s", message, number_text(n));
	value_error(s, key, ERRCODE_INVALID_PARAMETER_VALUE, message, HINT_WHOLE);
}

/*
 * A number in the option's bounds; its message (default "must be finite") says so when
 * the value is not
 */
static double
number_in_bounds(const OptionSet *s, const OptionDef *def, JsonbValue *v)
{
	double		d = number_double(number_value(s, def->name, v));

	if (d >= def->min && d <= def->max &&
		!((def->flags & OPTION_ABOVE_MIN) && d == def->min) &&
		!((def->flags & OPTION_BELOW_MAX) && d == def->max))
		return d;
	if (def->message)
		value_error(s, def->name, ERRCODE_INVALID_PARAMETER_VALUE, def->message, NULL);
	if (s->style == OPTIONS_BARE)
		value_error(s, def->name, ERRCODE_INVALID_PARAMETER_VALUE, "is too large for a double", HINT_DOUBLE);
	value_error(s, def->name, ERRCODE_INVALID_PARAMETER_VALUE, "must be finite", NULL);
}

/*
 * An integer value in [min, max]
 */
int
option_int(const OptionSet *s, const char *key, JsonbValue *v, int min, int max)
{
	return int_value(s, key, v, min, max, NULL);
}

/*
 * A finite number value
 */
double
option_double(const OptionSet *s, const char *key, JsonbValue *v)
{
	OptionDef	def = {key, OPTION_NUMBER, 0, -DBL_MAX, DBL_MAX};

	return number_in_bounds(s, &def, v);
}

/*
 * A string value of at most max_chars characters, as a C string
 */
char *
option_text(const OptionSet *s, const char *key, JsonbValue *v, int max_chars)
{
	if (v->type != jbvString)
		value_error(s, key, ERRCODE_INVALID_PARAMETER_VALUE, "must be a string", HINT_STRING);
	if (pg_mbstrlen_with_len(v->val.string.val, v->val.string.len) > max_chars)
		value_error(s, key, ERRCODE_INVALID_PARAMETER_VALUE,
					psprintf("is longer than %d characters", max_chars), "Shorten the text.");
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * The members of an array value (n elements) or of an object value (n pairs, stored key,
 * value, key, value, ...) into elems, at most max of them; returns n
 */
int
option_list(const OptionSet *s, const char *key, JsonbValue *v, bool object, int max, JsonbValue *elems)
{
	bool		bare = s->style == OPTIONS_BARE;
	JsonbIterator *it;
	JsonbValue	m;
	JsonbIteratorToken tok;
	int			n = 0;

	if (v->type != jbvBinary ||
		(object ? !JsonContainerIsObject(v->val.binary.data) : !JsonContainerIsArray(v->val.binary.data)))
		value_error(s, key, ERRCODE_INVALID_PARAMETER_VALUE,
					psprintf("must be %s %s", bare ? "a JSON" : "an", object ? "object" : "array"),
					object ? HINT_OBJECT : HINT_ARRAY);
	if (JsonContainerSize(v->val.binary.data) > max)
		value_error(s, key, bare ? ERRCODE_PROGRAM_LIMIT_EXCEEDED : ERRCODE_INVALID_PARAMETER_VALUE,
					psprintf("has more than %d %s", max, bare ? "members" : "elements"), "Pass fewer members.");
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &m, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM && tok != WJB_KEY && tok != WJB_VALUE)
			continue;
		if (bare && m.type == jbvBinary)
			value_error(s, key, ERRCODE_INVALID_PARAMETER_VALUE, "must not nest arrays or objects",
						"Give plain numbers or strings as its members.");
		elems[n++] = m;
	}
	return object ? n / 2 : n;
}

/*
 * Check one option's value by its kind and store it in the target
 */
void
option_store(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	char	   *field = (char *) target + def->offset;

	switch (def->kind)
	{
		case OPTION_INT:
			*(int *) field = int_value(s, def->name, v, (int) def->min, (int) def->max, def->message);
			break;
		case OPTION_NUMBER:
			*(double *) field = number_in_bounds(s, def, v);
			break;
		case OPTION_TEXT:
			*(char **) field = option_text(s, def->name, v, (int) def->max);
			break;
		case OPTION_INT_LIST:
			{
				JsonbValue *elems = palloc(sizeof(JsonbValue) * def->max_count);
				int			n = option_list(s, def->name, v, false, def->max_count, elems);

				*(int *) ((char *) target + def->count_offset) = n;
				for (int i = 0; i < n; i++)
					((int *) field)[i] = int_value(s, def->name, &elems[i], (int) def->min, (int) def->max,
												   def->message);
				break;
			}
		case OPTION_CUSTOM:
			elog(ERROR, "option \"%s\" has no read function", def->name);
	}
}

/* The option a key names, or an error for a key the function does not know */
static const OptionDef *
option_find(const OptionSet *s, const JsonbValue *key)
{
	for (int i = 0; i < s->ndefs; i++)
		if (strlen(s->defs[i].name) == key->val.string.len &&
			memcmp(s->defs[i].name, key->val.string.val, key->val.string.len) == 0)
			return &s->defs[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown %soption \"%s\"", s->prefix, pnstrdup(key->val.string.val, key->val.string.len)),
			 errhint("%s", s->unknown_hint)));
}

/*
 * Read an options object into the target, which holds the defaults: each key must be
 * one of the set's options, and its value is read by the option's read function or
 * option_store (JSON null leaves a picture's option at its default)
 */
void
options_parse(const OptionSet *s, Jsonb *jb, void *target)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	const OptionDef *def = NULL;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%soptions must be a JSON object", s->prefix),
				 errhint("%s", s->object_hint)));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			def = option_find(s, &v);
		else if (tok == WJB_VALUE && !(v.type == jbvNull && s->style == OPTIONS_BARE))
			(def->read ? def->read : option_store) (s, def, &v, target);
	}
}

/* Append one option's value from the target as JSON */
static void
option_write(StringInfo out, const OptionDef *def, const void *target)
{
	const char *field = (const char *) target + def->offset;

	switch (def->kind)
	{
		case OPTION_INT:
			appendStringInfo(out, "%d", *(const int *) field);
			break;
		case OPTION_NUMBER:
			appendStringInfoString(out, option_double_text(*(const double *) field));
			break;
		case OPTION_INT_LIST:
			appendStringInfoChar(out, '[');
			for (int i = 0; i < *(const int *) ((const char *) target + def->count_offset); i++)
				appendStringInfo(out, "%s%d", i ? "," : "", ((const int *) field)[i]);
			appendStringInfoChar(out, ']');
			break;
		case OPTION_TEXT:
		case OPTION_CUSTOM:
			def->write(out, def, target);
			break;
	}
}

/*
 * The options of the target as a JSON object, in the set's order, without the options
 * that have any of skip_flags or that have no writer
 */
char *
options_json(const OptionSet *s, const void *target, int skip_flags)
{
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int i = 0; i < s->ndefs; i++)
	{
		const OptionDef *def = &s->defs[i];

		if ((def->flags & skip_flags) || ((def->kind == OPTION_TEXT || def->kind == OPTION_CUSTOM) && !def->write))
			continue;
		appendStringInfo(&out, "%s\"%s\":", out.len > 1 ? "," : "", def->name);
		option_write(&out, def, target);
	}
	appendStringInfoChar(&out, '}');
	return out.data;
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
