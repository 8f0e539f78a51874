/*
 * sbp_recv.c: libFuzzer harness for the sbp type's binary input.  An accepted message
 * must be sent back byte for byte.
 * sources: src/sbp.c src/sbp_io.c
 */
#include "postgres.h"

#include "fuzz.h"
#include "lib/stringinfo.h"
#include "sbp.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum sbp_recv(PG_FUNCTION_ARGS);
extern Datum sbp_send(PG_FUNCTION_ARGS);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, (const char *) data, size);
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		Datum		d = fuzz_call1(sbp_recv, PointerGetDatum(&buf));
		bytea	   *sent = DatumGetByteaPP(fuzz_call1(sbp_send, d));

		if (VARSIZE_ANY_EXHDR(sent) != size || memcmp(VARDATA_ANY(sent), data, size) != 0)
			abort();			/* binary input and output must agree */
	}
	fuzz_reset();
	return 0;
}
