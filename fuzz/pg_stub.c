/*
 * pg_stub.c: just enough of the PostgreSQL backend to run the extension's type glue
 * (the text and binary I/O functions, the model loaders, the option readers) outside the
 * server under libFuzzer; what lib/ parses (json_scan, safetensors) is fuzzed without it.
 * palloc is tracked and freed after every input; ereport(ERROR) jumps back to the
 * harness, which treats it as a clean rejection.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>
#include <setjmp.h>

#include "fuzz.h"
#include "libpq/pqformat.h"
#include "utils/float.h"
#include "utils/memutils.h"

sigjmp_buf	fuzz_error_jump;
MemoryContext CurrentMemoryContext = NULL;
static int	error_level;
static void **chunks;
static size_t nchunks, chunk_capacity;

/* Remember an allocation so fuzz_reset can free it */
static void *
track(void *p)
{
	if (p == NULL)
		abort();
	if (nchunks == chunk_capacity)
	{
		chunk_capacity = chunk_capacity ? 2 * chunk_capacity : 1024;
		chunks = realloc(chunks, chunk_capacity * sizeof(void *));
	}
	chunks[nchunks++] = p;
	return p;
}

/* Free everything allocated while handling one input */
void
fuzz_reset(void)
{
	for (size_t i = 0; i < nchunks; i++)
		free(chunks[i]);
	nchunks = 0;
}

void *
palloc(Size size)
{
	if (!AllocSizeIsValid(size))
		abort();				/* the backend would refuse; a parser must not ask */
	return track(malloc(size ? size : 1));
}

void *
palloc0(Size size)
{
	void	   *p = palloc(size);

	memset(p, 0, size);
	return p;
}

void *
palloc_extended(Size size, int flags)
{
	return (flags & MCXT_ALLOC_ZERO) ? palloc0(size) : palloc(size);
}

void *
repalloc(void *pointer, Size size)
{
	for (size_t i = 0; i < nchunks; i++)
		if (chunks[i] == pointer)
			return chunks[i] = realloc(pointer, size);
	abort();
}

void
pfree(void *pointer)
{
	/* freed in fuzz_reset */
}

char *
pstrdup(const char *s)
{
	return strcpy(palloc(strlen(s) + 1), s);
}

char *
pnstrdup(const char *in, Size len)
{
	char	   *out;

	len = strnlen(in, len);
	out = palloc(len + 1);
	memcpy(out, in, len);
	out[len] = '\0';
	return out;
}

/* Memory contexts are all the one tracked heap */
void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return palloc(size);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return palloc0(size);
}

/* Run f(arg): true when it returned, false when it raised an error */
bool
fuzz_try(void (*f) (void *), void *arg)
{
	sigjmp_buf	outer;
	bool		ok = false;

	memcpy(&outer, &fuzz_error_jump, sizeof(sigjmp_buf));
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		f(arg);
		ok = true;
	}
	memcpy(&fuzz_error_jump, &outer, sizeof(sigjmp_buf));
	return ok;
}

bool
errstart(int elevel, const char *domain)
{
	error_level = elevel;
	return elevel >= ERROR;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (error_level >= ERROR)
		siglongjmp(fuzz_error_jump, 1);
}

int			errcode(int sqlerrcode) { return 0; }
int			errmsg(const char *fmt,...) { return 0; }
int			errmsg_internal(const char *fmt,...) { return 0; }
int			errdetail(const char *fmt,...) { return 0; }
int			errhint(const char *fmt,...) { return 0; }

struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	return datum;
}

/* fmgr's direct call of a V1 function with one argument */
Datum
DirectFunctionCall1Coll(PGFunction func, Oid collation, Datum arg1)
{
	LOCAL_FCINFO(fcinfo, 1);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 1, collation, NULL, NULL);
	fcinfo->args[0].value = arg1;
	fcinfo->args[0].isnull = false;
	result = func(fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "function returned NULL");
	return result;
}

/* The message-reading half of pqformat.c that recv functions use */
static void
need(StringInfo msg, int n)
{
	if (n < 0 || msg->cursor + n > msg->len)
		ereport(ERROR, (errcode(ERRCODE_PROTOCOL_VIOLATION), errmsg("insufficient data left in message")));
}

int
pq_getmsgbyte(StringInfo msg)
{
	need(msg, 1);
	return (unsigned char) msg->data[msg->cursor++];
}

unsigned int
pq_getmsgint(StringInfo msg, int b)
{
	unsigned int v = 0;

	need(msg, b);
	for (int i = 0; i < b; i++)
		v = (v << 8) | (unsigned char) msg->data[msg->cursor++];
	return v;
}

int64
pq_getmsgint64(StringInfo msg)
{
	uint64		hi = pq_getmsgint(msg, 4);

	return (int64) ((hi << 32) | pq_getmsgint(msg, 4));
}

float4
pq_getmsgfloat4(StringInfo msg)
{
	union { float4 f; uint32 i; } swap;

	swap.i = pq_getmsgint(msg, 4);
	return swap.f;
}

const char *
pq_getmsgbytes(StringInfo msg, int datalen)
{
	const char *result;

	need(msg, datalen);
	result = &msg->data[msg->cursor];
	msg->cursor += datalen;
	return result;
}

float8
pq_getmsgfloat8(StringInfo msg)
{
	union { float8 f; int64 i; } swap;

	swap.i = pq_getmsgint64(msg);
	return swap.f;
}

/* The sending half, writing big-endian into a StringInfo */
void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	appendBinaryStringInfo(buf, "\0\0\0\0", 4);
}

bytea *
pq_endtypsend(StringInfo buf)
{
	SET_VARSIZE(buf->data, buf->len);
	return (bytea *) buf->data;
}

void
pq_sendbytes(StringInfo buf, const char *data, int datalen)
{
	appendBinaryStringInfo(buf, data, datalen);
}

void
pq_sendfloat4(StringInfo buf, float4 f)
{
	union { float4 f; uint32 i; } swap;

	swap.f = f;
	pq_sendint32(buf, swap.i);
}

void
pq_sendfloat8(StringInfo buf, float8 f)
{
	union { float8 f; int64 i; } swap;

	swap.f = f;
	pq_sendint64(buf, swap.i);
}

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	return datum;
}

/*
 * The backend's float8 reader: leading and trailing white space, strtod, NaN and
 * Infinity spelled out, and overflow or underflow to zero refused as out of range
 */
float8
float8in_internal(char *num, char **endptr_p, const char *type_name, const char *orig_string)
{
	static const char *const special[] = {"NaN", "Infinity", "+Infinity", "-Infinity", "inf", "+inf", "-inf"};
	char	   *end;
	double		val;

	while (isspace((unsigned char) *num))
		num++;
	if (*num == '\0')
		ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), errmsg("invalid input syntax")));
	errno = 0;
	val = strtod(num, &end);
	if (end == num || errno != 0)
	{
		int			i;

		for (i = 0; i < lengthof(special); i++)
			if (pg_strncasecmp(num, special[i], strlen(special[i])) == 0)
				break;
		if (i < lengthof(special))
		{
			val = i == 0 ? NAN : special[i][0] == '-' ? -INFINITY : INFINITY;
			end = num + strlen(special[i]);
		}
		else if (errno == ERANGE && val != 0.0 && val < HUGE_VAL && val > -HUGE_VAL)
			;					/* a denormal: accepted */
		else
			ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("out of range or invalid")));
	}
	while (isspace((unsigned char) *end))
		end++;
	if (endptr_p)
		*endptr_p = end;
	else if (*end != '\0')
		ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), errmsg("invalid input syntax")));
	return val;
}
