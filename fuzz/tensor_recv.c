/*
 * tensor_recv.c: libFuzzer harness for the play tensor's binary input.  An accepted
 * message must be sent back byte for byte.
 * sources: src/play_tensor.c src/tensor_text.c
 */
#include "postgres.h"

#include "fuzz.h"
#include "lib/stringinfo.h"
#include "play_tensor.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum play_tensor_recv(PG_FUNCTION_ARGS);
extern Datum play_tensor_send(PG_FUNCTION_ARGS);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, (const char *) data, size);
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		Datum		pt = fuzz_call1(play_tensor_recv, PointerGetDatum(&buf));
		bytea	   *sent = DatumGetByteaPP(fuzz_call1(play_tensor_send, pt));

		if (VARSIZE_ANY_EXHDR(sent) != size || memcmp(VARDATA_ANY(sent), data, size) != 0)
			abort();			/* binary input and output must agree */
	}
	fuzz_reset();
	return 0;
}
