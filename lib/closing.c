/*
 * closing.c: the closing metric (closing.h) over arrays of points.
 */
#include <math.h>

#include "closing.h"
#include "field.h"

/*
 * The defaults of ghosting.md: v_top 11 yd/s, v_max MAX_PLAYER_SPEED, dt FRAME_SECONDS,
 * every weight 1
 */
ClosingParams
closing_default_params(void)
{
	ClosingParams p;

	p.v_top = CLOSING_V_TOP;
	p.v_max = MAX_PLAYER_SPEED;
	p.dt = FRAME_SECONDS;
	p.w_closing = p.w_effort = p.w_superhuman = CLOSING_WEIGHT;
	return p;
}

/* Whether a speed or time step is positive and finite */
static int
positive(double value)
{
	return value > 0.0 && isfinite(value);
}

/* Whether a weight is non-negative and finite */
static int
non_negative(double value)
{
	return value >= 0.0 && isfinite(value);
}

/*
 * Refuse a weight that is not a non-negative finite number (w_closing first)
 */
ClosingStatus
closing_check_weights(const ClosingParams *params)
{
	if (!non_negative(params->w_closing))
		return CLOSING_BAD_W_CLOSING;
	if (!non_negative(params->w_effort))
		return CLOSING_BAD_W_EFFORT;
	if (!non_negative(params->w_superhuman))
		return CLOSING_BAD_W_SUPERHUMAN;
	return CLOSING_OK;
}

/* Distance between point i of a and point j of b */
static double
distance(const double *a, int i, const double *b, int j)
{
	return hypot(a[2 * i] - b[2 * j], a[2 * i + 1] - b[2 * j + 1]);
}

/*
 * The three parts of the metric for the paths of a defender and a receiver (ndefender
 * and nreceiver points): the paths must cover the same T >= 1 steps, v_top, v_max and
 * dt must be positive, and every part must come out finite
 */
ClosingStatus
closing_compute_parts(const double *defender, int ndefender, const double *receiver, int nreceiver,
					  const ClosingParams *params, ClosingParts *parts)
{
	int			steps = ndefender - 1;
	double		reach,
				length = 0.0,
				excess = 0.0;
	int			t;

	if (ndefender != nreceiver)
		return CLOSING_LENGTH_MISMATCH;
	if (ndefender < 2)
		return CLOSING_NO_STEP;
	if (!positive(params->v_top))
		return CLOSING_BAD_V_TOP;
	if (!positive(params->v_max))
		return CLOSING_BAD_V_MAX;
	if (!positive(params->dt))
		return CLOSING_BAD_DT;
	reach = params->v_top * steps * params->dt;	/* distance at top speed */
	for (t = 1; t <= steps; t++)
	{
		double		step = distance(defender, t, defender, t - 1);
		double		over = step / params->dt - params->v_max;

		length += step;
		excess += (0.0 > over ? 0.0 : over) / params->v_max;
	}
	parts->closing = (distance(defender, steps, receiver, steps) -
					  distance(defender, 0, receiver, 0)) / reach;
	parts->effort = length / reach;
	parts->superhuman = excess / steps;
	if (!isfinite(parts->closing) || !isfinite(parts->effort) || !isfinite(parts->superhuman))
		return CLOSING_OVERFLOW;
	return CLOSING_OK;
}

/*
 * The weighted score of the parts: w_c C + w_e max(0, E - 1) + w_p P
 */
ClosingStatus
closing_compute_score(const ClosingParts *parts, const ClosingParams *params, double *score)
{
	ClosingStatus status = closing_check_weights(params);
	double		extra = parts->effort - 1.0;

	if (status != CLOSING_OK)
		return status;
	*score = params->w_closing * parts->closing + params->w_effort * (0.0 > extra ? 0.0 : extra) +
		params->w_superhuman * parts->superhuman;
	return isfinite(*score) ? CLOSING_OK : CLOSING_OVERFLOW;
}

/*
 * The score of two paths of npoints points each (weights checked first, as
 * ngs.closing_metric does)
 */
ClosingStatus
closing_compute(const double *defender, const double *receiver, int npoints,
				const ClosingParams *params, double *score)
{
	ClosingParts parts;
	ClosingStatus status = closing_check_weights(params);

	if (status == CLOSING_OK)
		status = closing_compute_parts(defender, npoints, receiver, npoints, params, &parts);
	if (status == CLOSING_OK)
		status = closing_compute_score(&parts, params, score);
	return status;
}

/*
 * What a status refuses: the parameter's name for a bad parameter, else a phrase
 */
const char *
closing_status_name(ClosingStatus status)
{
	switch (status)
	{
		case CLOSING_OK:
			return "ok";
		case CLOSING_LENGTH_MISMATCH:
			return "paths of different lengths";
		case CLOSING_NO_STEP:
			return "no step";
		case CLOSING_BAD_V_TOP:
			return "v_top";
		case CLOSING_BAD_V_MAX:
			return "v_max";
		case CLOSING_BAD_DT:
			return "dt";
		case CLOSING_BAD_W_CLOSING:
			return "w_closing";
		case CLOSING_BAD_W_EFFORT:
			return "w_effort";
		case CLOSING_BAD_W_SUPERHUMAN:
			return "w_superhuman";
		case CLOSING_OVERFLOW:
			return "overflow";
	}
	return "unknown status";
}

/*
 * The value of the parameter a CLOSING_BAD_* status refuses (NaN for other statuses)
 */
double
closing_param_value(const ClosingParams *params, ClosingStatus status)
{
	switch (status)
	{
		case CLOSING_BAD_V_TOP:
			return params->v_top;
		case CLOSING_BAD_V_MAX:
			return params->v_max;
		case CLOSING_BAD_DT:
			return params->dt;
		case CLOSING_BAD_W_CLOSING:
			return params->w_closing;
		case CLOSING_BAD_W_EFFORT:
			return params->w_effort;
		case CLOSING_BAD_W_SUPERHUMAN:
			return params->w_superhuman;
		default:
			return NAN;
	}
}
