/*
 * svg.c: the pieces every picture shares: XML-escaped text, compact numbers, and strict
 * reading of the options jsonb (an object of known keys, each of one JSON type).
 */
#include "postgres.h"

#include <math.h>

#include "mb/pg_wchar.h"
#include "common/svg.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/*
 * Append text escaped for XML character data and attribute values.  Control characters
 * that XML 1.0 forbids become spaces, and in UTF-8 the non-characters U+FFFE and U+FFFF
 * become U+FFFD, so that any string yields a well-formed document.
 */
void
svg_text(StringInfo out, const char *s)
{
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8;

	for (const unsigned char *c = (const unsigned char *) s; *c; c++)
	{
		switch (*c)
		{
			case '&':
				appendStringInfoString(out, "&amp;");
				break;
			case '<':
				appendStringInfoString(out, "&lt;");
				break;
			case '>':
				appendStringInfoString(out, "&gt;");
				break;
			case '"':
				appendStringInfoString(out, "&quot;");
				break;
			case '\'':
				appendStringInfoString(out, "&apos;");
				break;
			default:
				if (*c < 0x20)
					appendStringInfoChar(out, ' ');
				else if (utf8 && c[0] == 0xEF && c[1] == 0xBF && (c[2] == 0xBE || c[2] == 0xBF))
				{
					appendStringInfoString(out, "\xEF\xBF\xBD");
					c += 2;
				}
				else
					appendStringInfoChar(out, (char) *c);
		}
	}
}

/*
 * Append a finite number rounded to two decimals, without trailing zeros ("12.5", "-3");
 * in integer arithmetic below 1e15, which is what keeps a long play quick to draw
 */
void
svg_number(StringInfo out, double v)
{
	char		buf[64];
	int64		cents;

	if (!(fabs(v) < 1e15))
	{
		appendStringInfo(out, "%.0f", v);
		return;
	}
	cents = (int64) rint(v * 100.0);
	if (cents < 0)
	{
		appendStringInfoChar(out, '-');
		cents = -cents;
	}
	pg_lltoa(cents / 100, buf);
	appendStringInfoString(out, buf);
	if (cents % 100 != 0)
	{
		appendStringInfoChar(out, '.');
		appendStringInfoChar(out, '0' + (cents % 100) / 10);
		if (cents % 10 != 0)
			appendStringInfoChar(out, '0' + cents % 10);
	}
}

/*
 * Refuse options that are not an object of known keys
 */
void
svg_options_check(Jsonb *options, const char *const *keys, const char *hint)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_OBJECT(options) || JB_ROOT_IS_SCALAR(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options must be a JSON object"),
				 errhint("%s", hint)));
	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		const char *const *k;

		if (tok != WJB_KEY)
			continue;
		for (k = keys; *k; k++)
			if (strlen(*k) == v.val.string.len && memcmp(*k, v.val.string.val, v.val.string.len) == 0)
				break;
		if (*k == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown option \"%s\"", pnstrdup(v.val.string.val, v.val.string.len)),
					 errhint("%s", hint)));
	}
}

/*
 * The value of one option, or NULL when it is absent or JSON null
 */
JsonbValue *
svg_option(Jsonb *options, const char *key, JsonbValue *buf)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&options->root, key, strlen(key), buf);

	return (v == NULL || v->type == jbvNull) ? NULL : v;
}

/*
 * A JSON number that must be an integer in [min, max]
 */
int
svg_int_value(const JsonbValue *v, const char *what, int min, int max)
{
	double		d;

	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a number", what),
				 errhint("Write it as a JSON number, such as 10, without quotes.")));
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
										   NumericGetDatum(v->val.numeric)));
	if (!(d >= min && d <= max && d == floor(d)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be an integer between %d and %d, not %g", what, min, max, d),
				 errhint("Pass a whole number in that range.")));
	return (int) d;
}

/*
 * A JSON string of at most SVG_MAX_TEXT characters, as a C string
 */
char *
svg_text_value(const JsonbValue *v, const char *what)
{
	if (v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a string", what),
				 errhint("Write it as a JSON string in double quotes.")));
	if (pg_mbstrlen_with_len(v->val.string.val, v->val.string.len) > SVG_MAX_TEXT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is longer than %d characters", what, SVG_MAX_TEXT),
				 errhint("Shorten the text.")));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * An integer option in [min, max], or the fallback when absent
 */
int
svg_option_int(Jsonb *options, const char *key, int fallback, int min, int max)
{
	JsonbValue	buf,
			   *v = svg_option(options, key, &buf);

	return v ? svg_int_value(v, key, min, max) : fallback;
}

/*
 * A JSON number as a (finite) double
 */
double
svg_double_value(const JsonbValue *v, const char *what)
{
	double		d;

	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a number", what),
				 errhint("Write it as a JSON number, such as 10, without quotes.")));
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(v->val.numeric)));
	if (!isfinite(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is too large for a double", what),
				 errhint("Pass a number of magnitude below 1e308.")));
	return d;
}

/*
 * A number option, or the fallback when absent
 */
double
svg_option_number(Jsonb *options, const char *key, double fallback)
{
	JsonbValue	buf,
			   *v = svg_option(options, key, &buf);

	return v ? svg_double_value(v, key) : fallback;
}

/*
 * A text option, or NULL when absent
 */
char *
svg_option_text(Jsonb *options, const char *key)
{
	JsonbValue	buf,
			   *v = svg_option(options, key, &buf);

	return v ? svg_text_value(v, key) : NULL;
}

/*
 * The scalar members of an array option (type WJB_BEGIN_ARRAY: n elements) or of an
 * object option (WJB_BEGIN_OBJECT: n pairs, stored key, value, key, value, ...);
 * NULL with n = 0 when the option is absent
 */
JsonbValue *
svg_list(Jsonb *options, const char *key, int type, int *n)
{
	JsonbValue	buf,
			   *v = svg_option(options, key, &buf),
			   *list;
	bool		object = type == WJB_BEGIN_OBJECT;
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	m;
	int			count = 0;

	*n = 0;
	if (v == NULL)
		return NULL;
	if (v->type != jbvBinary ||
		(object ? !JsonContainerIsObject(v->val.binary.data) : !JsonContainerIsArray(v->val.binary.data)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON %s", key, object ? "object" : "array"),
				 errhint(object ? "Write it as {\"key\": value, ...}." : "Write it as [value, ...].")));
	if (JsonContainerSize(v->val.binary.data) > SVG_MAX_LIST)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s has more than %d members", key, SVG_MAX_LIST),
				 errhint("Pass fewer members.")));
	list = palloc(sizeof(JsonbValue) * 2 * SVG_MAX_LIST);
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &m, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM && tok != WJB_KEY && tok != WJB_VALUE)
			continue;
		if (m.type == jbvBinary)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not nest arrays or objects", key),
					 errhint("Give plain numbers or strings as its members.")));
		list[count++] = m;
	}
	*n = object ? count / 2 : count;
	return list;
}
