/*
 * ghost_physics.h: the integration of a ghost model's accelerations into a path that is
 * physically possible by construction (ghosting.md): speed at most MAX_PLAYER_SPEED,
 * acceleration at most GHOST_MAX_ACCEL, every position on the field.
 */
#ifndef GHOST_PHYSICS_H
#define GHOST_PHYSICS_H

#include "ghost_features.h"

#define GHOST_MAX_ACCEL		10.0	/* yd/s^2: bound on a predicted acceleration */

/* What ghost_physics_integrate can refuse */
typedef enum GhostPhysicsStatus
{
	GHOST_PHYSICS_OK = 0,
	GHOST_PHYSICS_NOT_FINITE_ACCEL,	/* an acceleration is NaN or infinite */
	GHOST_PHYSICS_NOT_FINITE_START	/* the scene's position or velocity is */
} GhostPhysicsStatus;

extern GhostPhysicsStatus ghost_physics_integrate(const GhostScene *scene, const float *accel,
												  int horizon, double *xy);
extern const char *ghost_physics_status_name(GhostPhysicsStatus status);

#endif
