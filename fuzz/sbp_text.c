/*
 * sbp_text.c: libFuzzer harness for the sbp type's text input.  An accepted input
 * must print, and the print must read back to the same print.
 * sources: src/sbp.c src/sbp_io.c
 */
#include "postgres.h"

#include "fuzz.h"
#include "sbp.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern Datum sbp_in(PG_FUNCTION_ARGS);
extern Datum sbp_out(PG_FUNCTION_ARGS);

/* Read text and print it again */
static char *
reprint(const char *text)
{
	Datum		d = fuzz_call1(sbp_in, CStringGetDatum(text));

	return DatumGetCString(fuzz_call1(sbp_out, d));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = palloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		char	   *printed = reprint(text);

		if (strcmp(reprint(printed), printed) != 0)
			abort();			/* the text form must round-trip */
	}
	fuzz_reset();
	return 0;
}
