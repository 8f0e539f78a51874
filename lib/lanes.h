/*
 * lanes.h: eight floats side by side, for the scoring kernels (tcn.c, pass_net.c).
 *
 * With GCC or Clang a Lanes is a vector the compiler keeps in one register (two without
 * AVX), through the vector extension, no intrinsics; elsewhere (or with LANES_PLAIN) it
 * is a plain array of eight floats.  Either way lanes_madd computes acc + x * w lane by
 * lane, so each lane's sum runs in the same order and gives the same bits.  On x86-64 the
 * kernels that use it get an AVX2/FMA clone, chosen at load time (LANES_CLONES), where
 * the compiler contracts x * w + acc into one fused multiply-add.
 */
#ifndef LANES_H
#define LANES_H

#include <string.h>

#define LANES				8	/* floats in a Lanes */

#if defined(__GNUC__) && !defined(LANES_PLAIN)
typedef float Lanes __attribute__((vector_size(LANES * sizeof(float))));
typedef float LanesUnaligned __attribute__((vector_size(LANES * sizeof(float)), aligned(4)));

/*
 * The eight floats at p (any float address), a store of eight there, and acc + x * w lane
 * by lane; macros, as a function may not return a vector wider than the default target's
 */
#define lanes_load(p)			(*(const LanesUnaligned *) (p))
#define lanes_store(p, v)		(*(LanesUnaligned *) (p) = (v))
#define lanes_madd(acc, x, w)	((acc) + (x) * (w))
#else
typedef struct Lanes
{
	float		v[LANES];
} Lanes;

/* The eight floats at p */
static inline Lanes
lanes_load(const float *p)
{
	Lanes		l;

	memcpy(l.v, p, sizeof(l.v));
	return l;
}

/* Store eight floats at p */
static inline void
lanes_store(float *p, Lanes v)
{
	memcpy(p, v.v, sizeof(v.v));
}

/* acc + x * w, lane by lane */
static inline Lanes
lanes_madd(Lanes acc, float x, Lanes w)
{
	for (int k = 0; k < LANES; k++)
		acc.v[k] += x * w.v[k];
	return acc;
}
#endif

/* An AVX2/FMA clone of a hot loop, chosen at load time, where the compiler can make one */
#if defined(__GNUC__) && !defined(LANES_PLAIN) && defined(__x86_64__) && defined(__has_attribute) && !defined(__FMA__)
#if __has_attribute(target_clones)
#define LANES_CLONES __attribute__((target_clones("default", "fma")))
#endif
#endif
#ifndef LANES_CLONES
#define LANES_CLONES
#endif

#endif
