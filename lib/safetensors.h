/*
 * safetensors.h: weight files in the safetensors profile of shared/design/pass-model.md,
 * read as hostile input and written back.
 *
 * A file is an 8-byte little-endian header length N, N bytes of JSON header, then the
 * data section.  The header is one object: "__metadata__" maps strings to strings, every
 * other key names a tensor {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}
 * whose bytes lie in the data section.
 *
 * Reading takes three steps, memory coming from the caller: safetensors_open() checks the
 * prefix and the limits; safetensors_parse() reads the header into the Safetensors struct,
 * its strings decoded into a buffer of safetensors_strings_size() bytes, and checks that
 * the tensors tile the data section exactly (no overlap, no gap, nothing past the end);
 * safetensors_read_f32() copies one tensor's values, refusing NaN and Infinity.  A failure
 * returns its status and fills st->error with what the problem names.
 *
 * Writing (safetensors_write.c): safetensors_write_size() says how many bytes
 * safetensors_write() will write into the caller's buffer.
 */
#ifndef SAFETENSORS_H
#define SAFETENSORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAFETENSORS_MAX_FILE_BYTES		(64 * 1024 * 1024)	/* bytes in a file */
#define SAFETENSORS_MAX_HEADER_BYTES	(1024 * 1024)	/* bytes in the JSON header */
#define SAFETENSORS_MAX_TENSORS			256 /* tensors in a file */
#define SAFETENSORS_MAX_RANK			8	/* dimensions of a tensor */
#define SAFETENSORS_MAX_METADATA		64	/* __metadata__ entries */
#define SAFETENSORS_MAX_INTEGER			(INT64_C(1) << 52)	/* larger header integers are refused */

/* What is wrong with a file; the comment says which error fields name it */
typedef enum SafetensorsStatus
{
	SAFETENSORS_OK = 0,
	SAFETENSORS_FILE_TOO_LARGE, /* values[0]: the file's bytes */
	SAFETENSORS_TRUNCATED,		/* values[0]: the file's bytes, fewer than 8 */
	SAFETENSORS_HEADER_TOO_LARGE,	/* values[0]: the announced header length */
	SAFETENSORS_HEADER_TRUNCATED,	/* values[0]: announced, values[1]: bytes after the prefix */
	SAFETENSORS_SYNTAX,			/* position (in the header), expected */
	SAFETENSORS_META_TWICE,		/* name: the metadata key */
	SAFETENSORS_META_TOO_MANY,	/* more than SAFETENSORS_MAX_METADATA entries */
	SAFETENSORS_META_NOT_STRING,	/* name: the metadata key */
	SAFETENSORS_TENSOR_TWICE,	/* name */
	SAFETENSORS_TENSOR_TOO_MANY,	/* more than SAFETENSORS_MAX_TENSORS */
	SAFETENSORS_RANK_TOO_LARGE, /* name: more than SAFETENSORS_MAX_RANK dimensions */
	SAFETENSORS_DTYPE,			/* name, other: the dtype (only F32 is read) */
	SAFETENSORS_UNKNOWN_FIELD,	/* name, other: the field */
	SAFETENSORS_REPEATED_FIELD, /* name */
	SAFETENSORS_MISSING_FIELD,	/* name: lacks dtype, shape or data_offsets */
	SAFETENSORS_SHAPE_TOO_LARGE,	/* name: more elements than the data section holds */
	SAFETENSORS_OFFSETS_REVERSED,	/* name: data_offsets end before they begin */
	SAFETENSORS_PAST_END,		/* name, values[0]: its end, values[1]: the data bytes */
	SAFETENSORS_SIZE_MISMATCH,	/* name, values[0]: its bytes, values[1]: what its shape needs */
	SAFETENSORS_OVERLAP,		/* name and other: the two tensors */
	SAFETENSORS_GAP,			/* name: the tensor after it, values[0]: the gap's bytes */
	SAFETENSORS_TRAILING_BYTES, /* values[0]: bytes after the last tensor */
	SAFETENSORS_NOT_FINITE		/* name, values[0]: the index of the NaN or Infinity */
} SafetensorsStatus;

/* The details of a failure */
typedef struct SafetensorsError
{
	SafetensorsStatus status;
	const char *name;			/* the tensor or metadata key concerned */
	const char *other;			/* the dtype, the unknown field or the second tensor */
	char		expected[80];	/* SAFETENSORS_SYNTAX: what the header should have had */
	uint64_t	position;		/* SAFETENSORS_SYNTAX: the byte of the header */
	uint64_t	values[2];		/* the numbers the problem names */
} SafetensorsError;

/* One float32 tensor of a file */
typedef struct SafetensorsTensor
{
	const char *name;			/* the header key, UTF-8 */
	int			rank;			/* dimensions, 0..SAFETENSORS_MAX_RANK */
	int64_t		shape[SAFETENSORS_MAX_RANK];
	int64_t		elements;		/* product of the dimensions */
	int64_t		begin;			/* first byte in the data section */
	int64_t		end;			/* one past its last byte */
} SafetensorsTensor;

/* One __metadata__ entry */
typedef struct SafetensorsMeta
{
	const char *key;			/* UTF-8, no NUL */
	const char *value;			/* UTF-8, no NUL */
} SafetensorsMeta;

/* A file being read */
typedef struct Safetensors
{
	const uint8_t *bytes;		/* the whole file */
	size_t		length;			/* its bytes */
	size_t		header_length;	/* bytes of JSON header after the 8-byte prefix */
	int			ntensors;		/* in header order */
	SafetensorsTensor tensors[SAFETENSORS_MAX_TENSORS];
	int			nmeta;			/* in header order */
	SafetensorsMeta meta[SAFETENSORS_MAX_METADATA];
	SafetensorsError error;		/* why the last step failed */
} Safetensors;

/* One float32 tensor to write */
typedef struct SafetensorsOut
{
	const char *name;			/* the header key */
	int			rank;			/* dimensions, 0..SAFETENSORS_MAX_RANK */
	int64_t		shape[SAFETENSORS_MAX_RANK];
	const float *data;			/* the values, row-major */
} SafetensorsOut;

extern SafetensorsStatus safetensors_open(Safetensors *st, const uint8_t *bytes, size_t length);
extern size_t safetensors_strings_size(const Safetensors *st);
extern SafetensorsStatus safetensors_parse(Safetensors *st, char *strings, size_t size);
extern SafetensorsStatus safetensors_read_f32(Safetensors *st, int index, float *out);
extern int	safetensors_find_tensor(const Safetensors *st, const char *name);
extern const char *safetensors_find_meta(const Safetensors *st, const char *key);

extern size_t safetensors_write_size(const SafetensorsOut *tensors, int ntensors,
									 const char *const *meta, int nmeta);
extern size_t safetensors_write(const SafetensorsOut *tensors, int ntensors,
								const char *const *meta, int nmeta, uint8_t *out, size_t size);

#endif
