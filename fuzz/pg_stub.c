/*
 * pg_stub.c: just enough of the PostgreSQL backend to run the extension's parsers
 * outside the server under libFuzzer.  palloc is tracked and freed after every input;
 * ereport(ERROR) jumps back to the harness, which treats it as a clean rejection.
 */
#include "postgres.h"

#include <setjmp.h>

#include "fuzz.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"

sigjmp_buf	fuzz_error_jump;
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
