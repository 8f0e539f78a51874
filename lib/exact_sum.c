/*
 * exact_sum.c: order-independent exact sums of non-negative doubles.
 */
#include <math.h>

#include "exact_sum.h"

/*
 * Add word v at word index k of an exact sum, carrying upward
 */
static void
exact_sum_add_word(ExactSum *sum, int k, uint64_t v)
{
	for (; v != 0 && k < EXACT_SUM_WORDS; k++)
	{
		uint64_t	old = sum->word[k];

		sum->word[k] = old + v;
		v = sum->word[k] < old; /* the carry out of this word */
	}
}

/*
 * Add a finite x in [0, 2^64) to an exact sum, losing no bit; the caller checks the range
 */
void
exact_sum_add(ExactSum *sum, double x)
{
	int			exponent;
	uint64_t	mantissa;
	int			bit;

	if (!(x > 0.0 && x < 18446744073709551616.0))
		return;
	/* x = mantissa * 2^(exponent - 53) exactly, mantissa a 53-bit integer */
	mantissa = (uint64_t) ldexp(frexp(x, &exponent), 53);
	bit = exponent - 53 + EXACT_SUM_OFFSET;
	exact_sum_add_word(sum, bit / 64, mantissa << (bit % 64));
	if (bit % 64 != 0)
		exact_sum_add_word(sum, bit / 64 + 1, mantissa >> (64 - bit % 64));
}

/*
 * Add one exact sum into another
 */
void
exact_sum_merge(ExactSum *sum, const ExactSum *other)
{
	uint64_t	carry = 0;

	for (int k = 0; k < EXACT_SUM_WORDS; k++)
	{
		uint64_t	a = sum->word[k];
		uint64_t	b = other->word[k] + carry;

		carry = b < carry;
		sum->word[k] = a + b;
		carry += sum->word[k] < a;
	}
}

/*
 * The double nearest (within an ulp or two) an exact sum; a function of the bits only
 */
double
exact_sum_value(const ExactSum *sum)
{
	double		value = 0.0;

	for (int k = 0; k < EXACT_SUM_WORDS; k++)
		value += ldexp((double) sum->word[k], 64 * k - EXACT_SUM_OFFSET);
	return value;
}
