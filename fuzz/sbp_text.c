/*
 * sbp_text.c: libFuzzer harness for the sbp type's text input.  An accepted input
 * must print, and the print must read back to the same print.
 * sources: src/sbp/sbp.c src/sbp/sbp_io.c
 */
#include "postgres.h"

#include "fuzz.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum sbp_in(PG_FUNCTION_ARGS);
extern Datum sbp_out(PG_FUNCTION_ARGS);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_round_trip(sbp_in, sbp_out, data, size);
	return 0;
}
