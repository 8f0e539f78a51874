/*
 * test_safetensors.c: unit tests of lib/safetensors.c, the weight file reader: the
 * committed fixtures and shipped models (shapes, metadata, values), then every rejection.
 * Runs from the repository root, so the fixture paths are relative to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors.h"
#include "unit.h"
#include "unit_files.h"

static Safetensors st;			/* the file under test (too large for the stack) */

/* A file of a JSON header and `floats` float32 values (given, or zeros) */
static uint8_t *
make_file(const char *header, const float *values, int floats, size_t *length)
{
	size_t		n = strlen(header);
	uint8_t    *bytes = calloc(8 + n + 4 * (size_t) floats + 1, 1);

	for (int b = 0; b < 8; b++)
		bytes[b] = (uint8_t) ((uint64_t) n >> (8 * b));
	memcpy(bytes + 8, header, n);
	for (int i = 0; i < floats && values != NULL; i++)
	{
		uint32_t	bits;

		memcpy(&bits, &values[i], 4);
		for (int b = 0; b < 4; b++)
			bytes[8 + n + 4 * i + b] = (uint8_t) (bits >> (8 * b));
	}
	*length = 8 + n + 4 * (size_t) floats;
	return bytes;
}

/* One value of a named tensor of st, read through safetensors_read_f32 */
static double
value_at(const char *name, int64_t index)
{
	int			i = safetensors_find_tensor(&st, name);
	float	   *values;
	double		v;

	if (i < 0 || index >= st.tensors[i].elements)
		return -12345.0;
	values = malloc(sizeof(float) * st.tensors[i].elements);
	v = safetensors_read_f32(&st, i, values) == SAFETENSORS_OK ? values[index] : -54321.0;
	free(values);
	return v;
}

/* The shape of a named tensor as text, e.g. "[16,176,2]" */
static const char *
shape_of(const char *name)
{
	static char text[128];
	int			i = safetensors_find_tensor(&st, name);
	int			n = 0;

	if (i < 0)
		return "absent";
	n += sprintf(text + n, "[");
	for (int d = 0; d < st.tensors[i].rank; d++)
		n += sprintf(text + n, d ? ",%lld" : "%lld", (long long) st.tensors[i].shape[d]);
	sprintf(text + n, "]");
	return text;
}

/* The parity fixture m1: its tensors, metadata and a few values */
static void
test_fixture_m1(void)
{
	size_t		length = 0;
	uint8_t    *bytes = unit_read_file("test/fixtures/pass_m1.safetensors", &length);
	char	   *strings;

	CHECK(bytes != NULL);
	if (bytes == NULL)
		return;
	CHECK_INT(unit_parse_safetensors(&st, bytes, length, &strings), SAFETENSORS_OK);
	CHECK_INT(st.header_length, 920);
	CHECK_INT(st.ntensors, 10);
	CHECK_INT(st.nmeta, 6);
	CHECK(strcmp(st.tensors[0].name, "input.mean") == 0);
	CHECK(strcmp(shape_of("input.mean"), "[176]") == 0);
	CHECK(strcmp(shape_of("tcn.0.conv1.weight"), "[16,176,2]") == 0);
	CHECK_INT(st.tensors[safetensors_find_tensor(&st, "tcn.0.conv1.weight")].begin, 1408);
	CHECK_INT(st.tensors[safetensors_find_tensor(&st, "tcn.0.conv1.weight")].elements, 16 * 176 * 2);
	CHECK(strcmp(safetensors_find_meta(&st, "ngs.kind"), "pass") == 0);
	CHECK(strcmp(safetensors_find_meta(&st, "description"), "parity fixture m1") == 0);
	CHECK(strcmp(safetensors_find_meta(&st, "sbp.lower"), "-10.0") == 0);
	CHECK(safetensors_find_meta(&st, "context.names") == NULL);
	CHECK(safetensors_find_tensor(&st, "context.mean") < 0);
	CHECK_SAME(value_at("input.mean", 0), 64.98716735839844);
	CHECK_SAME(value_at("input.mean", 1), 22.73209571838379);
	CHECK_SAME(value_at("input.mean", 175), 202.7467041015625);
	CHECK_SAME(value_at("input.std", 0), 27.077987670898438);
	CHECK_SAME(value_at("tcn.0.conv1.weight", 0), -0.001596188172698021);
	CHECK_SAME(value_at("mlp.0.bias", 13), -0.16036245226860046);
	free(bytes);
	free(strings);
}

/* The shipped models: kinds, escaped metadata, shapes and values */
static void
test_shipped_models(void)
{
	size_t		length = 0;
	uint8_t    *bytes = unit_read_file("models/pass_default.safetensors", &length);
	char	   *strings;

	CHECK(bytes != NULL);
	if (bytes == NULL)
		return;
	CHECK_INT(unit_parse_safetensors(&st, bytes, length, &strings), SAFETENSORS_OK);
	CHECK_INT(st.ntensors, 22);
	CHECK_INT(st.nmeta, 19);
	CHECK(strcmp(safetensors_find_meta(&st, "ngs.kind"), "pass") == 0);
	CHECK(strcmp(safetensors_find_meta(&st, "context.names"),
				 "down,yards_to_go,yards_to_goal,quarter,score_diff") == 0);
	CHECK(strncmp(safetensors_find_meta(&st, "train.options"), "{\"channels\":8,", 14) == 0);
	CHECK(strcmp(shape_of("context.mean"), "[5]") == 0);
	CHECK_SAME(value_at("context.mean", 0), 1.9121211767196655);
	CHECK_SAME(value_at("context.mean", 4), -2.718181848526001);
	CHECK_SAME(value_at("mlp.1.bias", 14), 3.607941150665283);
	free(bytes);
	free(strings);

	bytes = unit_read_file("models/ghost_default.safetensors", &length);
	CHECK(bytes != NULL);
	if (bytes == NULL)
		return;
	CHECK_INT(unit_parse_safetensors(&st, bytes, length, &strings), SAFETENSORS_OK);
	CHECK_INT(st.ntensors, 8);
	CHECK(strcmp(safetensors_find_meta(&st, "ngs.kind"), "ghost") == 0);
	CHECK(strcmp(shape_of("mlp.0.weight"), "[64,12]") == 0);
	CHECK_SAME(value_at("mlp.0.weight", 0), -0.07223949581384659);
	CHECK_SAME(value_at("input.std", 11), 16.743574142456055);
	free(bytes);
	free(strings);
}

/* Every committed fixture parses, and the pretty-printed, reordered m3 holds what m3 holds */
static void
test_fixture_m3_alt(void)
{
	static Safetensors m3;
	size_t		length = 0,
				alt_length = 0;
	uint8_t    *bytes = unit_read_file("test/fixtures/pass_m3.safetensors", &length);
	uint8_t    *alt = unit_read_file("test/fixtures/pass_m3_alt.safetensors", &alt_length);
	char	   *strings,
			   *alt_strings;

	CHECK(bytes != NULL && alt != NULL);
	if (bytes == NULL || alt == NULL)
		return;
	CHECK_INT(unit_parse_safetensors(&st, bytes, length, &strings), SAFETENSORS_OK);
	m3 = st;
	CHECK_INT(unit_parse_safetensors(&st, alt, alt_length, &alt_strings), SAFETENSORS_OK);
	CHECK_INT(st.ntensors, m3.ntensors);
	CHECK(strcmp(st.tensors[0].name, "tcn.2.conv2.weight") == 0);
	for (int i = 0; i < m3.ntensors; i++)
	{
		const SafetensorsTensor *t = &m3.tensors[i];
		int			j = safetensors_find_tensor(&st, t->name);

		CHECK(j >= 0);
		if (j < 0)
			continue;
		CHECK_INT(st.tensors[j].rank, t->rank);
		CHECK_INT(st.tensors[j].elements, t->elements);
		CHECK(memcmp(bytes + 8 + m3.header_length + t->begin,
					 alt + 8 + st.header_length + st.tensors[j].begin, 4 * t->elements) == 0);
	}
	free(bytes);
	free(alt);
	free(strings);
	free(alt_strings);
}

/* Every committed weight file parses and every value reads */
static void
test_every_fixture(void)
{
	static const char *const paths[] = {
		"test/fixtures/pass_m1.safetensors", "test/fixtures/pass_m2.safetensors",
		"test/fixtures/pass_m3.safetensors", "test/fixtures/pass_m3_alt.safetensors",
		"test/fixtures/pass_m4.safetensors", "test/fixtures/pass_m5.safetensors",
		"test/fixtures/pass_train_reference.safetensors",
		"models/pass_default.safetensors", "models/ghost_default.safetensors",
	};

	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
	{
		size_t		length = 0;
		uint8_t    *bytes = unit_read_file(paths[p], &length);
		char	   *strings;
		float	   *values = malloc(length);

		CHECK(bytes != NULL);
		if (bytes == NULL)
			continue;
		CHECK_INT(unit_parse_safetensors(&st, bytes, length, &strings), SAFETENSORS_OK);
		for (int i = 0; i < st.ntensors; i++)
			CHECK_INT(safetensors_read_f32(&st, i, values), SAFETENSORS_OK);
		free(values);
		free(bytes);
		free(strings);
	}
}

/* The container: file and header lengths against the limits */
static void
test_container(void)
{
	uint8_t		bytes[16] = {0};
	size_t		length;
	uint8_t    *file = make_file("{}", NULL, 0, &length);

	CHECK_INT(safetensors_open(&st, bytes, 0), SAFETENSORS_TRUNCATED);
	CHECK_INT(st.error.values[0], 0);
	CHECK_INT(safetensors_open(&st, bytes, 7), SAFETENSORS_TRUNCATED);
	CHECK_INT(st.error.values[0], 7);
	/* only the length is looked at before the limit refuses it */
	CHECK_INT(safetensors_open(&st, bytes, SAFETENSORS_MAX_FILE_BYTES + (size_t) 1), SAFETENSORS_FILE_TOO_LARGE);
	bytes[5] = 1;				/* 2^40 */
	CHECK_INT(safetensors_open(&st, bytes, 16), SAFETENSORS_HEADER_TOO_LARGE);
	CHECK(st.error.values[0] == (uint64_t) 1 << 40);
	memset(bytes, 0xff, 8);
	CHECK_INT(safetensors_open(&st, bytes, 16), SAFETENSORS_HEADER_TOO_LARGE);
	CHECK(st.error.values[0] == UINT64_MAX);
	memset(bytes, 0, 8);
	bytes[0] = 9;
	CHECK_INT(safetensors_open(&st, bytes, 16), SAFETENSORS_HEADER_TRUNCATED);
	CHECK_INT(st.error.values[0], 9);
	CHECK_INT(st.error.values[1], 8);
	bytes[0] = 8;
	CHECK_INT(safetensors_open(&st, bytes, 16), SAFETENSORS_OK);
	CHECK_INT(safetensors_open(&st, file, length), SAFETENSORS_OK);
	CHECK_INT(safetensors_strings_size(&st), 3);
	free(file);
}

/* A header and what the reader says of it */
typedef struct Reject
{
	const char *header;
	int			floats;			/* zero floats in the data section */
	SafetensorsStatus status;
	const char *name;			/* the error's name (or, for SYNTAX, what was expected) */
	const char *other;			/* the error's other (or, for SYNTAX, the position) */
	uint64_t	v0,
				v1;				/* the error's values */
} Reject;

static const Reject rejects[] = {
	{"", 0, SAFETENSORS_SYNTAX, "\"{\"", "0", 0, 0},
	{"[1, 2]", 0, SAFETENSORS_SYNTAX, "\"{\"", "0", 0, 0},
	{"{} x", 0, SAFETENSORS_SYNTAX, "the end of the header (only white space may follow the object)", "3", 0, 0},
	{"{}\t\n\r ", 0, SAFETENSORS_OK, NULL, NULL, 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}",
	1, SAFETENSORS_SYNTAX, "\"}\"", "53", 0, 0},
	{"{\"a", 0, SAFETENSORS_SYNTAX, "the end of a string", "3", 0, 0},
	{"{\"a\\q\":1}", 0, SAFETENSORS_SYNTAX, "a valid escape", "4", 0, 0},
	{"{\"a\\u00g0\":1}", 0, SAFETENSORS_SYNTAX, "four hex digits", "7", 0, 0},
	{"{\"\\ud800\":1}", 0, SAFETENSORS_SYNTAX, "a low surrogate escape", "8", 0, 0},
	{"{\"\\udc00\":1}", 0, SAFETENSORS_SYNTAX, "a high surrogate before a low one", "8", 0, 0},
	{"{\"\\u0000\":1}", 0, SAFETENSORS_SYNTAX, "no NUL character in a string", "8", 0, 0},
	{"{\"a\n\":1}", 0, SAFETENSORS_SYNTAX, "no control character in a string", "3", 0, 0},
	{"{\"\x80\xff\"", 0, SAFETENSORS_SYNTAX, "valid UTF-8", "2", 0, 0},
	{"{\"__metadata__\":{\"ngs.kind\":1}}", 0, SAFETENSORS_META_NOT_STRING, "ngs.kind", NULL, 0, 0},
	{"{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0, SAFETENSORS_META_TWICE, "a", NULL, 0, 0},
	{"{\"__metadata__\":{},\"__metadata__\":{}}", 0, SAFETENSORS_SYNTAX, "a single __metadata__", "34", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
	2, SAFETENSORS_TENSOR_TWICE, "a", NULL, 0, 0},
	{"{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_DTYPE, "a", "F16", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"offsets\":[0,4]}}",
	1, SAFETENSORS_UNKNOWN_FIELD, "a", "offsets", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 1, SAFETENSORS_MISSING_FIELD, "a", NULL, 0, 0},
	{"{\"a\":{}}", 0, SAFETENSORS_SYNTAX, "\"\"\"", "6", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"shape\":[1],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_REPEATED_FIELD, "a", NULL, 0, 0},
	{"{\"a\":{\"shape\":[1,1,1,1,1],\"shape\":[1,1,1,1],\"dtype\":\"F32\",\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_RANK_TOO_LARGE, "a", NULL, 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_SYNTAX, "a non-negative integer", "29", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_SYNTAX, "an integer", "30", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_SYNTAX, "an integer without leading zeros", "29", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_SYNTAX, "an integer below 2^52", "45", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_RANK_TOO_LARGE, "a", NULL, 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[4503599627370496,4503599627370496],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_SHAPE_TOO_LARGE, "a", NULL, 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}",
	1, SAFETENSORS_OFFSETS_REVERSED, "a", NULL, 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}",
	1, SAFETENSORS_PAST_END, "a", NULL, 8, 4},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}",
	2, SAFETENSORS_SIZE_MISMATCH, "a", NULL, 4, 8},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
	3, SAFETENSORS_OVERLAP, "a", "b", 0, 0},
	{"{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
	1, SAFETENSORS_OVERLAP, "b", "a", 0, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
	3, SAFETENSORS_GAP, "b", NULL, 4, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
	2, SAFETENSORS_GAP, "a", NULL, 4, 0},
	{"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
	2, SAFETENSORS_TRAILING_BYTES, NULL, NULL, 4, 0},
	{"{\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
	"\"z\":{\"dtype\":\"F32\",\"shape\":[3,0],\"data_offsets\":[0,0]},\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}",
	2, SAFETENSORS_OK, NULL, NULL, 0, 0},
};

/* Every malformed header is refused with the problem it has, in a fixed order */
static void
test_rejections(void)
{
	for (size_t i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++)
	{
		const Reject *r = &rejects[i];
		size_t		length;
		uint8_t    *file = make_file(r->header, NULL, r->floats, &length);
		char	   *strings;
		SafetensorsStatus status = unit_parse_safetensors(&st, file, length, &strings);
		const SafetensorsError *e = &st.error;
		char		position[24];
		bool		same;

		snprintf(position, sizeof(position), "%llu", (unsigned long long) e->position);
		if (r->status == SAFETENSORS_SYNTAX)
			same = strcmp(e->expected, r->name) == 0 && strcmp(position, r->other) == 0;
		else
			same = (r->name == NULL || (e->name != NULL && strcmp(e->name, r->name) == 0)) &&
				(r->other == NULL || (e->other != NULL && strcmp(e->other, r->other) == 0)) &&
				e->values[0] == r->v0 && e->values[1] == r->v1;
		if (status != r->status || (status != SAFETENSORS_OK && !same))
			unit_fail(__FILE__, __LINE__, "case %zu: status %d (%s, %s at %s), want %d",
					  i, (int) status, e->name ? e->name : e->expected, e->other ? e->other : "-",
					  position, (int) r->status);
		free(file);
		free(strings);
	}
}

/* The limits on metadata entries and tensors, one past each */
static void
test_count_limits(void)
{
	char	   *header = malloc(64 * 1024);
	int			n;
	size_t		length;
	uint8_t    *file;
	char	   *strings;

	for (int extra = 0; extra <= 1; extra++)
	{
		n = sprintf(header, "{\"__metadata__\":{");
		for (int i = 0; i < SAFETENSORS_MAX_METADATA + extra; i++)
			n += sprintf(header + n, "%s\"k%d\":\"\"", i ? "," : "", i);
		sprintf(header + n, "}}");
		file = make_file(header, NULL, 0, &length);
		CHECK_INT(unit_parse_safetensors(&st, file, length, &strings), extra ? SAFETENSORS_META_TOO_MANY : SAFETENSORS_OK);
		free(file);
		free(strings);

		n = sprintf(header, "{");
		for (int i = 0; i < SAFETENSORS_MAX_TENSORS + extra; i++)
			n += sprintf(header + n, "%s\"t%d\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}", i ? "," : "", i);
		sprintf(header + n, "}");
		file = make_file(header, NULL, 0, &length);
		CHECK_INT(unit_parse_safetensors(&st, file, length, &strings), extra ? SAFETENSORS_TENSOR_TOO_MANY : SAFETENSORS_OK);
		free(file);
		free(strings);
	}
	free(header);
}

/* Values: little-endian float32 read exactly; NaN and Infinity refused with their index */
static void
test_values(void)
{
	const char *header = "{\"v\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
	float		values[3] = {1.5f, -0.0f, 1e-45f};
	float		out[3];
	size_t		length;
	uint8_t    *file = make_file(header, values, 3, &length);
	char	   *strings;

	CHECK_INT(unit_parse_safetensors(&st, file, length, &strings), SAFETENSORS_OK);
	CHECK_INT(safetensors_read_f32(&st, 0, out), SAFETENSORS_OK);
	CHECK(memcmp(out, values, sizeof(values)) == 0);
	CHECK_INT(file[length - 12], 0x00);
	CHECK_INT(file[length - 9], 0x3f);	/* 1.5f = 0x3fc00000, little-endian */
	free(file);
	free(strings);

	values[1] = nanf("");
	file = make_file(header, values, 3, &length);
	CHECK_INT(unit_parse_safetensors(&st, file, length, &strings), SAFETENSORS_OK);
	CHECK_INT(safetensors_read_f32(&st, 0, out), SAFETENSORS_NOT_FINITE);
	CHECK(strcmp(st.error.name, "v") == 0);
	CHECK_INT(st.error.values[0], 1);
	free(file);
	free(strings);

	values[1] = 0.0f;
	values[2] = -HUGE_VALF;
	file = make_file(header, values, 3, &length);
	CHECK_INT(unit_parse_safetensors(&st, file, length, &strings), SAFETENSORS_OK);
	CHECK_INT(safetensors_read_f32(&st, 0, out), SAFETENSORS_NOT_FINITE);
	CHECK_INT(st.error.values[0], 2);
	free(file);
	free(strings);
}

/* Strings decode into the buffer: escapes, surrogate pairs and raw UTF-8 */
static void
test_escaped_strings(void)
{
	const char *header = " {\"__metadata__\" : {\"d\\u00e9\" : \"caf\\u00e9 \\ud83c\\udfc8 \\\"q\\\" \\/\","
		" \"\xc3\xa9\": \"\"}, \"t\\\\x\":{\"data_offsets\":[0,0],\"dtype\":\"F32\",\"shape\":[0]}}   ";
	size_t		length;
	uint8_t    *file = make_file(header, NULL, 0, &length);
	char	   *strings;

	CHECK_INT(unit_parse_safetensors(&st, file, length, &strings), SAFETENSORS_OK);
	CHECK_INT(st.nmeta, 2);
	CHECK(strcmp(safetensors_find_meta(&st, "d\xc3\xa9"), "caf\xc3\xa9 \xf0\x9f\x8f\x88 \"q\" /") == 0);
	CHECK(strcmp(st.meta[1].key, "\xc3\xa9") == 0);
	CHECK(strcmp(st.meta[1].value, "") == 0);
	CHECK(safetensors_find_tensor(&st, "t\\x") == 0);
	CHECK_INT(st.tensors[0].elements, 0);
	free(file);
	free(strings);
}

UNIT_SUITE(safetensors)
{
	UNIT_RUN(test_fixture_m1);
	UNIT_RUN(test_shipped_models);
	UNIT_RUN(test_fixture_m3_alt);
	UNIT_RUN(test_every_fixture);
	UNIT_RUN(test_container);
	UNIT_RUN(test_rejections);
	UNIT_RUN(test_count_limits);
	UNIT_RUN(test_values);
	UNIT_RUN(test_escaped_strings);
}
