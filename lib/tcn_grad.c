/*
 * tcn_grad.c: the pass model's TCN for training: layout over the caller's memory,
 * initialisation, a forward pass that keeps every activation of one play, and
 * backpropagation into the parameter gradient.
 *
 * Only the frames that reach the last frame's encoding are computed, level by level
 * (the same rows as the scoring forward pass of tcn.c, by the same tcn_level_starts), and
 * the gradient flows back through exactly those rows.  Every loop runs in a fixed order in
 * float32, so the same parameters and input give the same bits; zero inputs and zero
 * gradients (relu's and NaN's zeros, rows that do not reach the encoding) are skipped,
 * which changes no value.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "tcn.h"

/*
 * Bytes of the work area for plays of up to `rows` frames: per level h1, h2, the
 * downsample and the output, plus four gradient buffers, each rows x C floats
 */
size_t
tcn_work_bytes(int levels, int channels, int rows)
{
	return sizeof(float) * (size_t) rows * channels * (4 * (size_t) levels + 4);
}

/* Place one convolution's weight and bias in the parameter vector at *next */
static void
place_conv(TcnConv *c, int in, int out, int kernel, int dilation, float **next)
{
	c->in = in;
	c->out = out;
	c->kernel = kernel;
	c->dilation = dilation;
	if (*next == NULL)
		return;					/* the shape only */
	c->weight = *next;
	*next += (size_t) kernel * in * out;
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
 * Parameters of a TCN of `levels` levels of `channels` channels and kernel `kernel` over
 * `inputs` input channels
 */
int
tcn_param_count(int inputs, int levels, int channels, int kernel)
{
	int			n = 0;

	for (int l = 0; l < levels; l++)
	{
		int			in = l == 0 ? inputs : channels;

		n += conv_params(in, channels, kernel) + conv_params(channels, channels, kernel);
		if (in != channels)
			n += conv_params(in, channels, 1);
	}
	return n;
}

/*
 * Floats of the transposed weights a TCN keeps for the input gradient: conv2 of every
 * level and conv1 above level 0
 */
size_t
tcn_transposed_floats(int levels, int channels, int kernel)
{
	return (size_t) (2 * levels - 1) * kernel * channels * channels;
}

/*
 * Lay a TCN of `levels` levels of `channels` channels and kernel `kernel` over `inputs`
 * input channels on the caller's memory: params (tcn_param_count floats, whose values are
 * left as they are) and transposed (tcn_transposed_floats); sizes checked by the caller.
 * With params and transposed NULL, only the shape: every convolution's sizes, no weights
 * (what a weight file of the TCN will hold, before any memory is taken).
 */
void
tcn_layout(Tcn *tcn, int inputs, int levels, int channels, int kernel, float *params, float *transposed)
{
	float	   *next = params;

	memset(tcn, 0, sizeof(Tcn));
	tcn->inputs = inputs;
	tcn->levels = levels;
	tcn->channels = channels;
	tcn->kernel = kernel;
	tcn->nparams = tcn_param_count(inputs, levels, channels, kernel);
	tcn->params = params;
	for (int l = 0; l < levels; l++)
	{
		TcnLevel   *lv = &tcn->level[l];
		int			in = l == 0 ? inputs : channels;

		place_conv(&lv->conv1, in, channels, kernel, 1 << l, &next);
		place_conv(&lv->conv2, channels, channels, kernel, 1 << l, &next);
		if (in != channels)
			place_conv(&lv->downsample, in, channels, 1, 1, &next);
		tcn_shape_add_level(&tcn->shape, tcn_conv_span(kernel, 1 << l), tcn_conv_span(kernel, 1 << l));

		/*
		 * the input gradient is needed above level 0 only, and always inside
		 * a level
		 */
		if (transposed == NULL)
			continue;
		lv->conv2.weight_t = transposed;
		transposed += (size_t) kernel * channels * channels;
		if (l > 0)
		{
			lv->conv1.weight_t = transposed;
			transposed += (size_t) kernel * channels * channels;
		}
	}
	assert(params == NULL || next == params + tcn->nparams);
}

/* torch.nn.Conv1d's default initialisation, drawn in PyTorch's [out][in][kernel] order */
static void
init_conv(TcnConv *c, Rng *rng)
{
	double		bound = 1.0 / sqrt((double) c->in * c->kernel);

	for (int o = 0; o < c->out; o++)
		for (int i = 0; i < c->in; i++)
			for (int j = 0; j < c->kernel; j++)
				c->weight[((size_t) j * c->in + i) * c->out + o] =
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
				c->weight_t[((size_t) j * c->out + o) * c->in + i] = c->weight[((size_t) j * c->in + i) * c->out + o];
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

/* The next `plane` floats of a work area */
static inline float *
take_plane(float **next, size_t plane)
{
	float	   *buffer = *next;

	*next += plane;
	return buffer;
}

/*
 * Lay the work area for plays of up to max_rows frames on work, tcn_work_bytes() bytes
 * that the caller owns (and frees when it binds a larger one)
 */
void
tcn_bind_work(Tcn *tcn, int max_rows, float *work)
{
	size_t		plane = (size_t) max_rows * tcn->channels;
	float	   *next = work;

	tcn->max_rows = max_rows;
	tcn->work = work;
	for (int l = 0; l < tcn->levels; l++)
	{
		TcnLevel   *lv = &tcn->level[l];

		lv->h1 = take_plane(&next, plane);
		lv->h2 = take_plane(&next, plane);
		lv->out = take_plane(&next, plane);
		lv->res = take_plane(&next, plane);
		if (lv->downsample.kernel == 0)
			lv->res = NULL;
	}
	tcn->grad_out = take_plane(&next, plane);
	tcn->grad_in = take_plane(&next, plane);
	tcn->grad_h1 = take_plane(&next, plane);
	tcn->grad_h2 = take_plane(&next, plane);
}

/*
 * Rows [first, rows) of y = b + sum over taps and inputs of W x, rows of x before 0 zero
 */
static void
conv_forward(const TcnConv *c, const float *x, float *y, int first, int rows)
{
	for (int t = first; t < rows; t++)
	{
		float	   *yt = y + (size_t) t * c->out;

		memcpy(yt, c->bias, sizeof(float) * c->out);
		for (int j = 0; j < c->kernel; j++)
		{
			int			s = t - (c->kernel - 1 - j) * c->dilation;
			const float *xs;
			const float *w = c->weight + (size_t) j * c->in * c->out;

			if (s < 0)
				continue;
			xs = x + (size_t) s * c->in;
			for (int i = 0; i < c->in; i++)
			{
				float		xi = xs[i];
				const float *wi = w + (size_t) i * c->out;

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
	for (size_t k = (size_t) first * width; k < (size_t) rows * width; k++)
		y[k] = y[k] > 0.0f ? y[k] : 0.0f;
}

/* Let the caller's poll run, between two convolutions */
static inline void
poll(const Tcn *tcn)
{
	if (tcn->poll)
		tcn->poll(tcn->poll_arg);
}

/*
 * Forward pass of one play: x is its normalised input, rows x inputs (NaN already 0);
 * keeps the activations for tcn_backward and returns the encoding, the last level's
 * output at the last row (C floats)
 */
const float *
tcn_forward(Tcn *tcn, const float *x, int rows)
{
	int			start[TCN_MAX_LEVELS + 1];
	int			C = tcn->channels;

	assert(rows >= 1 && rows <= tcn->max_rows);
	tcn_level_starts(&tcn->shape, rows, start);
	for (int l = 0; l < tcn->levels; l++)
	{
		TcnLevel   *lv = &tcn->level[l];
		int			first = start[l + 1];
		const float *res = lv->downsample.kernel > 0 ? lv->res : x;

		poll(tcn);
		conv_forward(&lv->conv1, x, lv->h1, tcn_first_h1(&tcn->shape, start, l), rows);
		relu_rows(lv->h1, C, tcn_first_h1(&tcn->shape, start, l), rows);
		poll(tcn);
		conv_forward(&lv->conv2, lv->h1, lv->h2, first, rows);
		relu_rows(lv->h2, C, first, rows);
		if (lv->downsample.kernel > 0)
			conv_forward(&lv->downsample, x, lv->res, first, rows);
		for (size_t k = (size_t) first * C; k < (size_t) rows * C; k++)
		{
			float		v = lv->h2[k] + res[k];

			lv->out[k] = v > 0.0f ? v : 0.0f;
		}
		x = lv->out;
	}
	return tcn->level[tcn->levels - 1].out + (size_t) (rows - 1) * C;
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
		const float *dyt = dy + (size_t) t * c->out;

		for (int o = 0; o < c->out; o++)
			gb[o] += dyt[o];
		for (int j = 0; j < c->kernel; j++)
		{
			int			s = t - (c->kernel - 1 - j) * c->dilation;
			const float *xs;
			float	   *gwj = gw + (size_t) j * c->in * c->out;

			if (s < 0)
				continue;
			xs = x + (size_t) s * c->in;
			for (int i = 0; i < c->in; i++)
			{
				float		xi = xs[i];
				float	   *g = gwj + (size_t) i * c->out;

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
				const float *wt = c->weight_t + ((size_t) j * c->out + o) * c->in;
				float	   *dxs = dx + (size_t) s * c->in;

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
	int			f1 = tcn_first_h1(&tcn->shape, start, l);
	float	   *g = tcn->grad_out;

	/* through relu(h2 + residual), then relu(conv2) */
	for (size_t k = (size_t) first * C; k < (size_t) rows * C; k++)
	{
		if (lv->out[k] <= 0.0f)
			g[k] = 0.0f;
		tcn->grad_h2[k] = lv->h2[k] > 0.0f ? g[k] : 0.0f;
	}
	memset(tcn->grad_h1 + (size_t) f1 * C, 0, sizeof(float) * (size_t) (rows - f1) * C);
	poll(tcn);
	conv_backward(&lv->conv2, lv->h1, tcn->grad_h2, first, rows,
				  grad_of(tcn, grad, lv->conv2.weight), grad_of(tcn, grad, lv->conv2.bias), tcn->grad_h1);
	for (size_t k = (size_t) f1 * C; k < (size_t) rows * C; k++)
		if (lv->h1[k] <= 0.0f)
			tcn->grad_h1[k] = 0.0f;

	if (dx)
		memset(dx + (size_t) start[l] * lv->conv1.in, 0, sizeof(float) * (size_t) (rows - start[l]) * lv->conv1.in);
	poll(tcn);
	conv_backward(&lv->conv1, x, tcn->grad_h1, f1, rows,
				  grad_of(tcn, grad, lv->conv1.weight), grad_of(tcn, grad, lv->conv1.bias), dx);
	if (lv->downsample.kernel > 0)
		conv_backward(&lv->downsample, x, g, first, rows,
					  grad_of(tcn, grad, lv->downsample.weight), grad_of(tcn, grad, lv->downsample.bias),
					  NULL);
	else if (dx)
		for (size_t k = (size_t) first * C; k < (size_t) rows * C; k++)
			dx[k] += g[k];
}

/*
 * Backward pass after tcn_forward on the same play: adds to grad (laid out like params)
 * the gradient of the loss, given grad_encoding, its gradient w.r.t. the encoding
 */
void
tcn_backward(Tcn *tcn, const float *x, int rows, const float *grad_encoding, float *grad)
{
	int			start[TCN_MAX_LEVELS + 1];
	int			C = tcn->channels;

	tcn_level_starts(&tcn->shape, rows, start);
	memcpy(tcn->grad_out + (size_t) (rows - 1) * C, grad_encoding, sizeof(float) * C);
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
				out[((size_t) o * c->in + i) * c->kernel + j] = c->weight[((size_t) j * c->in + i) * c->out + o];
}
