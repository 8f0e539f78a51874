/*
 * safetensors.c: libFuzzer harness for lib/safetensors.c and lib/safetensors_write.c,
 * with no PostgreSQL and no stub.  Any bytes either fail with a status or read as a file
 * whose header json_scan also accepts as JSON; an accepted file, written back, reads as
 * the same tensors (bit for bit) and metadata, and writing that again gives the same bytes.
 * sources: none
 * dict: model_file
 */
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"
#include "safetensors.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Safetensors first;
static Safetensors second;
static SafetensorsOut out[SAFETENSORS_MAX_TENSORS];
static const char *meta[2 * SAFETENSORS_MAX_METADATA];

/* Read a whole file into st (strings and values malloc'd); its status */
static SafetensorsStatus
read_all(Safetensors *st, const uint8_t *bytes, size_t length, char **strings, float **values)
{
	SafetensorsStatus status = safetensors_open(st, bytes, length);
	size_t		floats = length / 4 + 1;
	float	   *next;

	*strings = NULL;
	*values = NULL;
	if (status != SAFETENSORS_OK)
		return status;
	*strings = malloc(safetensors_strings_size(st));
	if ((status = safetensors_parse(st, *strings, safetensors_strings_size(st))) != SAFETENSORS_OK)
		return status;
	next = *values = malloc(sizeof(float) * floats);
	for (int i = 0; i < st->ntensors; i++)
	{
		if ((status = safetensors_read_f32(st, i, next)) != SAFETENSORS_OK)
			return status;
		next += st->tensors[i].elements;
	}
	return SAFETENSORS_OK;
}

/* The header of an accepted file is one JSON object, and nothing follows it */
static void
check_header_is_json(const Safetensors *st)
{
	JsonScan	s;

	json_scan_init(&s, (const char *) st->bytes + 8, st->header_length);
	if (json_scan_value(&s) != JSON_SCAN_OK || json_scan_end(&s) != JSON_SCAN_OK)
		abort();
}

/* Whether two read files hold the same tensors (values bit for bit) and metadata */
static int
same_files(const Safetensors *a, const float *va, const Safetensors *b, const float *vb)
{
	size_t		floats = 0;

	if (a->ntensors != b->ntensors || a->nmeta != b->nmeta)
		return 0;
	for (int i = 0; i < a->ntensors; i++)
	{
		const SafetensorsTensor *x = &a->tensors[i],
				   *y = &b->tensors[i];

		if (strcmp(x->name, y->name) != 0 || x->rank != y->rank || x->elements != y->elements ||
			memcmp(x->shape, y->shape, sizeof(int64_t) * x->rank) != 0)
			return 0;
		floats += x->elements;
	}
	for (int i = 0; i < a->nmeta; i++)
		if (strcmp(a->meta[i].key, b->meta[i].key) != 0 || strcmp(a->meta[i].value, b->meta[i].value) != 0)
			return 0;
	return memcmp(va, vb, sizeof(float) * floats) == 0;
}

/* Write a read file back (malloc'd); *length its bytes */
static uint8_t *
write_back(const Safetensors *st, const float *values, size_t *length)
{
	uint8_t    *file;

	for (int i = 0; i < st->ntensors; i++)
	{
		out[i].name = st->tensors[i].name;
		out[i].rank = st->tensors[i].rank;
		memcpy(out[i].shape, st->tensors[i].shape, sizeof(out[i].shape));
		out[i].data = values;
		values += st->tensors[i].elements;
	}
	for (int i = 0; i < st->nmeta; i++)
	{
		meta[2 * i] = st->meta[i].key;
		meta[2 * i + 1] = st->meta[i].value;
	}
	*length = safetensors_write_size(out, st->ntensors, meta, st->nmeta);
	file = malloc(*length);
	if (safetensors_write(out, st->ntensors, meta, st->nmeta, file, *length) != *length)
		abort();
	return file;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *strings,
			   *strings2 = NULL;
	float	   *values,
			   *values2 = NULL;
	uint8_t    *again = NULL,
			   *third = NULL;
	size_t		length = 0,
				length3 = 0;
	SafetensorsStatus status;

	if (read_all(&first, data, size, &strings, &values) == SAFETENSORS_OK)
	{
		check_header_is_json(&first);
		again = write_back(&first, values, &length);
		status = read_all(&second, again, length, &strings2, &values2);
		/* the written header may outgrow the limit (__metadata__ added, padding) */
		if (status != SAFETENSORS_HEADER_TOO_LARGE && status != SAFETENSORS_FILE_TOO_LARGE)
		{
			if (status != SAFETENSORS_OK || !same_files(&first, values, &second, values2))
				abort();
			third = write_back(&second, values2, &length3);
			if (length3 != length || memcmp(third, again, length) != 0)
				abort();
		}
	}
	free(strings);
	free(values);
	free(strings2);
	free(values2);
	free(again);
	free(third);
	return 0;
}
