/*
 * pass_model.c: scoring plays with a pass model (ngs.pass_distribution, ngs.pass_score).
 *
 * The network's last layer gives n bin logits and four tail pre-activations; the head
 * (lib/pass_head.c) turns them into an SBP over yards gained: xi = softplus(o),
 * beta = softplus(o) + 1e-6, with the bin range and tail mass from the weight file's
 * metadata.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "model/model_catalog.h"
#include "pass/pass_model.h"
#include "sbp/sbp.h"

/* Fail unless the play has enough frames for the model to read */
static inline void
check_frames(PlayTensor *pt)
{
	if (pt->frames < PASS_MIN_FRAMES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play_tensor has %d frames; the pass model needs at least %d",
						pt->frames, PASS_MIN_FRAMES),
				 errhint("Build the tensor from the snap to the release of the pass.")));
}

/*
 * A context array's values as floats, NULL elements as NaN (both mean missing), an error
 * for an infinite one (shared with the trainer, which checks the length its own way);
 * sets *count
 */
float *
pass_context_values(ArrayType *context, int *count)
{
	Datum	   *items;
	bool	   *nulls;
	float	   *values;

	if (ARR_NDIM(context) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("context must be a one-dimensional array")));
	deconstruct_array(context, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT, &items, &nulls, count);
	values = palloc(sizeof(float) * Max(*count, 1));
	for (int k = 0; k < *count; k++)
	{
		values[k] = nulls[k] ? get_float4_nan() : DatumGetFloat4(items[k]);
		if (isinf(values[k]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("context value %d is %s", k + 1, values[k] > 0 ? "Infinity" : "-Infinity"),
					 errhint("Pass a finite value, or NULL or NaN for a missing one.")));
	}
	return values;
}

/* Read the context array into s, checking its length against the model's */
static void
read_context(ArrayType *context, const PassNetwork *net, text *model, float *s)
{
	int			count;
	float	   *values = pass_context_values(context, &count);

	if (count != net->net.context)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("context has %d values but model \"%s\" reads %d",
						count, text_to_cstring(model), net->net.context),
				 net->context_names ?
				 errhint("The model reads, in this order: %s.", net->context_names) :
				 errhint("Pass the context values the model was trained with, in the same order.")));
	memcpy(s, values, sizeof(float) * count);
	pfree(values);
}

/*
 * Fail when argument arg is NULL: the scoring functions return NULL for a NULL play only
 */
static void
require_arg(FunctionCallInfo fcinfo, int arg, const char *name, const char *hint)
{
	if (PG_ARGISNULL(arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s is NULL", name),
				 errhint("%s", hint)));
}

/*
 * Run the model named by argument model_arg on arguments 0 (play) and 1 (context),
 * writing its bins + 4 finite outputs to out; returns the model.  The caller returns
 * NULL for a NULL play; a NULL context or model is an error.
 */
static PassNetwork *
run_pass_model(FunctionCallInfo fcinfo, int model_arg, float *out)
{
	PlayTensor *pt;
	ArrayType  *context;
	text	   *model;
	PassNetwork *net;
	float		s[PASS_MAX_CONTEXT];
	int			rows;
	float	   *input;

	require_arg(fcinfo, 1, "context",
				"Pass the model's context values; a missing value is NULL or NaN inside the array.");
	require_arg(fcinfo, model_arg, "model", "Name a pass model, e.g. 'default'.");
	pt = PG_GETARG_PLAY_TENSOR_P(0);
	context = PG_GETARG_ARRAYTYPE_P(1);
	model = PG_GETARG_TEXT_PP(model_arg);
	net = model_catalog_get(fcinfo, model, "pass");
	rows = pass_network_rows(net, pt->frames);
	check_frames(pt);
	read_context(context, net, model, s);
	input = palloc(sizeof(float) * rows * PASS_CHANNELS);
	pass_model_input(pt, pt->frames - rows, rows, input);
	pass_network_forward(net, input, rows, s, out);
	pfree(input);
	for (int k = 0; k < net->bins + PASS_HEAD; k++)
		if (!isfinite(out[k]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("model \"%s\" gives a non-finite output for this play", text_to_cstring(model)),
					 errhint("The model's weights overflow float32 on this input; retrain or rescale it.")));
	return net;
}

/* The SBP the head makes of the network's outputs */
static Sbp *
pass_head(const PassNetwork *net, const float *out)
{
	double		logits[SBP_MAX_BINS];
	PassTails	t;

	pass_head_logits(out, net->bins, logits);
	pass_head_tails(out, net->bins, &t);
	return sbp_from_logits(net->lower, net->upper, net->bins, logits, net->alpha,
						   t.xi_lo, t.beta_lo, t.xi_hi, t.beta_hi);
}

PG_FUNCTION_INFO_V1(pass_distribution);
/*
 * ngs.pass_distribution(pt, context, model): the predicted SBP of yards gained
 */
Datum
pass_distribution(PG_FUNCTION_ARGS)
{
	float		out[PASS_MAX_WIDTH];
	PassNetwork *net;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	net = run_pass_model(fcinfo, 2, out);
	PG_RETURN_SBP_P(pass_head(net, out));
}

PG_FUNCTION_INFO_V1(pass_score);
/*
 * ngs.pass_score(pt, context, yards, model): the predicted CDF at the yards gained; NULL
 * for a NULL play or NULL yards (an unknown outcome has no score)
 */
Datum
pass_score(PG_FUNCTION_ARGS)
{
	float8		yards;
	float		out[PASS_MAX_WIDTH];
	PassNetwork *net;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	net = run_pass_model(fcinfo, 3, out);
	if (PG_ARGISNULL(2))
		PG_RETURN_NULL();
	yards = PG_GETARG_FLOAT8(2);
	PG_RETURN_FLOAT8(sbp_cdf_value(pass_head(net, out), yards));
}

PG_FUNCTION_INFO_V1(pass_network_output);
/*
 * ngs.pass_network_output(pt, context, model): the network's raw bins + 4 outputs
 */
Datum
pass_network_output(PG_FUNCTION_ARGS)
{
	float		out[PASS_MAX_WIDTH];
	PassNetwork *net;
	Datum	   *items;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	net = run_pass_model(fcinfo, 2, out);
	items = palloc(sizeof(Datum) * (net->bins + PASS_HEAD));

	for (int k = 0; k < net->bins + PASS_HEAD; k++)
		items[k] = Float4GetDatum(out[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(items, net->bins + PASS_HEAD, FLOAT4OID,
										  sizeof(float4), true, TYPALIGN_INT));
}
