/*
 * safetensors.c: a strict reader of weight files (safetensors_write.c writes them).
 *
 * The bytes are hostile: every length is checked before it is used, the JSON header goes
 * through json_scan, the tensors must tile the data section exactly, and every value
 * must be finite.  The checks run in a fixed order, so a file with several problems
 * always reports the same one.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_scan.h"
#include "safetensors.h"

/* The fields of a tensor entry, as bits of a seen-set */
enum
{
	FIELD_DTYPE = 1, FIELD_SHAPE = 2, FIELD_OFFSETS = 4, FIELD_ALL = 7
};

/* The header being read */
typedef struct Reader
{
	JsonScan	scan;			/* the cursor over the header */
	Safetensors *st;			/* the file */
	char	   *strings;		/* where decoded strings go */
	size_t		used;			/* bytes of strings used */
	size_t		size;			/* bytes of strings available */
} Reader;

/* Return from the calling function if a step failed */
#define TRY(step) \
	do { SafetensorsStatus try_ = (step); if (try_ != SAFETENSORS_OK) return try_; } while (0)

/* Return a syntax error from the calling function if the scanner refused */
#define SCAN(r, step) \
	do { JsonScanStatus scan_ = (step); if (scan_ != JSON_SCAN_OK) return scan_failed((r), scan_); } while (0)

/* Record a failure and return its status */
static SafetensorsStatus
fail(Safetensors *st, SafetensorsStatus status, const char *name, uint64_t v0, uint64_t v1)
{
	st->error.status = status;
	st->error.name = name;
	st->error.values[0] = v0;
	st->error.values[1] = v1;
	return status;
}

/* Record a syntax error at the cursor: what the header should have had there */
static SafetensorsStatus
syntax(Reader *r, const char *expected)
{
	snprintf(r->st->error.expected, sizeof(r->st->error.expected), "%s", expected);
	r->st->error.position = r->scan.pos;
	return fail(r->st, SAFETENSORS_SYNTAX, NULL, 0, 0);
}

/* A scanner's refusal as a syntax error, in this format's words */
static SafetensorsStatus
scan_failed(Reader *r, JsonScanStatus status)
{
	switch (status)
	{
		case JSON_SCAN_EXPECTED_END:
			return syntax(r, "the end of the header (only white space may follow the object)");
		case JSON_SCAN_LEADING_ZERO:
			return syntax(r, "an integer without leading zeros");
		case JSON_SCAN_UINT_TOO_LARGE:
			return syntax(r, "an integer below 2^52");
		default:
			return syntax(r, json_scan_expected(&r->scan, status));
	}
}

/*
 * Check the 8-byte prefix against the file's length and the limits
 */
SafetensorsStatus
safetensors_open(Safetensors *st, const uint8_t *bytes, size_t length)
{
	uint64_t	header_length = 0;

	memset(&st->error, 0, sizeof(st->error));
	st->bytes = bytes;
	st->length = length;
	st->header_length = 0;
	st->ntensors = 0;
	st->nmeta = 0;
	if (length > SAFETENSORS_MAX_FILE_BYTES)
		return fail(st, SAFETENSORS_FILE_TOO_LARGE, NULL, length, 0);
	if (length < 8)
		return fail(st, SAFETENSORS_TRUNCATED, NULL, length, 0);
	for (int k = 7; k >= 0; k--)
		header_length = (header_length << 8) | bytes[k];
	if (header_length > SAFETENSORS_MAX_HEADER_BYTES)
		return fail(st, SAFETENSORS_HEADER_TOO_LARGE, NULL, header_length, 0);
	if (header_length > length - 8)
		return fail(st, SAFETENSORS_HEADER_TRUNCATED, NULL, header_length, length - 8);
	st->header_length = (size_t) header_length;
	return SAFETENSORS_OK;
}

/*
 * The bytes safetensors_parse needs for the header's strings: each decoded string and
 * its NUL take no more bytes than its quoted form
 */
size_t
safetensors_strings_size(const Safetensors *st)
{
	return st->header_length + 1;
}

/* Read a string of the header into the strings buffer */
static SafetensorsStatus
read_string(Reader *r, const char **out)
{
	size_t		len = 0;

	SCAN(r, json_scan_string(&r->scan, r->strings + r->used, r->size - r->used, &len));
	*out = r->strings + r->used;
	r->used += len + 1;
	return SAFETENSORS_OK;
}

/* Read the "__metadata__" object of string values */
static SafetensorsStatus
read_metadata(Reader *r)
{
	Safetensors *st = r->st;

	SCAN(r, json_scan_expect(&r->scan, '{'));
	if (json_scan_accept(&r->scan, '}'))
		return SAFETENSORS_OK;
	do
	{
		const char *key = NULL;
		const char *value = NULL;

		TRY(read_string(r, &key));
		if (safetensors_find_meta(st, key) != NULL)
			return fail(st, SAFETENSORS_META_TWICE, key, 0, 0);
		if (st->nmeta == SAFETENSORS_MAX_METADATA)
			return fail(st, SAFETENSORS_META_TOO_MANY, NULL, 0, 0);
		SCAN(r, json_scan_expect(&r->scan, ':'));
		if (!json_scan_next_is(&r->scan, '"'))
			return fail(st, SAFETENSORS_META_NOT_STRING, key, 0, 0);
		TRY(read_string(r, &value));
		st->meta[st->nmeta].key = key;
		st->meta[st->nmeta++].value = value;
	} while (json_scan_accept(&r->scan, ','));
	SCAN(r, json_scan_expect(&r->scan, '}'));
	return SAFETENSORS_OK;
}

/* Read "shape": non-negative integers, appended to what a repeated field read before */
static SafetensorsStatus
read_shape(Reader *r, SafetensorsTensor *t)
{
	SCAN(r, json_scan_expect(&r->scan, '['));
	if (json_scan_accept(&r->scan, ']'))
		return SAFETENSORS_OK;
	do
	{
		if (t->rank == SAFETENSORS_MAX_RANK)
			return fail(r->st, SAFETENSORS_RANK_TOO_LARGE, t->name, 0, 0);
		SCAN(r, json_scan_uint(&r->scan, SAFETENSORS_MAX_INTEGER, &t->shape[t->rank]));
		t->rank++;
	} while (json_scan_accept(&r->scan, ','));
	SCAN(r, json_scan_expect(&r->scan, ']'));
	return SAFETENSORS_OK;
}

/* Read "dtype", refusing anything but F32 */
static SafetensorsStatus
read_dtype(Reader *r, SafetensorsTensor *t)
{
	const char *dtype = NULL;

	TRY(read_string(r, &dtype));
	if (strcmp(dtype, "F32") != 0)
	{
		r->st->error.other = dtype;
		return fail(r->st, SAFETENSORS_DTYPE, t->name, 0, 0);
	}
	return SAFETENSORS_OK;
}

/* Read "data_offsets": [begin, end] */
static SafetensorsStatus
read_offsets(Reader *r, SafetensorsTensor *t)
{
	SCAN(r, json_scan_expect(&r->scan, '['));
	SCAN(r, json_scan_uint(&r->scan, SAFETENSORS_MAX_INTEGER, &t->begin));
	SCAN(r, json_scan_expect(&r->scan, ','));
	SCAN(r, json_scan_uint(&r->scan, SAFETENSORS_MAX_INTEGER, &t->end));
	SCAN(r, json_scan_expect(&r->scan, ']'));
	return SAFETENSORS_OK;
}

/* Read one field of a tensor entry; *bit is its bit */
static SafetensorsStatus
read_tensor_field(Reader *r, SafetensorsTensor *t, int *bit)
{
	const char *field = NULL;

	TRY(read_string(r, &field));
	SCAN(r, json_scan_expect(&r->scan, ':'));
	if (strcmp(field, "dtype") == 0)
	{
		*bit = FIELD_DTYPE;
		return read_dtype(r, t);
	}
	if (strcmp(field, "shape") == 0)
	{
		*bit = FIELD_SHAPE;
		return read_shape(r, t);
	}
	if (strcmp(field, "data_offsets") == 0)
	{
		*bit = FIELD_OFFSETS;
		return read_offsets(r, t);
	}
	r->st->error.other = field;
	return fail(r->st, SAFETENSORS_UNKNOWN_FIELD, t->name, 0, 0);
}

/* Read one tensor entry {"dtype", "shape", "data_offsets"} */
static SafetensorsStatus
read_tensor(Reader *r, SafetensorsTensor *t)
{
	int			seen = 0;

	SCAN(r, json_scan_expect(&r->scan, '{'));
	do
	{
		int			bit = 0;

		TRY(read_tensor_field(r, t, &bit));
		if (seen & bit)
			return fail(r->st, SAFETENSORS_REPEATED_FIELD, t->name, 0, 0);
		seen |= bit;
	} while (json_scan_accept(&r->scan, ','));
	SCAN(r, json_scan_expect(&r->scan, '}'));
	if (seen != FIELD_ALL)
		return fail(r->st, SAFETENSORS_MISSING_FIELD, t->name, 0, 0);
	return SAFETENSORS_OK;
}

/* Read the members of the header object, up to its closing brace */
static SafetensorsStatus
read_members(Reader *r)
{
	Safetensors *st = r->st;
	bool		seen_meta = false;

	do
	{
		const char *key = NULL;
		SafetensorsTensor *t;

		TRY(read_string(r, &key));
		SCAN(r, json_scan_expect(&r->scan, ':'));
		if (strcmp(key, "__metadata__") == 0)
		{
			if (seen_meta)
				return syntax(r, "a single __metadata__");
			seen_meta = true;
			TRY(read_metadata(r));
			continue;
		}
		if (safetensors_find_tensor(st, key) >= 0)
			return fail(st, SAFETENSORS_TENSOR_TWICE, key, 0, 0);
		if (st->ntensors == SAFETENSORS_MAX_TENSORS)
			return fail(st, SAFETENSORS_TENSOR_TOO_MANY, NULL, 0, 0);
		t = &st->tensors[st->ntensors++];
		memset(t, 0, sizeof(*t));
		t->name = key;
		TRY(read_tensor(r, t));
	} while (json_scan_accept(&r->scan, ','));
	SCAN(r, json_scan_expect(&r->scan, '}'));
	return SAFETENSORS_OK;
}

/* Read the header: one object, then nothing but white space */
static SafetensorsStatus
read_header(Reader *r)
{
	SCAN(r, json_scan_expect(&r->scan, '{'));
	if (!json_scan_accept(&r->scan, '}'))
		TRY(read_members(r));
	SCAN(r, json_scan_end(&r->scan));
	return SAFETENSORS_OK;
}

/* Check a tensor's size against its shape and the data section */
static SafetensorsStatus
check_extent(Safetensors *st, SafetensorsTensor *t, int64_t data_length)
{
	int64_t		limit = data_length / (int64_t) sizeof(float);

	t->elements = 1;
	for (int d = 0; d < t->rank; d++)
		if (t->shape[d] == 0)
			t->elements = 0;
	for (int d = 0; d < t->rank && t->elements > 0; d++)
	{
		/* divide rather than multiply, so that the product cannot overflow */
		if (t->shape[d] > limit / t->elements)
			return fail(st, SAFETENSORS_SHAPE_TOO_LARGE, t->name, 0, 0);
		t->elements *= t->shape[d];
	}
	if (t->begin > t->end)
		return fail(st, SAFETENSORS_OFFSETS_REVERSED, t->name, 0, 0);
	if (t->end > data_length)
		return fail(st, SAFETENSORS_PAST_END, t->name, t->end, data_length);
	if (t->end - t->begin != t->elements * (int64_t) sizeof(float))
		return fail(st, SAFETENSORS_SIZE_MISMATCH, t->name, t->end - t->begin,
					t->elements * (int64_t) sizeof(float));
	return SAFETENSORS_OK;
}

/* Whether tensor a's data comes after b's (by where it begins, then where it ends) */
static bool
extent_after(const SafetensorsTensor *a, const SafetensorsTensor *b)
{
	return a->begin != b->begin ? a->begin > b->begin : a->end > b->end;
}

/* Check that the tensors tile the data section: no overlap, no gap, no slack */
static SafetensorsStatus
check_tiling(Safetensors *st, int64_t data_length)
{
	int			order[SAFETENSORS_MAX_TENSORS];
	int64_t		at = 0;

	/* a stable insertion sort: equal extents keep their header order */
	for (int i = 0; i < st->ntensors; i++)
	{
		int			j = i;

		for (; j > 0 && extent_after(&st->tensors[order[j - 1]], &st->tensors[i]); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (int i = 0; i < st->ntensors; i++)
	{
		SafetensorsTensor *t = &st->tensors[order[i]];

		if (t->begin < at)
		{
			st->error.other = t->name;
			return fail(st, SAFETENSORS_OVERLAP, st->tensors[order[i - 1]].name, 0, 0);
		}
		if (t->begin > at)
			return fail(st, SAFETENSORS_GAP, t->name, t->begin - at, 0);
		at = t->end;
	}
	if (at != data_length)
		return fail(st, SAFETENSORS_TRAILING_BYTES, NULL, data_length - at, 0);
	return SAFETENSORS_OK;
}

/*
 * Read the JSON header of an opened file (strings go into size bytes at strings), then
 * check every tensor's extent and that together they tile the data section
 */
SafetensorsStatus
safetensors_parse(Safetensors *st, char *strings, size_t size)
{
	Reader		r = {.st = st, .strings = strings, .size = size};
	int64_t		data_length = (int64_t) (st->length - 8 - st->header_length);

	json_scan_init(&r.scan, (const char *) st->bytes + 8, st->header_length);
	TRY(read_header(&r));
	for (int i = 0; i < st->ntensors; i++)
		TRY(check_extent(st, &st->tensors[i], data_length));
	return check_tiling(st, data_length);
}

/*
 * Copy tensor `index`'s little-endian float32 values to out (elements floats), refusing
 * NaN and Infinity
 */
SafetensorsStatus
safetensors_read_f32(Safetensors *st, int index, float *out)
{
	const SafetensorsTensor *t = &st->tensors[index];
	const uint8_t *p = st->bytes + 8 + st->header_length + t->begin;

	for (int64_t i = 0; i < t->elements; i++, p += 4)
	{
		uint32_t	bits = (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
		float		v;

		memcpy(&v, &bits, sizeof(v));
		if (!isfinite(v))
			return fail(st, SAFETENSORS_NOT_FINITE, t->name, (uint64_t) i, 0);
		out[i] = v;
	}
	return SAFETENSORS_OK;
}

/*
 * The index of the tensor with this name, or -1
 */
int
safetensors_find_tensor(const Safetensors *st, const char *name)
{
	for (int i = 0; i < st->ntensors; i++)
		if (strcmp(st->tensors[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * The __metadata__ value for this key, or NULL
 */
const char *
safetensors_find_meta(const Safetensors *st, const char *key)
{
	for (int i = 0; i < st->nmeta; i++)
		if (strcmp(st->meta[i].key, key) == 0)
			return st->meta[i].value;
	return NULL;
}
