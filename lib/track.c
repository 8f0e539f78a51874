/*
 * track.c: the velocity and acceleration features of one entity's track, from its raw
 * rows, as architecture.md specifies (central differences, one-sided at the ends).
 */
#include <math.h>

#include "field.h"
#include "track.h"

/* The series one derivation works on, carved from the caller's work area */
typedef struct TrackWork
{
	double	   *px;				/* x per frame */
	double	   *py;				/* y per frame */
	double	   *vx;				/* velocity x per frame */
	double	   *vy;				/* velocity y per frame */
	bool	   *okp;			/* the frame has a position */
	bool	   *okv;			/* the frame has a velocity */
} TrackWork;

/*
 * Bytes of work area track_derive needs for a track of this many frames
 */
size_t
track_work_size(int frames)
{
	return (sizeof(double) * 4 + sizeof(bool) * 2) * (size_t) frames;
}

/* The work series inside a work area of track_work_size(frames) bytes */
static TrackWork
track_work(void *work, int frames)
{
	TrackWork	w;

	w.px = work;
	w.py = w.px + frames;
	w.vx = w.py + frames;
	w.vy = w.vx + frames;
	w.okp = (bool *) (w.vy + frames);
	w.okv = w.okp + frames;
	return w;
}

/* Heading of a vector in degrees clockwise from +y, in [0, 360) */
static double
heading(double vx, double vy)
{
	double		d = atan2(vx, vy) * (180.0 / FIELD_PI);

	return d < 0 ? d + 360.0 : d;
}

/*
 * Finite difference of the series (u, v) over time t at frame f: central between the
 * neighbouring frames, one-sided at the ends or next to a missing value.  False when
 * the sample or both neighbours are missing.
 */
static bool
difference(const double *t, const double *u, const double *v, const bool *ok,
		   int f, int frames, double *du, double *dv)
{
	int			a = (f > 0 && ok[f - 1]) ? f - 1 : f;
	int			b = (f + 1 < frames && ok[f + 1]) ? f + 1 : f;

	if (!ok[f] || a == b)
		return false;
	*du = (u[b] - u[a]) / (t[b] - t[a]);
	*dv = (v[b] - v[a]) / (t[b] - t[a]);
	return true;
}

/*
 * The velocity of one present sample into w->vx[f], w->vy[f], and its x, y, vx, vy, dir
 * and o features: s and dir as tracked, derived from positions where NULL
 */
static void
derive_velocity(const TrackRaw *r, const double *t, int f, int frames, TrackWork *w, float *out)
{
	double		s = r->raw[TRACK_RAW_S],
				dir = r->raw[TRACK_RAW_DIR],
				dx,
				dy;

	if ((isnan(s) || isnan(dir)) && difference(t, w->px, w->py, w->okp, f, frames, &dx, &dy))
	{
		if (isnan(s))
			s = hypot(dx, dy);
		if (isnan(dir) && (dx != 0 || dy != 0))
			dir = heading(dx, dy);
	}
	w->vx[f] = s == 0 ? 0 : s * sin(dir * (FIELD_PI / 180.0));
	w->vy[f] = s == 0 ? 0 : s * cos(dir * (FIELD_PI / 180.0));
	w->okv[f] = !isnan(w->vx[f]) && !isnan(w->vy[f]);
	out[TRACK_X] = w->px[f];
	out[TRACK_Y] = w->py[f];
	out[TRACK_VX] = w->vx[f];
	out[TRACK_VY] = w->vy[f];
	out[TRACK_DIR] = dir;
	out[TRACK_O] = r->raw[TRACK_RAW_O];
}

/*
 * The acceleration of one present sample: magnitude a in the direction of the velocity
 * change (the change itself where a is NULL; zero when a is 0 and nothing changes)
 */
static void
derive_acceleration(const TrackRaw *r, const double *t, int f, int frames, const TrackWork *w,
					float *out)
{
	double		a = r->raw[TRACK_RAW_A],
				ax = NAN,
				ay = NAN,
				dx,
				dy;

	if (difference(t, w->vx, w->vy, w->okv, f, frames, &dx, &dy))
	{
		double		m = hypot(dx, dy);

		ax = isnan(a) ? dx : (m > 0 ? a * dx / m : 0);
		ay = isnan(a) ? dy : (m > 0 ? a * dy / m : 0);
	}
	else if (a == 0)
		ax = ay = 0;
	out[TRACK_AX] = ax;
	out[TRACK_AY] = ay;
}

/*
 * Derive the TRACK_FEATURES features of one entity over frames frames at times t
 * (seconds): raw[f * raw_stride] is its row at frame f, out[f * out_stride ...] receives
 * its features (all NaN where no row arrived); work holds track_work_size(frames) bytes
 */
void
track_derive(const TrackRaw *raw, size_t raw_stride, const double *t, int frames,
			 float *out, size_t out_stride, void *work)
{
	TrackWork	w = track_work(work, frames);
	int			f;

	for (f = 0; f < frames; f++)
	{
		const TrackRaw *r = &raw[f * raw_stride];

		w.px[f] = r->raw[TRACK_RAW_X];
		w.py[f] = r->raw[TRACK_RAW_Y];
		w.okp[f] = r->present && !isnan(w.px[f]) && !isnan(w.py[f]);
	}
	for (f = 0; f < frames; f++)
	{
		float	   *o = &out[f * out_stride];
		int			k;

		w.okv[f] = false;
		if (raw[f * raw_stride].present)
			derive_velocity(&raw[f * raw_stride], t, f, frames, &w, o);
		else
			for (k = 0; k < TRACK_FEATURES; k++)
				o[k] = NAN;
	}
	for (f = 0; f < frames; f++)
		if (raw[f * raw_stride].present)
			derive_acceleration(&raw[f * raw_stride], t, f, frames, &w, &out[f * out_stride]);
}

/*
 * An angle in degrees as a float in [0, 360); NaN stays NaN
 */
float
track_wrap_degrees(double deg)
{
	double		r = fmod(deg, 360.0);
	float		f;

	if (isnan(r))
		return (float) r;
	f = (float) (r < 0 ? r + 360.0 : r);
	return f < 360.0f ? f : 0.0f;	/* a hair below 360 rounds up to it */
}
