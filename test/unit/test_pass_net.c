/*
 * test_pass_net.c: unit tests of lib/pass_net.c: the scoring network (normalisation, the
 * TCN, the context, the MLP) against the formula computed directly (tcn_fixture.h).
 */
#include <math.h>
#include <string.h>

#include "pass_net.h"
#include "tcn_fixture.h"
#include "unit.h"

#define NI					6	/* input channels */
#define NS					2	/* context values */
#define NH					5	/* hidden units */
#define NO					7	/* outputs */

/* A network of a random TCN (NI inputs, 3 levels of 4, kernel 2) and MLP, and its parts */
typedef struct Fx
{
	FxTcn		tcn;
	float		input_mean[NI];
	float		input_std[NI];
	float		context_mean[NS];
	float		context_std[NS];
	float		w0[NH * (4 + NS)];	/* PyTorch's [out][in] */
	float		b0[NH];
	float		w1[NO * NH];
	float		b1[NO];
	PassDense	layer[2];
	PassNet		net;
} Fx;

/* Build the network from a seed */
static void
fx_network(Fx *f, uint64_t seed)
{
	Rng			rng;

	fx_pool_reset();
	fx_tcn(&f->tcn, NI, 3, 4, 2, seed);
	rng_seed(&rng, seed + 1);
	for (int c = 0; c < NI; c++)
	{
		f->input_mean[c] = fx_uniform(&rng, 3.0);
		f->input_std[c] = 0.5f + (float) rng_uniform(&rng);
	}
	for (int k = 0; k < NS; k++)
	{
		f->context_mean[k] = fx_uniform(&rng, 3.0);
		f->context_std[k] = 0.5f + (float) rng_uniform(&rng);
	}
	for (int k = 0; k < NH * (4 + NS); k++)
		f->w0[k] = fx_uniform(&rng, 0.7);
	for (int k = 0; k < NH; k++)
		f->b0[k] = fx_uniform(&rng, 0.2);
	for (int k = 0; k < NO * NH; k++)
		f->w1[k] = fx_uniform(&rng, 0.7);
	for (int k = 0; k < NO; k++)
		f->b1[k] = fx_uniform(&rng, 0.2);
	memset(&f->net, 0, sizeof(PassNet));
	f->net.input_mean = f->input_mean;
	f->net.input_std = f->input_std;
	f->net.context = NS;
	f->net.context_mean = f->context_mean;
	f->net.context_std = f->context_std;
	fx_packed(&f->tcn, &f->net.tcn);
	pass_dense_pack(&f->layer[0], NH, 4 + NS, f->w0, f->b0,
					fx_alloc(pass_dense_weight_floats(NH, 4 + NS)), fx_alloc(pass_dense_bias_floats(NH)));
	pass_dense_pack(&f->layer[1], NO, NH, f->w1, f->b1,
					fx_alloc(pass_dense_weight_floats(NO, NH)), fx_alloc(pass_dense_bias_floats(NO)));
	f->net.layers = 2;
	f->net.layer = f->layer;
}

/* The network's outputs computed directly from the formula, over all `rows` frames */
static void
direct(const Fx *f, const float *raw, int rows, const float *context, float *out)
{
	float		x[FX_MAX_ROWS * NI];
	float		z[4 + NS];
	float		h[NH];

	for (int t = 0; t < rows; t++)
		for (int c = 0; c < NI; c++)
		{
			float		v = (raw[t * NI + c] - f->input_mean[c]) / f->input_std[c];

			x[t * NI + c] = isnan(v) ? 0.0f : v;
		}
	fx_forward_direct(&f->tcn, x, rows, z);
	for (int k = 0; k < NS; k++)
	{
		float		v = (context[k] - f->context_mean[k]) / f->context_std[k];

		z[4 + k] = isnan(v) ? 0.0f : v;
	}
	for (int o = 0; o < NH; o++)
	{
		float		sum = f->b0[o];

		for (int i = 0; i < 4 + NS; i++)
			sum += z[i] * f->w0[o * (4 + NS) + i];
		h[o] = sum > 0 ? sum : 0;
	}
	for (int o = 0; o < NO; o++)
	{
		float		sum = f->b1[o];

		for (int i = 0; i < NH; i++)
			sum += h[i] * f->w1[o * NH + i];
		out[o] = sum;
	}
}

/* Score the last pass_net_rows frames of a play in a work area full of garbage */
static void
score(const Fx *f, const float *raw, int frames, const float *context, float *out)
{
	int			rows = pass_net_rows(&f->net, frames);
	size_t		floats = pass_net_work_floats(&f->net, rows);
	float	   *work = fx_alloc(floats);

	for (size_t k = 0; k < floats; k++)
		work[k] = (float) k * 1e30f;
	memcpy(out, pass_net_forward(&f->net, raw + (size_t) (frames - rows) * NI, rows, context, work),
		   sizeof(float) * NO);
}

/*
 * The outputs are the formula's, for short and long plays, with missing (NaN) inputs and
 * context values read as the mean
 */
static void
test_against_direct(void)
{
	Fx			f;
	float		raw[FX_MAX_ROWS * NI];
	float		context[2][NS] = {{1.5f, -0.5f}, {NAN, 2.0f}};
	int			frames[] = {1, 3, 8, 15, 40};

	fx_network(&f, 500);
	CHECK_INT(f.net.tcn.shape.receptive, 15);
	fx_input(raw, FX_MAX_ROWS, NI, 5);
	for (int k = 0; k < FX_MAX_ROWS * NI; k += 11)
		raw[k] = NAN;
	for (int c = 0; c < 2; c++)
		for (int n = 0; n < 5; n++)
		{
			float		want[NO];
			float		got[NO];

			direct(&f, raw, frames[n], context[c], want);
			score(&f, raw, frames[n], context[c], got);
			for (int o = 0; o < NO; o++)
				CHECK_NEAR(got[o], want[o], 1e-5 * (1.0 + fabs(want[o])));
		}
}

/* A missing context value (NaN) scores as its mean */
static void
test_missing_is_mean(void)
{
	Fx			f;
	float		raw[8 * NI];
	float		missing[NS] = {NAN, 1.0f};
	float		mean[NS];
	float		a[NO],
				b[NO];

	fx_network(&f, 600);
	fx_input(raw, 8, NI, 3);
	mean[0] = f.context_mean[0];
	mean[1] = 1.0f;
	score(&f, raw, 8, missing, a);
	score(&f, raw, 8, mean, b);
	for (int o = 0; o < NO; o++)
		CHECK_SAME(a[o], b[o]);
}

/* A play reads its last `receptive` frames; packing transposes and pads the MLP's weights */
static void
test_rows_and_packing(void)
{
	Fx			f;

	fx_network(&f, 700);
	CHECK_INT(pass_net_rows(&f.net, 3), 3);
	CHECK_INT(pass_net_rows(&f.net, 100), 15);
	CHECK_INT(pass_dense_weight_floats(NO, NH), TCN_BLOCK * NH);
	CHECK_INT(pass_dense_bias_floats(17), 2 * TCN_BLOCK);
	CHECK_SAME(f.layer[1].weight[2 * TCN_BLOCK + 3], f.w1[3 * NH + 2]);
	CHECK_SAME(f.layer[1].weight[2 * TCN_BLOCK + NO], 0.0);
	CHECK_SAME(f.layer[1].bias[NO], 0.0);
}

UNIT_SUITE(pass_net)
{
	UNIT_RUN(test_against_direct);
	UNIT_RUN(test_missing_is_mean);
	UNIT_RUN(test_rows_and_packing);
}
