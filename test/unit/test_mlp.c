/*
 * test_mlp.c: unit tests of lib/mlp.c: sizes, layout, a forward pass by hand, batched
 * passes against one-row ones, and the gradient against finite differences.
 */
#include <math.h>
#include <string.h>

#include "mlp.h"
#include "unit.h"

/* A 2-3-2 network with hand-picked weights */
static void
hand_network(Mlp *mlp, float *params)
{
	int			sizes[3] = {2, 3, 2};
	float		values[] = {
		/* layer 0: weight [3][2], bias [3] */
		1.0f, 2.0f, -1.0f, 0.5f, 0.0f, -3.0f, 0.5f, 0.0f, 1.0f,
		/* layer 1: weight [2][3], bias [2] */
		1.0f, -1.0f, 2.0f, 0.5f, 0.25f, 0.0f, -1.0f, 0.125f
	};

	mlp_bind(mlp, 2, sizes, params);
	memcpy(params, values, sizeof(values));
}

/* Sizes outside the limits are named; the parameter count and layout follow the sizes */
static void
test_sizes_and_layout(void)
{
	int			ok[3] = {2, 3, 2};
	int			wide[3] = {2, MLP_MAX_WIDTH + 1, 2};
	int			bad = -1;
	float		params[17];
	Mlp			mlp;

	CHECK_INT(mlp_check(2, ok, &bad), MLP_OK);
	CHECK_INT(mlp_check(0, ok, &bad), MLP_BAD_LAYERS);
	CHECK_INT(mlp_check(MLP_MAX_LAYERS + 1, ok, &bad), MLP_BAD_LAYERS);
	CHECK_INT(mlp_check(2, wide, &bad), MLP_BAD_WIDTH);
	CHECK_INT(bad, 1);
	CHECK_INT(mlp_param_count(2, ok), 3 * 3 + 2 * 4);
	mlp_bind(&mlp, 2, ok, params);
	CHECK_INT(mlp.nparams, 17);
	CHECK(mlp.weight[0] == params && mlp.bias[0] == params + 6);
	CHECK(mlp.weight[1] == params + 9 && mlp.bias[1] == params + 15);
}

/* Hidden = relu([1 2; -1 .5; 0 -3] x + [.5 0 1]); out = [1 -1 2; .5 .25 0] h + [-1 .125] */
static void
test_forward_by_hand(void)
{
	float		params[17];
	float		x[2] = {1.0f, 2.0f};
	float		out[2];
	Mlp			mlp;

	hand_network(&mlp, params);
	mlp_forward_row(&mlp, x, out);
	/* hidden: 1 + 4 + .5 = 5.5; -1 + 1 + 0 = 0; -6 + 1 = -5 -> 0 */
	CHECK_SAME(out[0], 5.5 - 1.0);
	CHECK_SAME(out[1], 0.5 * 5.5 + 0.125);
}

/* A batch gives each row what one-row inference gives, bit for bit */
static void
test_batch_equals_rows(void)
{
	int			sizes[4] = {5, 12, 9, 3};
	float		params[256];
	float		x[4 * 5];
	float		buffer[1000];
	float		one[3];
	const float *out;
	Mlp			mlp;
	MlpBatch	batch;
	Rng			rng;

	CHECK(mlp_param_count(3, sizes) <= 256);
	mlp_bind(&mlp, 3, sizes, params);
	rng_seed(&rng, 11);
	mlp_init(&mlp, &rng);
	for (int k = 0; k < 20; k++)
		x[k] = (float) (4.0 * rng_uniform(&rng) - 2.0);
	CHECK(mlp_batch_floats(&mlp, 4) <= 1000);
	mlp_batch_bind(&batch, &mlp, 4, buffer);
	out = mlp_forward(&mlp, &batch, x, 4);
	for (int r = 0; r < 4; r++)
	{
		mlp_forward_row(&mlp, x + r * 5, one);
		for (int k = 0; k < 3; k++)
			CHECK_SAME(out[r * 3 + k], one[k]);
	}
}

/* PyTorch's initialisation bounds: every weight and bias within 1/sqrt(inputs) */
static void
test_init_bounds(void)
{
	int			sizes[3] = {16, 4, 1};
	float		params[16 * 4 + 4 + 4 + 1];
	Mlp			mlp;
	Rng			rng;

	mlp_bind(&mlp, 2, sizes, params);
	rng_seed(&rng, 5);
	mlp_init(&mlp, &rng);
	for (int k = 0; k < 16 * 4 + 4; k++)
		CHECK(fabs(params[k]) <= 0.25);
	for (int k = 16 * 4 + 4; k < mlp.nparams; k++)
		CHECK(fabs(params[k]) <= 0.5);
}

/* Loss sum_r sum_k c_k out[r][k] of the network on a batch, in double */
static double
batch_loss(const Mlp *mlp, MlpBatch *batch, const float *x, int rows, const float *c, int outputs)
{
	const float *out = mlp_forward(mlp, batch, x, rows);
	double		loss = 0.0;

	for (int k = 0; k < rows * outputs; k++)
		loss += (double) c[k] * out[k];
	return loss;
}

/* mlp_backward's gradient matches central differences for every parameter */
static void
test_gradient(void)
{
	int			sizes[4] = {3, 6, 5, 2};
	float		params[100];
	float		grad[100];
	float		x[2 * 3] = {0.7f, -1.2f, 0.4f, -0.3f, 0.9f, 1.5f};
	float		c[2 * 2] = {1.0f, -0.5f, 0.25f, 2.0f};
	float		buffer[200];
	Mlp			mlp;
	MlpBatch	batch;
	Rng			rng;

	mlp_bind(&mlp, 3, sizes, params);
	rng_seed(&rng, 3);
	mlp_init(&mlp, &rng);
	mlp_batch_bind(&batch, &mlp, 2, buffer);
	memset(grad, 0, sizeof(grad));
	mlp_forward(&mlp, &batch, x, 2);
	mlp_backward(&mlp, &batch, x, c, 2, grad);
	for (int p = 0; p < mlp.nparams; p++)
	{
		float		keep = params[p];
		float		h = 1e-2f;
		double		up,
					down;

		params[p] = keep + h;
		up = batch_loss(&mlp, &batch, x, 2, c, 2);
		params[p] = keep - h;
		down = batch_loss(&mlp, &batch, x, 2, c, 2);
		params[p] = keep;
		CHECK_NEAR(grad[p], (up - down) / (2.0 * h), 1e-4 * (1.0 + fabs(grad[p])));
	}
}

UNIT_SUITE(mlp)
{
	UNIT_RUN(test_sizes_and_layout);
	UNIT_RUN(test_forward_by_hand);
	UNIT_RUN(test_batch_equals_rows);
	UNIT_RUN(test_init_bounds);
	UNIT_RUN(test_gradient);
}
