/*
 * test_kfold.c: unit tests of lib/kfold.c.
 */
#include <string.h>

#include "kfold.h"
#include "unit.h"

/* A bigint key folds as its 8 little-endian bytes */
static void
test_bigint_equals_its_bytes(void)
{
	unsigned char bytes[8] = {0x40, 0x0d, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00};

	CHECK_INT(kfold_int64(200000, 5, 1), kfold_bytes(bytes, 8, 5, 1));
	CHECK_INT(kfold_int64(-1, 7, 3), kfold_bytes((const unsigned char *) "\xff\xff\xff\xff\xff\xff\xff\xff", 8, 7, 3));
}

/* Every fold is in 0..k-1 and the folds are roughly balanced */
static void
test_folds_balanced(void)
{
	int			count[5] = {0};

	for (int64_t key = 0; key < 50000; key++)
	{
		int32_t		f = kfold_int64(key, 5, 0);

		CHECK(f >= 0 && f < 5);
		if (f >= 0 && f < 5)
			count[f]++;
	}
	for (int f = 0; f < 5; f++)
		CHECK(count[f] > 9500 && count[f] < 10500);
}

/* The seed changes the split; the empty key has a fold */
static void
test_seed_and_empty_key(void)
{
	int			differ = 0;

	for (int64_t key = 0; key < 100; key++)
		differ += kfold_int64(key, 10, 1) != kfold_int64(key, 10, 2);
	CHECK(differ > 50);
	CHECK(kfold_bytes((const unsigned char *) "", 0, 3, 0) < 3);
	CHECK_INT(kfold_bytes((const unsigned char *) "2018090600", strlen("2018090600"), 2, 0),
			  kfold_bytes((const unsigned char *) "2018090600", 10, 2, 0));
}

UNIT_SUITE(kfold)
{
	UNIT_RUN(test_bigint_equals_its_bytes);
	UNIT_RUN(test_folds_balanced);
	UNIT_RUN(test_seed_and_empty_key);
}
