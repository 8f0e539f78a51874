/*
 * model_file.c: a strict parser for weight files in the safetensors profile.
 *
 * Layout: an 8-byte little-endian header length N, N bytes of JSON header, then the
 * data section.  The header is one object: "__metadata__" maps strings to strings,
 * every other key names a tensor {"dtype": "F32", "shape": [..], "data_offsets":
 * [begin, end]} whose bytes lie in the data section.  The bytes are hostile: every
 * length is checked before it is used, the tensors must tile the data section exactly
 * (no overlap, no gap, nothing past the end), and every value must be finite.
 */
#include "postgres.h"

#include <math.h>

#include "mb/pg_wchar.h"
#include "port/pg_bswap.h"
#include "model/model_file.h"

#define MODEL_MAX_INTEGER	(INT64CONST(1) << 52)	/* larger JSON integers
													 * are refused */

/* A cursor over the JSON header */
typedef struct Scanner
{
	const char *start;			/* first byte of the header */
	const char *p;				/* next byte to read */
	const char *end;			/* one past the last byte */
} Scanner;

/* Report a syntax error at the scanner's position */
static void
syntax_error(Scanner *s, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("malformed weight file header"),
			 errdetail("Expected %s at byte %d of the JSON header.", expected, (int) (s->p - s->start)),
			 errhint("A weight file is safetensors: an 8-byte length, a JSON object, then the tensor bytes.")));
}

/* Report a tensor entry that breaks the format */
static void
tensor_error(const char *name, const char *problem)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("weight file tensor \"%s\" %s", name, problem)));
}

/* Skip JSON white space (safetensors pads the header with spaces) */
static inline void
skip_space(Scanner *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Consume c if it is next */
static bool
accept(Scanner *s, char c)
{
	skip_space(s);
	if (s->p == s->end || *s->p != c)
		return false;
	s->p++;
	return true;
}

/* Consume one punctuation character, or fail */
static void
expect(Scanner *s, char c)
{
	char		what[8];

	if (!accept(s, c))
	{
		snprintf(what, sizeof(what), "\"%c\"", c);
		syntax_error(s, what);
	}
}

/* Read four hex digits of a \u escape */
static int
read_hex4(Scanner *s)
{
	int			v = 0;

	for (int k = 0; k < 4; k++)
	{
		char		c = s->p < s->end ? *s->p : '\0';

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			syntax_error(s, "four hex digits");
		s->p++;
	}
	return v;
}

/* Read a \uXXXX escape (a surrogate pair counts as one) and return the code point */
static pg_wchar
read_unicode_escape(Scanner *s)
{
	int			cp = read_hex4(s);
	int			low;

	if (cp >= 0xDC00 && cp <= 0xDFFF)
		syntax_error(s, "a high surrogate before a low one");
	if (cp >= 0xD800 && cp <= 0xDBFF)
	{
		if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
			syntax_error(s, "a low surrogate escape");
		s->p += 2;
		low = read_hex4(s);
		if (low < 0xDC00 || low > 0xDFFF)
			syntax_error(s, "a low surrogate escape");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
	}
	if (cp == 0)
		syntax_error(s, "no NUL character in a string");
	return cp;
}

/* Read one character of a string body (escape, UTF-8 sequence or ASCII) into buf */
static int
read_string_char(Scanner *s, unsigned char *buf)
{
	unsigned char c = (unsigned char) *s->p;
	int			len;

	if (c == '\\')
	{
		const char *from = "\"\\/bfnrt";
		const char *to = "\"\\/\b\f\n\r\t";
		const char *esc;

		if (++s->p == s->end)
			syntax_error(s, "an escape");
		if (*s->p == 'u')
		{
			s->p++;
			unicode_to_utf8(read_unicode_escape(s), buf);
			return pg_utf_mblen(buf);
		}
		if (*s->p == '\0' || (esc = strchr(from, *s->p)) == NULL)
			syntax_error(s, "a valid escape");
		s->p++;
		buf[0] = to[esc - from];
		return 1;
	}
	if (c < 0x20)
		syntax_error(s, "no control character in a string");
	len = pg_utf_mblen(&c);
	if (s->end - s->p < len || !pg_utf8_islegal((const unsigned char *) s->p, len))
		syntax_error(s, "valid UTF-8");
	memcpy(buf, s->p, len);
	s->p += len;
	return len;
}

/* Read a JSON string, decoding escapes; the result is NUL-terminated UTF-8 */
static char *
read_string(Scanner *s)
{
	const char *q;
	char	   *out;
	int			len = 0;

	expect(s, '"');

	/*
	 * size the buffer by the encoded form, which is never shorter than the
	 * decoded one
	 */
	for (q = s->p; q < s->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < s->end)
			q++;
	out = palloc(q - s->p + 1);
	while (s->p < s->end && *s->p != '"')
		len += read_string_char(s, (unsigned char *) out + len);
	if (s->p == s->end)
		syntax_error(s, "the end of a string");
	s->p++;
	out[len] = '\0';
	return out;
}

/* Read a non-negative JSON integer (no sign, fraction or exponent) */
static int64
read_integer(Scanner *s)
{
	int64		v = 0;

	skip_space(s);
	if (s->p == s->end || !isdigit((unsigned char) *s->p))
		syntax_error(s, "a non-negative integer");
	if (*s->p == '0' && s->end - s->p > 1 && isdigit((unsigned char) s->p[1]))
		syntax_error(s, "an integer without leading zeros");
	while (s->p < s->end && isdigit((unsigned char) *s->p))
	{
		v = v * 10 + (*s->p++ - '0');
		if (v > MODEL_MAX_INTEGER)
			syntax_error(s, "an integer below 2^52");
	}
	if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
		syntax_error(s, "an integer");
	return v;
}

/* Read the "__metadata__" object of string values */
static void
read_metadata(Scanner *s, ModelFile *mf)
{
	expect(s, '{');
	if (accept(s, '}'))
		return;
	do
	{
		ModelMeta  *m;
		char	   *key = read_string(s);

		if (model_file_meta(mf, key) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file metadata key \"%s\" appears twice", key)));
		if (mf->nmeta == MODEL_MAX_METADATA)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file has more than %d metadata entries", MODEL_MAX_METADATA)));
		expect(s, ':');
		skip_space(s);
		if (s->p == s->end || *s->p != '"')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file metadata \"%s\" is not a string", key),
					 errhint("safetensors metadata maps strings to strings; write numbers as text.")));
		m = &mf->meta[mf->nmeta++];
		m->key = key;
		m->value = read_string(s);
	} while (accept(s, ','));
	expect(s, '}');
}

/* Read "shape": an array of at most MODEL_MAX_RANK non-negative integers */
static void
read_shape(Scanner *s, ModelTensor *t)
{
	expect(s, '[');
	if (accept(s, ']'))
		return;
	do
	{
		if (t->rank == MODEL_MAX_RANK)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file tensor \"%s\" has more than %d dimensions", t->name, MODEL_MAX_RANK)));
		t->shape[t->rank++] = read_integer(s);
	} while (accept(s, ','));
	expect(s, ']');
}

/* Read "dtype", refusing anything but F32 */
static void
read_dtype(Scanner *s, ModelTensor *t)
{
	char	   *dtype = read_string(s);

	if (strcmp(dtype, "F32") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("weight file tensor \"%s\" has dtype \"%s\"", t->name, dtype),
				 errhint("Only F32 (float32, little-endian) tensors are accepted; export with tensor.float().")));
}

/* The fields of a tensor entry, as bits of a seen-set */
enum
{
	FIELD_DTYPE = 1, FIELD_SHAPE = 2, FIELD_OFFSETS = 4, FIELD_ALL = 7
};

/* Read one field of a tensor entry and return its bit */
static int
read_tensor_field(Scanner *s, ModelTensor *t)
{
	char	   *field = read_string(s);
	int			bit;

	expect(s, ':');
	if (strcmp(field, "dtype") == 0)
	{
		read_dtype(s, t);
		bit = FIELD_DTYPE;
	}
	else if (strcmp(field, "shape") == 0)
	{
		read_shape(s, t);
		bit = FIELD_SHAPE;
	}
	else if (strcmp(field, "data_offsets") == 0)
	{
		expect(s, '[');
		t->begin = read_integer(s);
		expect(s, ',');
		t->end = read_integer(s);
		expect(s, ']');
		bit = FIELD_OFFSETS;
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("weight file tensor \"%s\" has an unknown field \"%s\"", t->name, field),
				 errhint("A tensor entry has exactly the fields dtype, shape and data_offsets.")));
	return bit;
}

/* Read one tensor entry {"dtype", "shape", "data_offsets"} */
static void
read_tensor(Scanner *s, ModelTensor *t)
{
	int			seen = 0;

	expect(s, '{');
	do
	{
		int			bit = read_tensor_field(s, t);

		if (seen & bit)
			tensor_error(t->name, "repeats a field");
		seen |= bit;
	} while (accept(s, ','));
	expect(s, '}');
	if (seen != FIELD_ALL)
		tensor_error(t->name, "lacks dtype, shape or data_offsets");
}

/* Check a tensor's size against its shape and the data section */
static void
check_tensor_extent(ModelTensor *t, int64 data_length)
{
	int64		limit = data_length / (int64) sizeof(float);

	t->elements = 1;
	for (int d = 0; d < t->rank; d++)
		if (t->shape[d] == 0)
			t->elements = 0;
	for (int d = 0; d < t->rank && t->elements > 0; d++)
	{
		/* divide rather than multiply, so that the product cannot overflow */
		if (t->shape[d] > limit / t->elements)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" has a shape larger than the file", t->name)));
		t->elements *= t->shape[d];
	}
	if (t->begin > t->end)
		tensor_error(t->name, "has data_offsets that end before they begin");
	if (t->end > data_length)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("weight file tensor \"%s\" runs past the end of the file", t->name),
				 errdetail("Its data ends at byte " INT64_FORMAT " of a " INT64_FORMAT "-byte data section.",
						   t->end, data_length)));
	if (t->end - t->begin != t->elements * (int64) sizeof(float))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("weight file tensor \"%s\" has " INT64_FORMAT " bytes of data but its shape needs " INT64_FORMAT,
						t->name, t->end - t->begin, t->elements * (int64) sizeof(float))));
}

/* Read the members of the header object, up to its closing brace */
static void
read_members(Scanner *s, ModelFile *mf)
{
	bool		seen_meta = false;

	do
	{
		char	   *key = read_string(s);

		expect(s, ':');
		if (strcmp(key, "__metadata__") == 0)
		{
			if (seen_meta)
				syntax_error(s, "a single __metadata__");
			seen_meta = true;
			read_metadata(s, mf);
			continue;
		}
		if (model_file_tensor(mf, key) != NULL)
			tensor_error(key, "appears twice in the header");
		if (mf->ntensors == MODEL_MAX_TENSORS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("weight file has more than %d tensors", MODEL_MAX_TENSORS)));
		mf->tensors[mf->ntensors].name = key;
		read_tensor(s, &mf->tensors[mf->ntensors++]);
	} while (accept(s, ','));
	expect(s, '}');
}

/* Read the header: one object, then nothing but padding */
static void
read_header(Scanner *s, ModelFile *mf)
{
	expect(s, '{');
	if (!accept(s, '}'))
		read_members(s, mf);
	skip_space(s);
	if (s->p != s->end)
		syntax_error(s, "the end of the header (only white space may follow the object)");
}

/* Order tensors by where their data begins (then ends, so empty tensors come first) */
static int
compare_extents(const void *a, const void *b)
{
	const ModelTensor *x = *(ModelTensor *const *) a;
	const ModelTensor *y = *(ModelTensor *const *) b;

	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

/* Check that the tensors tile the data section: no overlap, no gap, no slack */
static void
check_tiling(ModelFile *mf, int64 data_length)
{
	ModelTensor **order = palloc(sizeof(ModelTensor *) * Max(mf->ntensors, 1));
	int64		at = 0;

	for (int i = 0; i < mf->ntensors; i++)
		order[i] = &mf->tensors[i];
	qsort(order, mf->ntensors, sizeof(ModelTensor *), compare_extents);
	for (int i = 0; i < mf->ntensors; i++)
	{
		if (order[i]->begin < at)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensors \"%s\" and \"%s\" overlap",
							order[i - 1]->name, order[i]->name)));
		if (order[i]->begin > at)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file has a gap of " INT64_FORMAT " bytes before tensor \"%s\"",
							order[i]->begin - at, order[i]->name),
					 errhint("The tensors must fill the data section without holes.")));
		at = order[i]->end;
	}
	if (at != data_length)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("weight file has " INT64_FORMAT " bytes after its last tensor", data_length - at),
				 errhint("The tensors must fill the data section exactly.")));
	pfree(order);
}

/* Copy one tensor's little-endian floats into aligned memory, refusing NaN and Inf */
static void
load_tensor_data(ModelTensor *t, const char *data)
{
	t->data = model_alloc_aligned(Max(t->elements, 1) * sizeof(float));
	memcpy(t->data, data + t->begin, t->elements * sizeof(float));
	for (int64 i = 0; i < t->elements; i++)
	{
#ifdef WORDS_BIGENDIAN
		uint32		bits;

		memcpy(&bits, &t->data[i], sizeof(bits));
		bits = pg_bswap32(bits);
		memcpy(&t->data[i], &bits, sizeof(bits));
#endif
		if (!isfinite(t->data[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("weight file tensor \"%s\" has a non-finite value at index " INT64_FORMAT,
							t->name, i),
					 errhint("NaN and Infinity are not valid weights; check the training run.")));
	}
}

/*
 * Parse a weight file from untrusted bytes; every tensor is copied into aligned memory
 */
ModelFile *
model_file_parse(const char *bytes, Size length)
{
	ModelFile  *mf = palloc0(sizeof(ModelFile));
	uint64		header_length = 0;
	int64		data_length;
	Scanner		s;

	if (length > MODEL_MAX_FILE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("weight file has %zu bytes, more than the limit of %d", length, MODEL_MAX_FILE_BYTES)));
	if (length < 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("weight file is truncated"),
				 errdetail("It has %zu bytes; a safetensors file starts with an 8-byte header length.", length)));
	for (int k = 7; k >= 0; k--)
		header_length = (header_length << 8) | (unsigned char) bytes[k];
	if (header_length > MODEL_MAX_HEADER_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("weight file header length " UINT64_FORMAT " exceeds the limit of %d bytes",
						header_length, MODEL_MAX_HEADER_BYTES)));
	if (header_length > length - 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("weight file is truncated"),
				 errdetail("The header announces " UINT64_FORMAT " bytes but only %zu follow.",
						   header_length, length - 8)));

	s.start = s.p = bytes + 8;
	s.end = s.start + header_length;
	data_length = length - 8 - header_length;
	mf->tensors = palloc0(sizeof(ModelTensor) * MODEL_MAX_TENSORS);
	mf->meta = palloc0(sizeof(ModelMeta) * MODEL_MAX_METADATA);
	read_header(&s, mf);
	for (int i = 0; i < mf->ntensors; i++)
		check_tensor_extent(&mf->tensors[i], data_length);
	check_tiling(mf, data_length);
	for (int i = 0; i < mf->ntensors; i++)
		load_tensor_data(&mf->tensors[i], s.end);
	return mf;
}

/*
 * The tensor with this name, or NULL
 */
ModelTensor *
model_file_tensor(ModelFile *mf, const char *name)
{
	for (int i = 0; i < mf->ntensors; i++)
		if (strcmp(mf->tensors[i].name, name) == 0)
			return &mf->tensors[i];
	return NULL;
}

/*
 * The __metadata__ value for this key, or NULL
 */
const char *
model_file_meta(ModelFile *mf, const char *key)
{
	for (int i = 0; i < mf->nmeta; i++)
		if (strcmp(mf->meta[i].key, key) == 0)
			return mf->meta[i].value;
	return NULL;
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
