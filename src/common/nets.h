/*
 * nets.h: lib/'s dense networks (mlp.h) and Adam optimizer (adam.h) in palloc'd memory,
 * for the pass and ghost models and their trainers, with their size errors as ereports.
 */
#ifndef NETS_H
#define NETS_H

#include "postgres.h"

#include "adam.h"
#include "mlp.h"

extern void mlp_check_sizes(int layers, const int *sizes);
extern Mlp *mlp_create(int layers, const int *sizes);
extern MlpBatch *mlp_batch_create(const Mlp *mlp, int max_rows);
extern Adam *adam_create(int nparams, double lr);

#endif
