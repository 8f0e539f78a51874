/*
 * test_splitmix64.c: unit tests of lib/splitmix64.c.
 */
#include <stdint.h>

#include "splitmix64.h"
#include "unit.h"

/* The reference outputs of splitmix64 seeded with 0 (Vigna's splitmix64.c) */
static void
test_reference_sequence(void)
{
	Rng			rng;

	rng_seed(&rng, 0);
	CHECK(rng_next(&rng) == UINT64_C(0xe220a8397b1dcdaf));
	CHECK(rng_next(&rng) == UINT64_C(0x6e789e6aa1b965f4));
	CHECK(rng_next(&rng) == UINT64_C(0x06c45d188009454f));
}

/* Uniform draws stay in their intervals, and the open one never touches 0 or 1 */
static void
test_uniform_ranges(void)
{
	Rng			rng;
	int			bad = 0;

	rng_seed(&rng, 42);
	for (int i = 0; i < 100000; i++)
	{
		double		u = rng_uniform(&rng);
		double		v = rng_uniform_open(&rng);

		bad += !(u >= 0.0 && u < 1.0) + !(v > 0.0 && v < 1.0);
	}
	CHECK_INT(bad, 0);
}

/* A shuffle is a permutation, and the same seed gives the same one */
static void
test_shuffle_permutes(void)
{
	int32_t		a[50],
				b[50];
	int			seen[50] = {0};
	Rng			r1,
				r2;

	for (int i = 0; i < 50; i++)
		a[i] = b[i] = i;
	rng_seed(&r1, 7);
	rng_seed(&r2, 7);
	rng_shuffle(&r1, a, 50);
	rng_shuffle(&r2, b, 50);
	for (int i = 0; i < 50; i++)
	{
		CHECK_INT(a[i], b[i]);
		seen[a[i]]++;
	}
	for (int i = 0; i < 50; i++)
		CHECK_INT(seen[i], 1);
}

UNIT_SUITE(splitmix64)
{
	UNIT_RUN(test_reference_sequence);
	UNIT_RUN(test_uniform_ranges);
	UNIT_RUN(test_shuffle_permutes);
}
