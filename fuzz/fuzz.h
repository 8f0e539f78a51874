/*
 * fuzz.h: what the libFuzzer harnesses share with pg_stub.c.
 */
#ifndef NGS_FUZZ_H
#define NGS_FUZZ_H

#include <setjmp.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"

extern sigjmp_buf fuzz_error_jump;
extern void fuzz_reset(void);
extern bool fuzz_try(void (*f) (void *), void *arg);
extern Jsonb *fuzz_jsonb(const char *text, size_t len);

/* Call a V1 function with one argument, outside the server */
static inline Datum
fuzz_call1(PGFunction fn, Datum arg)
{
	LOCAL_FCINFO(fcinfo, 1);

	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg;
	fcinfo->args[0].isnull = false;
	return fn(fcinfo);
}

/*
 * The text-input property: accepted text must print, and the print must read back to the
 * same print
 */
static inline void
fuzz_text_round_trip(PGFunction in, PGFunction out, const uint8_t *data, size_t size)
{
	char	   *text = palloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		char	   *printed = DatumGetCString(fuzz_call1(out, fuzz_call1(in, CStringGetDatum(text))));
		char	   *again = DatumGetCString(fuzz_call1(out, fuzz_call1(in, CStringGetDatum(printed))));

		if (strcmp(again, printed) != 0)
			abort();
	}
	fuzz_reset();
}

/* The binary-input property: an accepted message must be sent back byte for byte */
static inline void
fuzz_binary_round_trip(PGFunction recv, PGFunction send, const uint8_t *data, size_t size)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, (const char *) data, size);
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		bytea	   *sent = DatumGetByteaPP(fuzz_call1(send, fuzz_call1(recv, PointerGetDatum(&buf))));

		if (VARSIZE_ANY_EXHDR(sent) != size || memcmp(VARDATA_ANY(sent), data, size) != 0)
			abort();
	}
	fuzz_reset();
}

#endif
