/*
 * nets.c: lib/'s dense networks and Adam optimizer in the current memory context.
 */
#include "postgres.h"

#include "common/nets.h"

/*
 * Refuse a layer count or a layer size outside the limits
 */
void
mlp_check_sizes(int layers, const int *sizes)
{
	int			bad = 0;

	switch (mlp_check(layers, sizes, &bad))
	{
		case MLP_OK:
			break;
		case MLP_BAD_LAYERS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a network must have between 1 and %d layers, not %d", MLP_MAX_LAYERS, layers),
					 errhint("Use fewer hidden layers.")));
			break;
		case MLP_BAD_WIDTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a layer must have between 1 and %d units, not %d", MLP_MAX_WIDTH, sizes[bad]),
					 errhint("Use narrower layers.")));
			break;
	}
}

/*
 * A network of the given sizes (checked), parameters zero, in the current memory context
 */
Mlp *
mlp_create(int layers, const int *sizes)
{
	Mlp		   *mlp = palloc0(sizeof(Mlp));

	mlp_check_sizes(layers, sizes);
	mlp_bind(mlp, layers, sizes, palloc0(sizeof(float) * mlp_param_count(layers, sizes)));
	return mlp;
}

/*
 * Buffers for batches of up to max_rows rows (one allocation, which may pass 1 GB)
 */
MlpBatch *
mlp_batch_create(const Mlp *mlp, int max_rows)
{
	MlpBatch   *batch = palloc0(sizeof(MlpBatch));
	Size		bytes = sizeof(float) * mlp_batch_floats(mlp, max_rows);

	mlp_batch_bind(batch, mlp, max_rows, palloc_extended(bytes, MCXT_ALLOC_HUGE));
	return batch;
}

/*
 * An optimizer for nparams parameters with PyTorch's default betas and eps
 */
Adam *
adam_create(int nparams, double lr)
{
	Adam	   *adam = palloc0(sizeof(Adam));

	adam_setup(adam, nparams, lr, palloc(sizeof(float) * nparams), palloc(sizeof(float) * nparams));
	return adam;
}
