/*
 * kfold.c: the fold of a key, a hash of its bytes and the seed defined here (splitmix64's
 * finalizer over 8-byte little-endian words), never PostgreSQL's hash functions, so it is
 * the same on every platform and in every version.  The README states the recipe.
 */
#include "kfold.h"
#include "splitmix64.h"

/*
 * The fold of len key bytes, k >= 1: h = mix(seed + gamma); h = mix(h ^ word) for each
 * little-endian 8-byte word (the last zero-padded); h = mix(h ^ len); fold = h mod k
 */
int32_t
kfold_bytes(const unsigned char *key, size_t len, int32_t k, int32_t seed)
{
	uint64_t	h = splitmix64_mix((uint64_t) (int64_t) seed + SPLITMIX64_GAMMA);

	for (size_t start = 0; start < len; start += 8)
	{
		uint64_t	word = 0;

		for (size_t i = start; i < len && i < start + 8; i++)
			word |= (uint64_t) key[i] << (8 * (i - start));
		h = splitmix64_mix(h ^ word);
	}
	h = splitmix64_mix(h ^ (uint64_t) len);
	return (int32_t) (h % (uint64_t) k);
}

/*
 * The fold of a 64-bit key: the fold of its 8 little-endian bytes
 */
int32_t
kfold_int64(int64_t key, int32_t k, int32_t seed)
{
	unsigned char bytes[8];

	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char) ((uint64_t) key >> (8 * i));
	return kfold_bytes(bytes, sizeof(bytes), k, seed);
}
