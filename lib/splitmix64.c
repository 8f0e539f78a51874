/*
 * splitmix64.c: the one pseudo-random generator of ngs and its finalizer.
 */
#include "splitmix64.h"

/*
 * splitmix64's finalizer: a bijection of 64-bit words that mixes every bit
 */
uint64_t
splitmix64_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/*
 * Seed the generator
 */
void
rng_seed(Rng *rng, uint64_t seed)
{
	rng->state = seed;
}

/*
 * The next 64 random bits
 */
uint64_t
rng_next(Rng *rng)
{
	rng->state += SPLITMIX64_GAMMA;
	return splitmix64_mix(rng->state);
}

/*
 * A uniform double in [0, 1) from the top 53 bits
 */
double
rng_uniform(Rng *rng)
{
	return (double) (rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

/*
 * A uniform double strictly inside (0, 1): 53 random bits, centred in their cell
 */
double
rng_uniform_open(Rng *rng)
{
	return ((double) (rng_next(rng) >> 11) + 0.5) / 9007199254740992.0;
}

/*
 * Fisher-Yates shuffle of n items
 */
void
rng_shuffle(Rng *rng, int32_t *items, int n)
{
	for (int i = n - 1; i > 0; i--)
	{
		int			j = (int) (rng_next(rng) % (uint64_t) (i + 1));
		int32_t		t = items[i];

		items[i] = items[j];
		items[j] = t;
	}
}
