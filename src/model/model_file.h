/*
 * model_file.h: weight files in the safetensors profile of shared/design/pass-model.md.
 *
 * model_file_parse() reads untrusted bytes (through lib/safetensors.c) and returns a
 * plain struct: every tensor as an aligned float array with its shape, and the
 * __metadata__ strings.  It knows nothing about SQL or about any model kind; errors go
 * through ereport, and memory comes from the current memory context.
 */
#ifndef MODEL_FILE_H
#define MODEL_FILE_H

#include "common/ngs.h"
#include "safetensors.h"

/* Weight file limits: lib/safetensors.c enforces them */
#define MODEL_MAX_FILE_BYTES	SAFETENSORS_MAX_FILE_BYTES	/* bytes in a weight file */
#define MODEL_MAX_HEADER_BYTES	SAFETENSORS_MAX_HEADER_BYTES	/* bytes in its JSON header */
#define MODEL_MAX_TENSORS		SAFETENSORS_MAX_TENSORS	/* tensors in a weight file */
#define MODEL_MAX_RANK			SAFETENSORS_MAX_RANK	/* dimensions of a tensor */
#define MODEL_MAX_METADATA		SAFETENSORS_MAX_METADATA	/* __metadata__ entries */

#define MODEL_ALIGN			64	/* byte alignment of every tensor's data */

/* One float32 tensor of a weight file */
typedef struct ModelTensor
{
	char	   *name;			/* the header key, e.g. "tcn.0.conv1.weight" */
	int			rank;			/* number of dimensions, 0..MODEL_MAX_RANK */
	int64		shape[MODEL_MAX_RANK];	/* the dimensions */
	int64		elements;		/* product of the dimensions */
	int64		begin;			/* first byte in the data section */
	int64		end;			/* one past the last byte in the data section */
	float	   *data;			/* the values, MODEL_ALIGN-aligned, all finite */
	bool		claimed;		/* set by a profile loader that used this
								 * tensor */
} ModelTensor;

/* One __metadata__ entry */
typedef struct ModelMeta
{
	char	   *key;			/* UTF-8, no NUL */
	char	   *value;			/* UTF-8, no NUL */
} ModelMeta;

/* A parsed weight file */
typedef struct ModelFile
{
	int			ntensors;		/* tensors in the file */
	ModelTensor *tensors;		/* in header order */
	int			nmeta;			/* __metadata__ entries */
	ModelMeta  *meta;			/* in header order */
	Safetensors *file;			/* the parsed header, for lookups by name */
} ModelFile;

extern ModelFile *model_file_parse(const char *bytes, Size length);
extern ModelTensor *model_file_tensor(ModelFile *mf, const char *name);
extern const char *model_file_meta(ModelFile *mf, const char *key);
extern double model_file_meta_number(ModelFile *mf, const char *key);
extern void model_file_check_kind(ModelFile *mf, const char *kind);
extern void *model_alloc_aligned(Size size);

#endif
