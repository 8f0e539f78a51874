/*
 * kfold.c: ngs.kfold, a deterministic fold 0..k-1 for a key, to split data by game
 * (or by any key) for cross-validation with one expression.
 *
 * The fold is a hash of the key's bytes and the seed, defined here (splitmix64's
 * finalizer over 8-byte little-endian words), never PostgreSQL's hash functions, so it
 * is the same on every platform and in every version.  The README states the recipe.
 */
#include "postgres.h"

#include "ngs.h"
#include "fmgr.h"

#define KFOLD_GOLDEN_GAMMA	UINT64CONST(0x9e3779b97f4a7c15)

/*
 * splitmix64's finalizer: a bijection of 64-bit words that mixes every bit
 */
static inline uint64
kfold_mix(uint64 z)
{
	z = (z ^ (z >> 30)) * UINT64CONST(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/*
 * The fold of len key bytes: h = mix(seed + gamma); h = mix(h ^ word) for each
 * little-endian 8-byte word (the last zero-padded); h = mix(h ^ len); fold = h mod k
 */
static int32
kfold_bytes(const unsigned char *key, Size len, int32 k, int32 seed)
{
	uint64		h = kfold_mix((uint64) (int64) seed + KFOLD_GOLDEN_GAMMA);

	for (Size start = 0; start < len; start += 8)
	{
		uint64		word = 0;

		for (Size i = start; i < len && i < start + 8; i++)
			word |= (uint64) key[i] << (8 * (i - start));
		h = kfold_mix(h ^ word);
	}
	h = kfold_mix(h ^ (uint64) len);
	return (int32) (h % (uint64) k);
}

/*
 * Refuse fewer than two folds
 */
static inline void
kfold_check_k(int32 k)
{
	if (k < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be at least 2, not %d", k),
				 errhint("Cross-validation needs two folds or more; 5 or 10 are usual.")));
}

/*
 * ngs.kfold(key bigint, k, seed): the fold of the key's 8 little-endian bytes
 */
PG_FUNCTION_INFO_V1(kfold_bigint);
Datum
kfold_bigint(PG_FUNCTION_ARGS)
{
	uint64		key = (uint64) PG_GETARG_INT64(0);
	int32		k = PG_GETARG_INT32(1);
	int32		seed = PG_GETARG_INT32(2);
	unsigned char bytes[8];

	kfold_check_k(k);
	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char) (key >> (8 * i));
	PG_RETURN_INT32(kfold_bytes(bytes, sizeof(bytes), k, seed));
}

/*
 * ngs.kfold(key text, k, seed): the fold of the key's bytes in the database encoding
 */
PG_FUNCTION_INFO_V1(kfold_text);
Datum
kfold_text(PG_FUNCTION_ARGS)
{
	text	   *key = PG_GETARG_TEXT_PP(0);
	int32		k = PG_GETARG_INT32(1);
	int32		seed = PG_GETARG_INT32(2);

	kfold_check_k(k);
	PG_RETURN_INT32(kfold_bytes((unsigned char *) VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key), k,
								seed));
}
