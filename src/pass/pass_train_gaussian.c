/*
 * pass_train_gaussian.c: ngs.train_pass_gaussian, which trains the Gaussian-output
 * network of the pass model's size (the same run as ngs.train_pass_model, pass_train.c)
 * and returns its predictions for the rows of a second query, for the comparison the
 * NGS paper makes.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "pass/pass_trainer.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

/* What the rows of the prediction query are read with */
typedef struct Predictor
{
	PassRun    *run;			/* the trained network and its normalisation */
	ReturnSetInfo *rsinfo;		/* where the predictions go */
} Predictor;

/*
 * Refuse a prediction query whose columns are not (key bigint, tensor ngs.play_tensor,
 * context real[], yards float8)
 */
static void
check_predict_columns(TupleDesc desc, void *arg)
{
	Oid			types[4] = {INT8OID, source_play_tensor_type(), FLOAT4ARRAYOID, FLOAT8OID};

	if (!source_columns_are(desc, types, 4))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("predict_query must return (key bigint, tensor ngs.play_tensor, context real[], yards float8)"),
				 errhint("The key comes back with each prediction; yards may be NULL (then crps and u are NULL).")));
}

/*
 * The Gaussian's mean and sd for a play tensor and its context array, normalised as the
 * training plays were
 */
static void
predict_play(PassRun *run, PlayTensor *pt, ArrayType *context_array, double *mean, double *sd)
{
	Network    *net = run->net;
	const TrainData *d = run->d;
	float		s[PASS_MAX_CONTEXT];
	int			context = d->context;
	int			rows;
	float	   *x;

	pass_train_read_context(context_array, &context, s);
	pass_train_check_frames(pt);
	rows = Min(pt->frames, d->keep_rows);
	x = palloc(sizeof(float) * rows * PASS_CHANNELS);
	pass_model_input(pt, pt->frames - rows, rows, x);
	trainer_normalize_columns(x, rows, PASS_CHANNELS, d->input_mean, d->input_std);
	trainer_normalize_columns(s, 1, context, d->context_mean, d->context_std);
	if (rows > net->tcn->max_rows)
	{
		pass_train_check_work_memory(&run->o, rows);
		tcn_prepare(net->tcn, rows);
	}
	train_gaussian_head(d, pass_train_forward(net, x, rows, s, context), mean, sd);
}

/*
 * One prediction row: the Gaussian's mean and sd for a play, its CRPS at the yards
 * (sd [r (2 Phi(r) - 1) + 2 phi(r) - 1/sqrt(pi)], r = (y - mean)/sd) and its CDF there
 */
static void
predict_values(PassRun *run, HeapTuple tuple, TupleDesc desc, Datum *values, bool *nulls)
{
	bool		isnull[4];
	Datum		v[4];
	double		mean,
				sd,
				r;

	for (int k = 0; k < 4; k++)
		v[k] = SPI_getbinval(tuple, desc, k + 1, &isnull[k]);
	values[0] = v[0];
	nulls[0] = isnull[0];
	for (int k = 1; k < 5; k++)
		nulls[k] = true;
	if (isnull[1] || isnull[2])
		return;
	predict_play(run, DatumGetPlayTensorP(v[1]), DatumGetArrayTypeP(v[2]), &mean, &sd);
	values[1] = Float8GetDatum(mean);
	values[2] = Float8GetDatum(sd);
	nulls[1] = nulls[2] = false;
	if (isnull[3])
		return;
	pass_train_check_yards(DatumGetFloat8(v[3]));
	r = (DatumGetFloat8(v[3]) - mean) / sd;
	values[3] = Float8GetDatum(sd * (r * erf(r / M_SQRT2) + 2.0 * exp(-0.5 * r * r) / sqrt(2.0 * M_PI) - 1.0 / sqrt(M_PI)));
	values[4] = Float8GetDatum(0.5 * erfc(-r / M_SQRT2));
	nulls[3] = nulls[4] = false;
}

/* Put the prediction for one row of the prediction query into the result */
static void
predict_row(HeapTuple tuple, TupleDesc desc, void *arg)
{
	Predictor  *predictor = arg;
	Datum		values[5];
	bool		nulls[5];

	predict_values(predictor->run, tuple, desc, values, nulls);
	tuplestore_putvalues(predictor->rsinfo->setResult, predictor->rsinfo->setDesc, values, nulls);
}

/*
 * ngs.train_pass_gaussian(source_query, predict_query, options): trains the network of
 * the same TCN and MLP with a Gaussian head (mean, softplus scale) on the source plays,
 * then returns (key, mean, sd, crps, u) for every row of predict_query
 */
PG_FUNCTION_INFO_V1(train_pass_gaussian);
Datum
train_pass_gaussian(PG_FUNCTION_ARGS)
{
	char	   *source = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *predict = text_to_cstring(PG_GETARG_TEXT_PP(1));
	PassRun		run = {0};
	Predictor	predictor = {&run, (ReturnSetInfo *) fcinfo->resultinfo};
	Trainer		t;

	train_options_parse(PG_GETARG_JSONB_P(2), true, &run.o);
	InitMaterializedSRF(fcinfo, 0);
	pass_train_fit(&t, &run, source);
	source_query_rows(predict, check_predict_columns, predict_row, &predictor);
	trainer_end(&t);
	return (Datum) 0;
}
