/*
 * closing.h: the closing metric of a defender's trajectory against a receiver's
 * (ghosting.md), over arrays of points (x0, y0, x1, y1, ...), one point per frame:
 *
 *   closing    C = (d_T - d_0) / (v_top T dt), d_t = |D_t - R_t|
 *   effort     E = (path length of D) / (v_top T dt)
 *   superhuman P = mean over steps of max(0, |D_t - D_t-1| / dt - v_max) / v_max
 *   score        = w_c C + w_e max(0, E - 1) + w_p P; lower is better coverage
 */
#ifndef CLOSING_H
#define CLOSING_H

#define CLOSING_V_TOP		11.0	/* yd/s, top NFL speed: the default v_top */
#define CLOSING_WEIGHT		1.0		/* each part's default weight */

/* The speeds, time step and weights of the metric */
typedef struct ClosingParams
{
	double		v_top;			/* yd/s, the speed of full effort */
	double		v_max;			/* yd/s, the speed beyond which running is superhuman */
	double		dt;				/* seconds per step */
	double		w_closing;		/* weight of C */
	double		w_effort;		/* weight of max(0, E - 1) */
	double		w_superhuman;	/* weight of P */
} ClosingParams;

/* The three parts of the closing metric */
typedef struct ClosingParts
{
	double		closing;		/* C: gap change / distance at top speed */
	double		effort;			/* E: distance run / distance at top speed */
	double		superhuman;		/* P: mean relative excess of speed over v_max */
} ClosingParts;

/* What the closing metric can refuse, in the order it checks */
typedef enum ClosingStatus
{
	CLOSING_OK = 0,
	CLOSING_LENGTH_MISMATCH,	/* the paths have different numbers of points */
	CLOSING_NO_STEP,			/* fewer than two points: T = 0, no time passes */
	CLOSING_BAD_V_TOP,			/* v_top is not positive and finite */
	CLOSING_BAD_V_MAX,			/* v_max is not positive and finite */
	CLOSING_BAD_DT,				/* dt is not positive and finite */
	CLOSING_BAD_W_CLOSING,		/* w_closing is not non-negative and finite */
	CLOSING_BAD_W_EFFORT,		/* w_effort is not non-negative and finite */
	CLOSING_BAD_W_SUPERHUMAN,	/* w_superhuman is not non-negative and finite */
	CLOSING_OVERFLOW			/* a part or the score is not a finite double */
} ClosingStatus;

extern ClosingParams closing_default_params(void);
extern ClosingStatus closing_check_weights(const ClosingParams *params);
extern ClosingStatus closing_compute_parts(const double *defender, int ndefender,
										   const double *receiver, int nreceiver,
										   const ClosingParams *params, ClosingParts *parts);
extern ClosingStatus closing_compute_score(const ClosingParts *parts, const ClosingParams *params,
										   double *score);
extern ClosingStatus closing_compute(const double *defender, const double *receiver, int npoints,
									 const ClosingParams *params, double *score);
extern const char *closing_status_name(ClosingStatus status);
extern double closing_param_value(const ClosingParams *params, ClosingStatus status);

#endif
