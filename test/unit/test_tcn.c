/*
 * test_tcn.c: unit tests of lib/tcn.c: the shape helpers, and the scoring forward pass
 * against a hand-computed network and the direct formula (tcn_fixture.h).
 */
#include <math.h>
#include <string.h>

#include "tcn.h"
#include "tcn_fixture.h"
#include "unit.h"

/* The receptive field is 1 + 2 (K - 1)(2^L - 1); spans add up level by level */
static void
test_shape(void)
{
	TcnShape	shape;

	CHECK_INT(tcn_conv_span(3, 4), 8);
	CHECK_INT(tcn_conv_span(1, 64), 0);
	CHECK_INT(tcn_receptive_field(1, 1), 1);
	CHECK_INT(tcn_receptive_field(3, 3), 1 + 2 * 2 * 7);
	CHECK_INT(tcn_receptive_field(4, 3), 61);
	CHECK_INT(tcn_receptive_field(10, 16), 1 + 2 * 15 * 1023);
	memset(&shape, 0, sizeof(shape));
	tcn_shape_add_level(&shape, 2, 4);
	tcn_shape_add_level(&shape, 6, 1);
	CHECK_INT(shape.levels, 2);
	CHECK_INT(shape.receptive, 14);
	CHECK_INT(shape.padding, 6);
}

/*
 * Level l's output needs rows from start[l + 1] on; its first convolution from
 * start[l + 1] - span2, its input from there - span1, never below 0
 */
static void
test_level_starts(void)
{
	TcnShape	shape;
	int			start[TCN_MAX_LEVELS + 1];

	memset(&shape, 0, sizeof(shape));
	tcn_shape_add_level(&shape, 2, 2);
	tcn_shape_add_level(&shape, 4, 4);
	tcn_level_starts(&shape, 20, start);
	CHECK_INT(start[2], 19);
	CHECK_INT(tcn_first_h1(&shape, start, 1), 15);
	CHECK_INT(start[1], 11);
	CHECK_INT(tcn_first_h1(&shape, start, 0), 9);
	CHECK_INT(start[0], 7);
	tcn_level_starts(&shape, shape.receptive, start);
	CHECK_INT(start[0], 0);
	tcn_level_starts(&shape, 5, start);
	CHECK_INT(start[0], 0);
	CHECK_INT(tcn_first_h1(&shape, start, 1), 0);
	CHECK_INT(start[1], 0);
}

/* Run the scoring pass on `rows` rows of input; the encoding into enc */
static void
score(const TcnPacked *p, const float *input, int rows, float *enc)
{
	float	   *work = fx_alloc(tcn_packed_work_floats(p, rows));
	float	   *x = tcn_packed_input(p, work, rows);

	/* whatever the work area held before */
	for (size_t k = 0; k < tcn_packed_work_floats(p, rows); k++)
		work[k] = NAN;
	for (int t = 0; t < rows; t++)
		memcpy(x + t * p->stride, input + t * p->inputs, sizeof(float) * p->inputs);
	memcpy(enc, tcn_packed_encode(p, work, rows), sizeof(float) * p->level[p->levels - 1].conv2.out);
}

/*
 * One level, one channel, kernel 2, no downsample: conv1 {0.5, 1} over x = 1, 2, 3 gives
 * h1 = 1, 2.5, 4; conv2 {2, 1} + -1 at the last frame gives 2 (2.5) + 4 - 1 = 8; the
 * output is relu(8 + x) = 11
 */
static void
test_by_hand(void)
{
	FxTcn		t;
	TcnPacked	p;
	float		x[3] = {1.0f, 2.0f, 3.0f};
	float		enc;

	fx_pool_reset();
	memset(&t, 0, sizeof(t));
	t.inputs = t.channels = t.levels = 1;
	t.kernel = 2;
	t.conv1[0] = (FxConv) {1, 1, 2, 1, {0.5f, 1.0f}, {0.0f}};
	t.conv2[0] = (FxConv) {1, 1, 2, 1, {2.0f, 1.0f}, {-1.0f}};
	fx_packed(&t, &p);
	CHECK_INT(p.shape.receptive, 3);
	score(&p, x, 3, &enc);
	CHECK_SAME(enc, 11.0);
}

/*
 * The scoring pass gives the direct formula's encoding, for plays shorter than the
 * receptive field and longer ones (of which it reads the last `receptive` frames only)
 */
static void
test_against_direct(void)
{
	int			shapes[][4] = {{5, 3, 4, 3}, {4, 2, 4, 2}, {3, 1, 8, 1}, {6, 3, 2, 3}, {8, 2, 8, 3}};

	for (int s = 0; s < 5; s++)
	{
		FxTcn		t;
		TcnPacked	p;
		float		input[FX_MAX_ROWS * FX_MAX_IN];
		int			frames[] = {1, 2, 5, 29, 40};

		fx_pool_reset();
		fx_tcn(&t, shapes[s][0], shapes[s][1], shapes[s][2], shapes[s][3], 100 + s);
		fx_packed(&t, &p);
		fx_input(input, FX_MAX_ROWS, t.inputs, 7 + s);
		for (int f = 0; f < 5; f++)
		{
			int			rows = frames[f] < p.shape.receptive ? frames[f] : p.shape.receptive;
			float		want[FX_MAX_OUT];
			float		got[FX_MAX_OUT];

			fx_forward_direct(&t, input, frames[f], want);
			score(&p, input + (frames[f] - rows) * t.inputs, rows, got);
			for (int o = 0; o < t.channels; o++)
				CHECK_NEAR(got[o], want[o], 1e-5 * (1.0 + fabs(want[o])));
		}
	}
}

/*
 * Frames before the receptive field change nothing, bit for bit (the same sums in the
 * same order, no fused multiply-add in the ISO C99 unit build): a play of 60 frames gives,
 * directly, the encoding the scoring pass gives from its last `receptive` frames
 */
static void
test_receptive_field(void)
{
	FxTcn		t;
	TcnPacked	p;
	float		input[FX_MAX_ROWS * FX_MAX_IN];
	float		want[FX_MAX_OUT];
	float		got[FX_MAX_OUT];
	int			rows = 60;

	fx_pool_reset();
	fx_tcn(&t, 5, 3, 4, 3, 42);
	fx_packed(&t, &p);
	CHECK_INT(p.shape.receptive, 29);
	fx_input(input, rows, t.inputs, 9);
	fx_forward_direct(&t, input, rows, want);
	score(&p, input + (rows - p.shape.receptive) * t.inputs, p.shape.receptive, got);
	for (int o = 0; o < t.channels; o++)
		CHECK_SAME(got[o], want[o]);
}

/* Packing pads the bias and the weights of missing output channels with zeros */
static void
test_packing(void)
{
	FxConv		c = {2, 1, 2, 1, {1.0f, 2.0f, 3.0f, 4.0f}, {5.0f, 6.0f}};
	TcnPackedConv pc;
	float		w[TCN_BLOCK * 2];
	float		b[TCN_BLOCK];

	CHECK_INT(tcn_pack_weight_floats(2, 1, 2), TCN_BLOCK * 2);
	CHECK_INT(tcn_pack_bias_floats(17), 2 * TCN_BLOCK);
	memset(w, 0xff, sizeof(w));
	memset(b, 0xff, sizeof(b));
	tcn_pack_conv(&pc, 2, 1, 2, 1, c.weight, c.bias, w, b);
	/* tap 0: outputs 0, 1 = W[0][0][0], W[1][0][0]; tap 1 likewise */
	CHECK_SAME(w[0], 1.0);
	CHECK_SAME(w[1], 3.0);
	CHECK_SAME(w[TCN_BLOCK], 2.0);
	CHECK_SAME(w[TCN_BLOCK + 1], 4.0);
	CHECK_SAME(w[2], 0.0);
	CHECK_SAME(w[2 * TCN_BLOCK - 1], 0.0);
	CHECK_SAME(b[1], 6.0);
	CHECK_SAME(b[TCN_BLOCK - 1], 0.0);
}

UNIT_SUITE(tcn)
{
	UNIT_RUN(test_shape);
	UNIT_RUN(test_level_starts);
	UNIT_RUN(test_by_hand);
	UNIT_RUN(test_against_direct);
	UNIT_RUN(test_receptive_field);
	UNIT_RUN(test_packing);
}
