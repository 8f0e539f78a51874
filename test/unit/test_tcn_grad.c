/*
 * test_tcn_grad.c: unit tests of lib/tcn_grad.c: the trainable TCN's layout, its forward
 * pass against the scoring one and the direct formula (tcn_fixture.h), its backward pass
 * against finite differences, and the export to PyTorch's layout.
 */
#include <math.h>
#include <string.h>

#include "tcn.h"
#include "tcn_fixture.h"
#include "unit.h"

/* Parameters: per level conv1, conv2 and the downsample where the widths differ */
static void
test_layout(void)
{
	Tcn			tcn;
	float		params[1000];
	float		transposed[1000];

	CHECK_INT(tcn_param_count(5, 2, 4, 3), (3 * 5 * 4 + 4) + (3 * 4 * 4 + 4) + (5 * 4 + 4) +
			  (3 * 4 * 4 + 4) + (3 * 4 * 4 + 4));
	CHECK_INT(tcn_param_count(4, 1, 4, 2), (2 * 4 * 4 + 4) * 2);
	CHECK_INT(tcn_transposed_floats(2, 4, 3), 3 * 3 * 4 * 4);
	CHECK_INT(tcn_work_bytes(2, 4, 10), sizeof(float) * 10 * 4 * 12);
	tcn_layout(&tcn, 5, 2, 4, 3, params, transposed);
	CHECK_INT(tcn.shape.receptive, tcn_receptive_field(2, 3));
	CHECK_INT(tcn.level[0].downsample.kernel, 1);
	CHECK_INT(tcn.level[1].downsample.kernel, 0);
	CHECK(tcn.level[0].conv1.weight == params);
	CHECK(tcn.level[0].conv1.weight_t == NULL);
	CHECK(tcn.level[1].conv1.weight_t != NULL);
	CHECK(tcn.level[1].conv2.bias + 4 == params + tcn.nparams);
}

/* Without params and transposed, the layout is the shape alone: the same sizes, no weights */
static void
test_layout_shape_only(void)
{
	Tcn			full,
				shape;
	float		params[1000];
	float		transposed[1000];

	tcn_layout(&full, 5, 2, 4, 3, params, transposed);
	tcn_layout(&shape, 5, 2, 4, 3, NULL, NULL);
	CHECK_INT(shape.nparams, full.nparams);
	CHECK_INT(shape.shape.receptive, full.shape.receptive);
	for (int l = 0; l < 2; l++)
	{
		CHECK_INT(shape.level[l].conv1.in, full.level[l].conv1.in);
		CHECK_INT(shape.level[l].conv2.kernel, full.level[l].conv2.kernel);
		CHECK_INT(shape.level[l].downsample.kernel, full.level[l].downsample.kernel);
		CHECK(shape.level[l].conv1.weight == NULL && shape.level[l].conv2.bias == NULL);
		CHECK(shape.level[l].conv2.weight_t == NULL);
	}
}

/* Counts the calls of a TCN's poll */
static void
count_poll(void *arg)
{
	(*(int *) arg)++;
}

/*
 * The poll runs between the convolutions, twice a level forward and twice backward, and
 * leaves every bit of the encoding and the gradient as without it
 */
static void
test_poll(void)
{
	FxTcn		t;
	Tcn			tcn;
	float		input[FX_MAX_ROWS * FX_MAX_IN];
	float		c[FX_MAX_OUT] = {1.0f, -0.5f, 0.75f, 0.25f};
	float		encoding[FX_MAX_OUT];
	float	   *grad;
	float	   *grad_polled;
	int			calls = 0;

	fx_pool_reset();
	fx_tcn(&t, 5, 3, 4, 3, 500);
	fx_trainable(&t, &tcn, tcn_receptive_field(t.levels, t.kernel));
	grad = fx_alloc(tcn.nparams);
	grad_polled = fx_alloc(tcn.nparams);
	memset(grad, 0, sizeof(float) * tcn.nparams);
	memset(grad_polled, 0, sizeof(float) * tcn.nparams);
	fx_input(input, tcn.shape.receptive, t.inputs, 51);
	memcpy(encoding, tcn_forward(&tcn, input, tcn.shape.receptive), sizeof(float) * 4);
	tcn_backward(&tcn, input, tcn.shape.receptive, c, grad);
	tcn.poll = count_poll;
	tcn.poll_arg = &calls;
	CHECK(memcmp(encoding, tcn_forward(&tcn, input, tcn.shape.receptive), sizeof(float) * 4) == 0);
	tcn_backward(&tcn, input, tcn.shape.receptive, c, grad_polled);
	CHECK_INT(calls, 4 * t.levels);
	CHECK(memcmp(grad, grad_polled, sizeof(float) * tcn.nparams) == 0);
}

/*
 * The trainable forward pass gives the scoring pass's encoding bit for bit (the same sums
 * in the same order, where the compiler fuses no multiply-add: the unit build is ISO C99,
 * whose default is -ffp-contract=off), and the direct formula's
 */
static void
test_forward_equals_scoring(void)
{
	int			shapes[][4] = {{5, 3, 4, 3}, {4, 2, 4, 2}, {8, 2, 8, 3}};

	for (int s = 0; s < 3; s++)
	{
		FxTcn		t;
		Tcn			tcn;
		TcnPacked	p;
		float		input[FX_MAX_ROWS * FX_MAX_IN];

		fx_pool_reset();
		fx_tcn(&t, shapes[s][0], shapes[s][1], shapes[s][2], shapes[s][3], 200 + s);
		fx_packed(&t, &p);
		fx_trainable(&t, &tcn, p.shape.receptive);
		fx_input(input, p.shape.receptive, t.inputs, 17 + s);
		for (int rows = 1; rows <= p.shape.receptive; rows += 3)
		{
			float	   *work = fx_alloc(tcn_packed_work_floats(&p, rows));
			float	   *x = tcn_packed_input(&p, work, rows);
			const float *scored;
			const float *trained = tcn_forward(&tcn, input, rows);
			float		direct[FX_MAX_OUT];

			for (int r = 0; r < rows; r++)
				memcpy(x + r * p.stride, input + r * t.inputs, sizeof(float) * t.inputs);
			scored = tcn_packed_encode(&p, work, rows);
			fx_forward_direct(&t, input, rows, direct);
			for (int o = 0; o < t.channels; o++)
			{
				CHECK_SAME(trained[o], scored[o]);
				CHECK_NEAR(trained[o], direct[o], 1e-5 * (1.0 + fabs(direct[o])));
			}
		}
	}
}

/* sum_o c_o e_o of the encoding e of a play, in double */
static double
encoding_loss(Tcn *tcn, const float *x, int rows, const float *c)
{
	const float *e = tcn_forward(tcn, x, rows);
	double		loss = 0.0;

	for (int o = 0; o < tcn->channels; o++)
		loss += (double) c[o] * e[o];
	return loss;
}

/*
 * tcn_backward's gradient of sum_o c_o e_o matches central differences for every
 * parameter, on a play shorter than the receptive field and on one as long
 */
static void
test_backward(void)
{
	int			shapes[][4] = {{5, 3, 4, 3}, {4, 2, 4, 2}};

	for (int s = 0; s < 2; s++)
	{
		FxTcn		t;
		Tcn			tcn;
		float		input[FX_MAX_ROWS * FX_MAX_IN];
		float		c[FX_MAX_OUT] = {1.0f, -0.5f, 0.75f, 0.25f};
		float	   *grad;

		fx_pool_reset();
		fx_tcn(&t, shapes[s][0], shapes[s][1], shapes[s][2], shapes[s][3], 300 + s);
		fx_trainable(&t, &tcn, tcn_receptive_field(t.levels, t.kernel));
		grad = fx_alloc(tcn.nparams);
		fx_input(input, tcn.shape.receptive, t.inputs, 27 + s);
		for (int rows = 6; rows <= tcn.shape.receptive; rows += tcn.shape.receptive - 6)
		{
			int			bad = 0;

			memset(grad, 0, sizeof(float) * tcn.nparams);
			tcn_forward(&tcn, input, rows);
			tcn_backward(&tcn, input, rows, c, grad);
			for (int k = 0; k < tcn.nparams; k++)
			{
				float		keep = tcn.params[k];
				float		h = 1e-3f;
				double		up,
							down;

				tcn.params[k] = keep + h;
				up = encoding_loss(&tcn, input, rows, c);
				tcn.params[k] = keep - h;
				down = encoding_loss(&tcn, input, rows, c);
				tcn.params[k] = keep;
				bad += !(fabs(grad[k] - (up - down) / (2.0 * h)) <= 2e-3 * (1.0 + fabs(grad[k])));
			}
			CHECK_INT(bad, 0);
		}
	}
}

/* Exporting gives PyTorch's [out][in][kernel] layout back */
static void
test_export(void)
{
	FxTcn		t;
	Tcn			tcn;
	float		w[FX_MAX_OUT * FX_MAX_IN * FX_MAX_KERNEL];

	fx_pool_reset();
	fx_tcn(&t, 5, 2, 4, 3, 400);
	fx_trainable(&t, &tcn, 4);
	for (int l = 0; l < t.levels; l++)
	{
		tcn_export_weight(&tcn.level[l].conv2, w);
		CHECK(memcmp(w, t.conv2[l].weight, sizeof(float) * 4 * 4 * 3) == 0);
	}
	tcn_export_weight(&tcn.level[0].downsample, w);
	CHECK(memcmp(w, t.downsample[0].weight, sizeof(float) * 4 * 5) == 0);
}

/* PyTorch's initialisation: within 1/sqrt(in * kernel), drawn the same from the same seed */
static void
test_init(void)
{
	Tcn			a,
				b;
	float		pa[2000],
				pb[2000],
				ta[200],
				tb[200];
	Rng			rng;

	CHECK(tcn_param_count(6, 2, 4, 3) <= 2000 && tcn_transposed_floats(2, 4, 3) <= 200);
	tcn_layout(&a, 6, 2, 4, 3, pa, ta);
	tcn_layout(&b, 6, 2, 4, 3, pb, tb);
	rng_seed(&rng, 1);
	tcn_init(&a, &rng);
	rng_seed(&rng, 1);
	tcn_init(&b, &rng);
	CHECK(memcmp(pa, pb, sizeof(float) * a.nparams) == 0);
	for (int k = 0; k < 3 * 6 * 4 + 4; k++)
		CHECK(fabs(pa[k]) <= 1.0 / sqrt(18.0));
	/* the transposed copy of level 1's conv2: [j][o][i] = weight [j][i][o] */
	CHECK_SAME(a.level[1].conv2.weight_t[(2 * 4 + 1) * 4 + 3], a.level[1].conv2.weight[(2 * 4 + 3) * 4 + 1]);
}

UNIT_SUITE(tcn_grad)
{
	UNIT_RUN(test_layout);
	UNIT_RUN(test_layout_shape_only);
	UNIT_RUN(test_poll);
	UNIT_RUN(test_forward_equals_scoring);
	UNIT_RUN(test_backward);
	UNIT_RUN(test_export);
	UNIT_RUN(test_init);
}
