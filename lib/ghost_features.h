/*
 * ghost_features.h: what a ghost prediction reads (ghosting.md): the scene (a defender and
 * a target at one frame), the candidate features in the frame centred on the defender and
 * turned toward the target, and the real future as displacements from constant velocity,
 * over a play's samples as plain arrays.
 */
#ifndef GHOST_FEATURES_H
#define GHOST_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

#include "track.h"

#define GHOST_HISTORY		3		/* frames up to at_frame a prediction reads (0.3 s) */
#define GHOST_MAX_HORIZON	50		/* frames a ghost model may predict (5 s) */

/* The candidate features, in the order ngs.ghost_windows and ngs.ghost_feature_names give */
typedef enum GhostFeature
{
	GF_GAP,						/* distance from the defender to the target, yd */
	GF_D_VPAR, GF_D_VPERP,		/* defender velocity, local frame, yd/s */
	GF_D_SPEED,					/* defender speed, yd/s */
	GF_D_DV1PAR, GF_D_DV1PERP,	/* defender velocity change over the last
								 * frame, local, yd/s^2 */
	GF_D_DVPAR, GF_D_DVPERP,	/* defender velocity change over the history,
								 * local, yd/s^2 */
	GF_D_OPAR, GF_D_OPERP,		/* defender facing (unit vector), local */
	GF_R_VPAR, GF_R_VPERP,		/* target velocity, local, yd/s */
	GF_R_SPEED,					/* target speed, yd/s */
	GF_R_DV1PAR, GF_R_DV1PERP,	/* target velocity change over the last frame,
								 * local, yd/s^2 */
	GF_R_DVPAR, GF_R_DVPERP,	/* target velocity change over the history,
								 * local, yd/s^2 */
	GF_REL_VPAR, GF_REL_VPERP,	/* target velocity minus defender velocity,
								 * local, yd/s */
	GF_BALL_PAR, GF_BALL_PERP,	/* ball position relative to the defender,
								 * local, yd */
	GF_BALL_SPEED,				/* ball speed over the last frame, yd/s */
	GF_BALL_GAP,				/* distance from the ball to the target, yd */
	GF_OFF_PAR, GF_OFF_PERP,	/* nearest other offensive player, relative,
								 * local, yd */
	GF_OFF_DIST,				/* distance to him, yd */
	GF_DEF_PAR, GF_DEF_PERP,	/* nearest other defender, relative, local, yd */
	GF_DEF_DIST,				/* distance to him, yd */
	GF_FIELD_X, GF_FIELD_Y,		/* defender position on the field, yd */
	GF_SIDELINE,				/* defender distance to the nearer sideline, yd */
	GF_R_SIDELINE,				/* target distance to the nearer sideline, yd */
	GF_AXIS_X, GF_AXIS_Y,		/* the direction to the target in field
								 * coordinates */
	GHOST_CANDIDATES
} GhostFeature;

/*
 * Where a prediction starts: a defender and a target at one frame.  The local frame is
 * centred on the defender with its first axis toward the target and its second axis
 * that turned a quarter turn counter-clockwise.
 */
typedef struct GhostScene
{
	int			frame;			/* index of at_frame in the play */
	int			defender;		/* entity index of the defender */
	int			target;			/* entity index of the target */
	double		origin[2];		/* defender position at at_frame, yd */
	double		velocity[2];	/* defender velocity at at_frame, yd/s */
	double		axis[2];		/* unit vector from the defender toward the
								 * target */
} GhostScene;

/* A standardized play's samples as the play tensor holds them */
typedef struct GhostPlay
{
	int			frames;			/* frames */
	int			entities;		/* entities */
	const int32_t *frame_ids;	/* each frame's id, strictly increasing */
	const uint8_t *roles;		/* each entity's role code */
	const float *data;			/* frames x entities x TRACK_FEATURES, NaN = missing */
	int			ball;			/* entity index of the ball, -1 without one */
} GhostPlay;

/* What ghost_play_windows calls for every window it finds */
typedef void (*GhostWindowFn) (void *arg, const GhostScene *scene, const float *features,
							   const float *residual);

/* A vector in the scene's local frame: (along the axis, across it) */
static inline void
ghost_to_local(const GhostScene *scene, double wx, double wy, double *par, double *perp)
{
	*par = wx * scene->axis[0] + wy * scene->axis[1];
	*perp = -wx * scene->axis[1] + wy * scene->axis[0];
}

/* A local vector back in field coordinates */
static inline void
ghost_to_field(const GhostScene *scene, double par, double perp, double *wx, double *wy)
{
	*wx = par * scene->axis[0] - perp * scene->axis[1];
	*wy = par * scene->axis[1] + perp * scene->axis[0];
}

extern bool ghost_play_has_history(const GhostPlay *play, int frame, int entity);
extern void ghost_play_scene(const GhostPlay *play, int frame, int defender, int target,
							 GhostScene *scene);
extern void ghost_play_features(const GhostPlay *play, const GhostScene *scene, float *features);
extern bool ghost_play_residual(const GhostPlay *play, const GhostScene *scene, int horizon,
								float *residual);
extern void ghost_play_windows(const GhostPlay *play, const int *defenders, int ndefenders,
							   int target, int32_t first_frame, int32_t last_frame, int horizon,
							   GhostWindowFn fn, void *arg);
extern void ghost_standardize(int n, const int *feature, const float *mean, const float *std,
							  const float *features, float *input);

#endif
