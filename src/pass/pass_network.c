/*
 * pass_network.c: the pass model's TCN + MLP, read from a weight file and run in float32.
 *
 * The forward pass follows shared/design/pass-model.md exactly.  Only the frames that can
 * reach the last frame's output are computed: a play longer than the receptive field
 * starts at its last `receptive` frames, and each convolution computes only the rows the
 * next one reads.  The convolution kernel keeps a PASS_ROWS x PASS_BLOCK tile of outputs
 * in vector registers (GCC/Clang vector extensions, no intrinsics); on x86-64 an AVX2/FMA
 * clone is chosen at load time.
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "pass/pass_model.h"
#include "sbp/sbp.h"

/* An AVX2/FMA clone of the hot loops, chosen at load time, where the compiler can make one */
#if defined(__x86_64__) && defined(__has_attribute) && !defined(__FMA__)
#if __has_attribute(target_clones)
#define PASS_TARGET_CLONES __attribute__((target_clones("default", "fma")))
#endif
#endif
#ifndef PASS_TARGET_CLONES
#define PASS_TARGET_CLONES
#endif

/*
 * Eight floats the compiler keeps in one vector register (two without AVX); PassVectorU
 * is the same at 4-byte alignment, to load and store any float address directly
 */
#define PASS_LANES			8
#define PASS_VECTORS		(PASS_BLOCK / PASS_LANES)
typedef float PassVector __attribute__((vector_size(PASS_LANES * sizeof(float))));
typedef float PassVectorU __attribute__((vector_size(PASS_LANES * sizeof(float)), aligned(4)));

/* What a convolution does with its sums */
typedef enum ConvMode
{
	CONV_LINEAR,				/* y = conv(x) (the 1 x 1 downsample) */
	CONV_RELU,					/* y = relu(conv(x)) */
	CONV_RESIDUAL				/* y = relu(relu(conv(x)) + r) */
} ConvMode;

/* Round n up to a whole number of kernel blocks */
static inline int
block_round(int n)
{
	return TYPEALIGN(PASS_BLOCK, n);
}

/* Frames between the first and the last tap of a convolution */
static inline int
conv_span(const PassConv *c)
{
	return (c->kernel - 1) * c->dilation;
}

/* Report a tensor the pass model needs but the file lacks */
static void
missing_tensor(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("weight file has no tensor \"%s\"", name),
			 errhint("The README's \"Weight files\" section lists the tensors and shapes of a pass model.")));
}

/* A shape as text, "[32, 176, 3]", with -1 written as "*" */
static char *
shape_text(int rank, const int64 *shape)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoChar(&s, '[');
	for (int d = 0; d < rank; d++)
	{
		if (d > 0)
			appendStringInfoString(&s, ", ");
		if (shape[d] < 0)
			appendStringInfoChar(&s, '*');
		else
			appendStringInfo(&s, INT64_FORMAT, shape[d]);
	}
	appendStringInfoChar(&s, ']');
	return s.data;
}

/*
 * Claim a tensor of the given rank and shape (-1 = any); NULL if it is absent and optional
 */
static ModelTensor *
claim(ModelFile *mf, const char *name, int rank, const int64 *shape, bool required)
{
	ModelTensor *t = model_file_tensor(mf, name);
	bool		fits;

	if (t == NULL)
	{
		if (required)
			missing_tensor(name);
		return NULL;
	}
	fits = t->rank == rank;
	for (int d = 0; d < rank && fits; d++)
		fits = shape[d] < 0 || t->shape[d] == shape[d];
	if (!fits)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file tensor \"%s\" has shape %s, expected %s",
						name, shape_text(t->rank, t->shape), shape_text(rank, shape)),
				 errhint("The README's \"Weight files\" section lists the tensors and shapes of a pass model.")));
	t->claimed = true;
	return t;
}

/* Claim a vector of n positive values (a std) or any values (a mean) and copy it */
static const float *
claim_vector(ModelFile *mf, const char *name, int64 n, bool positive)
{
	ModelTensor *t = claim(mf, name, 1, &n, true);
	float	   *copy = model_alloc_aligned(sizeof(float) * n);

	for (int64 i = 0; i < n && positive; i++)
		if (t->data[i] <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight file tensor \"%s\" has a non-positive value %g at index " INT64_FORMAT,
							name, t->data[i], i),
					 errhint("A standard deviation must be positive; use 1 for a constant input.")));
	memcpy(copy, t->data, sizeof(float) * n);
	return copy;
}

/* Fail unless a dimension read from a shape is within its limits */
static void
check_dimension(const char *name, const char *what, int64 value, int64 min, int64 max)
{
	if (value < min || value > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("weight file tensor \"%s\" gives %s " INT64_FORMAT ", outside %d..%d",
						name, what, value, (int) min, (int) max)));
}

/*
 * Read tcn.{l}.{part}.weight/.bias as a convolution from `in` channels, repacked so that
 * the kernel reads PASS_BLOCK output channels of one (tap, input) pair at a time
 */
static bool
load_conv(ModelFile *mf, int l, const char *part, int in, int out, int kernel, bool required, PassConv *c)
{
	char	   *name = psprintf("tcn.%d.%s.weight", l, part);
	int64		shape[3] = {out, in, kernel};
	ModelTensor *w = claim(mf, name, 3, shape, required);
	ModelTensor *b;
	int64		bias_shape;

	if (w == NULL)
		return false;
	c->out = w->shape[0];
	c->in = in;
	c->kernel = w->shape[2];
	c->dilation = 1 << l;
	check_dimension(name, "channels", c->out, 1, PASS_MAX_CHANNELS);
	check_dimension(name, "kernel", c->kernel, 1, PASS_MAX_KERNEL);
	bias_shape = c->out;
	b = claim(mf, psprintf("tcn.%d.%s.bias", l, part), 1, &bias_shape, true);
	c->bias = model_alloc_aligned(sizeof(float) * block_round(c->out));
	memcpy(c->bias, b->data, sizeof(float) * c->out);
	c->weight = model_alloc_aligned(sizeof(float) * block_round(c->out) * c->kernel * in);
	for (int o = 0; o < c->out; o++)
		for (int i = 0; i < in; i++)
			for (int j = 0; j < c->kernel; j++)
				c->weight[(((Size) (o / PASS_BLOCK) * c->kernel + j) * in + i) * PASS_BLOCK + o % PASS_BLOCK] =
					w->data[((Size) o * in + i) * c->kernel + j];
	return true;
}

/* Read TCN level l, whose input has `in` channels; false when the file has no such level */
static bool
load_level(ModelFile *mf, int l, int in, PassLevel *lv)
{
	if (!load_conv(mf, l, "conv1", in, -1, -1, false, &lv->conv1))
		return false;
	load_conv(mf, l, "conv2", lv->conv1.out, lv->conv1.out, -1, true, &lv->conv2);
	if (in != lv->conv1.out)
		load_conv(mf, l, "downsample", in, lv->conv1.out, 1, true, &lv->downsample);
	return true;
}

/* Read mlp.{m}; false when the file has no such layer.  Weights are stored transposed */
static bool
load_layer(ModelFile *mf, int m, int in, PassLayer *ly)
{
	char	   *name = psprintf("mlp.%d.weight", m);
	int64		shape[2] = {-1, in};
	ModelTensor *w = claim(mf, name, 2, shape, false);
	ModelTensor *b;
	float	   *wt;
	float	   *bias;
	int64		out;

	if (w == NULL)
		return false;
	out = w->shape[0];
	check_dimension(name, "width", out, 1, PASS_MAX_WIDTH);
	b = claim(mf, psprintf("mlp.%d.bias", m), 1, &out, true);
	ly->out = out;
	ly->in = in;
	wt = model_alloc_aligned(sizeof(float) * block_round(out) * in);
	for (int o = 0; o < out; o++)
		for (int i = 0; i < in; i++)
			wt[(Size) i * block_round(out) + o] = w->data[(Size) o * in + i];
	bias = model_alloc_aligned(sizeof(float) * block_round(out));
	memcpy(bias, b->data, sizeof(float) * out);
	ly->weight = wt;
	ly->bias = bias;
	return true;
}

/* Read the SBP range and tail mass from the metadata */
static void
load_sbp_metadata(ModelFile *mf, PassNetwork *net)
{
	net->lower = model_file_meta_number(mf, "sbp.lower");
	net->upper = model_file_meta_number(mf, "sbp.upper");
	net->alpha = model_file_meta_number(mf, "sbp.alpha");
	if (!(net->lower < net->upper))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file metadata sbp.lower (%g) must be below sbp.upper (%g)",
						net->lower, net->upper)));
	if (!(net->alpha > 0 && net->alpha < 0.5))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file metadata sbp.alpha (%g) must be in (0, 0.5)", net->alpha)));
}

/* Read context.mean/std (both or neither) and check context.names against them */
static void
load_context(ModelFile *mf, PassNetwork *net)
{
	int64		any = -1;
	ModelTensor *mean = claim(mf, "context.mean", 1, &any, false);
	const char *names = model_file_meta(mf, "context.names");
	int			count = 1;

	if (mean == NULL && model_file_tensor(mf, "context.std") != NULL)
		missing_tensor("context.mean");
	if (mean != NULL)
	{
		check_dimension("context.mean", "context size", mean->shape[0], 1, PASS_MAX_CONTEXT);
		net->context = mean->shape[0];
		net->context_mean = claim_vector(mf, "context.mean", net->context, false);
		net->context_std = claim_vector(mf, "context.std", net->context, true);
	}
	if (names == NULL)
		return;
	for (const char *p = names; *p; p++)
		count += *p == ',';
	if (count != net->context)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file metadata context.names has %d names but the model reads %d context values",
						count, net->context)));
	net->context_names = pstrdup(names);
}

/* Fail if the file has a tensor no part of the model claimed */
static void
check_all_claimed(ModelFile *mf)
{
	for (int i = 0; i < mf->ntensors; i++)
		if (!mf->tensors[i].claimed)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight file has an unexpected tensor \"%s\"", mf->tensors[i].name),
					 errhint("A pass model has only the tensors the README's \"Weight files\" section lists; "
							 "fold weight norm (weight_g, weight_v) into weight before export.")));
}

/*
 * Build a pass network from a parsed weight file, checking every tensor of the profile;
 * everything it keeps is copied into the current memory context
 */
PassNetwork *
pass_network_load(ModelFile *mf)
{
	PassNetwork *net = palloc0(sizeof(PassNetwork));
	int			width = PASS_CHANNELS;
	int			widest = PASS_CHANNELS;
	int			out;

	net->mcxt = CurrentMemoryContext;
	load_sbp_metadata(mf, net);
	net->input_mean = claim_vector(mf, "input.mean", PASS_CHANNELS, false);
	net->input_std = claim_vector(mf, "input.std", PASS_CHANNELS, true);
	load_context(mf, net);

	net->level = palloc0(sizeof(PassLevel) * PASS_MAX_LEVELS);
	net->receptive = 1;
	while (net->levels < PASS_MAX_LEVELS && load_level(mf, net->levels, width, &net->level[net->levels]))
	{
		PassLevel  *lv = &net->level[net->levels++];

		width = lv->conv1.out;
		widest = Max(widest, block_round(width));
		net->receptive += conv_span(&lv->conv1) + conv_span(&lv->conv2);
		net->padding = Max(net->padding, Max(conv_span(&lv->conv1), conv_span(&lv->conv2)));
	}
	if (net->levels == 0)
		missing_tensor("tcn.0.conv1.weight");
	net->stride = TYPEALIGN(MODEL_ALIGN / sizeof(float), widest);

	net->layer = palloc0(sizeof(PassLayer) * PASS_MAX_MLP_LAYERS);
	width += net->context;
	while (net->layers < PASS_MAX_MLP_LAYERS && load_layer(mf, net->layers, width, &net->layer[net->layers]))
		width = net->layer[net->layers++].out;
	if (net->layers == 0)
		missing_tensor("mlp.0.weight");
	out = net->layer[net->layers - 1].out;
	net->bins = out - PASS_HEAD;
	if (net->bins < 2 || net->bins > SBP_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file tensor \"mlp.%d.weight\" has %d outputs; the last layer needs bins + 4 with 2 to %d bins",
						net->layers - 1, out, SBP_MAX_BINS)));
	sbp_check_range(net->lower, net->upper, net->bins);	/* or every score would fail */
	check_all_claimed(mf);
	return net;
}

/*
 * Rows [start, end) of a causal dilated convolution over x, rows of x before 0 being zero.
 * All buffers share one row stride; rows up to end + PASS_ROWS - 1 may be written.
 */
PASS_TARGET_CLONES
static void
conv_rows(const PassConv *c, const float *x, float *y, int stride, int start, int end,
		  ConvMode mode, const float *residual)
{
	int			blocks = block_round(c->out) / PASS_BLOCK;

	for (int t = start; t < end; t += PASS_ROWS)
	{
		for (int b = 0; b < blocks; b++)
		{
			const float *w = c->weight + (Size) b * c->kernel * c->in * PASS_BLOCK;
			PassVector	acc[PASS_ROWS][PASS_VECTORS];
			float		sums[PASS_ROWS][PASS_BLOCK];

			for (int r = 0; r < PASS_ROWS; r++)
				for (int v = 0; v < PASS_VECTORS; v++)
					acc[r][v] = *(const PassVectorU *) (c->bias + b * PASS_BLOCK + v * PASS_LANES);
			for (int j = 0; j < c->kernel; j++)
			{
				const float *xj = x + (ptrdiff_t) (t - (c->kernel - 1 - j) * c->dilation) * stride;

				for (int i = 0; i < c->in; i++, w += PASS_BLOCK)
				{
					PassVector	wv[PASS_VECTORS];

					for (int v = 0; v < PASS_VECTORS; v++)
						wv[v] = *(const PassVectorU *) (w + v * PASS_LANES);
					for (int r = 0; r < PASS_ROWS; r++)
					{
						float		xv = xj[(ptrdiff_t) r * stride + i];

						for (int v = 0; v < PASS_VECTORS; v++)
							acc[r][v] += xv * wv[v];
					}
				}
			}
			memcpy(sums, acc, sizeof(sums));
			for (int r = 0; r < PASS_ROWS; r++)
			{
				ptrdiff_t	at = (ptrdiff_t) (t + r) * stride + b * PASS_BLOCK;

				for (int o = 0; o < PASS_BLOCK; o++)
				{
					float		v = sums[r][o];

					if (mode != CONV_LINEAR)
						v = v > 0 ? v : 0;
					if (mode == CONV_RESIDUAL)
					{
						v += residual[at + o];
						v = v > 0 ? v : 0;
					}
					y[at + o] = v;
				}
			}
		}
	}
}

/* y = W z + b for one MLP layer (weights transposed, so the loop runs over outputs) */
PASS_TARGET_CLONES
static void
mlp_layer(const PassLayer *ly, const float *z, float *y, bool relu)
{
	int			width = block_round(ly->out);

	for (int o = 0; o < width; o += PASS_LANES)
	{
		PassVector	acc = *(const PassVectorU *) (ly->bias + o);

		for (int i = 0; i < ly->in; i++)
			acc += z[i] * *(const PassVectorU *) (ly->weight + (Size) i * width + o);
		*(PassVectorU *) (y + o) = acc;
	}
	for (int o = 0; o < width && relu; o++)
		y[o] = y[o] > 0 ? y[o] : 0;
}

/* The first row each level's output must have for the last row to be right */
static void
level_starts(const PassNetwork *net, int rows, int *start)
{
	start[net->levels] = rows - 1;
	for (int l = net->levels - 1; l >= 0; l--)
	{
		int			conv1 = Max(0, start[l + 1] - conv_span(&net->level[l].conv2));

		start[l] = Max(0, conv1 - conv_span(&net->level[l].conv1));
	}
}

/* Floats in the work area for `rows` frames: 3 buffers, the raw input, MLP scratch */
static Size
work_size(const PassNetwork *net, int rows)
{
	return 3 * (Size) (net->padding + rows + PASS_ROWS) * net->stride
		+ (Size) rows * PASS_CHANNELS + 2 * block_round(PASS_MAX_WIDTH + PASS_MAX_CONTEXT);
}

/* Work buffer k (0..2): frame row 0, after `padding` zero rows */
static inline float *
work_buffer(const PassNetwork *net, int k)
{
	return net->work + ((Size) k * (net->padding + net->work_rows + PASS_ROWS) + net->padding) * net->stride;
}

/* The raw input area (rows x PASS_CHANNELS), after the 3 buffers */
static inline float *
work_input(const PassNetwork *net)
{
	return net->work + 3 * (Size) (net->padding + net->work_rows + PASS_ROWS) * net->stride;
}

/*
 * Make room for a play of `frames` frames and return the raw input area, where the caller
 * writes the model input of the last Min(frames, receptive) frames (PASS_CHANNELS per row)
 */
float *
pass_network_input(PassNetwork *net, int frames)
{
	int			rows = Min(frames, net->receptive);

	if (rows > net->work_rows)
	{
		/* grow geometrically; fresh zeroed memory keeps the padding rows zero */
		int			want = Min(Max(rows, 2 * net->work_rows), net->receptive);

		if (net->work_chunk)
			pfree(net->work_chunk);
		net->work_chunk = MemoryContextAllocZero(net->mcxt, sizeof(float) * work_size(net, want) + MODEL_ALIGN);
		net->work = (float *) TYPEALIGN(MODEL_ALIGN, net->work_chunk);
		net->work_rows = want;
	}
	return work_input(net);
}

/* x = (X - mean) / std with NaN as 0, for rows [start, rows) */
PASS_TARGET_CLONES
static void
normalize_input(const PassNetwork *net, const float *raw, float *x, int start, int rows)
{
	const float *mean = net->input_mean;
	const float *std = net->input_std;

	for (int t = start; t < rows; t++)
	{
		const float *restrict from = raw + (Size) t * PASS_CHANNELS;
		float	   *restrict to = x + (Size) t * net->stride;

		for (int c = 0; c < PASS_CHANNELS; c++)
		{
			float		v = (from[c] - mean[c]) / std[c];

			/*
			 * v == v is false only for NaN; written so that the loop
			 * vectorises
			 */
			to[c] = v == v ? v : 0;
		}
	}
}

/*
 * Run the network on the input written to pass_network_input() for a play of `frames`
 * frames and its context (net->context values, NaN = missing); returns bins + 4 outputs
 */
const float *
pass_network_forward(PassNetwork *net, int frames, const float *context)
{
	int			rows = Min(frames, net->receptive);
	int			start[PASS_MAX_LEVELS + 1];
	float	   *x = work_buffer(net, 0);
	float	   *h = work_buffer(net, 1);
	float	   *y = work_buffer(net, 2);
	float	   *z = work_input(net) + (Size) rows * PASS_CHANNELS;
	float	   *o = z + block_round(PASS_MAX_WIDTH + PASS_MAX_CONTEXT);
	int			width;

	Assert(rows <= net->work_rows);
	level_starts(net, rows, start);
	normalize_input(net, work_input(net), x, start[0], rows);
	for (int l = 0; l < net->levels; l++)
	{
		PassLevel  *lv = &net->level[l];
		int			first = Max(0, start[l + 1] - conv_span(&lv->conv2));
		float	   *swap;

		conv_rows(&lv->conv1, x, h, net->stride, first, rows, CONV_RELU, NULL);
		if (lv->downsample.kernel > 0)
			conv_rows(&lv->downsample, x, y, net->stride, start[l + 1], rows, CONV_LINEAR, NULL);
		conv_rows(&lv->conv2, h, y, net->stride, start[l + 1], rows, CONV_RESIDUAL,
				  lv->downsample.kernel > 0 ? y : x);
		swap = x;
		x = y;
		y = swap;
	}

	/* z = concat(last frame's encoding, normalised context) */
	width = net->level[net->levels - 1].conv2.out;
	memcpy(z, x + (Size) (rows - 1) * net->stride, sizeof(float) * width);
	for (int k = 0; k < net->context; k++)
	{
		float		v = (context[k] - net->context_mean[k]) / net->context_std[k];

		z[width + k] = isnan(v) ? 0 : v;
	}
	for (int m = 0; m < net->layers; m++)
	{
		float	   *swap;

		mlp_layer(&net->layer[m], z, o, m < net->layers - 1);
		swap = z;
		z = o;
		o = swap;
	}
	return z;
}
