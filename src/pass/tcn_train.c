/*
 * tcn_train.c: the pass model's TCN for training: initialisation, a forward pass that
 * keeps every activation of one play, and backpropagation into the parameter gradient.
 *
 * Only the frames that reach the last frame's encoding are computed, level by level
 * (the same rows as the scoring forward pass in pass_network.c), and the gradient flows
 * back through exactly those rows.  Every loop runs in a fixed order in float32, so the
 * same parameters and input give the same bits; zero inputs and zero gradients (relu's
 * and NaN's zeros, rows that do not reach the encoding) are skipped, which changes no
 * value.
 */
#include "postgres.h"

#include <math.h>

#include "pass/pass_train.h"

/* Frames between the first and the last tap of a convolution */
static inline int
conv_span(const TcnConv *c)
{
	return (c->kernel - 1) * c->dilation;
}

/*
 * Frames that can reach the last frame's encoding: 1 + sum over levels of 2 (K - 1) 2^l
 */
int
tcn_receptive_field(int levels, int kernel)
{
	int			receptive = 1;

	for (int l = 0; l < levels; l++)
		receptive += 2 * (kernel - 1) * (1 << l);
	return receptive;
}

/*
 * Bytes of the work area for plays of up to `rows` frames: per level h1, h2, the
 * downsample and the output, plus four gradient buffers, each rows x C floats
 */
Size
tcn_work_bytes(int levels, int channels, int rows)
{
	return sizeof(float) * (Size) rows * channels * (4 * (Size) levels + 4);
}

/* Place one convolution's weight and bias in the parameter vector at *next */
static void
place_conv(TcnConv *c, int in, int out, int kernel, int dilation, float **next)
{
	c->in = in;
	c->out = out;
	c->kernel = kernel;
	c->dilation = dilation;
	c->weight = *next;
	*next += (Size) kernel * in * out;
	c->bias = *next;
	*next += out;
}

/* Parameters of one convolution */
static inline int
conv_params(int in, int out, int kernel)
{
	return kernel * in * out + out;
}

/*
 * A TCN of `levels` levels of `channels` channels and kernel `kernel` over the 176 input
 * channels, parameters zero, in the current memory context (sizes checked by the caller)
 */
Tcn *
tcn_create(int levels, int channels, int kernel)
{
	Tcn		   *tcn = palloc0(sizeof(Tcn));
	float	   *next;

	tcn->mcxt = CurrentMemoryContext;
	tcn->levels = levels;
	tcn->channels = channels;
	tcn->kernel = kernel;
	tcn->receptive = tcn_receptive_field(levels, kernel);
	for (int l = 0; l < levels; l++)
	{
		int			in = l == 0 ? PASS_CHANNELS : channels;

		tcn->nparams += conv_params(in, channels, kernel) + conv_params(channels, channels, kernel);
		if (in != channels)
			tcn->nparams += conv_params(in, channels, 1);
	}
	next = tcn->params = palloc0(sizeof(float) * tcn->nparams);
	for (int l = 0; l < levels; l++)
	{
		TcnLevel   *lv = &tcn->level[l];
		int			in = l == 0 ? PASS_CHANNELS : channels;

		place_conv(&lv->conv1, in, channels, kernel, 1 << l, &next);
		place_conv(&lv->conv2, channels, channels, kernel, 1 << l, &next);
		if (in != channels)
			place_conv(&lv->downsample, in, channels, 1, 1, &next);

		/*
		 * the input gradient is needed above level 0 only, and always inside
		 * a level
		 */
		lv->conv2.weight_t = palloc(sizeof(float) * kernel * channels * channels);
		if (l > 0)
			lv->conv1.weight_t = palloc(sizeof(float) * kernel * channels * channels);
	}
	Assert(next == tcn->params + tcn->nparams);
	return tcn;
}

/* torch.nn.Conv1d's default initialisation, drawn in PyTorch's [out][in][kernel] order */
static void
init_conv(TcnConv *c, Rng *rng)
{
	double		bound = 1.0 / sqrt((double) c->in * c->kernel);

	for (int o = 0; o < c->out; o++)
		for (int i = 0; i < c->in; i++)
			for (int j = 0; j < c->kernel; j++)
				c->weight[((Size) j * c->in + i) * c->out + o] =
					(float) ((2.0 * rng_uniform(rng) - 1.0) * bound);
	for (int o = 0; o < c->out; o++)
		c->bias[o] = (float) ((2.0 * rng_uniform(rng) - 1.0) * bound);
}

/*
 * PyTorch's default initialisation (weights and biases uniform in +-1/sqrt(in * kernel)),
 * level by level: conv1, conv2, downsample
 */
void
tcn_init(Tcn *tcn, Rng *rng)
{
	for (int l = 0; l < tcn->levels; l++)
	{
		init_conv(&tcn->level[l].conv1, rng);
		init_conv(&tcn->level[l].conv2, rng);
		if (tcn->level[l].downsample.kernel > 0)
			init_conv(&tcn->level[l].downsample, rng);
	}
	tcn_sync(tcn);
}

/* Refresh a convolution's transposed copy from its weight */
static void
transpose_conv(TcnConv *c)
{
	if (c->weight_t == NULL)
		return;
	for (int j = 0; j < c->kernel; j++)
		for (int i = 0; i < c->in; i++)
			for (int o = 0; o < c->out; o++)
				c->weight_t[((Size) j * c->out + o) * c->in + i] = c->weight[((Size) j * c->in + i) * c->out + o];
}

/*
 * Refresh the transposed weights after the parameters changed (an optimizer step)
 */
void
tcn_sync(Tcn *tcn)
{
	for (int l = 0; l < tcn->levels; l++)
	{
		transpose_conv(&tcn->level[l].conv1);
		transpose_conv(&tcn->level[l].conv2);
	}
}

/* A work buffer of `plane` bytes in the TCN's memory context, replacing *buffer */
static void
renew_buffer(const Tcn *tcn, float **buffer, Size plane)
{
	if (*buffer)
		pfree(*buffer);
	*buffer = MemoryContextAllocHuge(tcn->mcxt, plane);
}

/*
 * Make the work area hold plays of up to max_rows frames (tcn_work_bytes, checked
 * against the limit by the caller); the buffers only grow
 */
void
tcn_prepare(Tcn *tcn, int max_rows)
{
	Size		plane = sizeof(float) * (Size) max_rows * tcn->channels;

	if (max_rows <= tcn->max_rows)
		return;
	tcn->max_rows = max_rows;
	for (int l = 0; l < tcn->levels; l++)
	{
		TcnLevel   *lv = &tcn->level[l];

		renew_buffer(tcn, &lv->h1, plane);
		renew_buffer(tcn, &lv->h2, plane);
		renew_buffer(tcn, &lv->out, plane);
		if (lv->downsample.kernel > 0)
			renew_buffer(tcn, &lv->res, plane);
	}
	renew_buffer(tcn, &tcn->grad_out, plane);
	renew_buffer(tcn, &tcn->grad_in, plane);
	renew_buffer(tcn, &tcn->grad_h1, plane);
	renew_buffer(tcn, &tcn->grad_h2, plane);
}

/*
 * The first row each level's output needs for the last row to be right: start[L] is
 * the last row, start[0] the first input row read
 */
static void
level_starts(const Tcn *tcn, int rows, int *start)
{
	start[tcn->levels] = rows - 1;
	for (int l = tcn->levels - 1; l >= 0; l--)
	{
		const TcnLevel *lv = &tcn->level[l];
		int			first_h1 = Max(0, start[l + 1] - conv_span(&lv->conv2));

		start[l] = Max(0, first_h1 - conv_span(&lv->conv1));
	}
}

/* The first row of h1 a level computes */
static inline int
first_h1(const TcnLevel *lv, const int *start, int l)
{
	return Max(0, start[l + 1] - conv_span(&lv->conv2));
}

/*
 * Rows [first, rows) of y = b + sum over taps and inputs of W x, rows of x before 0 zero
 */
static void
conv_forward(const TcnConv *c, const float *x, float *y, int first, int rows)
{
	for (int t = first; t < rows; t++)
	{
		float	   *yt = y + (Size) t * c->out;

		memcpy(yt, c->bias, sizeof(float) * c->out);
		for (int j = 0; j < c->kernel; j++)
		{
			int			s = t - (c->kernel - 1 - j) * c->dilation;
			const float *xs;
			const float *w = c->weight + (Size) j * c->in * c->out;

			if (s < 0)
				continue;
			xs = x + (Size) s * c->in;
			for (int i = 0; i < c->in; i++)
			{
				float		xi = xs[i];
				const float *wi = w + (Size) i * c->out;

				if (xi == 0.0f)
					continue;
				for (int o = 0; o < c->out; o++)
					yt[o] += xi * wi[o];
			}
		}
	}
}

/* relu over rows [first, rows) of a [rows][width] buffer */
static void
relu_rows(float *y, int width, int first, int rows)
{
	for (Size k = (Size) first * width; k < (Size) rows * width; k++)
		y[k] = y[k] > 0.0f ? y[k] : 0.0f;
}

/*
 * Forward pass of one play: x is its normalised input, rows x 176 (NaN already 0);
 * keeps the activations for tcn_backward and returns the encoding, the last level's
 * output at the last row (C floats)
 */
const float *
tcn_forward(Tcn *tcn, const float *x, int rows)
{
	int			start[PASS_MAX_LEVELS + 1];
	int			C = tcn->channels;

	Assert(rows >= 1 && rows <= tcn->max_rows);
	level_starts(tcn, rows, start);
	for (int l = 0; l < tcn->levels; l++)
	{
		TcnLevel   *lv = &tcn->level[l];
		int			first = start[l + 1];
		const float *res = lv->downsample.kernel > 0 ? lv->res : x;

		conv_forward(&lv->conv1, x, lv->h1, first_h1(lv, start, l), rows);
		relu_rows(lv->h1, C, first_h1(lv, start, l), rows);
		conv_forward(&lv->conv2, lv->h1, lv->h2, first, rows);
		relu_rows(lv->h2, C, first, rows);
		if (lv->downsample.kernel > 0)
			conv_forward(&lv->downsample, x, lv->res, first, rows);
		for (Size k = (Size) first * C; k < (Size) rows * C; k++)
		{
			float		v = lv->h2[k] + res[k];

			lv->out[k] = v > 0.0f ? v : 0.0f;
		}
		x = lv->out;
	}
	return tcn->level[tcn->levels - 1].out + (Size) (rows - 1) * C;
}

/*
 * Backward through rows [first, rows) of a convolution given dy (its output's gradient):
 * adds the weight and bias gradients to gw and gb, and with dx the input gradient to dx
 */
static void
conv_backward(const TcnConv *c, const float *x, const float *dy, int first, int rows,
			  float *gw, float *gb, float *dx)
{
	for (int t = first; t < rows; t++)
	{
		const float *dyt = dy + (Size) t * c->out;

		for (int o = 0; o < c->out; o++)
			gb[o] += dyt[o];
		for (int j = 0; j < c->kernel; j++)
		{
			int			s = t - (c->kernel - 1 - j) * c->dilation;
			const float *xs;
			float	   *gwj = gw + (Size) j * c->in * c->out;

			if (s < 0)
				continue;
			xs = x + (Size) s * c->in;
			for (int i = 0; i < c->in; i++)
			{
				float		xi = xs[i];
				float	   *g = gwj + (Size) i * c->out;

				if (xi == 0.0f)
					continue;
				for (int o = 0; o < c->out; o++)
					g[o] += xi * dyt[o];
			}
			if (dx == NULL)
				continue;
			for (int o = 0; o < c->out; o++)
			{
				float		d = dyt[o];
				const float *wt = c->weight_t + ((Size) j * c->out + o) * c->in;
				float	   *dxs = dx + (Size) s * c->in;

				if (d == 0.0f)
					continue;
				for (int i = 0; i < c->in; i++)
					dxs[i] += d * wt[i];
			}
		}
	}
}

/* The gradient slots of a convolution's weight and bias */
static inline float *
grad_of(const Tcn *tcn, float *grad, const float *param)
{
	return grad + (param - tcn->params);
}

/*
 * Backpropagate one level: grad_out holds the gradient w.r.t. its output on rows
 * [start[l + 1], rows) and is overwritten; with dx, the gradient w.r.t. its input
 * x (rows [start[l], rows)) is written there
 */
static void
level_backward(Tcn *tcn, int l, const int *start, const float *x, int rows, float *grad,
			   float *dx)
{
	TcnLevel   *lv = &tcn->level[l];
	int			C = tcn->channels;
	int			first = start[l + 1];
	int			f1 = first_h1(lv, start, l);
	float	   *g = tcn->grad_out;

	/* through relu(h2 + residual), then relu(conv2) */
	for (Size k = (Size) first * C; k < (Size) rows * C; k++)
	{
		if (lv->out[k] <= 0.0f)
			g[k] = 0.0f;
		tcn->grad_h2[k] = lv->h2[k] > 0.0f ? g[k] : 0.0f;
	}
	memset(tcn->grad_h1 + (Size) f1 * C, 0, sizeof(float) * (Size) (rows - f1) * C);
	conv_backward(&lv->conv2, lv->h1, tcn->grad_h2, first, rows,
				  grad_of(tcn, grad, lv->conv2.weight), grad_of(tcn, grad, lv->conv2.bias), tcn->grad_h1);
	for (Size k = (Size) f1 * C; k < (Size) rows * C; k++)
		if (lv->h1[k] <= 0.0f)
			tcn->grad_h1[k] = 0.0f;

	if (dx)
		memset(dx + (Size) start[l] * lv->conv1.in, 0, sizeof(float) * (Size) (rows - start[l]) * lv->conv1.in);
	conv_backward(&lv->conv1, x, tcn->grad_h1, f1, rows,
				  grad_of(tcn, grad, lv->conv1.weight), grad_of(tcn, grad, lv->conv1.bias), dx);
	if (lv->downsample.kernel > 0)
		conv_backward(&lv->downsample, x, g, first, rows,
					  grad_of(tcn, grad, lv->downsample.weight), grad_of(tcn, grad, lv->downsample.bias),
					  NULL);
	else if (dx)
		for (Size k = (Size) first * C; k < (Size) rows * C; k++)
			dx[k] += g[k];
}

/*
 * Backward pass after tcn_forward on the same play: adds to grad (laid out like params)
 * the gradient of the loss, given grad_encoding, its gradient w.r.t. the encoding
 */
void
tcn_backward(Tcn *tcn, const float *x, int rows, const float *grad_encoding, float *grad)
{
	int			start[PASS_MAX_LEVELS + 1];
	int			C = tcn->channels;

	level_starts(tcn, rows, start);
	memcpy(tcn->grad_out + (Size) (rows - 1) * C, grad_encoding, sizeof(float) * C);
	for (int l = tcn->levels - 1; l >= 0; l--)
	{
		const float *input = l == 0 ? x : tcn->level[l - 1].out;
		float	   *swap;

		level_backward(tcn, l, start, input, rows, grad, l == 0 ? NULL : tcn->grad_in);
		/* the input gradient of level l is the output gradient of level l - 1 */
		swap = tcn->grad_out;
		tcn->grad_out = tcn->grad_in;
		tcn->grad_in = swap;
	}
}

/*
 * A convolution's weight in PyTorch's [out][in][kernel] order, for the weight file
 */
void
tcn_export_weight(const TcnConv *c, float *out)
{
	for (int o = 0; o < c->out; o++)
		for (int i = 0; i < c->in; i++)
			for (int j = 0; j < c->kernel; j++)
				out[((Size) o * c->in + i) * c->kernel + j] = c->weight[((Size) j * c->in + i) * c->out + o];
}
