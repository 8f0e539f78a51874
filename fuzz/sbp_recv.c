/*
 * sbp_recv.c: libFuzzer harness for the sbp type's binary input.  An accepted message
 * must be sent back byte for byte.
 * sources: src/sbp/sbp.c src/sbp/sbp_io.c
 */
#include "postgres.h"

#include "fuzz.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum sbp_recv(PG_FUNCTION_ARGS);
extern Datum sbp_send(PG_FUNCTION_ARGS);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_binary_round_trip(sbp_recv, sbp_send, data, size);
	return 0;
}
