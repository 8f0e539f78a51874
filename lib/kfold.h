/*
 * kfold.h: a deterministic fold 0..k-1 of a key, to split data by game (or any key) for
 * cross-validation; what ngs.kfold returns and what the trainers' validation split uses.
 */
#ifndef KFOLD_H
#define KFOLD_H

#include <stddef.h>
#include <stdint.h>

extern int32_t kfold_bytes(const unsigned char *key, size_t len, int32_t k, int32_t seed);
extern int32_t kfold_int64(int64_t key, int32_t k, int32_t seed);

#endif
