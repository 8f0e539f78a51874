/*
 * anomalies.c: tracking samples that break physical rules, and a tensor cleaned of them.
 *
 * One scanner walks the tensor and reports each anomalous sample to a callback;
 * ngs.tracking_anomalies turns the reports into rows, ngs.clean into a mask.
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "play_tensor/play_tensor.h"
#include "track.h"
#include "utils/builtins.h"
#include "utils/float.h"

/* The kinds of anomaly, in the order they are reported within a sample */
typedef enum AnomalyKind
{
	ANOMALY_SPEED,				/* player faster than the speed limit */
	ANOMALY_OFF_FIELD,			/* position outside the field plus margin */
	ANOMALY_JUMP,				/* moved from the previous sample faster than the limit */
	ANOMALY_GAP,				/* missing between the entity's first and last sample */
	ANOMALY_DUPLICATE,			/* a second row arrived for this sample */
	ANOMALY_FRAME_GAP			/* frame ids skip (reported once, for no entity) */
} AnomalyKind;

static const char *const kind_names[] = {"speed", "off_field", "jump", "gap", "duplicate", "frame_gap"};

/* The thresholds, all SQL parameters with documented defaults */
typedef struct AnomalyRules
{
	double		max_speed;		/* yd/s, players only */
	double		margin;			/* yards allowed beyond the field's edges */
} AnomalyRules;

typedef void (*AnomalyReport) (void *arg, int frame, int entity, AnomalyKind kind, double value);

/* Read and check the rules from arguments 1 and 2 */
static AnomalyRules
rules_arg(FunctionCallInfo fcinfo)
{
	AnomalyRules rules = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)};

	if (!(rules.max_speed > 0) || isinf(rules.max_speed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_speed must be a positive number of yards per second")));
	if (!(rules.margin >= 0) || isinf(rules.margin))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field_margin must be a non-negative number of yards")));
	return rules;
}

/* Whether a sample has a position */
static inline bool
has_position(const float4 *v)
{
	return !isnan(v[PT_X]) && !isnan(v[PT_Y]);
}

/* How far a position lies outside the field plus margin (0 when inside) */
static inline double
off_field(const float4 *v, double margin)
{
	double		dx = Max(-margin - v[PT_X], v[PT_X] - (FIELD_LENGTH + margin));
	double		dy = Max(-margin - v[PT_Y], v[PT_Y] - (FIELD_WIDTH + margin));

	return Max(0.0, Max(dx, dy));
}

/* Report gaps, speeds, off-field positions and jumps of one entity */
static void
scan_entity(PlayTensor *pt, int e, const AnomalyRules *rules, AnomalyReport report, void *arg)
{
	bool		ball = pt_roles(pt)[e] == PT_BALL;
	int			first = -1, last = -1, prev = -1;

	for (int f = 0; f < pt->frames; f++)
		if (has_position(pt_sample(pt, f, e)))
			last = (first < 0 ? (first = f) : f);
	for (int f = first; f >= 0 && f <= last; f++)
	{
		float4	   *v = pt_sample(pt, f, e);
		double		out;

		if (!has_position(v))
		{
			int			end = f;

			while (!has_position(pt_sample(pt, end, e)))
				end++;
			report(arg, f, e, ANOMALY_GAP, end - prev - 1);
			continue;
		}
		if (!ball && hypot(v[PT_VX], v[PT_VY]) > rules->max_speed)
			report(arg, f, e, ANOMALY_SPEED, hypot(v[PT_VX], v[PT_VY]));
		if ((out = off_field(v, rules->margin)) > 0)
			report(arg, f, e, ANOMALY_OFF_FIELD, out);
		if (!ball && prev >= 0)
		{
			float4	   *p = pt_sample(pt, prev, e);
			double		seconds = ((double) pt_frame_ids(pt)[f] - pt_frame_ids(pt)[prev]) * FRAME_SECONDS;
			double		speed = hypot(v[PT_X] - p[PT_X], v[PT_Y] - p[PT_Y]) / seconds;

			if (speed > rules->max_speed)
				report(arg, f, e, ANOMALY_JUMP, speed);
		}
		prev = f;
	}
}

/*
 * Walk the tensor and report every anomaly, frame gaps and duplicates included
 */
static void
scan_anomalies(PlayTensor *pt, const AnomalyRules *rules, AnomalyReport report, void *arg)
{
	for (int f = 1; f < pt->frames; f++)
		if ((int64) pt_frame_ids(pt)[f] - pt_frame_ids(pt)[f - 1] > 1)
			report(arg, f, -1, ANOMALY_FRAME_GAP, (int64) pt_frame_ids(pt)[f] - pt_frame_ids(pt)[f - 1] - 1);
	for (int e = 0; e < pt->entities; e++)
		scan_entity(pt, e, rules, report, arg);
	for (int d = 0; d < pt->duplicates; d++)
		report(arg, pt_duplicates(pt)[2 * d], pt_duplicates(pt)[2 * d + 1], ANOMALY_DUPLICATE, NAN);
}

/* Where tracking_anomalies sends its rows */
typedef struct AnomalyRows
{
	PlayTensor *pt;				/* the play */
	ReturnSetInfo *rsinfo;		/* the tuplestore to fill */
} AnomalyRows;

/* Add one anomaly row (frame_id, nfl_id, role, kind, value) */
static void
add_row(void *arg, int frame, int entity, AnomalyKind kind, double value)
{
	AnomalyRows *rows = arg;
	PlayTensor *pt = rows->pt;
	Datum		values[5];
	bool		nulls[5] = {false};

	values[0] = Int32GetDatum(pt_frame_ids(pt)[frame]);
	nulls[1] = entity < 0 || pt_roles(pt)[entity] == PT_BALL;
	values[1] = Int32GetDatum(entity < 0 ? 0 : pt_nfl_ids(pt)[entity]);
	nulls[2] = entity < 0;
	values[2] = entity < 0 ? (Datum) 0 : CStringGetTextDatum(pt_role_name(pt_roles(pt)[entity]));
	values[3] = CStringGetTextDatum(kind_names[kind]);
	nulls[4] = isnan(value);
	values[4] = Float8GetDatum(value);
	tuplestore_putvalues(rows->rsinfo->setResult, rows->rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(tracking_anomalies);
/*
 * One row per anomalous sample: frame_id, nfl_id, role, kind, value
 */
Datum
tracking_anomalies(PG_FUNCTION_ARGS)
{
	AnomalyRows rows;
	AnomalyRules rules = rules_arg(fcinfo);

	InitMaterializedSRF(fcinfo, 0);
	rows.pt = PG_GETARG_PLAY_TENSOR_P(0);
	rows.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	scan_anomalies(rows.pt, &rules, add_row, &rows);
	return (Datum) 0;
}

/* Which samples ngs.clean masks */
typedef struct AnomalyMask
{
	int			entities;		/* the play's entity count */
	bool	   *masked;			/* frames x entities */
} AnomalyMask;

/* Mark a sample for masking (gaps and duplicates need no mask) */
static void
mask_sample(void *arg, int frame, int entity, AnomalyKind kind, double value)
{
	AnomalyMask *mask = arg;

	if (kind == ANOMALY_SPEED || kind == ANOMALY_OFF_FIELD || kind == ANOMALY_JUMP)
		mask->masked[(Size) frame * mask->entities + entity] = true;
}

/* Linear interpolation between two angles in degrees along the shorter arc */
static inline float4
lerp_angle(float4 a, float4 b, double w)
{
	double		turn = fmod(fmod(b - a, 360.0) + 540.0, 360.0) - 180.0;

	return track_wrap_degrees(a + w * turn);
}

/* Fill an entity's gaps of at most max_gap missing frame ids between two samples */
static void
fill_gaps(PlayTensor *pt, int e, int max_gap)
{
	int			prev = -1;

	for (int f = 0; f < pt->frames; f++)
	{
		float4	   *a, *b;

		if (!has_position(pt_sample(pt, f, e)))
			continue;
		if (prev >= 0 && f - prev > 1 &&
			(int64) pt_frame_ids(pt)[f] - pt_frame_ids(pt)[prev] - 1 <= max_gap)
		{
			a = pt_sample(pt, prev, e);
			b = pt_sample(pt, f, e);
			for (int g = prev + 1; g < f; g++)
			{
				float4	   *v = pt_sample(pt, g, e);
				double		w = ((double) pt_frame_ids(pt)[g] - pt_frame_ids(pt)[prev]) /
					((double) pt_frame_ids(pt)[f] - pt_frame_ids(pt)[prev]);

				for (int k = PT_X; k <= PT_AY; k++)
					v[k] = a[k] + w * (b[k] - a[k]);
				v[PT_DIR] = isnan(a[PT_DIR]) || isnan(b[PT_DIR]) ? NAN : lerp_angle(a[PT_DIR], b[PT_DIR], w);
				v[PT_O] = isnan(a[PT_O]) || isnan(b[PT_O]) ? NAN : lerp_angle(a[PT_O], b[PT_O], w);
			}
		}
		prev = f;
	}
}

PG_FUNCTION_INFO_V1(play_tensor_clean);
/*
 * The tensor with anomalous samples (speed, off field, jumps) masked as missing,
 * gaps of at most max_gap frames filled by interpolation, and duplicates forgotten
 */
Datum
play_tensor_clean(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	AnomalyRules rules = rules_arg(fcinfo);
	int32		max_gap = PG_GETARG_INT32(3);
	PlayTensor *out;
	Size		samples = (Size) pt->frames * pt->entities;
	AnomalyMask mask = {pt->entities, palloc0(samples)};

	if (max_gap < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_gap must be a non-negative number of frames")));
	out = pt_allocate(pt->frames, pt->entities, 0);
	out->flags = pt->flags;
	memcpy(pt_nfl_ids(out), pt_nfl_ids(pt), sizeof(int32) * pt->entities);
	memcpy(pt_roles(out), pt_roles(pt), pt->entities);
	memcpy(pt_frame_ids(out), pt_frame_ids(pt), sizeof(int32) * pt->frames);
	memcpy(pt_data(out), pt_data(pt), sizeof(float4) * samples * PT_FEATURES);
	out = pt_copy_events(pt, out, 0);

	scan_anomalies(pt, &rules, mask_sample, &mask);
	for (Size i = 0; i < samples; i++)
		for (int k = 0; mask.masked[i] && k < PT_FEATURES; k++)
			pt_data(out)[i * PT_FEATURES + k] = get_float4_nan();
	for (int e = 0; e < out->entities; e++)
		fill_gaps(out, e, max_gap);
	PG_RETURN_PLAY_TENSOR_P(out);
}
