/*
 * model_file.c: weight files in the safetensors profile, as PostgreSQL sees them: the
 * reading itself is lib/safetensors.c; here memory comes from the current memory context
 * and every problem it names becomes an ereport.
 */
#include "postgres.h"

#include <math.h>

#include "model/model_file.h"

/* Report a problem with the container or the JSON header's syntax */
static void
report_container(const Safetensors *st)
{
	const SafetensorsError *e = &st->error;

	switch (e->status)
	{
		case SAFETENSORS_FILE_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file has %zu bytes, more than the limit of %d",
							(size_t) e->values[0], MODEL_MAX_FILE_BYTES)));
			break;
		case SAFETENSORS_TRUNCATED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file is truncated"),
					 errdetail("It has %zu bytes; a safetensors file starts with an 8-byte header length.",
							   (size_t) e->values[0])));
			break;
		case SAFETENSORS_HEADER_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file header length " UINT64_FORMAT " exceeds the limit of %d bytes",
							e->values[0], MODEL_MAX_HEADER_BYTES)));
			break;
		case SAFETENSORS_HEADER_TRUNCATED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file is truncated"),
					 errdetail("The header announces " UINT64_FORMAT " bytes but only %zu follow.",
							   e->values[0], (size_t) e->values[1])));
			break;
		case SAFETENSORS_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("malformed weight file header"),
					 errdetail("Expected %s at byte %d of the JSON header.", e->expected, (int) e->position),
					 errhint("A weight file is safetensors: an 8-byte length, a JSON object, then the tensor bytes.")));
			break;
		default:
			break;
	}
}

/* Report a problem with the header's entries */
static void
report_entry(const Safetensors *st)
{
	const SafetensorsError *e = &st->error;

	switch (e->status)
	{
		case SAFETENSORS_META_TWICE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file metadata key \"%s\" appears twice", e->name)));
			break;
		case SAFETENSORS_META_TOO_MANY:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file has more than %d metadata entries", MODEL_MAX_METADATA)));
			break;
		case SAFETENSORS_META_NOT_STRING:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file metadata \"%s\" is not a string", e->name),
					 errhint("safetensors metadata maps strings to strings; write numbers as text.")));
			break;
		case SAFETENSORS_TENSOR_TWICE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" appears twice in the header", e->name)));
			break;
		case SAFETENSORS_TENSOR_TOO_MANY:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file has more than %d tensors", MODEL_MAX_TENSORS)));
			break;
		case SAFETENSORS_RANK_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file tensor \"%s\" has more than %d dimensions", e->name, MODEL_MAX_RANK)));
			break;
		case SAFETENSORS_DTYPE:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("weight file tensor \"%s\" has dtype \"%s\"", e->name, e->other),
					 errhint("Only F32 (float32, little-endian) tensors are accepted; export with tensor.float().")));
			break;
		case SAFETENSORS_UNKNOWN_FIELD:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" has an unknown field \"%s\"", e->name, e->other),
					 errhint("A tensor entry has exactly the fields dtype, shape and data_offsets.")));
			break;
		case SAFETENSORS_REPEATED_FIELD:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" repeats a field", e->name)));
			break;
		case SAFETENSORS_MISSING_FIELD:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" lacks dtype, shape or data_offsets", e->name)));
			break;
		default:
			break;
	}
}

/* Report a problem with where the tensors' data lies, or with its values */
static void
report_data(const Safetensors *st)
{
	const SafetensorsError *e = &st->error;

	switch (e->status)
	{
		case SAFETENSORS_SHAPE_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" has a shape larger than the file", e->name)));
			break;
		case SAFETENSORS_OFFSETS_REVERSED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" has data_offsets that end before they begin", e->name)));
			break;
		case SAFETENSORS_PAST_END:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" runs past the end of the file", e->name),
					 errdetail("Its data ends at byte " UINT64_FORMAT " of a " UINT64_FORMAT "-byte data section.",
							   e->values[0], e->values[1])));
			break;
		case SAFETENSORS_SIZE_MISMATCH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" has " UINT64_FORMAT " bytes of data but its shape needs " UINT64_FORMAT,
							e->name, e->values[0], e->values[1])));
			break;
		case SAFETENSORS_OVERLAP:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensors \"%s\" and \"%s\" overlap", e->name, e->other)));
			break;
		case SAFETENSORS_GAP:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file has a gap of " UINT64_FORMAT " bytes before tensor \"%s\"",
							e->values[0], e->name),
					 errhint("The tensors must fill the data section without holes.")));
			break;
		case SAFETENSORS_TRAILING_BYTES:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file has " UINT64_FORMAT " bytes after its last tensor", e->values[0]),
					 errhint("The tensors must fill the data section exactly.")));
			break;
		case SAFETENSORS_NOT_FINITE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" has a non-finite value at index " UINT64_FORMAT,
							e->name, e->values[0]),
					 errhint("NaN and Infinity are not valid weights; check the training run.")));
			break;
		default:
			break;
	}
}

/* Report the problem a step of the reader found, if it found one */
static void
check(const Safetensors *st, SafetensorsStatus status)
{
	if (status == SAFETENSORS_OK)
		return;
	report_container(st);
	report_entry(st);
	report_data(st);
	elog(ERROR, "weight file reader status %d has no message", (int) status);
}

/* The file's tensors with their values in aligned memory, in header order */
static ModelTensor *
load_tensors(Safetensors *st)
{
	ModelTensor *tensors = palloc0(sizeof(ModelTensor) * Max(st->ntensors, 1));

	for (int i = 0; i < st->ntensors; i++)
	{
		const SafetensorsTensor *in = &st->tensors[i];
		ModelTensor *t = &tensors[i];

		t->name = unconstify(char *, in->name);
		t->rank = in->rank;
		memcpy(t->shape, in->shape, sizeof(int64) * in->rank);
		t->elements = in->elements;
		t->begin = in->begin;
		t->end = in->end;
		t->data = model_alloc_aligned(Max(t->elements, 1) * sizeof(float));
		check(st, safetensors_read_f32(st, i, t->data));
	}
	return tensors;
}

/*
 * Parse a weight file from untrusted bytes; every tensor is copied into aligned memory
 */
ModelFile *
model_file_parse(const char *bytes, Size length)
{
	Safetensors *st = palloc(sizeof(Safetensors));
	ModelFile  *mf = palloc0(sizeof(ModelFile));
	Size		size;
	char	   *strings;

	check(st, safetensors_open(st, (const uint8 *) bytes, length));
	size = safetensors_strings_size(st);
	strings = palloc(size);
	check(st, safetensors_parse(st, strings, size));
	mf->file = st;
	mf->ntensors = st->ntensors;
	mf->tensors = load_tensors(st);
	mf->nmeta = st->nmeta;
	mf->meta = palloc0(sizeof(ModelMeta) * Max(st->nmeta, 1));
	for (int i = 0; i < st->nmeta; i++)
	{
		mf->meta[i].key = unconstify(char *, st->meta[i].key);
		mf->meta[i].value = unconstify(char *, st->meta[i].value);
	}
	st->bytes = NULL;			/* the input may be freed: lookups use only the names */
	return mf;
}

/*
 * The tensor with this name, or NULL
 */
ModelTensor *
model_file_tensor(ModelFile *mf, const char *name)
{
	int			i = safetensors_find_tensor(mf->file, name);

	return i < 0 ? NULL : &mf->tensors[i];
}

/*
 * The __metadata__ value for this key, or NULL
 */
const char *
model_file_meta(ModelFile *mf, const char *key)
{
	return safetensors_find_meta(mf->file, key);
}

/*
 * A required __metadata__ value that must be a finite number written as text
 */
double
model_file_meta_number(ModelFile *mf, const char *key)
{
	const char *text = model_file_meta(mf, key);
	char	   *end;
	double		v;

	if (text == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file has no \"%s\" metadata", key)));
	v = strtod(text, &end);
	if (end == text || *end != '\0' || isspace((unsigned char) *text) || !isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file metadata \"%s\" is \"%s\", not a finite number", key, text)));
	return v;
}

/*
 * Zeroed memory whose address is a multiple of MODEL_ALIGN
 */
void *
model_alloc_aligned(Size size)
{
	char	   *raw = palloc0(size + MODEL_ALIGN - 1);

	return (void *) TYPEALIGN(MODEL_ALIGN, raw);
}

/*
 * Check the metadata every kind shares: ngs.kind is `kind` and ngs.format is 1
 */
void
model_file_check_kind(ModelFile *mf, const char *kind)
{
	const char *file_kind = model_file_meta(mf, "ngs.kind");
	const char *format = model_file_meta(mf, "ngs.format");

	if (file_kind == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file has no \"ngs.kind\" metadata"),
				 errhint("Write \"ngs.kind\": \"%s\" into the file's __metadata__.", kind)));
	if (strcmp(file_kind, kind) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file is of kind \"%s\", not \"%s\"", file_kind, kind),
				 errhint("Import it as the kind its \"ngs.kind\" metadata names.")));
	if (format == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file has no \"ngs.format\" metadata"),
				 errhint("Write \"ngs.format\": \"1\" into the file's __metadata__.")));
	if (strcmp(format, "1") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("weight file format \"%s\" is not supported", format),
				 errhint("This build of ngs reads \"ngs.format\": \"1\".")));
}
