/*
 * safetensors_write.c: a weight file from float32 tensors and metadata strings, written
 * the way safetensors does it (compact JSON header, __metadata__ first, tensors back to
 * back in the order given, the header padded with spaces to a multiple of 8 bytes).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "safetensors.h"

/* Bytes being written: always counted, stored while they fit */
typedef struct Writer
{
	uint8_t    *out;			/* the buffer, or NULL to count only */
	size_t		size;			/* its bytes */
	size_t		len;			/* bytes written (or counted) so far */
} Writer;

/* a + b, or SIZE_MAX when that overflows */
static size_t
add_size(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Append n bytes */
static void
put(Writer *w, const void *bytes, size_t n)
{
	if (w->out != NULL && w->len <= w->size && n <= w->size - w->len)
		memcpy(w->out + w->len, bytes, n);
	w->len = add_size(w->len, n);
}

/* Append a string's bytes */
static void
put_text(Writer *w, const char *text)
{
	put(w, text, strlen(text));
}

/* Append a JSON string, escaped as PostgreSQL's escape_json does */
static void
put_json_string(Writer *w, const char *text)
{
	put_text(w, "\"");
	for (const char *p = text; *p; p++)
	{
		char		escape[8];

		switch (*p)
		{
			case '\b':
				put_text(w, "\\b");
				break;
			case '\f':
				put_text(w, "\\f");
				break;
			case '\n':
				put_text(w, "\\n");
				break;
			case '\r':
				put_text(w, "\\r");
				break;
			case '\t':
				put_text(w, "\\t");
				break;
			case '"':
				put_text(w, "\\\"");
				break;
			case '\\':
				put_text(w, "\\\\");
				break;
			default:
				if ((unsigned char) *p < ' ')
				{
					snprintf(escape, sizeof(escape), "\\u%04x", (int) *p);
					put_text(w, escape);
				}
				else
					put(w, p, 1);
		}
	}
	put_text(w, "\"");
}

/* The data bytes of a tensor to write, or SIZE_MAX when they cannot be counted */
static size_t
out_bytes(const SafetensorsOut *t)
{
	size_t		n = sizeof(float);

	for (int d = 0; d < t->rank; d++)
	{
		if (t->shape[d] < 0 || (t->shape[d] > 0 && n > SIZE_MAX / (uint64_t) t->shape[d]))
			return SIZE_MAX;
		n *= (size_t) t->shape[d];
	}
	return n;
}

/* One tensor's header entry, its data at offset */
static void
put_tensor_entry(Writer *w, const SafetensorsOut *t, size_t offset)
{
	char		number[48];

	put_text(w, ",");
	put_json_string(w, t->name);
	put_text(w, ":{\"dtype\":\"F32\",\"shape\":[");
	for (int d = 0; d < t->rank; d++)
	{
		snprintf(number, sizeof(number), "%s%" PRId64, d ? "," : "", t->shape[d]);
		put_text(w, number);
	}
	snprintf(number, sizeof(number), "],\"data_offsets\":[%zu,%zu]}", offset, add_size(offset, out_bytes(t)));
	put_text(w, number);
}

/*
 * The JSON header: __metadata__ first (nmeta key, value pairs in meta), then every
 * tensor's entry in the order given, padded with spaces to a multiple of 8 bytes
 */
static void
put_header(Writer *w, const SafetensorsOut *tensors, int ntensors, const char *const *meta, int nmeta)
{
	size_t		offset = 0;

	put_text(w, "{\"__metadata__\":{");
	for (int i = 0; i < nmeta; i++)
	{
		if (i > 0)
			put_text(w, ",");
		put_json_string(w, meta[2 * i]);
		put_text(w, ":");
		put_json_string(w, meta[2 * i + 1]);
	}
	put_text(w, "}");
	for (int i = 0; i < ntensors; i++)
	{
		put_tensor_entry(w, &tensors[i], offset);
		offset = add_size(offset, out_bytes(&tensors[i]));
	}
	put_text(w, "}");
	while (w->len % 8 != 0)
		put_text(w, " ");
}

/* The bytes of the JSON header */
static size_t
header_size(const SafetensorsOut *tensors, int ntensors, const char *const *meta, int nmeta)
{
	Writer		w = {NULL, 0, 0};

	put_header(&w, tensors, ntensors, meta, nmeta);
	return w.len;
}

/*
 * The bytes of the file safetensors_write makes of these tensors and metadata (SIZE_MAX
 * when that does not fit a size_t)
 */
size_t
safetensors_write_size(const SafetensorsOut *tensors, int ntensors, const char *const *meta, int nmeta)
{
	size_t		total = add_size(8, header_size(tensors, ntensors, meta, nmeta));

	for (int i = 0; i < ntensors; i++)
		total = add_size(total, out_bytes(&tensors[i]));
	return total;
}

/*
 * Write a file of float32 tensors and nmeta (key, value) metadata pairs into out: the
 * 8-byte little-endian header length, the header, then each tensor's little-endian
 * bytes back to back.  Returns the bytes written, or 0 (writing nothing) when they would
 * not fit in size
 */
size_t
safetensors_write(const SafetensorsOut *tensors, int ntensors, const char *const *meta, int nmeta,
				  uint8_t *out, size_t size)
{
	size_t		total = safetensors_write_size(tensors, ntensors, meta, nmeta);
	size_t		header = header_size(tensors, ntensors, meta, nmeta);
	Writer		w;
	uint8_t    *p;

	if (total == SIZE_MAX || total > size)
		return 0;
	p = out + 8 + header;
	for (int b = 0; b < 8; b++)
		out[b] = (uint8_t) ((uint64_t) header >> (8 * b));
	w.out = out + 8;
	w.size = header;
	w.len = 0;
	put_header(&w, tensors, ntensors, meta, nmeta);
	for (int i = 0; i < ntensors; i++)
	{
		size_t		elements = out_bytes(&tensors[i]) / sizeof(float);

		for (size_t k = 0; k < elements; k++)
		{
			uint32_t	bits;

			memcpy(&bits, &tensors[i].data[k], sizeof(bits));
			for (int b = 0; b < 4; b++)
				*p++ = (uint8_t) (bits >> (8 * b));
		}
	}
	return total;
}
