/*
 * closing.c: the closing metric of a defender's trajectory against a receiver's
 * (ngs.closing_metric) and its three parts (ngs.closing_parts), as ghosting.md defines:
 *
 *   closing    C = (d_T - d_0) / (v_top T dt), d_t = |D_t - R_t|
 *   effort     E = (path length of D) / (v_top T dt)
 *   superhuman P = mean over steps of max(0, |D_t - D_t-1| / dt - v_max) / v_max
 *   score        = w_c C + w_e max(0, E - 1) + w_p P; lower is better coverage
 *
 * Trajectories are open paths with one point per frame (T steps, T + 1 points).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "common/ngs.h"
#include "utils/geo_decls.h"

/* The three parts of the closing metric */
typedef struct ClosingParts
{
	double		closing;		/* C: gap change / distance at top speed */
	double		effort;			/* E: distance run / distance at top speed */
	double		superhuman;		/* P: mean relative excess of speed over v_max */
} ClosingParts;

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
 * Refuse a defender and receiver pair that does not cover the same one or more steps
 */
static inline void
closing_check_pair(const PATH *defender, const PATH *receiver)
{
	closing_check_path(defender, "defender");
	closing_check_path(receiver, "receiver");
	if (defender->npts != receiver->npts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the defender path has %d points but the receiver path has %d",
						defender->npts, receiver->npts),
				 errhint("Pass both trajectories over the same frames.")));
	if (defender->npts < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the paths have a single point, so no time passes"),
				 errhint("Pass at least two frames (one step) per trajectory.")));
}

/*
 * Refuse a speed or time step that is not a positive finite number
 */
static inline void
closing_check_positive(const char *name, double value)
{
	if (!(value > 0.0 && isfinite(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive and finite, not %g", name, value),
				 errhint("The defaults are v_top 11 yd/s, v_max 12.5 yd/s and dt 0.1 s.")));
}

/*
 * Refuse a weight that is not a non-negative finite number
 */
static inline void
closing_check_weight(const char *name, double value)
{
	if (!(value >= 0.0 && isfinite(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be non-negative and finite, not %g", name, value),
				 errhint("Weights default to 1; 0 leaves a part out of the score.")));
}

/*
 * The three parts for checked trajectories and parameters
 */
static ClosingParts
closing_compute(const PATH *defender, const PATH *receiver, double v_top, double v_max,
				double dt)
{
	const Point *d = defender->p;
	const Point *r = receiver->p;
	int			steps = defender->npts - 1;
	double		reach = v_top * steps * dt; /* distance at top speed */
	double		length = 0.0;
	double		excess = 0.0;
	ClosingParts parts;

	for (int t = 1; t <= steps; t++)
	{
		double		step = hypot(d[t].x - d[t - 1].x, d[t].y - d[t - 1].y);

		length += step;
		excess += Max(0.0, step / dt - v_max) / v_max;
	}
	parts.closing = (hypot(d[steps].x - r[steps].x, d[steps].y - r[steps].y) -
					 hypot(d[0].x - r[0].x, d[0].y - r[0].y)) / reach;
	parts.effort = length / reach;
	parts.superhuman = excess / steps;
	return parts;
}

/* Refuse a part or score that overflowed (or underflowed into a division by zero) */
static inline void
check_finite(double value)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the closing metric is out of the range of a double for these paths and parameters"),
				 errhint("Pass positions in yards, speeds in yd/s and dt in seconds, so that v_top * steps * dt is a real distance.")));
}

/*
 * The parts of the closing metric for the first five arguments, after checking them
 */
static ClosingParts
closing_parts_of_args(FunctionCallInfo fcinfo)
{
	PATH	   *defender = PG_GETARG_PATH_P(0);
	PATH	   *receiver = PG_GETARG_PATH_P(1);
	double		v_top = PG_GETARG_FLOAT8(2);
	double		v_max = PG_GETARG_FLOAT8(3);
	double		dt = PG_GETARG_FLOAT8(4);
	ClosingParts parts;

	closing_check_pair(defender, receiver);
	closing_check_positive("v_top", v_top);
	closing_check_positive("v_max", v_max);
	closing_check_positive("dt", dt);
	parts = closing_compute(defender, receiver, v_top, v_max, dt);
	check_finite(parts.closing);
	check_finite(parts.effort);
	check_finite(parts.superhuman);
	return parts;
}

/*
 * ngs.closing_metric(defender, receiver, v_top, v_max, dt, w_closing, w_effort,
 * w_superhuman): the weighted score; lower is better coverage
 */
PG_FUNCTION_INFO_V1(closing_metric);
Datum
closing_metric(PG_FUNCTION_ARGS)
{
	double		w_closing = PG_GETARG_FLOAT8(5);
	double		w_effort = PG_GETARG_FLOAT8(6);
	double		w_superhuman = PG_GETARG_FLOAT8(7);
	ClosingParts parts;
	double		score;

	closing_check_weight("w_closing", w_closing);
	closing_check_weight("w_effort", w_effort);
	closing_check_weight("w_superhuman", w_superhuman);
	parts = closing_parts_of_args(fcinfo);
	score = w_closing * parts.closing + w_effort * Max(0.0, parts.effort - 1.0) +
		w_superhuman * parts.superhuman;
	check_finite(score);
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
	ClosingParts parts = closing_parts_of_args(fcinfo);
	TupleDesc	tupdesc;
	Datum		fields[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ngs.closing_parts must return a record of three float8")));
	fields[0] = Float8GetDatum(parts.closing);
	fields[1] = Float8GetDatum(parts.effort);
	fields[2] = Float8GetDatum(parts.superhuman);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), fields, nulls)));
}
