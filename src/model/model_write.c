/*
 * model_write.c: a weight file from float32 tensors and metadata strings: the 8-byte
 * little-endian header length, the JSON header (__metadata__ first, then the tensors in
 * the order given, padded with spaces to a multiple of 8 as safetensors does), then the
 * tensors' little-endian bytes back to back.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "model/model_write.h"
#include "utils/json.h"

/* Elements of a tensor */
static Size
tensor_elements(const ModelWriteTensor *t)
{
	Size		n = 1;

	for (int d = 0; d < t->rank; d++)
		n *= t->shape[d];
	return n;
}

/* The JSON header: metadata (key, value pairs in meta) and every tensor's entry */
static void
write_header(StringInfo h, const ModelWriteTensor *tensors, int ntensors,
			 const char *const *meta, int nmeta)
{
	Size		offset = 0;

	appendStringInfoString(h, "{\"__metadata__\":{");
	for (int i = 0; i < nmeta; i++)
	{
		if (i > 0)
			appendStringInfoChar(h, ',');
		escape_json(h, meta[2 * i]);
		appendStringInfoChar(h, ':');
		escape_json(h, meta[2 * i + 1]);
	}
	appendStringInfoChar(h, '}');
	for (int i = 0; i < ntensors; i++)
	{
		Size		bytes = sizeof(float) * tensor_elements(&tensors[i]);

		appendStringInfoChar(h, ',');
		escape_json(h, tensors[i].name);
		appendStringInfoString(h, ":{\"dtype\":\"F32\",\"shape\":[");
		for (int d = 0; d < tensors[i].rank; d++)
			appendStringInfo(h, "%s%d", d ? "," : "", tensors[i].shape[d]);
		appendStringInfo(h, "],\"data_offsets\":[%zu,%zu]}", offset, offset + bytes);
		offset += bytes;
	}
	appendStringInfoChar(h, '}');
	while (h->len % 8 != 0)
		appendStringInfoChar(h, ' ');
}

/*
 * A weight file of the tensors and the metadata (nmeta key, value pairs), as bytea
 */
bytea *
model_write(const ModelWriteTensor *tensors, int ntensors, const char *const *meta, int nmeta)
{
	StringInfoData h;
	Size		data = 0;
	Size		total;
	bytea	   *file;
	unsigned char *p;

	initStringInfo(&h);
	write_header(&h, tensors, ntensors, meta, nmeta);
	for (int i = 0; i < ntensors; i++)
		data += sizeof(float) * tensor_elements(&tensors[i]);
	total = 8 + h.len + data;
	if (total > MODEL_MAX_FILE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the weight file would have %zu bytes, more than %d", total, MODEL_MAX_FILE_BYTES),
				 errhint("Use fewer channels, levels or hidden units.")));
	file = palloc(VARHDRSZ + total);
	SET_VARSIZE(file, VARHDRSZ + total);
	p = (unsigned char *) VARDATA(file);
	for (int b = 0; b < 8; b++)
		*p++ = (unsigned char) ((uint64) h.len >> (8 * b));
	memcpy(p, h.data, h.len);
	p += h.len;
	for (int i = 0; i < ntensors; i++)
		for (Size k = 0; k < tensor_elements(&tensors[i]); k++)
		{
			uint32		bits;

			memcpy(&bits, &tensors[i].data[k], sizeof(bits));
			for (int b = 0; b < 4; b++)
				*p++ = (unsigned char) (bits >> (8 * b));
		}
	return file;
}
