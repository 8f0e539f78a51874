/*
 * closing.c: the SQL face of the closing metric (lib/closing.c): ngs.closing_metric, its
 * three parts ngs.closing_parts, and closing_score, the C call ngs.closing_track shares.
 *
 * Trajectories are open paths with one point per frame (T steps, T + 1 points).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "closing.h"
#include "funcapi.h"
#include "ghost/ghost.h"
#include "utils/geo_decls.h"

/* A path's points as the x, y pairs lib/closing.c reads (Point is two float8) */
StaticAssertDecl(sizeof(Point) == 2 * sizeof(double), "a Point must be an x, y pair of doubles");
#define PATH_XY(path)	((const double *) (path)->p)

/*
 * Refuse a trajectory that is closed or has a non-finite coordinate
 */
static inline void
closing_check_path(const PATH *path, const char *which)
{
	if (path->closed)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s path must be open", which),
				 errhint("Pass an open path, one point per frame, "
						 "such as '[(x0,y0),(x1,y1)]', or apply popen().")));
	for (int i = 0; i < path->npts; i++)
		if (!isfinite(path->p[i].x) || !isfinite(path->p[i].y))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the %s path has a non-finite point at position %d", which, i + 1),
					 errhint("Remove or repair missing frames before measuring the trajectory.")));
}

/*
 * Raise the error of a status other than CLOSING_OK, for paths of ndefender and
 * nreceiver points measured with params
 */
static void
closing_raise(ClosingStatus status, int ndefender, int nreceiver, const ClosingParams *params)
{
	const char *name = closing_status_name(status);
	double		value = closing_param_value(params, status);

	switch (status)
	{
		case CLOSING_OK:
			return;
		case CLOSING_LENGTH_MISMATCH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the defender path has %d points but the receiver path has %d",
							ndefender, nreceiver),
					 errhint("Pass both trajectories over the same frames.")));
			break;
		case CLOSING_NO_STEP:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the paths have a single point, so no time passes"),
					 errhint("Pass at least two frames (one step) per trajectory.")));
			break;
		case CLOSING_BAD_V_TOP:
		case CLOSING_BAD_V_MAX:
		case CLOSING_BAD_DT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be positive and finite, not %g", name, value),
					 errhint("The defaults are v_top 11 yd/s, v_max 12.5 yd/s and dt 0.1 s.")));
			break;
		case CLOSING_BAD_W_CLOSING:
		case CLOSING_BAD_W_EFFORT:
		case CLOSING_BAD_W_SUPERHUMAN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be non-negative and finite, not %g", name, value),
					 errhint("Weights default to 1; 0 leaves a part out of the score.")));
			break;
		case CLOSING_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the closing metric is out of the range of a double for these paths and parameters"),
					 errhint("Pass positions in yards, speeds in yd/s and dt in seconds, so that v_top * steps * dt is a real distance.")));
			break;
	}
	elog(ERROR, "closing metric status %d", (int) status);
}

/*
 * The closing score of two checked paths of npoints points each (x, y pairs), with an
 * error for what lib/closing.c refuses; what ngs.closing_metric and ngs.closing_track return
 */
double
closing_score(const double *defender, const double *receiver, int npoints, const ClosingParams *params)
{
	double		score = 0.0;

	closing_raise(closing_compute(defender, receiver, npoints, params, &score), npoints, npoints, params);
	return score;
}

/*
 * The speeds and time step of arguments 2 to 4, and the weights of arguments 5 to 7 when
 * the function has them (the defaults otherwise)
 */
static ClosingParams
closing_params_of_args(FunctionCallInfo fcinfo)
{
	ClosingParams params = closing_default_params();

	params.v_top = PG_GETARG_FLOAT8(2);
	params.v_max = PG_GETARG_FLOAT8(3);
	params.dt = PG_GETARG_FLOAT8(4);
	if (PG_NARGS() >= 8)
	{
		params.w_closing = PG_GETARG_FLOAT8(5);
		params.w_effort = PG_GETARG_FLOAT8(6);
		params.w_superhuman = PG_GETARG_FLOAT8(7);
	}
	return params;
}

/*
 * ngs.closing_metric(defender, receiver, v_top, v_max, dt, w_closing, w_effort,
 * w_superhuman): the weighted score; lower is better coverage
 */
PG_FUNCTION_INFO_V1(closing_metric);
Datum
closing_metric(PG_FUNCTION_ARGS)
{
	PATH	   *defender = PG_GETARG_PATH_P(0);
	PATH	   *receiver = PG_GETARG_PATH_P(1);
	ClosingParams params = closing_params_of_args(fcinfo);
	ClosingParts parts;
	double		score = 0.0;

	closing_raise(closing_check_weights(&params), 0, 0, &params);
	closing_check_path(defender, "defender");
	closing_check_path(receiver, "receiver");
	closing_raise(closing_compute_parts(PATH_XY(defender), defender->npts, PATH_XY(receiver),
										receiver->npts, &params, &parts),
				  defender->npts, receiver->npts, &params);
	closing_raise(closing_compute_score(&parts, &params, &score), 0, 0, &params);
	PG_RETURN_FLOAT8(score);
}

/*
 * ngs.closing_parts(defender, receiver, v_top, v_max, dt): the record (closing C,
 * effort E, superhuman P); the score is C + max(0, E - 1) + P
 */
PG_FUNCTION_INFO_V1(closing_parts);
Datum
closing_parts(PG_FUNCTION_ARGS)
{
	PATH	   *defender = PG_GETARG_PATH_P(0);
	PATH	   *receiver = PG_GETARG_PATH_P(1);
	ClosingParams params = closing_params_of_args(fcinfo);
	ClosingParts parts;
	TupleDesc	tupdesc;
	Datum		fields[3];
	bool		nulls[3] = {false, false, false};

	closing_check_path(defender, "defender");
	closing_check_path(receiver, "receiver");
	closing_raise(closing_compute_parts(PATH_XY(defender), defender->npts, PATH_XY(receiver),
										receiver->npts, &params, &parts),
				  defender->npts, receiver->npts, &params);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ngs.closing_parts must return a record of three float8")));
	fields[0] = Float8GetDatum(parts.closing);
	fields[1] = Float8GetDatum(parts.effort);
	fields[2] = Float8GetDatum(parts.superhuman);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), fields, nulls)));
}
