/*
 * exact_sum.h: an exact sum of non-negative doubles below 2^64, as a 1280-bit fixed-point
 * integer whose lowest bit is worth 2^-EXACT_SUM_OFFSET.  Because no bit is ever rounded
 * away, the sum does not depend on the order of the terms, so parallel and serial plans agree.
 */
#ifndef EXACT_SUM_H
#define EXACT_SUM_H

#include <stdint.h>

#define EXACT_SUM_WORDS		20
#define EXACT_SUM_OFFSET	1152	/* 18 words below 2^0, down to 2^-1074 */

typedef struct ExactSum
{
	uint64_t	word[EXACT_SUM_WORDS];	/* the total, low word first */
} ExactSum;

extern void exact_sum_add(ExactSum *sum, double x);
extern void exact_sum_merge(ExactSum *sum, const ExactSum *other);
extern double exact_sum_value(const ExactSum *sum);

#endif
