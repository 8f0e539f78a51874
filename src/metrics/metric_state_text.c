/*
 * metric_state_text.c: the text form of ngs.metric_state, exact and canonical:
 *
 *   kind(bin,bin,...)  with a bin  count[:positives][:sum]
 *
 * e.g. brier(3:0x0.b8), pit_histogram(5,0,2), reliability(3:1:0x1.8,0:0:0x0): one bin
 * for brier and log_loss, positives for reliability only, no sum for pit_histogram.  A
 * sum is the exact fixed-point value in hexadecimal, 0x<integer>[.<fraction>], so it
 * reads back to the same bits.
 */
#include "postgres.h"

#include <ctype.h>

#include "metrics/metric_state.h"
#include "metrics/metrics.h"

#define NIBBLE_ONE	EXACT_SUM_OFFSET	/* bit position of the units nibble */
#define NIBBLE_TOP	(EXACT_SUM_WORDS * 64 - 4)	/* bit position of the highest nibble */

/* The nibble of a sum at bit position pos (a multiple of 4) */
static inline int
get_nibble(const ExactSum *sum, int pos)
{
	return (int) ((sum->word[pos / 64] >> (pos % 64)) & 0xF);
}

/* Set the nibble of a sum at bit position pos, which is zero */
static inline void
set_nibble(ExactSum *sum, int pos, int v)
{
	sum->word[pos / 64] |= (uint64) v << (pos % 64);
}

/* Append a sum as 0x<integer>[.<fraction>], no leading or trailing zero digit */
static void
append_sum(StringInfo out, const ExactSum *sum)
{
	int			top = NIBBLE_TOP;
	int			bottom = 0;

	appendStringInfoString(out, "0x");
	while (top > NIBBLE_ONE && get_nibble(sum, top) == 0)
		top -= 4;
	for (int pos = top; pos >= NIBBLE_ONE; pos -= 4)
		appendStringInfoChar(out, "0123456789abcdef"[get_nibble(sum, pos)]);
	while (bottom < NIBBLE_ONE && get_nibble(sum, bottom) == 0)
		bottom += 4;
	if (bottom == NIBBLE_ONE)
		return;
	appendStringInfoChar(out, '.');
	for (int pos = NIBBLE_ONE - 4; pos >= bottom; pos -= 4)
		appendStringInfoChar(out, "0123456789abcdef"[get_nibble(sum, pos)]);
}

/* The value of a hexadecimal digit, or -1 */
static inline int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char) c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parse a sum 0x<integer>[.<fraction>] at *p into sum (zero), advancing *p; false if malformed */
static bool
parse_sum(const char **p, ExactSum *sum)
{
	const char *s = *p;
	const char *start;
	const char *end;

	if (s[0] != '0' || s[1] != 'x')
		return false;
	for (start = s += 2; hex_value(*s) >= 0; s++)
		;
	if (s == start)
		return false;
	end = s;
	while (start < end - 1 && *start == '0')
		start++;
	if (end - start > (NIBBLE_TOP - NIBBLE_ONE) / 4 + 1)
		return false;
	for (const char *d = end - 1; d >= start; d--)
		set_nibble(sum, NIBBLE_ONE + 4 * (int) (end - 1 - d), hex_value(*d));
	if (*s == '.')
	{
		for (start = ++s; hex_value(*s) >= 0; s++)
		{
			if (s - start >= NIBBLE_ONE / 4)
				return false;
			set_nibble(sum, NIBBLE_ONE - 4 * (int) (s - start + 1), hex_value(*s));
		}
		if (s == start)
			return false;
	}
	*p = s;
	return true;
}

/* Parse a count (decimal digits, at most METRIC_MAX_COUNT) at *p, advancing *p */
static bool
parse_count(const char **p, int64 *out)
{
	const char *s = *p;
	int64		v = 0;

	if (!isdigit((unsigned char) *s))
		return false;
	for (; isdigit((unsigned char) *s); s++)
	{
		v = v * 10 + (*s - '0');
		if (v > METRIC_MAX_COUNT)
			return false;
	}
	*out = v;
	*p = s;
	return true;
}

/* Report a malformed literal, quoting its start and the place it went wrong */
static void
bad_literal(const char *text, const char *at)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("malformed metric_state literal: \"%.60s%s\"", text, strlen(text) > 60 ? "..." : ""),
			 errdetail("Unexpected input at character %d.  Expected kind(bin,...) with kind brier or log_loss (one bin count:sum), pit_histogram (bins count) or reliability (bins count:positives:sum), a count a whole number and a sum an exact hexadecimal 0x<integer>[.<fraction>], as ngs.metric_state's output writes them.",
					   (int) (at - text) + 1)));
}

/* The kind a literal starts with, advancing *p past it and its '(' ; 0 if none */
static int
parse_kind(const char **p)
{
	for (int kind = 1; kind <= METRIC_KIND_LAST; kind++)
	{
		const char *name = metric_kind_name(kind);
		size_t		n = strlen(name);

		if (strncmp(*p, name, n) == 0 && (*p)[n] == '(')
		{
			*p += n + 1;
			return kind;
		}
	}
	return 0;
}

/* Parse bin b of a state at *p (count[:positives][:sum]), advancing *p */
static bool
parse_bin(const char **p, MetricState *s, int b)
{
	if (!parse_count(p, &metric_count(s)[b]))
		return false;
	if (metric_has_positives(s->kind) && (*(*p)++ != ':' || !parse_count(p, &metric_positives(s)[b])))
		return false;
	if (metric_has_sum(s->kind) && (*(*p)++ != ':' || !parse_sum(p, &metric_sum(s)[b])))
		return false;
	return true;
}

PG_FUNCTION_INFO_V1(metric_state_in);
/*
 * Text input of ngs.metric_state
 */
Datum
metric_state_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	const char *p = text;
	int			kind = parse_kind(&p);
	int			bins = 1;
	MetricState *s;

	if (kind == 0)
		bad_literal(text, p);
	for (const char *c = p; *c && *c != ')'; c++)
		bins += *c == ',';
	if (!metric_state_bins_allowed(kind, bins))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("metric_state literal of a %s state with %d bins", metric_kind_name(kind), bins),
				 errdetail("A brier or log_loss state has one bin, the others 1 to %d.", METRICS_MAX_BINS)));
	s = metric_state_create(kind, bins, CurrentMemoryContext);
	for (int b = 0; b < bins; b++)
	{
		if (!parse_bin(&p, s, b))
			bad_literal(text, p);
		if (*p++ != (b == bins - 1 ? ')' : ','))
			bad_literal(text, p - 1);
	}
	if (*p != '\0')
		bad_literal(text, p);
	metric_state_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(metric_state_out);
/*
 * Text output of ngs.metric_state
 */
Datum
metric_state_out(PG_FUNCTION_ARGS)
{
	MetricState *s = metric_state_arg(fcinfo, 0);
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfo(&out, "%s(", metric_kind_name(s->kind));
	for (int b = 0; b < s->bins; b++)
	{
		appendStringInfo(&out, "%s" INT64_FORMAT, b > 0 ? "," : "", metric_count(s)[b]);
		if (metric_has_positives(s->kind))
			appendStringInfo(&out, ":" INT64_FORMAT, metric_positives(s)[b]);
		if (metric_has_sum(s->kind))
		{
			appendStringInfoChar(&out, ':');
			append_sum(&out, &metric_sum(s)[b]);
		}
	}
	appendStringInfoChar(&out, ')');
	PG_RETURN_CSTRING(out.data);
}
