/*
 * tensor_text.c: libFuzzer harness for the play tensor's text input.  An accepted input
 * must print, and the print must read back to the same print.
 * sources: src/play_tensor/play_tensor.c src/play_tensor/tensor_text.c src/play_tensor/tensor_events.c
 */
#include "postgres.h"

#include "fuzz.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum play_tensor_in(PG_FUNCTION_ARGS);
extern Datum play_tensor_out(PG_FUNCTION_ARGS);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_round_trip(play_tensor_in, play_tensor_out, data, size);
	return 0;
}
