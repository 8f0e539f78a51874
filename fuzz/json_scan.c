/*
 * json_scan.c: libFuzzer harness for lib/json_scan.c, with no PostgreSQL and no stub.
 * The bytes are a document (an exact-length buffer, so ASan sees any read past it).  The
 * cursor never passes the end; an accepted document stays accepted inside an array and as
 * an object's member; a string that decodes gives valid UTF-8 without NUL, fits a buffer of
 * exactly its length plus one and no smaller; an integer json_scan_uint reads is the same
 * span json_scan_number finds.
 * sources: none
 */
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether n bytes are well-formed UTF-8 with no NUL (written apart from the scanner's check) */
static int
valid_utf8(const unsigned char *p, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		unsigned	c = p[i],
					cp,
					len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;

		if (len == 0 || c == 0 || i + len > n)
			return 0;
		cp = len == 1 ? c : c & (0x7F >> len);
		for (unsigned k = 1; k < len; k++)
		{
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		i += len;
	}
	return 1;
}

/* Whether text (exact length) is one JSON value and nothing else; aborts if the cursor strays */
static int
accepted(const char *text, size_t length, JsonScanStatus *why)
{
	JsonScan	s;
	JsonScanStatus status;

	json_scan_init(&s, text, length);
	status = json_scan_value(&s);
	if (status == JSON_SCAN_OK)
		status = json_scan_end(&s);
	if (s.pos > length)
		abort();
	*why = status;
	return status == JSON_SCAN_OK;
}

/* An accepted document is accepted wrapped in [ ] and as {"k": ...} */
static void
check_wrapped(const uint8_t *data, size_t size)
{
	char	   *wrapped = malloc(size + 8);
	JsonScanStatus why;

	if (!accepted((const char *) data, size, &why))
	{
		free(wrapped);
		return;
	}
	wrapped[0] = '[';
	memcpy(wrapped + 1, data, size);
	wrapped[size + 1] = ']';
	if (!accepted(wrapped, size + 2, &why) && why != JSON_SCAN_TOO_DEEP)
		abort();
	memcpy(wrapped, "{\"k\":", 5);
	memcpy(wrapped + 5, data, size);
	wrapped[size + 5] = '}';
	if (!accepted(wrapped, size + 6, &why) && why != JSON_SCAN_TOO_DEEP)
		abort();
	free(wrapped);
}

/* A string at the start decodes to valid UTF-8 that fits exactly its length plus one */
static void
check_string(const uint8_t *data, size_t size)
{
	char	   *out = malloc(size + 1);
	size_t		len = 0;
	JsonScan	s;

	json_scan_init(&s, (const char *) data, size);
	if (json_scan_string(&s, out, size + 1, &len) == JSON_SCAN_OK)
	{
		size_t		end = s.pos;

		if (len + 2 > size || out[len] != '\0' || !valid_utf8((const unsigned char *) out, len))
			abort();
		json_scan_init(&s, (const char *) data, size);
		if (json_scan_string(&s, out, len + 1, NULL) != JSON_SCAN_OK || s.pos != end)
			abort();
		json_scan_init(&s, (const char *) data, size);
		if (json_scan_string(&s, out, len, NULL) != JSON_SCAN_STRING_TOO_LONG)
			abort();
	}
	if (s.pos > size)
		abort();
	free(out);
}

/* json_scan_uint and json_scan_number agree on where an integer ends */
static void
check_numbers(const uint8_t *data, size_t size)
{
	JsonScan	a,
				b;
	JsonNumber	number;
	int64_t		value;
	char		name[16];

	json_scan_init(&a, (const char *) data, size);
	json_scan_init(&b, (const char *) data, size);
	if (json_scan_uint(&a, INT64_MAX, &value) == JSON_SCAN_OK &&
		(json_scan_number(&b, &number) != JSON_SCAN_OK || number.leading_zero || a.pos != b.pos || value < 0))
		abort();
	json_scan_init(&a, (const char *) data, size);
	json_scan_plain_string(&a, name, sizeof(name));
	if (a.pos > size || b.pos > size)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_wrapped(data, size);
	check_string(data, size);
	check_numbers(data, size);
	return 0;
}
