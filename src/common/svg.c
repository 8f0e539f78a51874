/*
 * svg.c: the pieces every picture shares: XML-escaped text and compact numbers.
 */
#include "postgres.h"

#include <math.h>

#include "mb/pg_wchar.h"
#include "common/svg.h"
#include "utils/builtins.h"

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
