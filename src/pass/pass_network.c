/*
 * pass_network.c: the pass model's TCN + MLP read from a weight file, and run by
 * lib/pass_net.c in a work area of the caller's memory context.
 *
 * Every tensor of the profile in shared/design/pass-model.md is claimed, its shape
 * checked and its weights packed for lib/'s kernels; a bad file is an error that names
 * the problem.  The loaded network is read-only, so a cached model carries no caller's
 * scratch.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "pass/pass_model.h"
#include "sbp/sbp.h"

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
 * Read tcn.{l}.{part}.weight/.bias as a convolution from `in` channels, packed for the
 * scoring kernel
 */
static bool
load_conv(ModelFile *mf, int l, const char *part, int in, int out, int kernel, bool required,
		  TcnPackedConv *c)
{
	char	   *name = psprintf("tcn.%d.%s.weight", l, part);
	int64		shape[3] = {out, in, kernel};
	ModelTensor *w = claim(mf, name, 3, shape, required);
	ModelTensor *b;
	int64		bias_shape;

	if (w == NULL)
		return false;
	check_dimension(name, "channels", w->shape[0], 1, PASS_MAX_CHANNELS);
	check_dimension(name, "kernel", w->shape[2], 1, PASS_MAX_KERNEL);
	bias_shape = w->shape[0];
	b = claim(mf, psprintf("tcn.%d.%s.bias", l, part), 1, &bias_shape, true);
	tcn_pack_conv(c, w->shape[0], in, w->shape[2], 1 << l, w->data, b->data,
				  model_alloc_aligned(sizeof(float) * tcn_pack_weight_floats(w->shape[0], in, w->shape[2])),
				  model_alloc_aligned(sizeof(float) * tcn_pack_bias_floats(w->shape[0])));
	return true;
}

/* Read TCN level l, whose input has `in` channels; false when the file has no such level */
static bool
load_level(ModelFile *mf, int l, int in, TcnPackedLevel *lv)
{
	if (!load_conv(mf, l, "conv1", in, -1, -1, false, &lv->conv1))
		return false;
	load_conv(mf, l, "conv2", lv->conv1.out, lv->conv1.out, -1, true, &lv->conv2);
	if (in != lv->conv1.out)
		load_conv(mf, l, "downsample", in, lv->conv1.out, 1, true, &lv->downsample);
	return true;
}

/* Read mlp.{m}; false when the file has no such layer.  Weights are packed transposed */
static bool
load_layer(ModelFile *mf, int m, int in, PassDense *ly)
{
	char	   *name = psprintf("mlp.%d.weight", m);
	int64		shape[2] = {-1, in};
	ModelTensor *w = claim(mf, name, 2, shape, false);
	ModelTensor *b;
	int64		out;

	if (w == NULL)
		return false;
	out = w->shape[0];
	check_dimension(name, "width", out, 1, PASS_MAX_WIDTH);
	b = claim(mf, psprintf("mlp.%d.bias", m), 1, &out, true);
	pass_dense_pack(ly, out, in, w->data, b->data,
					model_alloc_aligned(sizeof(float) * pass_dense_weight_floats(out, in)),
					model_alloc_aligned(sizeof(float) * pass_dense_bias_floats(out)));
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
		net->net.context = mean->shape[0];
		net->net.context_mean = claim_vector(mf, "context.mean", net->net.context, false);
		net->net.context_std = claim_vector(mf, "context.std", net->net.context, true);
	}
	if (names == NULL)
		return;
	for (const char *p = names; *p; p++)
		count += *p == ',';
	if (count != net->net.context)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file metadata context.names has %d names but the model reads %d context values",
						count, net->net.context)));
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

/* Read the TCN's levels, tcn.0 onwards, over the PASS_CHANNELS input channels */
static void
load_tcn(ModelFile *mf, TcnPacked *tcn)
{
	int			width = PASS_CHANNELS;

	tcn->inputs = PASS_CHANNELS;
	while (tcn->levels < PASS_MAX_LEVELS && load_level(mf, tcn->levels, width, &tcn->level[tcn->levels]))
		width = tcn->level[tcn->levels++].conv1.out;
	if (tcn->levels == 0)
		missing_tensor("tcn.0.conv1.weight");
	tcn_packed_finish(tcn);
}

/* Read the MLP's layers, mlp.0 onwards, over `in` inputs; returns the last one's outputs */
static int
load_mlp(ModelFile *mf, int in, PassNet *net)
{
	PassDense  *layer = palloc0(sizeof(PassDense) * PASS_MAX_MLP_LAYERS);
	int			width = in;

	while (net->layers < PASS_MAX_MLP_LAYERS && load_layer(mf, net->layers, width, &layer[net->layers]))
		width = layer[net->layers++].out;
	if (net->layers == 0)
		missing_tensor("mlp.0.weight");
	net->layer = layer;
	return width;
}

/*
 * Build a pass network from a parsed weight file, checking every tensor of the profile;
 * everything it keeps is copied into the current memory context
 */
PassNetwork *
pass_network_load(ModelFile *mf)
{
	PassNetwork *net = palloc0(sizeof(PassNetwork));
	TcnPacked  *tcn = &net->net.tcn;
	int			out;

	load_sbp_metadata(mf, net);
	net->net.input_mean = claim_vector(mf, "input.mean", PASS_CHANNELS, false);
	net->net.input_std = claim_vector(mf, "input.std", PASS_CHANNELS, true);
	load_context(mf, net);
	load_tcn(mf, tcn);
	out = load_mlp(mf, tcn->level[tcn->levels - 1].conv2.out + net->net.context, &net->net);
	net->bins = out - PASS_HEAD;
	if (net->bins < 2 || net->bins > SBP_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight file tensor \"mlp.%d.weight\" has %d outputs; the last layer needs bins + 4 with 2 to %d bins",
						net->net.layers - 1, out, SBP_MAX_BINS)));
	sbp_check_range(net->lower, net->upper, net->bins);	/* or every score would fail */
	check_all_claimed(mf);
	return net;
}

/*
 * The frames of a play of `frames` frames the network reads (its last ones): the rows of
 * the input pass_network_forward takes
 */
int
pass_network_rows(const PassNetwork *net, int frames)
{
	return pass_net_rows(&net->net, frames);
}

/*
 * Run the network on a play's model input (`rows` rows of PASS_CHANNELS, from
 * pass_network_rows) and context (net->net.context values, NaN = missing), writing its
 * bins + 4 outputs to out; the work area is allocated and freed here
 */
void
pass_network_forward(const PassNetwork *net, const float *input, int rows, const float *context,
					 float *out)
{
	Size		floats = pass_net_work_floats(&net->net, rows);
	void	   *chunk = palloc(sizeof(float) * floats + MODEL_ALIGN);
	float	   *work = (float *) TYPEALIGN(MODEL_ALIGN, chunk);

	memcpy(out, pass_net_forward(&net->net, input, rows, context, work),
		   sizeof(float) * (net->bins + PASS_HEAD));
	pfree(chunk);
}
