/*
 * sbp_io.c: the text and binary forms of the ngs.sbp type (sbp_in, sbp_out, sbp_recv,
 * sbp_send); every value that comes in is checked by sbp_validate.
 */
#include "postgres.h"
#include "common/pg_compat.h"

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "json_scan.h"
#include "sbp/sbp.h"
#include "utils/float.h"

/* The seven parameters, in the order of the text and binary forms */
#define SBP_PARAMS		7

/*
 * Text form: a JSON object, keys in any order, each once
 *   {"version":1,"lower":0,"upper":10,"alpha":0.05,"xi_lo":0.25,"beta_lo":2,
 *    "xi_hi":0.25,"beta_hi":2,"mass":[0.1,...]}
 * Numbers are written in the shortest form that reads back to the same double.
 */

/* The keys of the text form: the parameters in Sbp order, then the version and masses */
static const char *const sbp_keys[] = {
	"lower", "upper", "alpha", "xi_lo", "beta_lo", "xi_hi", "beta_hi", "version", "mass"
};
#define SBP_KEY_VERSION	SBP_PARAMS
#define SBP_KEY_MASS	(SBP_PARAMS + 1)
#define SBP_KEYS		(SBP_PARAMS + 2)

/* Report a syntax error at the scanner's position */
static void
scan_error(JsonScan *s, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("malformed sbp literal"),
			 errdetail("Expected %s at character %d.", expected, (int) s->pos + 1),
			 errhint("The text form is the JSON object that ngs.sbp output writes.")));
}

/* Consume one punctuation character, or fail */
static void
scan_expect(JsonScan *s, char c)
{
	JsonScanStatus status = json_scan_expect(s, c);

	if (status != JSON_SCAN_OK)
		scan_error(s, json_scan_expected(s, status));
}

/*
 * Read a number as a double: where a JSON number starts, the backend's float8 reader
 * takes over (over the NUL-terminated input), as it always has, so the values and its
 * out-of-range messages stay the same
 */
static double
scan_number(JsonScan *s)
{
	char	   *end;
	double		value;

	if (!json_scan_number_start(s))
		scan_error(s, "a number");
	value = float8in_internal(unconstify(char *, s->text + s->pos), &end, "ngs.sbp", s->text);
	s->pos = end - s->text;
	return value;
}

/* Read a quoted key and return its index in sbp_keys */
static int
scan_key(JsonScan *s)
{
	char		key[8];
	size_t		start;

	json_scan_space(s);
	start = s->pos;
	if (json_scan_plain_string(s, key, sizeof(key)) == JSON_SCAN_OK)
		for (int i = 0; i < SBP_KEYS; i++)
			if (strcmp(key, sbp_keys[i]) == 0)
				return i;
	s->pos = start;
	scan_error(s, "one of the keys \"version\", \"lower\", \"upper\", \"alpha\", \"xi_lo\", "
			   "\"beta_lo\", \"xi_hi\", \"beta_hi\", \"mass\"");
	return -1;					/* keep compiler quiet */
}

/* Read the mass array into mass[SBP_MAX_BINS]; returns the count */
static int
scan_masses(JsonScan *s, double *mass)
{
	int			count = 0;

	scan_expect(s, '[');
	if (json_scan_accept(s, ']'))
		return 0;
	do
	{
		if (count == SBP_MAX_BINS)
			sbp_check_bins(SBP_MAX_BINS + 1);
		mass[count++] = scan_number(s);
	} while (json_scan_accept(s, ','));
	scan_expect(s, ']');
	return count;
}

/* Parse the text form into a validated distribution */
static Sbp *
sbp_parse_text(const char *text)
{
	JsonScan	s;
	double		param[SBP_PARAMS];
	double	   *mass = palloc(sizeof(double) * SBP_MAX_BINS);
	bool		seen[SBP_KEYS] = {false};
	double		version = 0;
	int			bins = 0;
	Sbp		   *d;

	json_scan_init(&s, text, strlen(text));
	scan_expect(&s, '{');
	do
	{
		int			key = scan_key(&s);

		if (seen[key])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("malformed sbp literal"),
					 errdetail("Key \"%s\" appears twice.", sbp_keys[key])));
		seen[key] = true;
		scan_expect(&s, ':');
		if (key == SBP_KEY_MASS)
			bins = scan_masses(&s, mass);
		else if (key == SBP_KEY_VERSION)
			version = scan_number(&s);
		else
			param[key] = scan_number(&s);
	} while (json_scan_accept(&s, ','));
	scan_expect(&s, '}');
	if (json_scan_end(&s) != JSON_SCAN_OK)
		scan_error(&s, "the end of the input");
	for (int key = 0; key < SBP_KEYS; key++)
		if (!seen[key])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("malformed sbp literal"),
					 errdetail("Key \"%s\" is missing.", sbp_keys[key])));
	if (version != SBP_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported sbp version %g", version),
				 errhint("This build of ngs reads version %d.", SBP_VERSION)));
	sbp_check_bins(bins);
	d = sbp_allocate(param[0], param[1], bins, param[2], param[3], param[4], param[5], param[6]);
	memcpy(d->mass, mass, sizeof(double) * bins);
	pfree(mass);
	sbp_validate(d);
	return d;
}

/* Append a double in its shortest exact decimal form */
static void
append_double(StringInfo buf, double value)
{
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(value, digits);
	appendStringInfoString(buf, digits);
}

/* Copy the seven parameters of a distribution, in Sbp order */
static inline void
sbp_params(const Sbp *d, double *param)
{
	param[0] = d->lower;
	param[1] = d->upper;
	param[2] = d->alpha;
	param[3] = d->xi_lo;
	param[4] = d->beta_lo;
	param[5] = d->xi_hi;
	param[6] = d->beta_hi;
}

/* Write the text form */
char *
sbp_to_text(const Sbp *d)
{
	StringInfoData buf;
	double		param[SBP_PARAMS];

	sbp_params(d, param);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"%s\":%d", sbp_keys[SBP_KEY_VERSION], d->version);
	for (int i = 0; i < SBP_PARAMS; i++)
	{
		appendStringInfo(&buf, ",\"%s\":", sbp_keys[i]);
		append_double(&buf, param[i]);
	}
	appendStringInfo(&buf, ",\"%s\":[", sbp_keys[SBP_KEY_MASS]);
	for (int k = 0; k < d->bins; k++)
	{
		if (k > 0)
			appendStringInfoChar(&buf, ',');
		append_double(&buf, d->mass[k]);
	}
	appendStringInfoString(&buf, "]}");
	return buf.data;
}

PG_FUNCTION_INFO_V1(sbp_in);
/*
 * Text input: the JSON object sbp_out writes
 */
Datum
sbp_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);

	PG_RETURN_SBP_P(sbp_parse_text(text));
}

PG_FUNCTION_INFO_V1(sbp_out);
/*
 * Text output: a JSON object that round-trips exactly
 */
Datum
sbp_out(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);

	PG_RETURN_CSTRING(sbp_to_text(d));
}

PG_FUNCTION_INFO_V1(sbp_recv);
/*
 * Binary input: version, flags, bin count, the seven parameters, then the masses
 */
Datum
sbp_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			flags = pq_getmsgbyte(buf);
	int			bins = pq_getmsgint(buf, 2);
	double		param[SBP_PARAMS];
	Sbp		   *d;

	if (version != SBP_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported sbp binary version %d", version),
				 errhint("This build of ngs reads version %d.", SBP_VERSION)));
	sbp_check_bins(bins);
	if (buf->len - buf->cursor != (int) sizeof(float8) * (SBP_PARAMS + bins))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("sbp binary value has %d bytes of parameters and masses, not %d",
						buf->len - buf->cursor, (int) sizeof(float8) * (SBP_PARAMS + bins)),
				 errdetail("The header announces %d bins.", bins)));
	for (int i = 0; i < SBP_PARAMS; i++)
		param[i] = pq_getmsgfloat8(buf);
	d = sbp_allocate(param[0], param[1], bins, param[2], param[3], param[4], param[5], param[6]);
	d->flags = flags;
	for (int k = 0; k < bins; k++)
		d->mass[k] = pq_getmsgfloat8(buf);
	sbp_validate(d);
	PG_RETURN_SBP_P(d);
}

PG_FUNCTION_INFO_V1(sbp_send);
/*
 * Binary output, the layout sbp_recv reads
 */
Datum
sbp_send(PG_FUNCTION_ARGS)
{
	Sbp		   *d = PG_GETARG_SBP_P(0);
	StringInfoData buf;
	double		param[SBP_PARAMS];

	sbp_params(d, param);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, d->version);
	pq_sendbyte(&buf, d->flags);
	pq_sendint16(&buf, d->bins);
	for (int i = 0; i < SBP_PARAMS; i++)
		pq_sendfloat8(&buf, param[i]);
	for (int k = 0; k < d->bins; k++)
		pq_sendfloat8(&buf, d->mass[k]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
