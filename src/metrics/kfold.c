/*
 * kfold.c: ngs.kfold, a deterministic fold 0..k-1 for a key, to split data by game
 * (or by any key) for cross-validation with one expression.
 * The fold itself is lib/kfold.c's, which the trainers' validation split also calls.
 */
#include "postgres.h"
#include "common/pg_compat.h"

#include "common/ngs.h"
#include "fmgr.h"
#include "kfold.h"

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
	int64		key = PG_GETARG_INT64(0);
	int32		k = PG_GETARG_INT32(1);
	int32		seed = PG_GETARG_INT32(2);

	kfold_check_k(k);
	PG_RETURN_INT32(kfold_int64(key, k, seed));
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
