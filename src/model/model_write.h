/*
 * model_write.h: writing weight files in the safetensors profile of
 * shared/design/pass-model.md (the reverse of model_file.h), for the trainers.
 */
#ifndef MODEL_WRITE_H
#define MODEL_WRITE_H

#include "common/ngs.h"

#define MODEL_WRITE_MAX_DIMS	3	/* dimensions of a written tensor */

/* One float32 tensor to write */
typedef struct ModelWriteTensor
{
	char	   *name;			/* the header key */
	int			rank;			/* 1..MODEL_WRITE_MAX_DIMS */
	int			shape[MODEL_WRITE_MAX_DIMS];	/* the dimensions */
	const float *data;			/* the values, row-major */
} ModelWriteTensor;

extern void model_write_check_size(const ModelWriteTensor *tensors, int ntensors,
								   const char *const *meta, int nmeta, bool at_least);
extern bytea *model_write(const ModelWriteTensor *tensors, int ntensors,
						  const char *const *meta, int nmeta);

#endif
