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

/*
 * A weight file of the tensors and the metadata (nmeta key, value pairs), as bytea
 */
bytea *
model_write(const ModelWriteTensor *tensors, int ntensors, const char *const *meta, int nmeta)
{
	SafetensorsOut *out = palloc0(sizeof(SafetensorsOut) * Max(ntensors, 1));
	Size		total;
	bytea	   *file;

	for (int i = 0; i < ntensors; i++)
	{
		out[i].name = tensors[i].name;
		out[i].rank = tensors[i].rank;
		for (int d = 0; d < tensors[i].rank; d++)
			out[i].shape[d] = tensors[i].shape[d];
		out[i].data = tensors[i].data;
	}
	total = safetensors_write_size(out, ntensors, meta, nmeta);
	if (total > MODEL_MAX_FILE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the weight file would have %zu bytes, more than %d", total, MODEL_MAX_FILE_BYTES),
				 errhint("Use fewer channels, levels or hidden units.")));
	file = palloc(VARHDRSZ + total);
	SET_VARSIZE(file, VARHDRSZ + total);
	safetensors_write(out, ntensors, meta, nmeta, (uint8 *) VARDATA(file), total);
	pfree(out);
	return file;
}
