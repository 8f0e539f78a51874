/*
 * tensor_recv.c: libFuzzer harness for the play tensor's binary input.  An accepted message
 * must be sent back byte for byte, except that every NaN comes back as the canonical one;
 * and what is sent must read back to itself through binary input and through the text form
 * alike (pg_dump's path), so no bit of a stored tensor depends on which way it travelled.
 * sources: src/play_tensor/play_tensor.c src/play_tensor/tensor_text.c src/play_tensor/tensor_events.c
 */
#include "postgres.h"

#include "fuzz.h"

#define CANONICAL_NAN	((uint32) 0x7fc00000)

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum play_tensor_in(PG_FUNCTION_ARGS);
extern Datum play_tensor_out(PG_FUNCTION_ARGS);
extern Datum play_tensor_recv(PG_FUNCTION_ARGS);
extern Datum play_tensor_send(PG_FUNCTION_ARGS);

/* The big-endian 4-byte word at p */
static uint32
word_at(const uint8 *p)
{
	return (uint32) p[0] << 24 | (uint32) p[1] << 16 | (uint32) p[2] << 8 | p[3];
}

/* Whether the word at p is a float4 NaN */
static bool
nan_at(const uint8 *p)
{
	uint32		w = word_at(p);

	return (w & 0x7f800000) == 0x7f800000 && (w & 0x007fffff) != 0;
}

/*
 * Whether sent equals the input but for NaNs made canonical: every differing byte lies in
 * a word that is the canonical NaN in sent and some NaN in the input
 */
static bool
same_but_nans(const uint8 *in, const uint8 *sent, size_t size)
{
	size_t		i = 0;

	while (i < size)
	{
		size_t		j;

		if (in[i] == sent[i])
		{
			i++;
			continue;
		}
		for (j = i >= 3 ? i - 3 : 0; j <= i; j++)
			if (j + 4 <= size && word_at(sent + j) == CANONICAL_NAN && nan_at(in + j))
				break;
		if (j > i)
			return false;
		i = j + 4;
	}
	return true;
}

/* The tensor these bytes make through binary input */
static Datum
recv_bytes(const uint8 *bytes, size_t size)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, (const char *) bytes, size);
	return fuzz_call1(play_tensor_recv, PointerGetDatum(&buf));
}

/* Whether a send form holds exactly these bytes */
static bool
sends(Datum sent, const uint8 *bytes, size_t size)
{
	bytea	   *b = DatumGetByteaPP(sent);

	return VARSIZE_ANY_EXHDR(b) == size && memcmp(VARDATA_ANY(b), bytes, size) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		bytea	   *sent = DatumGetByteaPP(fuzz_call1(play_tensor_send, recv_bytes(data, size)));
		const uint8 *bytes = (const uint8 *) VARDATA_ANY(sent);
		size_t		n = VARSIZE_ANY_EXHDR(sent);
		Datum		tensor;

		if (n != size || !same_but_nans(data, bytes, size))
			abort();
		tensor = recv_bytes(bytes, n);
		if (!sends(fuzz_call1(play_tensor_send, tensor), bytes, n) ||
			!sends(fuzz_call1(play_tensor_send, fuzz_call1(play_tensor_in, fuzz_call1(play_tensor_out, tensor))),
				   bytes, n))
			abort();
	}
	fuzz_reset();
	return 0;
}
