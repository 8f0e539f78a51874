/*
 * splitmix64.h: the one pseudo-random generator of ngs (splitmix64, Steele, Lea and Flood
 * 2014) and its finalizer, so that training, sampling and folds are the same bits on every
 * platform and in every version.
 */
#ifndef SPLITMIX64_H
#define SPLITMIX64_H

#include <stdint.h>

/* A generator: its whole state is one 64-bit word */
typedef struct Rng
{
	uint64_t	state;			/* advanced by the golden gamma at every draw */
} Rng;

#define SPLITMIX64_GAMMA	UINT64_C(0x9e3779b97f4a7c15)

extern uint64_t splitmix64_mix(uint64_t z);
extern void rng_seed(Rng *rng, uint64_t seed);
extern uint64_t rng_next(Rng *rng);
extern double rng_uniform(Rng *rng);
extern double rng_uniform_open(Rng *rng);
extern void rng_shuffle(Rng *rng, int32_t *items, int n);

#endif
