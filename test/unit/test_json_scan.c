/*
 * test_json_scan.c: unit tests of lib/json_scan.c: an accept/reject table of whole
 * documents (json_scan_value, then json_scan_end), then each typed reader.
 */
#include <stdio.h>
#include <string.h>

#include "json_scan.h"
#include "unit.h"

/* A document given with its length, so it may hold a NUL */
#define DOC(s)	s, sizeof(s) - 1

/* One document, what the scanner says of it and where its cursor stops */
typedef struct Case
{
	const char *text;
	size_t		length;
	JsonScanStatus status;
	size_t		pos;			/* where the error lies (ignored when accepted: the length) */
} Case;

static const Case cases[] = {
	/* valid documents */
	{DOC("{}"), JSON_SCAN_OK, 0},
	{DOC(" [ ] "), JSON_SCAN_OK, 0},
	{DOC("0"), JSON_SCAN_OK, 0},
	{DOC("-0.0e0"), JSON_SCAN_OK, 0},
	{DOC("\t{\"a\" :\r\n[1, -2.5e+3, 0, 0.5E-2, 10, true, false, null, \"x\", {}]}\n"), JSON_SCAN_OK, 0},
	{DOC("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83c\\udfc8\""), JSON_SCAN_OK, 0},
	{DOC("\"caf\xc3\xa9 \xf0\x9f\x8f\x88 \xe2\x82\xac \xf4\x8f\xbf\xbf\""), JSON_SCAN_OK, 0},
	{DOC("{\"a\":{\"b\":{\"c\":[[[]]]}}}"), JSON_SCAN_OK, 0},
	/* trailing commas and missing punctuation */
	{DOC("[1,]"), JSON_SCAN_EXPECTED_VALUE, 3},
	{DOC("{\"a\":1,}"), JSON_SCAN_EXPECTED_CHAR, 7},
	{DOC("[,1]"), JSON_SCAN_EXPECTED_VALUE, 1},
	{DOC("[1 2]"), JSON_SCAN_EXPECTED_CHAR, 3},
	{DOC("{\"a\" 1}"), JSON_SCAN_EXPECTED_CHAR, 5},
	{DOC("{a:1}"), JSON_SCAN_EXPECTED_CHAR, 1},
	{DOC("{\"a\":}"), JSON_SCAN_EXPECTED_VALUE, 5},
	{DOC("[1"), JSON_SCAN_EXPECTED_CHAR, 2},
	{DOC(""), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("   "), JSON_SCAN_EXPECTED_VALUE, 3},
	{DOC("'a'"), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("// c\n1"), JSON_SCAN_EXPECTED_VALUE, 0},
	/* numbers: leading zeros, missing digits, NaN and Infinity */
	{DOC("01"), JSON_SCAN_LEADING_ZERO, 0},
	{DOC("-01"), JSON_SCAN_LEADING_ZERO, 1},
	{DOC("[00]"), JSON_SCAN_LEADING_ZERO, 1},
	{DOC("1."), JSON_SCAN_EXPECTED_DIGIT, 2},
	{DOC("1.e5"), JSON_SCAN_EXPECTED_DIGIT, 2},
	{DOC("1."), JSON_SCAN_EXPECTED_DIGIT, 2},
	{DOC("1e+"), JSON_SCAN_EXPECTED_DIGIT, 3},
	{DOC(".5"), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("+1"), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("-"), JSON_SCAN_EXPECTED_NUMBER, 1},
	{DOC("0x10"), JSON_SCAN_EXPECTED_END, 1},
	{DOC("NaN"), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("Infinity"), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("-Infinity"), JSON_SCAN_EXPECTED_NUMBER, 1},
	{DOC("[nan]"), JSON_SCAN_EXPECTED_VALUE, 1},
	/* literals */
	{DOC("tru"), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("True"), JSON_SCAN_EXPECTED_VALUE, 0},
	{DOC("[truex]"), JSON_SCAN_EXPECTED_CHAR, 5},
	/* strings: escapes, surrogates, control characters, UTF-8 */
	{DOC("\"abc"), JSON_SCAN_STRING_END, 4},
	{DOC("\"\\q\""), JSON_SCAN_BAD_ESCAPE, 2},
	{DOC("\"\\'\""), JSON_SCAN_BAD_ESCAPE, 2},
	{DOC("\"\\"), JSON_SCAN_ESCAPE_END, 2},
	{DOC("\"\\u12\""), JSON_SCAN_BAD_HEX, 5},
	{DOC("\"\\u12g4\""), JSON_SCAN_BAD_HEX, 5},
	{DOC("\"\\ud800\""), JSON_SCAN_LONE_HIGH_SURROGATE, 7},
	{DOC("\"\\ud800\\u0041\""), JSON_SCAN_LONE_HIGH_SURROGATE, 13},
	{DOC("\"\\ud800\\uD800\""), JSON_SCAN_LONE_HIGH_SURROGATE, 13},
	{DOC("\"\\udc00\""), JSON_SCAN_LONE_LOW_SURROGATE, 7},
	{DOC("\"\\u0000\""), JSON_SCAN_NUL_ESCAPE, 7},
	{DOC("[\"\\u0000x\"]"), JSON_SCAN_NUL_ESCAPE, 8},
	{DOC("\"a\nb\""), JSON_SCAN_CONTROL_CHAR, 2},
	{DOC("\"a\tb\""), JSON_SCAN_CONTROL_CHAR, 2},
	{DOC("\"\x80\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"\xc3\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"\xc0\xaf\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"\xe0\x80\xaf\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"\xed\xa0\x80\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"\xf4\x90\x80\x80\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"\xf5\x80\x80\x80\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"\xff\""), JSON_SCAN_BAD_UTF8, 1},
	{DOC("\"ab\xe2\x82\""), JSON_SCAN_BAD_UTF8, 3},
	/* trailing garbage and embedded NUL */
	{DOC("{} x"), JSON_SCAN_EXPECTED_END, 3},
	{DOC("{}{}"), JSON_SCAN_EXPECTED_END, 2},
	{DOC("1 2"), JSON_SCAN_EXPECTED_END, 2},
	{DOC("{}\0"), JSON_SCAN_EXPECTED_END, 2},
	{DOC("\"a\0b\""), JSON_SCAN_CONTROL_CHAR, 2},
	{DOC("[1,\0 2]"), JSON_SCAN_EXPECTED_VALUE, 3},
	{DOC("\0"), JSON_SCAN_EXPECTED_VALUE, 0},
};

/* Scan a whole document: one value, then only white space */
static JsonScanStatus
scan_document(JsonScan *s, const char *text, size_t length)
{
	JsonScanStatus status;

	json_scan_init(s, text, length);
	status = json_scan_value(s);
	return status != JSON_SCAN_OK ? status : json_scan_end(s);
}

/* Every document of the table is accepted or refused as listed, at the listed byte */
static void
test_documents(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		JsonScan	s;
		JsonScanStatus status = scan_document(&s, cases[i].text, cases[i].length);
		size_t		pos = cases[i].status == JSON_SCAN_OK ? cases[i].length : cases[i].pos;

		if (status != cases[i].status || s.pos != pos)
			unit_fail(__FILE__, __LINE__, "case %zu: status %d at %zu, want %d at %zu",
					  i, (int) status, s.pos, (int) cases[i].status, pos);
	}
}

/* JSON_SCAN_MAX_DEPTH nested arrays or objects pass, one more does not */
static void
test_depth_limit(void)
{
	char		doc[4 * JSON_SCAN_MAX_DEPTH + 16];
	JsonScan	s;
	int			n = 0;

	for (int d = 0; d < JSON_SCAN_MAX_DEPTH; d++)
		doc[n++] = '[';
	for (int d = 0; d < JSON_SCAN_MAX_DEPTH; d++)
		doc[n++] = ']';
	CHECK_INT(scan_document(&s, doc, n), JSON_SCAN_OK);
	memmove(doc + 1, doc, n);
	doc[0] = '[';
	doc[++n] = ']';
	n++;
	CHECK_INT(scan_document(&s, doc, n), JSON_SCAN_TOO_DEEP);
	CHECK_INT(s.pos, JSON_SCAN_MAX_DEPTH);

	/* objects count the same */
	n = 0;
	for (int d = 0; d <= JSON_SCAN_MAX_DEPTH; d++)
		n += sprintf(doc + n, "{\"\":");
	CHECK_INT(scan_document(&s, doc, n), JSON_SCAN_TOO_DEEP);
	CHECK_INT(s.pos, 4 * JSON_SCAN_MAX_DEPTH);
}

/* The cursor never reads past the length: the bytes after it do not exist */
static void
test_explicit_length(void)
{
	JsonScan	s;
	JsonNumber	number;

	CHECK_INT(scan_document(&s, "[1,2]", 3), JSON_SCAN_EXPECTED_VALUE);
	CHECK_INT(s.pos, 3);
	CHECK_INT(scan_document(&s, "\"ab\"", 3), JSON_SCAN_STRING_END);
	CHECK_INT(scan_document(&s, "\"\\u0041\"", 6), JSON_SCAN_BAD_HEX);
	CHECK_INT(s.pos, 6);
	CHECK_INT(scan_document(&s, "\"\\ud83c\\udfc8\"", 8), JSON_SCAN_LONE_HIGH_SURROGATE);
	CHECK_INT(scan_document(&s, "\"\xc3\xa9\"", 2), JSON_SCAN_BAD_UTF8);
	CHECK_INT(scan_document(&s, "truex", 4), JSON_SCAN_OK);
	CHECK_INT(scan_document(&s, "12", 1), JSON_SCAN_OK);
	json_scan_init(&s, "1.5", 2);
	CHECK_INT(json_scan_number(&s, &number), JSON_SCAN_EXPECTED_DIGIT);
	json_scan_init(&s, "007", 2);
	CHECK_INT(json_scan_number(&s, &number), JSON_SCAN_OK);
	CHECK(number.leading_zero);
	json_scan_init(&s, "07", 1);
	CHECK_INT(json_scan_number(&s, &number), JSON_SCAN_OK);
	CHECK(!number.leading_zero);
}

/* json_scan_number spans a number, leading zeros included, and says where it is */
static void
test_number(void)
{
	JsonScan	s;
	JsonNumber	number;

	json_scan_init(&s, "  -1.5e-3,", 10);
	CHECK_INT(json_scan_number(&s, &number), JSON_SCAN_OK);
	CHECK_INT(number.begin, 2);
	CHECK_INT(number.length, 7);
	CHECK(!number.leading_zero);
	CHECK_INT(s.pos, 9);
	json_scan_init(&s, "007", 3);
	CHECK_INT(json_scan_number(&s, &number), JSON_SCAN_OK);
	CHECK(number.leading_zero);
	CHECK_INT(number.length, 3);
	json_scan_init(&s, "-x", 2);
	CHECK_INT(json_scan_number(&s, &number), JSON_SCAN_EXPECTED_NUMBER);
	CHECK_INT(s.pos, 1);
	json_scan_init(&s, " -5", 3);
	CHECK(json_scan_number_start(&s));
	CHECK_INT(s.pos, 1);
	json_scan_init(&s, " .5", 3);
	CHECK(!json_scan_number_start(&s));
}

/* json_scan_uint: digits only, no leading zero, at most the bound, without overflow */
static void
test_uint(void)
{
	static const struct
	{
		const char *text;
		int64_t		max;
		JsonScanStatus status;
		size_t		pos;
		int64_t		value;
	}			uints[] = {
		{"123", 1000, JSON_SCAN_OK, 3, 123},
		{" 0]", 1000, JSON_SCAN_OK, 2, 0},
		{"100", 100, JSON_SCAN_OK, 3, 100},
		{"101", 100, JSON_SCAN_UINT_TOO_LARGE, 3, 0},
		{"1000", 100, JSON_SCAN_UINT_TOO_LARGE, 4, 0},
		{"9223372036854775807", INT64_MAX, JSON_SCAN_OK, 19, INT64_MAX},
		{"9223372036854775808", INT64_MAX, JSON_SCAN_UINT_TOO_LARGE, 19, 0},
		{"99999999999999999999", INT64_MAX, JSON_SCAN_UINT_TOO_LARGE, 19, 0},
		{"7", 5, JSON_SCAN_UINT_TOO_LARGE, 1, 0},
		{"01", 1000, JSON_SCAN_LEADING_ZERO, 0, 0},
		{"-1", 1000, JSON_SCAN_EXPECTED_UINT, 0, 0},
		{"", 1000, JSON_SCAN_EXPECTED_UINT, 0, 0},
		{"1.0", 1000, JSON_SCAN_NOT_INTEGER, 1, 0},
		{"1e3", 1000, JSON_SCAN_NOT_INTEGER, 1, 0},
		{"12E3", 1000, JSON_SCAN_NOT_INTEGER, 2, 0},
	};

	for (size_t i = 0; i < sizeof(uints) / sizeof(uints[0]); i++)
	{
		JsonScan	s;
		int64_t		value = -1;
		JsonScanStatus status;

		json_scan_init(&s, uints[i].text, strlen(uints[i].text));
		status = json_scan_uint(&s, uints[i].max, &value);
		if (status != uints[i].status || s.pos != uints[i].pos ||
			(status == JSON_SCAN_OK && value != uints[i].value))
			unit_fail(__FILE__, __LINE__, "\"%s\": status %d at %zu value %lld",
					  uints[i].text, (int) status, s.pos, (long long) value);
	}
}

/* json_scan_string decodes escapes and UTF-8 into the caller's buffer, NUL-terminated */
static void
test_string_decoding(void)
{
	static const char text[] = "\"caf\\u00e9 \\ud83c\\udfc8 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u0041 \xe2\x82\xac\"";
	static const char want[] = "caf\xc3\xa9 \xf0\x9f\x8f\x88 \"q\" \\ / \b\f\n\r\t A \xe2\x82\xac";
	char		out[64];
	size_t		len = 0;
	JsonScan	s;

	json_scan_init(&s, text, sizeof(text) - 1);
	CHECK_INT(json_scan_string(&s, out, sizeof(out), &len), JSON_SCAN_OK);
	CHECK_INT(len, sizeof(want) - 1);
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	CHECK_INT(s.pos, sizeof(text) - 1);

	/* exactly big enough, then one byte short for the last character, then for the NUL */
	json_scan_init(&s, "\"ab\\u00e9\"", 10);
	CHECK_INT(json_scan_string(&s, out, 5, &len), JSON_SCAN_OK);
	CHECK(strcmp(out, "ab\xc3\xa9") == 0);
	json_scan_init(&s, "\"ab\\u00e9\"", 10);
	CHECK_INT(json_scan_string(&s, out, 4, &len), JSON_SCAN_STRING_TOO_LONG);
	CHECK_INT(s.pos, 3);
	json_scan_init(&s, "\"ab\"", 4);
	CHECK_INT(json_scan_string(&s, out, 2, &len), JSON_SCAN_STRING_TOO_LONG);
	CHECK_INT(s.pos, 2);
	json_scan_init(&s, "\"\"", 2);
	CHECK_INT(json_scan_string(&s, out, 0, &len), JSON_SCAN_STRING_TOO_LONG);
	CHECK_INT(s.pos, 1);

	/* without a buffer the string is only checked */
	json_scan_init(&s, "\"\\u00e9\"", 8);
	CHECK_INT(json_scan_string(&s, NULL, 0, NULL), JSON_SCAN_OK);
	json_scan_init(&s, " x", 2);
	CHECK_INT(json_scan_string(&s, out, sizeof(out), &len), JSON_SCAN_EXPECTED_CHAR);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_EXPECTED_CHAR), "\"\"\"") == 0);
	CHECK_INT(s.pos, 1);
}

/* json_scan_plain_string copies bytes up to the quote and refuses escapes and overflow */
static void
test_plain_string(void)
{
	char		out[8];
	JsonScan	s;

	json_scan_init(&s, " \"offense\"", 10);
	CHECK_INT(json_scan_plain_string(&s, out, sizeof(out)), JSON_SCAN_OK);
	CHECK(strcmp(out, "offense") == 0);
	json_scan_init(&s, " \"offense1\"", 11);
	CHECK_INT(json_scan_plain_string(&s, out, sizeof(out)), JSON_SCAN_STRING_TOO_LONG);
	CHECK_INT(s.pos, 9);
	json_scan_init(&s, " \"defens\",", 10);
	CHECK_INT(json_scan_plain_string(&s, out, sizeof(out)), JSON_SCAN_OK);
	CHECK(strcmp(out, "defens") == 0);
	CHECK_INT(s.pos, 9);
	json_scan_init(&s, "\"a\\u0062\"", 9);
	CHECK_INT(json_scan_plain_string(&s, out, sizeof(out)), JSON_SCAN_ESCAPE);
	CHECK_INT(s.pos, 2);
	json_scan_init(&s, "\"ab", 3);
	CHECK_INT(json_scan_plain_string(&s, out, sizeof(out)), JSON_SCAN_STRING_END);
	CHECK_INT(s.pos, 3);
	json_scan_init(&s, DOC("\"a\0\""));
	CHECK_INT(json_scan_plain_string(&s, out, sizeof(out)), JSON_SCAN_CONTROL_CHAR);
	json_scan_init(&s, "\"a\tb\"", 5);
	CHECK_INT(json_scan_plain_string(&s, out, sizeof(out)), JSON_SCAN_OK);
	CHECK(strcmp(out, "a\tb") == 0);
}

/* Punctuation, literals and the end: white space is skipped, nothing else is */
static void
test_punctuation(void)
{
	JsonScan	s;

	json_scan_init(&s, " \t\r\n{ nullx", 11);
	CHECK(!json_scan_accept(&s, '['));
	CHECK_INT(s.pos, 4);
	CHECK(json_scan_next_is(&s, '{'));
	CHECK_INT(json_scan_expect(&s, '{'), JSON_SCAN_OK);
	CHECK_INT(json_scan_expect(&s, '}'), JSON_SCAN_EXPECTED_CHAR);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_EXPECTED_CHAR), "\"}\"") == 0);
	CHECK_INT(s.pos, 6);
	CHECK(!json_scan_literal(&s, "nullx!"));
	CHECK(json_scan_literal(&s, "null"));
	CHECK_INT(json_scan_end(&s), JSON_SCAN_EXPECTED_END);
	CHECK_INT(s.pos, 10);
	json_scan_init(&s, "x \n", 3);
	s.pos = 1;
	CHECK_INT(json_scan_end(&s), JSON_SCAN_OK);
}

/* The phrases the glue's messages quote */
static void
test_expected_phrases(void)
{
	JsonScan	s;

	json_scan_init(&s, "", 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_EXPECTED_NUMBER), "a number") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_EXPECTED_DIGIT), "a digit") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_EXPECTED_END), "the end of the input") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_EXPECTED_UINT), "a non-negative integer") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_NOT_INTEGER), "an integer") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_STRING_END), "the end of a string") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_ESCAPE_END), "an escape") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_BAD_ESCAPE), "a valid escape") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_BAD_HEX), "four hex digits") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_LONE_LOW_SURROGATE), "a high surrogate before a low one") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_LONE_HIGH_SURROGATE), "a low surrogate escape") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_NUL_ESCAPE), "no NUL character in a string") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_CONTROL_CHAR), "no control character in a string") == 0);
	CHECK(strcmp(json_scan_expected(&s, JSON_SCAN_BAD_UTF8), "valid UTF-8") == 0);
	for (int st = JSON_SCAN_OK; st <= JSON_SCAN_BAD_UTF8; st++)
		CHECK(strcmp(json_scan_expected(&s, (JsonScanStatus) st), "valid JSON") != 0);
}

UNIT_SUITE(json_scan)
{
	UNIT_RUN(test_documents);
	UNIT_RUN(test_depth_limit);
	UNIT_RUN(test_explicit_length);
	UNIT_RUN(test_number);
	UNIT_RUN(test_uint);
	UNIT_RUN(test_string_decoding);
	UNIT_RUN(test_plain_string);
	UNIT_RUN(test_punctuation);
	UNIT_RUN(test_expected_phrases);
}
