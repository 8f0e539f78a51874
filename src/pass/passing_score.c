/*
 * passing_score.c: the game, season and split passing score (50-99), aggregated from
 * play-level scores u = F(yards) in parallel and across servers.
 *
 *   z_i = Phi^-1(clamp(u_i, 0.001, 0.999)),  z~ = sum z_i / (n + 20),
 *   score = 50 + 49 Phi(z~ / 0.25)
 *
 * The state (n, sum z, sum z^2) keeps its sums in fixed point (units of 2^-40) in
 * 128-bit integers, so partial states merge exactly and in any order: a parallel or
 * sharded score equals the serial one to the last bit.
 */
#include "postgres.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>

#include "common/agg_context.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "common/ngs.h"
#include "utils/builtins.h"

#ifndef HAVE_INT128
#error "ngs needs a compiler with 128-bit integers"
#endif

#define PS_FRACTION_BITS	40		/* fixed-point sums in units of 2^-40 */
#define PS_UNIT				((double) ((int64) 1 << PS_FRACTION_BITS))
#define PS_CLAMP			0.001	/* u is clamped to [0.001, 0.999] */
#define PS_SHRINK			20		/* pseudo-plays pulling small samples toward average */
#define PS_SPREAD			0.25	/* z~ / 0.25 goes through Phi */
#define PS_MAX_PLAYS		INT64CONST(1000000000000)	/* keeps sum z^2 far from overflow */

/* The aggregate state, also the SQL type ngs.passing_score_state (40 bytes, by reference) */
#define PS_STATE_SIZE		40
typedef struct PassingScoreState
{
	int64		n;				/* plays */
	int128		sum_z;			/* sum of z, in units of 2^-40 */
	int128		sum_z2;			/* sum of z^2, in units of 2^-40 */
} PassingScoreState;

StaticAssertDecl(sizeof(PassingScoreState) == PS_STATE_SIZE, "passing_score_state must stay 40 bytes");

#define PG_GETARG_PS_STATE(n)	((PassingScoreState *) PG_GETARG_POINTER(n))

/*
 * Inverse of the standard normal CDF (Wichura's AS 241, PPND16; relative error ~1e-16)
 */
static double
normal_quantile(double p)
{
	double		q = p - 0.5, r;

	if (fabs(q) <= 0.425)
	{
		r = 0.180625 - q * q;
		return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
						+ 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
					 + 133.14166789178437745) * r + 3.387132872796366608)
			/ (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
				   + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
				+ 42.313330701600911252) * r + 1.0);
	}
	r = sqrt(-log(q < 0 ? p : 1.0 - p));
	if (r <= 5.0)
	{
		r -= 1.6;
		r = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
				 + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
			  + 4.6303378461565452959) * r + 1.42343711074968357734)
			/ (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
				   + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
				+ 2.05319162663775882187) * r + 1.0);
	}
	else
	{
		r -= 5.0;
		r = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
				 + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
			  + 5.4637849111641143699) * r + 6.6579046435011037772)
			/ (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
				   + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
				+ 0.59983220655588793769) * r + 1.0);
	}
	return q < 0 ? -r : r;
}

/* The standard normal CDF */
static inline double
normal_cdf(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

/* A double in fixed point (units of 2^-40), rounded to nearest */
static inline int128
to_fixed(double x)
{
	return (int128) llrint(x * PS_UNIT);
}

/* A fixed-point value as a double */
static inline double
from_fixed(int128 v)
{
	return (double) v / PS_UNIT;
}

/*
 * The aggregate's memory context; an error when called directly from SQL, where the
 * state argument may be a table's value, which must never be updated in place
 */
static MemoryContext
aggregate_context(FunctionCallInfo fcinfo)
{
	return ngs_agg_context(fcinfo, "passing score transition",
						   "the aggregates ngs.passing_score, ngs.passing_score_state or ngs.passing_score_merge");
}

/* A copy of a state (zero for NULL) in the aggregate's context, to update in place */
static PassingScoreState *
state_in_context(MemoryContext aggcontext, PassingScoreState *from)
{
	PassingScoreState *state = MemoryContextAllocZero(aggcontext, sizeof(PassingScoreState));

	if (from)
		*state = *from;
	return state;
}

/* Refuse a state that would overflow */
static inline void
check_plays(int64 n)
{
	if (n > PS_MAX_PLAYS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("passing score over more than " INT64_FORMAT " plays", PS_MAX_PLAYS)));
}

PG_FUNCTION_INFO_V1(passing_score_transfn);
/*
 * Transition: add one play's score u (NULL skipped; u must lie in [0, 1])
 */
Datum
passing_score_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_context(fcinfo);
	PassingScoreState *state = PG_ARGISNULL(0) ? NULL : PG_GETARG_PS_STATE(0);
	double		u, z;

	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	u = PG_GETARG_FLOAT8(1);
	if (!(u >= 0.0 && u <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play score %s is not a probability", double_to_shortest_decimal(u)),
				 errhint("Pass the play-level score u = F(yards) from ngs.pass_score, between 0 and 1.")));
	if (state == NULL)
		state = state_in_context(aggcontext, NULL);
	z = normal_quantile(Min(Max(u, PS_CLAMP), 1.0 - PS_CLAMP));
	check_plays(state->n + 1);
	state->n++;
	state->sum_z += to_fixed(z);
	state->sum_z2 += to_fixed(z * z);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(passing_score_combine);
/*
 * Combine two states (exact: fixed-point sums)
 */
Datum
passing_score_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_context(fcinfo);
	PassingScoreState *a = PG_ARGISNULL(0) ? NULL : PG_GETARG_PS_STATE(0);
	PassingScoreState *b = PG_ARGISNULL(1) ? NULL : PG_GETARG_PS_STATE(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		PG_RETURN_POINTER(state_in_context(aggcontext, b));
	check_plays(a->n + b->n);
	a->n += b->n;
	a->sum_z += b->sum_z;
	a->sum_z2 += b->sum_z2;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(passing_score_final);
/*
 * The score on the 50-99 scale; NULL for no plays
 */
Datum
passing_score_final(PG_FUNCTION_ARGS)
{
	PassingScoreState *state = PG_ARGISNULL(0) ? NULL : PG_GETARG_PS_STATE(0);
	double		shrunk;

	if (state == NULL || state->n == 0)
		PG_RETURN_NULL();
	shrunk = from_fixed(state->sum_z) / (double) (state->n + PS_SHRINK);
	PG_RETURN_FLOAT8(50.0 + 49.0 * normal_cdf(shrunk / PS_SPREAD));
}

PG_FUNCTION_INFO_V1(passing_score_state_plays);
/*
 * The number of plays in a state
 */
Datum
passing_score_state_plays(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_PS_STATE(0)->n);
}

PG_FUNCTION_INFO_V1(passing_score_state_mean_z);
/*
 * The mean z of a state's plays (before shrinkage)
 */
Datum
passing_score_state_mean_z(PG_FUNCTION_ARGS)
{
	PassingScoreState *state = PG_GETARG_PS_STATE(0);

	if (state->n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(from_fixed(state->sum_z) / (double) state->n);
}

/* Append a fixed-point value as an exact decimal */
static void
append_fixed(StringInfo out, int128 v)
{
	uint128		a = v < 0 ? -(uint128) v : (uint128) v;
	uint64		frac = (uint64) (a & (((uint128) 1 << PS_FRACTION_BITS) - 1));
	uint128		whole = a >> PS_FRACTION_BITS;
	char		digits[48];
	int			n = 0;

	do
	{
		digits[n++] = '0' + (int) (whole % 10);
		whole /= 10;
	} while (whole > 0);
	if (v < 0)
		appendStringInfoChar(out, '-');
	while (n > 0)
		appendStringInfoChar(out, digits[--n]);
	if (frac == 0)
		return;
	appendStringInfoChar(out, '.');
	while (frac != 0)
	{
		frac *= 10;
		appendStringInfoChar(out, '0' + (int) (frac >> PS_FRACTION_BITS));
		frac &= ((uint64) 1 << PS_FRACTION_BITS) - 1;
	}
}

/* Report a malformed state literal */
static void
bad_state(const char *text)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("malformed passing_score_state literal: \"%s\"", text),
			 errdetail("Expected \"(plays,sum_z,sum_z2)\": a whole number of plays, then exact decimal sums that plays with |z| <= 3.09 can reach.")));
}

/*
 * Parse an exact decimal into fixed point, advancing *p; false if malformed or not a
 * whole number of 2^-40 units.  The fraction is read from its last digit back:
 * x = (digit * 2^40 + x) / 10 divides exactly at every step iff the value is exact.
 */
static bool
parse_fixed(const char **p, int128 *out)
{
	const char *s = *p;
	const char *start;
	bool		negative = (*s == '-');
	uint64		whole = 0, units = 0;

	s += negative;
	for (start = s; isdigit((unsigned char) *s); s++)
		whole = whole * 10 + (*s - '0');
	if (s == start || s - start > 18)
		return false;
	if (*s == '.')
	{
		for (start = ++s; isdigit((unsigned char) *s); s++)
			;
		if (s == start || s - start > PS_FRACTION_BITS)
			return false;
		for (const char *d = s - 1; d >= start; d--)
		{
			uint64		num = (uint64) (*d - '0') * ((uint64) 1 << PS_FRACTION_BITS) + units;

			if (num % 10 != 0)
				return false;
			units = num / 10;
		}
	}
	*out = ((int128) whole << PS_FRACTION_BITS) + units;
	if (negative)
		*out = -*out;
	*p = s;
	return true;
}

/*
 * Whether some plays could make this state: no negative counts, no sums without plays,
 * and sums within what n clamped z values (|z| <= Phi^-1(0.999)) can add up to
 */
static bool
state_possible(const PassingScoreState *state)
{
	double		z_max = Max(-normal_quantile(PS_CLAMP), normal_quantile(1.0 - PS_CLAMP));
	int128		abs_z = state->sum_z < 0 ? -state->sum_z : state->sum_z;

	return state->n >= 0 && state->n <= PS_MAX_PLAYS && state->sum_z2 >= 0 &&
		abs_z <= state->n * to_fixed(z_max) && state->sum_z2 <= state->n * to_fixed(z_max * z_max);
}

PG_FUNCTION_INFO_V1(passing_score_state_in);
/*
 * Text input: "(plays,sum_z,sum_z2)" with exact decimal sums
 */
Datum
passing_score_state_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	const char *p = text;
	PassingScoreState *state = palloc0(sizeof(PassingScoreState));
	char	   *end;

	if (*p++ != '(' || !isdigit((unsigned char) *p))
		bad_state(text);
	errno = 0;
	state->n = strtoll(p, &end, 10);
	if (errno != 0 || *end != ',')
		bad_state(text);
	check_plays(state->n);
	p = end + 1;
	if (!parse_fixed(&p, &state->sum_z) || *p++ != ',' ||
		!parse_fixed(&p, &state->sum_z2) || *p++ != ')' || *p != '\0' || !state_possible(state))
		bad_state(text);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(passing_score_state_out);
/*
 * Text output: "(plays,sum_z,sum_z2)", sums as exact decimals
 */
Datum
passing_score_state_out(PG_FUNCTION_ARGS)
{
	PassingScoreState *state = PG_GETARG_PS_STATE(0);
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfo(&out, "(" INT64_FORMAT ",", state->n);
	append_fixed(&out, state->sum_z);
	appendStringInfoChar(&out, ',');
	append_fixed(&out, state->sum_z2);
	appendStringInfoChar(&out, ')');
	PG_RETURN_CSTRING(out.data);
}

/* Read an int128 as two int64 halves */
static int128
getmsgint128(StringInfo buf)
{
	uint64		hi = pq_getmsgint64(buf);
	uint64		lo = pq_getmsgint64(buf);

	return (int128) (((uint128) hi << 64) | lo);
}

PG_FUNCTION_INFO_V1(passing_score_state_recv);
/*
 * Binary input: int64 plays, then each sum as two int64 halves
 */
Datum
passing_score_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PassingScoreState *state = palloc0(sizeof(PassingScoreState));

	state->n = pq_getmsgint64(buf);
	state->sum_z = getmsgint128(buf);
	state->sum_z2 = getmsgint128(buf);
	check_plays(state->n);
	if (!state_possible(state))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid passing_score_state: no plays could make it"),
				 errdetail("A state has no negative counts, and sums within what its plays' clamped z values (|z| <= 3.09) can reach.")));
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(passing_score_state_send);
/*
 * Binary output, the layout passing_score_state_recv reads
 */
Datum
passing_score_state_send(PG_FUNCTION_ARGS)
{
	PassingScoreState *state = PG_GETARG_PS_STATE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->n);
	pq_sendint64(&buf, (uint64) ((uint128) state->sum_z >> 64));
	pq_sendint64(&buf, (uint64) state->sum_z);
	pq_sendint64(&buf, (uint64) ((uint128) state->sum_z2 >> 64));
	pq_sendint64(&buf, (uint64) state->sum_z2);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
