/*
 * fuzz.h: what the libFuzzer harnesses share with pg_stub.c.
 */
#ifndef NGS_FUZZ_H
#define NGS_FUZZ_H

#include <setjmp.h>

#include "fmgr.h"
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

#endif
