/*
 * model_write.c: a weight file as bytea, for the trainers; lib/safetensors_write.c writes
 * it (the 8-byte little-endian header length, the JSON header with __metadata__ first and
 * the tensors in the order given, padded with spaces to a multiple of 8, then the
 * tensors' little-endian bytes back to back).
 */
#include "postgres.h"
#include "common/pg_compat.h"

#include "model/model_file.h"
#include "model/model_write.h"
#include "safetensors.h"

/* The tensors as lib/safetensors_write.c takes them (data may be NULL for a size) */
static SafetensorsOut *
model_write_out(const ModelWriteTensor *tensors, int ntensors)
{
	SafetensorsOut *out = palloc0(sizeof(SafetensorsOut) * Max(ntensors, 1));

	for (int i = 0; i < ntensors; i++)
	{
		out[i].name = tensors[i].name;
		out[i].rank = tensors[i].rank;
		for (int d = 0; d < tensors[i].rank; d++)
			out[i].shape[d] = tensors[i].shape[d];
		out[i].data = tensors[i].data;
	}
	return out;
}

/*
 * Refuse a weight file of the tensors and metadata that would exceed the catalog's limit:
 * before training (at_least: the metadata written after training is not in yet, so the
 * file will have at least this size) and when writing it
 */
void
model_write_check_size(const ModelWriteTensor *tensors, int ntensors, const char *const *meta, int nmeta,
					   bool at_least)
{
	SafetensorsOut *out = model_write_out(tensors, ntensors);
	Size		total = safetensors_write_size(out, ntensors, meta, nmeta);

	pfree(out);
	if (total > MODEL_MAX_FILE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the weight file would have %s%zu bytes, more than %d", at_least ? "at least " : "",
						total, MODEL_MAX_FILE_BYTES),
				 errdetail("The model catalog keeps weight files of up to %d MB.", MODEL_MAX_FILE_BYTES >> 20),
				 errhint("Use fewer channels, levels or hidden units.")));
}

/*
 * A weight file of the tensors and the metadata (nmeta key, value pairs), as bytea
 */
bytea *
model_write(const ModelWriteTensor *tensors, int ntensors, const char *const *meta, int nmeta)
{
	SafetensorsOut *out;
	Size		total;
	bytea	   *file;

	model_write_check_size(tensors, ntensors, meta, nmeta, false);
	out = model_write_out(tensors, ntensors);
	total = safetensors_write_size(out, ntensors, meta, nmeta);
	file = palloc(VARHDRSZ + total);
	SET_VARSIZE(file, VARHDRSZ + total);
	safetensors_write(out, ntensors, meta, nmeta, (uint8 *) VARDATA(file), total);
	pfree(out);
	return file;
}
