/*
 * tensor_text.c: libFuzzer harness for the play tensor's text input.  An accepted
 * input must print, and the print must read back to the same print.
 * sources: src/play_tensor.c src/tensor_text.c
 */
#include "postgres.h"

#include "fuzz.h"
#include "play_tensor.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = palloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		char	   *printed = pt_to_text(pt_parse_text(text));

		if (strcmp(pt_to_text(pt_parse_text(printed)), printed) != 0)
			abort();			/* the text form must round-trip */
	}
	fuzz_reset();
	return 0;
}
