/*
 * json_scan.h: the one strict JSON scanner, a cursor over a byte buffer of explicit length.
 *
 * The caller drives it with what its grammar expects next ("{", a key, a number, ...).
 * Every reader first skips JSON white space; on failure it returns a status and leaves the
 * cursor (pos) on the byte where the input went wrong, so the caller can report "expected
 * <json_scan_expected()> at byte <pos>".  Strings are decoded into the caller's buffer;
 * nothing is allocated and the buffer need not end in a NUL.
 */
#ifndef JSON_SCAN_H
#define JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_SCAN_MAX_DEPTH		64	/* nesting of arrays and objects json_scan_value accepts */

/* What went wrong, at the cursor */
typedef enum JsonScanStatus
{
	JSON_SCAN_OK = 0,
	JSON_SCAN_EXPECTED_CHAR,	/* the punctuation asked for is not next */
	JSON_SCAN_EXPECTED_END,		/* something other than white space follows */
	JSON_SCAN_EXPECTED_VALUE,	/* no JSON value starts here */
	JSON_SCAN_TOO_DEEP,			/* nesting beyond JSON_SCAN_MAX_DEPTH */
	JSON_SCAN_EXPECTED_NUMBER,	/* no digit where a number starts */
	JSON_SCAN_EXPECTED_DIGIT,	/* no digit after "." or an exponent mark */
	JSON_SCAN_LEADING_ZERO,		/* a 0 followed by a digit */
	JSON_SCAN_EXPECTED_UINT,	/* not a non-negative integer */
	JSON_SCAN_NOT_INTEGER,		/* a fraction or an exponent after an integer */
	JSON_SCAN_UINT_TOO_LARGE,	/* an integer above the caller's bound */
	JSON_SCAN_STRING_END,		/* the input ends inside a string */
	JSON_SCAN_STRING_TOO_LONG,	/* the string does not fit the caller's buffer */
	JSON_SCAN_ESCAPE,			/* an escape in a string read without escapes */
	JSON_SCAN_ESCAPE_END,		/* the input ends after a backslash */
	JSON_SCAN_BAD_ESCAPE,		/* a backslash before something not escapable */
	JSON_SCAN_BAD_HEX,			/* \u without four hex digits */
	JSON_SCAN_LONE_LOW_SURROGATE,	/* \uDC00-\uDFFF with no high surrogate before */
	JSON_SCAN_LONE_HIGH_SURROGATE,	/* \uD800-\uDBFF with no low surrogate after */
	JSON_SCAN_NUL_ESCAPE,		/* \u0000 */
	JSON_SCAN_CONTROL_CHAR,		/* a byte below 0x20 inside a string */
	JSON_SCAN_BAD_UTF8			/* bytes that are not UTF-8 inside a string */
} JsonScanStatus;

/* The cursor */
typedef struct JsonScan
{
	const char *text;			/* the buffer */
	size_t		length;			/* bytes in it */
	size_t		pos;			/* the next byte to read; where an error lies */
	char		expected[4];	/* for JSON_SCAN_EXPECTED_CHAR: the character, quoted */
} JsonScan;

/* Where json_scan_number found a number */
typedef struct JsonNumber
{
	size_t		begin;			/* its first byte (a "-" or a digit) */
	size_t		length;			/* its bytes */
	bool		leading_zero;	/* the integer part is a 0 followed by digits */
} JsonNumber;

extern void json_scan_init(JsonScan *s, const char *text, size_t length);
extern void json_scan_space(JsonScan *s);
extern bool json_scan_next_is(JsonScan *s, char c);
extern bool json_scan_accept(JsonScan *s, char c);
extern JsonScanStatus json_scan_expect(JsonScan *s, char c);
extern bool json_scan_literal(JsonScan *s, const char *word);
extern JsonScanStatus json_scan_end(JsonScan *s);
extern bool json_scan_number_start(JsonScan *s);
extern JsonScanStatus json_scan_number(JsonScan *s, JsonNumber *number);
extern JsonScanStatus json_scan_uint(JsonScan *s, int64_t max, int64_t *value);
extern JsonScanStatus json_scan_string(JsonScan *s, char *out, size_t size, size_t *length);
extern JsonScanStatus json_scan_plain_string(JsonScan *s, char *out, size_t size);
extern JsonScanStatus json_scan_value(JsonScan *s);
extern const char *json_scan_expected(const JsonScan *s, JsonScanStatus status);

#endif
