/*
 * ghost_physics.c: local accelerations integrated into positions, frame by frame
 * (dt = FRAME_SECONDS), with the physical limits holding by construction:
 *   - each field component of the acceleration is clamped to +-GHOST_MAX_ACCEL/sqrt(2),
 *     so its magnitude never exceeds GHOST_MAX_ACCEL;
 *   - the velocity toward a field edge is capped so that braking at that rate still
 *     stops the defender on the field (a cap that never asks for more braking);
 *   - the velocity is projected onto the disc of radius MAX_PLAYER_SPEED, which cannot
 *     make the change of velocity larger, since the previous velocity lies in the disc.
 * Only a start that is already running off the field faster than that braking can stop
 * is held at the edge (the outward velocity dropped), so positions always stay inside.
 * A non-finite acceleration would pass every clamp, so it is refused.
 */
#include <math.h>

#include "field.h"
#include "ghost_physics.h"

/* Acceleration bound per field axis, and the speed it sheds per frame */
#define AXIS_ACCEL			(GHOST_MAX_ACCEL / 1.41421356237309504880)	/* sqrt(2), M_SQRT2 */
#define AXIS_DELTA_V		(AXIS_ACCEL * FRAME_SECONDS)

/* The larger of two numbers (the second when they are unordered) */
static double
max2(double a, double b)
{
	return a > b ? a : b;
}

/* Clamp x into [lo, hi] */
static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

/*
 * The fastest speed toward a field edge d yards away from which the defender, after
 * moving one frame at that speed, can still stop before the edge by shedding
 * AXIS_DELTA_V per frame: the largest u with dt (u + sum_k max(0, u - k delta)) <= d
 */
static double
edge_speed_limit(double d)
{
	/* far from the edge (over 12 yd) nothing is capped: skip the search */
	int			top = (int) floor(MAX_PLAYER_SPEED / AXIS_DELTA_V);
	int			n;

	if (d >= FRAME_SECONDS * ((top + 1) * MAX_PLAYER_SPEED - AXIS_DELTA_V * top * (top + 1) / 2.0))
		return MAX_PLAYER_SPEED;
	for (n = 0; n * AXIS_DELTA_V < MAX_PLAYER_SPEED; n++)
	{
		/*
		 * on [n delta, (n + 1) delta] the distance is dt ((n + 1) u - delta n
		 * (n + 1) / 2)
		 */
		double		u = (d / FRAME_SECONDS + AXIS_DELTA_V * n * (n + 1) / 2.0) / (n + 1);

		if (u <= (n + 1) * AXIS_DELTA_V)
			return u < MAX_PLAYER_SPEED ? u : MAX_PLAYER_SPEED;
	}
	return MAX_PLAYER_SPEED;
}

/*
 * One frame of motion along one field axis of length size: the new velocity component
 * from the old one and the wanted one, capped so the defender can stop before either edge
 */
static double
axis_velocity(double p, double v, double wanted, double size)
{
	double		hi = max2(edge_speed_limit(size - p), v - AXIS_DELTA_V);
	double		lo = -max2(edge_speed_limit(p), -v - AXIS_DELTA_V);

	return clamp(wanted, lo, hi);
}

/* Scale (vx, vy) onto the disc of radius MAX_PLAYER_SPEED when it lies outside */
static void
cap_speed(double *vx, double *vy)
{
	double		speed = hypot(*vx, *vy);

	if (speed > MAX_PLAYER_SPEED)
	{
		*vx *= MAX_PLAYER_SPEED / speed;
		*vy *= MAX_PLAYER_SPEED / speed;
	}
}

/* Whether the scene and the 2 * horizon accelerations are all finite */
static GhostPhysicsStatus
check_inputs(const GhostScene *scene, const float *accel, int horizon)
{
	int			k;

	for (k = 0; k < 2 * horizon; k++)
		if (!isfinite(accel[k]))
			return GHOST_PHYSICS_NOT_FINITE_ACCEL;
	for (k = 0; k < 2; k++)
		if (!isfinite(scene->origin[k]) || !isfinite(scene->velocity[k]) || !isfinite(scene->axis[k]))
			return GHOST_PHYSICS_NOT_FINITE_START;
	return GHOST_PHYSICS_OK;
}

/*
 * Integrate local accelerations (par, perp per frame) from the scene's defender into
 * horizon positions, one per frame after at_frame: xy[2 t], xy[2 t + 1] = x, y of frame
 * t + 1, with the limits above.  Nothing is written unless the status is GHOST_PHYSICS_OK.
 */
GhostPhysicsStatus
ghost_physics_integrate(const GhostScene *scene, const float *accel, int horizon, double *xy)
{
	GhostPhysicsStatus status = check_inputs(scene, accel, horizon);
	double		px = clamp(scene->origin[0], 0.0, FIELD_LENGTH);
	double		py = clamp(scene->origin[1], 0.0, FIELD_WIDTH);
	double		vx = scene->velocity[0];
	double		vy = scene->velocity[1];
	int			t;

	if (status != GHOST_PHYSICS_OK)
		return status;
	cap_speed(&vx, &vy);
	for (t = 0; t < horizon; t++)
	{
		double		ax,
					ay,
					nx,
					ny;

		ghost_to_field(scene, accel[2 * t], accel[2 * t + 1], &ax, &ay);
		ax = clamp(ax, -AXIS_ACCEL, AXIS_ACCEL);
		ay = clamp(ay, -AXIS_ACCEL, AXIS_ACCEL);
		vx = axis_velocity(px, vx, vx + ax * FRAME_SECONDS, FIELD_LENGTH);
		vy = axis_velocity(py, vy, vy + ay * FRAME_SECONDS, FIELD_WIDTH);
		cap_speed(&vx, &vy);

		/* only a start already running off the field can get here past an edge */
		nx = clamp(px + vx * FRAME_SECONDS, 0.0, FIELD_LENGTH);
		ny = clamp(py + vy * FRAME_SECONDS, 0.0, FIELD_WIDTH);
		vx = (nx - px) / FRAME_SECONDS;
		vy = (ny - py) / FRAME_SECONDS;
		px = xy[2 * t] = nx;
		py = xy[2 * t + 1] = ny;
	}
	return GHOST_PHYSICS_OK;
}

/*
 * What a status means, for messages
 */
const char *
ghost_physics_status_name(GhostPhysicsStatus status)
{
	switch (status)
	{
		case GHOST_PHYSICS_OK:
			return "ok";
		case GHOST_PHYSICS_NOT_FINITE_ACCEL:
			return "a non-finite acceleration";
		case GHOST_PHYSICS_NOT_FINITE_START:
			return "a non-finite start position or velocity";
	}
	return "an unknown status";
}
