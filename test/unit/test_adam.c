/*
 * test_adam.c: unit tests of lib/adam.c against torch.optim.Adam's closed form.
 */
#include <math.h>

#include "adam.h"
#include "unit.h"

/*
 * The first step moves every parameter by lr g / (|g| + eps): the bias-corrected moments
 * are g and g^2; a zero gradient moves nothing
 */
static void
test_first_step(void)
{
	float		params[4] = {1.0f, -2.0f, 0.5f, 3.0f};
	float		grad[4] = {0.25f, -4.0f, 0.0f, 1e-3f};
	float		m[4],
				v[4];
	Adam		adam;

	adam_setup(&adam, 4, 0.01, m, v);
	adam_step(&adam, params, grad);
	CHECK_INT(adam.steps, 1);
	for (int k = 0; k < 4; k++)
	{
		CHECK_NEAR(m[k], 0.1 * grad[k], 1e-7 * fabs(0.1 * grad[k]));
		CHECK_NEAR(v[k], 0.001 * grad[k] * grad[k], 1e-7 * 0.001 * grad[k] * grad[k]);
	}
	CHECK_NEAR(params[0], 1.0 - 0.01 * 0.25 / (0.25 + 1e-8), 1e-6);
	CHECK_NEAR(params[1], -2.0 + 0.01 * 4.0 / (4.0 + 1e-8), 1e-6);
	CHECK_SAME(params[2], 0.5f);
	CHECK_NEAR(params[3], 3.0 - 0.01 * 1e-3 / (1e-3 + 1e-8), 1e-6);
}

/*
 * The second step with gradients g1, g2: m = 0.9 (0.1 g1) + 0.1 g2 over 1 - 0.9^2,
 * v = 0.999 (0.001 g1^2) + 0.001 g2^2 over 1 - 0.999^2
 */
static void
test_second_step(void)
{
	float		params[1] = {0.0f};
	float		g1[1] = {2.0f};
	float		g2[1] = {-1.0f};
	float		m[1],
				v[1];
	Adam		adam;
	double		mhat = (0.9 * 0.1 * 2.0 + 0.1 * -1.0) / (1.0 - 0.81);
	double		vhat = (0.999 * 0.001 * 4.0 + 0.001 * 1.0) / (1.0 - 0.999 * 0.999);
	double		want = -0.1 * 2.0 / (2.0 + 1e-8) - 0.1 * mhat / (sqrt(vhat) + 1e-8);

	adam_setup(&adam, 1, 0.1, m, v);
	adam_step(&adam, params, g1);
	adam_step(&adam, params, g2);
	CHECK_INT(adam.steps, 2);
	CHECK_NEAR(params[0], want, 1e-6);
}

/* Weight decay adds decay * param to the gradient before the moments */
static void
test_weight_decay(void)
{
	float		params[1] = {2.0f};
	float		grad[1] = {0.0f};
	float		m[1],
				v[1];
	Adam		adam;

	adam_setup(&adam, 1, 0.5, m, v);
	adam.weight_decay = 0.25;
	adam_step(&adam, params, grad);
	CHECK_NEAR(m[0], 0.1 * 0.5, 1e-8);
	CHECK_NEAR(params[0], 2.0 - 0.5 * 0.5 / (0.5 + 1e-8), 1e-6);
}

/* Setting up clears moments the caller's buffers held and uses PyTorch's defaults */
static void
test_setup_clears(void)
{
	float		m[2] = {7.0f, 7.0f};
	float		v[2] = {7.0f, 7.0f};
	Adam		adam;

	adam_setup(&adam, 2, 1e-3, m, v);
	CHECK_SAME(m[0], 0.0);
	CHECK_SAME(v[1], 0.0);
	CHECK_SAME(adam.beta1, 0.9);
	CHECK_SAME(adam.beta2, 0.999);
	CHECK_SAME(adam.eps, 1e-8);
	CHECK_SAME(adam.weight_decay, 0.0);
	CHECK_INT(adam.steps, 0);
}

UNIT_SUITE(adam)
{
	UNIT_RUN(test_first_step);
	UNIT_RUN(test_second_step);
	UNIT_RUN(test_weight_decay);
	UNIT_RUN(test_setup_clears);
}
