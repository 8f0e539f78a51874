/*
 * tensor_recv.c: libFuzzer harness for the play tensor's binary input.  An accepted message
 * must be sent back byte for byte.
 * sources: src/play_tensor.c src/tensor_text.c
 */
#include "postgres.h"

#include "fuzz.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum play_tensor_recv(PG_FUNCTION_ARGS);
extern Datum play_tensor_send(PG_FUNCTION_ARGS);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_binary_round_trip(play_tensor_recv, play_tensor_send, data, size);
	return 0;
}
