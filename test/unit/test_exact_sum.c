/*
 * test_exact_sum.c: unit tests of lib/exact_sum.c.
 */
#include <string.h>

#include "exact_sum.h"
#include "splitmix64.h"
#include "unit.h"

/* Sums of the same terms in any order, or merged from parts, have the same bits */
static void
test_order_independent(void)
{
	double		x[1000];
	int32_t		order[1000];
	ExactSum	forward = {{0}},
				shuffled = {{0}},
				part1 = {{0}},
				part2 = {{0}};
	Rng			rng;

	rng_seed(&rng, 3);
	for (int i = 0; i < 1000; i++)
	{
		x[i] = ldexp(rng_uniform(&rng), (int) (rng_next(&rng) % 120) - 60);
		order[i] = i;
	}
	rng_shuffle(&rng, order, 1000);
	for (int i = 0; i < 1000; i++)
	{
		exact_sum_add(&forward, x[i]);
		exact_sum_add(&shuffled, x[order[i]]);
		exact_sum_add(i % 3 ? &part1 : &part2, x[order[i]]);
	}
	exact_sum_merge(&part1, &part2);
	CHECK(memcmp(&forward, &shuffled, sizeof(ExactSum)) == 0);
	CHECK(memcmp(&forward, &part1, sizeof(ExactSum)) == 0);
}

/* Tiny terms next to big ones are not lost, unlike in floating point */
static void
test_no_absorption(void)
{
	ExactSum	s = {{0}};

	exact_sum_add(&s, 1e16);
	for (int i = 0; i < 1000; i++)
		exact_sum_add(&s, 1.0);
	CHECK_SAME(exact_sum_value(&s), 1e16 + 1000.0);
	memset(&s, 0, sizeof(s));
	exact_sum_add(&s, 4.9406564584124654e-324);	/* the smallest subnormal */
	exact_sum_add(&s, 4.9406564584124654e-324);
	CHECK_SAME(exact_sum_value(&s), 9.8813129168249309e-324);
}

/* Carries cross every word up to the top */
static void
test_carries(void)
{
	ExactSum	s = {{0}};

	for (int i = 0; i < 64; i++)
		exact_sum_add(&s, 18446744073709549568.0);	/* the largest double below 2^64 */
	CHECK_SAME(exact_sum_value(&s), 64 * 18446744073709549568.0);
	CHECK_SAME(exact_sum_value(&(ExactSum) {{0}}), 0.0);
}

UNIT_SUITE(exact_sum)
{
	UNIT_RUN(test_order_independent);
	UNIT_RUN(test_no_absorption);
	UNIT_RUN(test_carries);
}
