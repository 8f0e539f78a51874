/*
 * test_safetensors_write.c: unit tests of lib/safetensors_write.c: committed weight files
 * read and written back byte for byte, the header's exact text, and the size function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors.h"
#include "unit.h"
#include "unit_files.h"

static Safetensors st;			/* the file read back (too large for the stack) */

/* The tensors and metadata of st, as the writer takes them (values malloc'd) */
static int
tensors_of_st(SafetensorsOut *out, const char **meta)
{
	for (int i = 0; i < st.ntensors; i++)
	{
		float	   *values = malloc(sizeof(float) * (st.tensors[i].elements + 1));

		safetensors_read_f32(&st, i, values);
		out[i].name = st.tensors[i].name;
		out[i].rank = st.tensors[i].rank;
		memcpy(out[i].shape, st.tensors[i].shape, sizeof(out[i].shape));
		out[i].data = values;
	}
	for (int i = 0; i < st.nmeta; i++)
	{
		meta[2 * i] = st.meta[i].key;
		meta[2 * i + 1] = st.meta[i].value;
	}
	return st.ntensors;
}

/* Committed files written as safetensors writes them come back byte for byte */
static void
test_fixtures_byte_identical(void)
{
	static const char *const paths[] = {
		"test/fixtures/pass_m1.safetensors", "test/fixtures/pass_m2.safetensors",
		"test/fixtures/pass_m3.safetensors", "test/fixtures/pass_m4.safetensors",
		"test/fixtures/pass_m5.safetensors", "test/fixtures/pass_train_reference.safetensors",
		"models/pass_default.safetensors", "models/ghost_default.safetensors",
	};
	static SafetensorsOut out[SAFETENSORS_MAX_TENSORS];
	static const char *meta[2 * SAFETENSORS_MAX_METADATA];

	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
	{
		size_t		length = 0;
		uint8_t    *bytes = unit_read_file(paths[p], &length);
		char	   *strings;
		uint8_t    *written;
		int			n;

		CHECK(bytes != NULL);
		if (bytes == NULL)
			continue;
		CHECK_INT(unit_parse_safetensors(&st, bytes, length, &strings), SAFETENSORS_OK);
		n = tensors_of_st(out, meta);
		CHECK_INT(safetensors_write_size(out, n, meta, st.nmeta), length);
		written = malloc(length);
		CHECK_INT(safetensors_write(out, n, meta, st.nmeta, written, length), length);
		if (memcmp(written, bytes, length) != 0)
			unit_fail(__FILE__, __LINE__, "%s is not written back byte for byte", paths[p]);
		for (int i = 0; i < n; i++)
			free((void *) out[i].data);
		free(written);
		free(bytes);
		free(strings);
	}
}

/* The header's exact text: escapes as PostgreSQL's escape_json, padding to 8 bytes */
static void
test_header_text(void)
{
	static const float values[6] = {1.5f, -2.0f, 0.0f, 3.25f, -0.0f, 1e-45f};
	const char *meta[] = {"k\"\\\n\x01/\xc3\xa9", "v\t\b\f\r\x1f", "e", ""};
	SafetensorsOut out[3] = {
		{"a", 2, {2, 2}, values},
		{"s", 0, {0}, values + 4},
		{"t\"x", 1, {1}, values + 5},
	};
	const char *want = "{\"__metadata__\":{\"k\\\"\\\\\\n\\u0001/\xc3\xa9\":\"v\\t\\b\\f\\r\\u001f\",\"e\":\"\"},"
		"\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
		"\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[16,20]},"
		"\"t\\\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[20,24]}}";
	size_t		header = (strlen(want) + 7) / 8 * 8;
	size_t		size = safetensors_write_size(out, 3, meta, 2);
	uint8_t    *file = malloc(size);
	char	   *strings;
	float		back[4];

	CHECK_INT(size, 8 + header + 24);
	CHECK_INT(safetensors_write(out, 3, meta, 2, file, size), size);
	CHECK_INT(file[0], header);
	CHECK_INT(file[1] | file[2] | file[3] | file[4] | file[5] | file[6] | file[7], 0);
	CHECK(memcmp(file + 8, want, strlen(want)) == 0);
	for (size_t k = strlen(want); k < header; k++)
		CHECK_INT(file[8 + k], ' ');
	CHECK(memcmp(file + 8 + header, "\x00\x00\xc0\x3f\x00\x00\x00\xc0", 8) == 0);

	/* and it reads back to what was written */
	CHECK_INT(unit_parse_safetensors(&st, file, size, &strings), SAFETENSORS_OK);
	CHECK(strcmp(safetensors_find_meta(&st, "k\"\\\n\x01/\xc3\xa9"), "v\t\b\f\r\x1f") == 0);
	CHECK_INT(safetensors_read_f32(&st, safetensors_find_tensor(&st, "a"), back), SAFETENSORS_OK);
	CHECK(memcmp(back, values, 4 * sizeof(float)) == 0);
	CHECK_INT(st.tensors[1].rank, 0);
	CHECK_INT(st.tensors[1].elements, 1);
	CHECK_INT(safetensors_read_f32(&st, 2, back), SAFETENSORS_OK);
	CHECK(memcmp(back, values + 5, sizeof(float)) == 0);
	free(strings);
	free(file);
}

/* A buffer too small gets nothing; the size function says how many bytes are needed */
static void
test_size(void)
{
	static const float values[3] = {1, 2, 3};
	SafetensorsOut out[1] = {{"v", 1, {3}, values}};
	uint8_t		file[128];
	size_t		size = safetensors_write_size(out, 1, NULL, 0);

	CHECK_INT(size, 8 + 80 + 12);
	memset(file, 0xab, sizeof(file));
	CHECK_INT(safetensors_write(out, 1, NULL, 0, file, size - 1), 0);
	CHECK_INT(file[0], 0xab);
	CHECK_INT(safetensors_write(out, 1, NULL, 0, file, sizeof(file)), size);
	CHECK_INT(file[size], 0xab);
	CHECK(memcmp(file + 8, "{\"__metadata__\":{},\"v\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", 73) == 0);

	/* no tensors at all: the metadata alone */
	CHECK_INT(safetensors_write_size(NULL, 0, NULL, 0), 8 + 24);
}

UNIT_SUITE(safetensors_write)
{
	UNIT_RUN(test_fixtures_byte_identical);
	UNIT_RUN(test_header_text);
	UNIT_RUN(test_size);
}
