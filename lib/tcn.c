/*
 * tcn.c: the TCN's shape (which frames each level needs, the receptive field) and the
 * forward pass that scores plays, over weights packed for its kernel.
 *
 * The scoring kernel keeps a TCN_ROWS x TCN_BLOCK tile of outputs in vector registers
 * (lanes.h) and reads the weights of TCN_BLOCK output channels of one (tap, input) pair
 * at a time; every output's sum runs over taps, then inputs, in order.  The work area
 * holds three row buffers, each `padding` zero rows (frames before the play), then the
 * frames, then TCN_ROWS rows the last tile may overrun.
 */
#include <assert.h>
#include <string.h>

#include "lanes.h"
#include "tcn.h"

#define TCN_VECTORS			(TCN_BLOCK / LANES)
#define TCN_ROW_ALIGN		16	/* floats a work row is rounded to (64 bytes) */

/* What a scoring convolution does with its sums */
typedef enum ConvMode
{
	CONV_LINEAR,				/* y = conv(x) (the 1 x 1 downsample) */
	CONV_RELU,					/* y = relu(conv(x)) */
	CONV_RESIDUAL				/* y = relu(relu(conv(x)) + r) */
} ConvMode;

/* n rounded up to a multiple of m */
static inline int
round_up(int n, int m)
{
	return (n + m - 1) / m * m;
}

/* The larger of two ints */
static inline int
max_int(int a, int b)
{
	return a > b ? a : b;
}

/*
 * Frames between the first and the last tap of a convolution
 */
int
tcn_conv_span(int kernel, int dilation)
{
	return (kernel - 1) * dilation;
}

/*
 * Add a level whose convolutions span span1 and span2 frames to a shape (zeroed before
 * the first level)
 */
void
tcn_shape_add_level(TcnShape *shape, int span1, int span2)
{
	assert(shape->levels < TCN_MAX_LEVELS);
	if (shape->levels == 0)
		shape->receptive = 1;
	shape->span[shape->levels][0] = span1;
	shape->span[shape->levels][1] = span2;
	shape->levels++;
	shape->receptive += span1 + span2;
	shape->padding = max_int(shape->padding, max_int(span1, span2));
}

/*
 * Frames that can reach the last frame's encoding with `levels` levels of kernel
 * `kernel`: 1 + sum over levels of 2 (K - 1) 2^l
 */
int
tcn_receptive_field(int levels, int kernel)
{
	TcnShape	shape;

	memset(&shape, 0, sizeof(shape));
	for (int l = 0; l < levels; l++)
		tcn_shape_add_level(&shape, tcn_conv_span(kernel, 1 << l), tcn_conv_span(kernel, 1 << l));
	return shape.receptive;
}

/*
 * The first row each level's output needs for the last row to be right: start[L] is
 * the last row, start[0] the first input row read
 */
void
tcn_level_starts(const TcnShape *shape, int rows, int *start)
{
	start[shape->levels] = rows - 1;
	for (int l = shape->levels - 1; l >= 0; l--)
		start[l] = max_int(0, tcn_first_h1(shape, start, l) - shape->span[l][0]);
}

/*
 * The first row of level l's first convolution's output that its second one reads
 */
int
tcn_first_h1(const TcnShape *shape, const int *start, int l)
{
	return max_int(0, start[l + 1] - shape->span[l][1]);
}

/*
 * Floats of a packed convolution's weights
 */
size_t
tcn_pack_weight_floats(int out, int in, int kernel)
{
	return (size_t) round_up(out, TCN_BLOCK) * kernel * in;
}

/*
 * Floats of a packed convolution's bias
 */
size_t
tcn_pack_bias_floats(int out)
{
	return (size_t) round_up(out, TCN_BLOCK);
}

/*
 * Pack a convolution from PyTorch's weight [out][in][kernel] and bias [out] into
 * packed_weight and packed_bias (tcn_pack_weight_floats and tcn_pack_bias_floats floats,
 * which the caller keeps), so that the kernel reads TCN_BLOCK output channels of one
 * (tap, input) pair at a time
 */
void
tcn_pack_conv(TcnPackedConv *c, int out, int in, int kernel, int dilation,
			  const float *weight, const float *bias, float *packed_weight, float *packed_bias)
{
	c->out = out;
	c->in = in;
	c->kernel = kernel;
	c->dilation = dilation;
	memset(packed_bias, 0, sizeof(float) * tcn_pack_bias_floats(out));
	memcpy(packed_bias, bias, sizeof(float) * out);
	memset(packed_weight, 0, sizeof(float) * tcn_pack_weight_floats(out, in, kernel));
	for (int o = 0; o < out; o++)
		for (int i = 0; i < in; i++)
			for (int j = 0; j < kernel; j++)
				packed_weight[(((size_t) (o / TCN_BLOCK) * kernel + j) * in + i) * TCN_BLOCK + o % TCN_BLOCK] =
					weight[((size_t) o * in + i) * kernel + j];
	c->weight = packed_weight;
	c->bias = packed_bias;
}

/*
 * Work out the shape and the row stride once t->inputs, t->levels and every level's
 * convolutions are set
 */
void
tcn_packed_finish(TcnPacked *t)
{
	int			widest = t->inputs;

	memset(&t->shape, 0, sizeof(t->shape));
	for (int l = 0; l < t->levels; l++)
	{
		const TcnPackedConv *c1 = &t->level[l].conv1;
		const TcnPackedConv *c2 = &t->level[l].conv2;

		tcn_shape_add_level(&t->shape, tcn_conv_span(c1->kernel, c1->dilation),
							tcn_conv_span(c2->kernel, c2->dilation));
		widest = max_int(widest, round_up(c1->out, TCN_BLOCK));
	}
	t->stride = round_up(widest, TCN_ROW_ALIGN);
}

/*
 * Floats of the work area for a play of `rows` frames (at most the receptive field); it
 * need not be initialised, and is best 64-byte aligned
 */
size_t
tcn_packed_work_floats(const TcnPacked *t, int rows)
{
	return 3 * (size_t) (t->shape.padding + rows + TCN_ROWS) * t->stride;
}

/* Work buffer k (0..2) of the work area for `rows` frames, at frame row 0 */
static inline float *
work_buffer(const TcnPacked *t, float *work, int rows, int k)
{
	return work + ((size_t) k * (t->shape.padding + rows + TCN_ROWS) + t->shape.padding) * t->stride;
}

/*
 * Where the caller writes the normalised input of `rows` frames for tcn_packed_encode:
 * t->inputs floats per row, rows t->stride floats apart
 */
float *
tcn_packed_input(const TcnPacked *t, float *work, int rows)
{
	return work_buffer(t, work, rows, 0);
}

/*
 * Zero a work buffer's padding rows (the frames before the play, which the convolutions
 * read as zeros) and the TCN_ROWS rows after its last frame (which the last tile reads and
 * writes), whatever the work area held
 */
static void
clear_margins(const TcnPacked *t, float *buffer, int rows)
{
	size_t		padding = (size_t) t->shape.padding * t->stride;

	memset(buffer - padding, 0, sizeof(float) * padding);
	memset(buffer + (size_t) rows * t->stride, 0, sizeof(float) * TCN_ROWS * t->stride);
}

/* Store a tile row's sums at y, through relu and the residual as the mode says */
static inline void
store_sums(const float *sums, float *y, ConvMode mode, const float *residual)
{
	for (int o = 0; o < TCN_BLOCK; o++)
	{
		float		v = sums[o];

		if (mode != CONV_LINEAR)
			v = v > 0 ? v : 0;
		if (mode == CONV_RESIDUAL)
		{
			v += residual[o];
			v = v > 0 ? v : 0;
		}
		y[o] = v;
	}
}

/*
 * Rows [start, end) of a causal dilated convolution over x, rows of x before 0 being zero.
 * All buffers share one row stride; rows up to end + TCN_ROWS - 1 may be written.
 */
LANES_CLONES
static void
conv_rows(const TcnPackedConv *c, const float *x, float *y, int stride, int start, int end,
		  ConvMode mode, const float *residual)
{
	int			blocks = round_up(c->out, TCN_BLOCK) / TCN_BLOCK;

	for (int t = start; t < end; t += TCN_ROWS)
	{
		for (int b = 0; b < blocks; b++)
		{
			const float *w = c->weight + (size_t) b * c->kernel * c->in * TCN_BLOCK;
			Lanes		acc[TCN_ROWS][TCN_VECTORS];
			float		sums[TCN_ROWS][TCN_BLOCK];

			for (int r = 0; r < TCN_ROWS; r++)
				for (int v = 0; v < TCN_VECTORS; v++)
					acc[r][v] = lanes_load(c->bias + b * TCN_BLOCK + v * LANES);
			for (int j = 0; j < c->kernel; j++)
			{
				const float *xj = x + (ptrdiff_t) (t - (c->kernel - 1 - j) * c->dilation) * stride;

				for (int i = 0; i < c->in; i++, w += TCN_BLOCK)
				{
					Lanes		wv[TCN_VECTORS];

					for (int v = 0; v < TCN_VECTORS; v++)
						wv[v] = lanes_load(w + v * LANES);
					for (int r = 0; r < TCN_ROWS; r++)
					{
						float		xv = xj[(ptrdiff_t) r * stride + i];

						for (int v = 0; v < TCN_VECTORS; v++)
							acc[r][v] = lanes_madd(acc[r][v], xv, wv[v]);
					}
				}
			}
			for (int r = 0; r < TCN_ROWS; r++)
				for (int v = 0; v < TCN_VECTORS; v++)
					lanes_store(sums[r] + v * LANES, acc[r][v]);
			for (int r = 0; r < TCN_ROWS; r++)
			{
				ptrdiff_t	at = (ptrdiff_t) (t + r) * stride + b * TCN_BLOCK;

				store_sums(sums[r], y + at, mode, mode == CONV_RESIDUAL ? residual + at : NULL);
			}
		}
	}
}

/*
 * The scoring forward pass of a play of `rows` frames whose normalised input the caller
 * wrote at tcn_packed_input(t, work, rows); returns the encoding, the last level's output
 * at the last frame (inside work)
 */
const float *
tcn_packed_encode(const TcnPacked *t, float *work, int rows)
{
	int			start[TCN_MAX_LEVELS + 1];
	float	   *x = work_buffer(t, work, rows, 0);
	float	   *h = work_buffer(t, work, rows, 1);
	float	   *y = work_buffer(t, work, rows, 2);

	assert(rows >= 1 && rows <= t->shape.receptive);
	clear_margins(t, x, rows);
	clear_margins(t, h, rows);
	clear_margins(t, y, rows);
	tcn_level_starts(&t->shape, rows, start);
	for (int l = 0; l < t->levels; l++)
	{
		const TcnPackedLevel *lv = &t->level[l];
		float	   *swap;

		conv_rows(&lv->conv1, x, h, t->stride, tcn_first_h1(&t->shape, start, l), rows, CONV_RELU, NULL);
		if (lv->downsample.kernel > 0)
			conv_rows(&lv->downsample, x, y, t->stride, start[l + 1], rows, CONV_LINEAR, NULL);
		conv_rows(&lv->conv2, h, y, t->stride, start[l + 1], rows, CONV_RESIDUAL,
				  lv->downsample.kernel > 0 ? y : x);
		swap = x;
		x = y;
		y = swap;
	}
	return x + (size_t) (rows - 1) * t->stride;
}
