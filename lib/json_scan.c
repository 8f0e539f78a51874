/*
 * json_scan.c: a strict JSON scanner (RFC 8259) over a buffer of explicit length.  It
 * never reads past the length, never allocates, and leaves the cursor on the offending
 * byte when it refuses: trailing commas, bad escapes, lone surrogates, control characters
 * and invalid UTF-8 in strings, leading zeros (json_scan_uint, json_scan_value), NaN and
 * Infinity, nesting beyond JSON_SCAN_MAX_DEPTH, trailing garbage.
 */
#include <string.h>

#include "json_scan.h"

/* The byte at the cursor, or -1 at the end */
static inline int
peek(const JsonScan *s)
{
	return s->pos < s->length ? (unsigned char) s->text[s->pos] : -1;
}

/* Whether c (a byte or -1) is an ASCII digit */
static inline bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Start a cursor at the first of length bytes
 */
void
json_scan_init(JsonScan *s, const char *text, size_t length)
{
	s->text = text;
	s->length = length;
	s->pos = 0;
	s->expected[0] = '\0';
}

/*
 * Skip JSON white space: space, tab, line feed, carriage return
 */
void
json_scan_space(JsonScan *s)
{
	int			c;

	while ((c = peek(s)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		s->pos++;
}

/*
 * Whether c comes next (after white space), without consuming it
 */
bool
json_scan_next_is(JsonScan *s, char c)
{
	json_scan_space(s);
	return peek(s) == (unsigned char) c;
}

/*
 * Consume c if it comes next
 */
bool
json_scan_accept(JsonScan *s, char c)
{
	if (!json_scan_next_is(s, c))
		return false;
	s->pos++;
	return true;
}

/*
 * Consume c, which must come next
 */
JsonScanStatus
json_scan_expect(JsonScan *s, char c)
{
	if (json_scan_accept(s, c))
		return JSON_SCAN_OK;
	s->expected[0] = '"';
	s->expected[1] = c;
	s->expected[2] = '"';
	s->expected[3] = '\0';
	return JSON_SCAN_EXPECTED_CHAR;
}

/*
 * Consume a literal word (true, false, null) if its bytes come next; what follows it is
 * left for the caller's next read to judge
 */
bool
json_scan_literal(JsonScan *s, const char *word)
{
	size_t		len = strlen(word);

	json_scan_space(s);
	if (s->length - s->pos < len || memcmp(s->text + s->pos, word, len) != 0)
		return false;
	s->pos += len;
	return true;
}

/*
 * Nothing but white space may remain
 */
JsonScanStatus
json_scan_end(JsonScan *s)
{
	json_scan_space(s);
	return s->pos == s->length ? JSON_SCAN_OK : JSON_SCAN_EXPECTED_END;
}

/*
 * Whether a number starts next (a "-" or a digit), without consuming it
 */
bool
json_scan_number_start(JsonScan *s)
{
	int			c;

	json_scan_space(s);
	c = peek(s);
	return c == '-' || is_digit(c);
}

/* Skip a run of digits; whether there was at least one */
static bool
skip_digits(JsonScan *s)
{
	size_t		from = s->pos;

	while (is_digit(peek(s)))
		s->pos++;
	return s->pos > from;
}

/*
 * Span a number: -?digits(.digits)?([eE][+-]?digits)?.  Leading zeros are reported, not
 * refused, so a caller that always read them keeps doing so; the caller converts the text
 */
JsonScanStatus
json_scan_number(JsonScan *s, JsonNumber *number)
{
	int			c;

	json_scan_space(s);
	number->begin = s->pos;
	if (peek(s) == '-')
		s->pos++;
	number->leading_zero = peek(s) == '0' && s->pos + 1 < s->length && is_digit((unsigned char) s->text[s->pos + 1]);
	if (!skip_digits(s))
		return JSON_SCAN_EXPECTED_NUMBER;
	if (peek(s) == '.')
	{
		s->pos++;
		if (!skip_digits(s))
			return JSON_SCAN_EXPECTED_DIGIT;
	}
	if ((c = peek(s)) == 'e' || c == 'E')
	{
		s->pos++;
		if ((c = peek(s)) == '+' || c == '-')
			s->pos++;
		if (!skip_digits(s))
			return JSON_SCAN_EXPECTED_DIGIT;
	}
	number->length = s->pos - number->begin;
	return JSON_SCAN_OK;
}

/*
 * Read a non-negative integer of at most max (>= 0): digits only, no leading zero, no
 * sign, fraction or exponent
 */
JsonScanStatus
json_scan_uint(JsonScan *s, int64_t max, int64_t *value)
{
	int64_t		v = 0;
	int			c;

	json_scan_space(s);
	if (!is_digit(peek(s)))
		return JSON_SCAN_EXPECTED_UINT;
	if (peek(s) == '0' && s->pos + 1 < s->length && is_digit((unsigned char) s->text[s->pos + 1]))
		return JSON_SCAN_LEADING_ZERO;
	while (is_digit(c = peek(s)))
	{
		int			digit = c - '0';

		s->pos++;
		/* v * 10 + digit > max, without overflow */
		if (v > max / 10 || v * 10 > max - digit)
			return JSON_SCAN_UINT_TOO_LARGE;
		v = v * 10 + digit;
	}
	if ((c = peek(s)) == '.' || c == 'e' || c == 'E')
		return JSON_SCAN_NOT_INTEGER;
	*value = v;
	return JSON_SCAN_OK;
}

/* Read the four hex digits of a \u escape */
static JsonScanStatus
read_hex4(JsonScan *s, int *value)
{
	int			v = 0;

	for (int k = 0; k < 4; k++)
	{
		int			c = peek(s);

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return JSON_SCAN_BAD_HEX;
		s->pos++;
	}
	*value = v;
	return JSON_SCAN_OK;
}

/* Read a \u escape after its "u" (a surrogate pair counts as one code point) */
static JsonScanStatus
read_unicode_escape(JsonScan *s, int *code_point)
{
	JsonScanStatus status;
	int			cp,
				low;

	if ((status = read_hex4(s, &cp)) != JSON_SCAN_OK)
		return status;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return JSON_SCAN_LONE_LOW_SURROGATE;
	if (cp >= 0xD800 && cp <= 0xDBFF)
	{
		if (s->length - s->pos < 2 || s->text[s->pos] != '\\' || s->text[s->pos + 1] != 'u')
			return JSON_SCAN_LONE_HIGH_SURROGATE;
		s->pos += 2;
		if ((status = read_hex4(s, &low)) != JSON_SCAN_OK)
			return status;
		if (low < 0xDC00 || low > 0xDFFF)
			return JSON_SCAN_LONE_HIGH_SURROGATE;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
	}
	if (cp == 0)
		return JSON_SCAN_NUL_ESCAPE;
	*code_point = cp;
	return JSON_SCAN_OK;
}

/* Encode a code point (1 to 0x10FFFF, no surrogate) as UTF-8; returns its length */
static int
utf8_encode(int cp, unsigned char *buf)
{
	if (cp < 0x80)
	{
		buf[0] = (unsigned char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		buf[0] = (unsigned char) (0xC0 | (cp >> 6));
		buf[1] = (unsigned char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		buf[0] = (unsigned char) (0xE0 | (cp >> 12));
		buf[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (unsigned char) (0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (unsigned char) (0xF0 | (cp >> 18));
	buf[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (unsigned char) (0x80 | (cp & 0x3F));
	return 4;
}

/* The length of the UTF-8 sequence a lead byte announces (1 for a stray byte) */
static int
utf8_length(int lead)
{
	if (lead < 0x80)
		return 1;
	if ((lead & 0xE0) == 0xC0)
		return 2;
	if ((lead & 0xF0) == 0xE0)
		return 3;
	if ((lead & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/* Whether len bytes are one well-formed UTF-8 character (no overlong form, surrogate or value past 0x10FFFF) */
static bool
utf8_legal(const unsigned char *p, int len)
{
	int			lo = 0x80,
				hi = 0xBF;

	if (len == 1)
		return p[0] < 0x80;
	if (p[0] < 0xC2 || p[0] > 0xF4)
		return false;
	if (p[0] == 0xE0)
		lo = 0xA0;
	else if (p[0] == 0xED)
		hi = 0x9F;
	else if (p[0] == 0xF0)
		lo = 0x90;
	else if (p[0] == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return false;
	for (int k = 2; k < len; k++)
		if (p[k] < 0x80 || p[k] > 0xBF)
			return false;
	return true;
}

/* Read an escape after its backslash into buf; *n is its decoded length */
static JsonScanStatus
read_escape(JsonScan *s, unsigned char *buf, int *n)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	const char *esc;
	int			c = peek(s);
	int			cp = 0;
	JsonScanStatus status;

	if (c < 0)
		return JSON_SCAN_ESCAPE_END;
	if (c == 'u')
	{
		s->pos++;
		if ((status = read_unicode_escape(s, &cp)) != JSON_SCAN_OK)
			return status;
		*n = utf8_encode(cp, buf);
		return JSON_SCAN_OK;
	}
	if (c == '\0' || (esc = strchr(from, c)) == NULL)
		return JSON_SCAN_BAD_ESCAPE;
	s->pos++;
	buf[0] = (unsigned char) to[esc - from];
	*n = 1;
	return JSON_SCAN_OK;
}

/* Read one character of a string body (an escape, a UTF-8 sequence or ASCII) into buf */
static JsonScanStatus
read_char(JsonScan *s, unsigned char *buf, int *n)
{
	int			c = peek(s);
	int			len;

	if (c == '\\')
	{
		s->pos++;
		return read_escape(s, buf, n);
	}
	if (c < 0x20)
		return JSON_SCAN_CONTROL_CHAR;
	len = utf8_length(c);
	if (s->length - s->pos < (size_t) len || !utf8_legal((const unsigned char *) s->text + s->pos, len))
		return JSON_SCAN_BAD_UTF8;
	memcpy(buf, s->text + s->pos, len);
	s->pos += len;
	*n = len;
	return JSON_SCAN_OK;
}

/*
 * Read a string, decoding its escapes into out (size bytes, NUL-terminated, *length
 * bytes before the NUL); with out NULL the string is only checked
 */
JsonScanStatus
json_scan_string(JsonScan *s, char *out, size_t size, size_t *length)
{
	JsonScanStatus status;
	size_t		len = 0;

	if ((status = json_scan_expect(s, '"')) != JSON_SCAN_OK)
		return status;
	while (s->pos < s->length && s->text[s->pos] != '"')
	{
		size_t		at = s->pos;
		unsigned char buf[4];
		int			n = 0;

		if ((status = read_char(s, buf, &n)) != JSON_SCAN_OK)
			return status;
		if (out != NULL)
		{
			if (size - len <= (size_t) n)
			{
				s->pos = at;
				return JSON_SCAN_STRING_TOO_LONG;
			}
			memcpy(out + len, buf, n);
		}
		len += n;
	}
	if (s->pos == s->length)
		return JSON_SCAN_STRING_END;
	if (out != NULL)
	{
		if (size <= len)
			return JSON_SCAN_STRING_TOO_LONG;
		out[len] = '\0';
	}
	s->pos++;
	if (length != NULL)
		*length = len;
	return JSON_SCAN_OK;
}

/*
 * Read a string without escapes into out (size >= 1 bytes, NUL-terminated), byte for
 * byte: for names the caller then matches against its own list, so only the quote, the
 * backslash and NUL are refused
 */
JsonScanStatus
json_scan_plain_string(JsonScan *s, char *out, size_t size)
{
	JsonScanStatus status;
	size_t		len = 0;
	int			c;

	if ((status = json_scan_expect(s, '"')) != JSON_SCAN_OK)
		return status;
	while ((c = peek(s)) != '"')
	{
		if (c < 0)
			return JSON_SCAN_STRING_END;
		if (c == '\\')
			return JSON_SCAN_ESCAPE;
		if (c == '\0')
			return JSON_SCAN_CONTROL_CHAR;
		if (len + 1 >= size)
			return JSON_SCAN_STRING_TOO_LONG;
		out[len++] = (char) c;
		s->pos++;
	}
	out[len] = '\0';
	s->pos++;
	return JSON_SCAN_OK;
}

/* Skip one scalar: a string, a strict number (no leading zero) or a literal */
static JsonScanStatus
skip_scalar(JsonScan *s)
{
	JsonNumber	number;
	JsonScanStatus status;

	if (json_scan_next_is(s, '"'))
		return json_scan_string(s, NULL, 0, NULL);
	if (json_scan_number_start(s))
	{
		if ((status = json_scan_number(s, &number)) == JSON_SCAN_OK && number.leading_zero)
		{
			s->pos = number.begin + (s->text[number.begin] == '-');
			return JSON_SCAN_LEADING_ZERO;
		}
		return status;
	}
	if (json_scan_literal(s, "true") || json_scan_literal(s, "false") || json_scan_literal(s, "null"))
		return JSON_SCAN_OK;
	return JSON_SCAN_EXPECTED_VALUE;
}

/* Skip an object member's key and its colon */
static JsonScanStatus
skip_key(JsonScan *s)
{
	JsonScanStatus status = json_scan_string(s, NULL, 0, NULL);

	return status != JSON_SCAN_OK ? status : json_scan_expect(s, ':');
}

/*
 * After a value: close the containers that end here.  Returns with *depth > 0 when
 * another value follows (an object member's key already read), 0 when all are closed
 */
static JsonScanStatus
after_value(JsonScan *s, uint64_t objects, int *depth)
{
	while (*depth > 0)
	{
		bool		object = (objects >> (*depth - 1)) & 1;
		JsonScanStatus status;

		if (json_scan_accept(s, ','))
			return object ? skip_key(s) : JSON_SCAN_OK;
		if ((status = json_scan_expect(s, object ? '}' : ']')) != JSON_SCAN_OK)
			return status;
		(*depth)--;
	}
	return JSON_SCAN_OK;
}

/*
 * Skip one whole value of any kind, checking it strictly, with at most
 * JSON_SCAN_MAX_DEPTH arrays and objects open at once
 */
JsonScanStatus
json_scan_value(JsonScan *s)
{
	uint64_t	objects = 0;	/* bit d: the container at depth d is an object */
	int			depth = 0;
	JsonScanStatus status;

	for (;;)
	{
		int			c;

		json_scan_space(s);
		c = peek(s);
		if (c == '{' || c == '[')
		{
			if (depth == JSON_SCAN_MAX_DEPTH)
				return JSON_SCAN_TOO_DEEP;
			s->pos++;
			objects = c == '{' ? objects | (UINT64_C(1) << depth) : objects & ~(UINT64_C(1) << depth);
			depth++;
			if (!json_scan_accept(s, c == '{' ? '}' : ']'))
			{
				if (c == '{' && (status = skip_key(s)) != JSON_SCAN_OK)
					return status;
				continue;		/* the first element's value */
			}
			depth--;
		}
		else if ((status = skip_scalar(s)) != JSON_SCAN_OK)
			return status;
		if ((status = after_value(s, objects, &depth)) != JSON_SCAN_OK || depth == 0)
			return status;
	}
}

/* What the input should have had where each status stops the cursor */
static const char *const expected_phrases[] = {
	[JSON_SCAN_OK] = "nothing (no error)",
	[JSON_SCAN_EXPECTED_END] = "the end of the input",
	[JSON_SCAN_EXPECTED_VALUE] = "a value",
	[JSON_SCAN_TOO_DEEP] = "at most 64 nested arrays and objects",
	[JSON_SCAN_EXPECTED_NUMBER] = "a number",
	[JSON_SCAN_EXPECTED_DIGIT] = "a digit",
	[JSON_SCAN_LEADING_ZERO] = "a number without leading zeros",
	[JSON_SCAN_EXPECTED_UINT] = "a non-negative integer",
	[JSON_SCAN_NOT_INTEGER] = "an integer",
	[JSON_SCAN_UINT_TOO_LARGE] = "a smaller integer",
	[JSON_SCAN_STRING_END] = "the end of a string",
	[JSON_SCAN_STRING_TOO_LONG] = "a shorter string",
	[JSON_SCAN_ESCAPE] = "a string without escapes",
	[JSON_SCAN_ESCAPE_END] = "an escape",
	[JSON_SCAN_BAD_ESCAPE] = "a valid escape",
	[JSON_SCAN_BAD_HEX] = "four hex digits",
	[JSON_SCAN_LONE_LOW_SURROGATE] = "a high surrogate before a low one",
	[JSON_SCAN_LONE_HIGH_SURROGATE] = "a low surrogate escape",
	[JSON_SCAN_NUL_ESCAPE] = "no NUL character in a string",
	[JSON_SCAN_CONTROL_CHAR] = "no control character in a string",
	[JSON_SCAN_BAD_UTF8] = "valid UTF-8",
};

/*
 * What the input should have had where a status stopped the cursor, as a phrase for
 * "expected ... at byte N" (for JSON_SCAN_EXPECTED_CHAR, the character asked for)
 */
const char *
json_scan_expected(const JsonScan *s, JsonScanStatus status)
{
	if (status == JSON_SCAN_EXPECTED_CHAR)
		return s->expected;
	if ((size_t) status < sizeof(expected_phrases) / sizeof(expected_phrases[0]) && expected_phrases[status])
		return expected_phrases[status];
	return "valid JSON";
}
