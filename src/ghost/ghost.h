/*
 * ghost.h: defender ghosting: the scene a prediction starts from, its features in the
 * defender's frame, the ghost model, its training options, and the integration of its
 * accelerations.
 */
#ifndef GHOST_H
#define GHOST_H

#include "common/nets.h"
#include "model/model_file.h"
#include "play_tensor/play_tensor.h"
#include "utils/array.h"
#include "utils/geo_decls.h"
#include "utils/jsonb.h"

/* The candidate features, in the order ngs.ghost_windows and ngs.ghost_feature_names give */
typedef enum GhostFeature
{
	GF_GAP,						/* distance from the defender to the target,
								 * yd */
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
	GF_SIDELINE,				/* defender distance to the nearer sideline,
								 * yd */
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
	int			frame;			/* index of at_frame in the tensor */
	int			defender;		/* entity index of the defender */
	int			target;			/* entity index of the target */
	double		origin[2];		/* defender position at at_frame, yd */
	double		velocity[2];	/* defender velocity at at_frame, yd/s */
	double		axis[2];		/* unit vector from the defender toward the
								 * target */
} GhostScene;

/* A loaded ghost model */
typedef struct GhostModel
{
	int			nfeatures;		/* features it reads */
	int			feature[GHOST_MAX_FEATURES];	/* their GhostFeature indices */
	float		mean[GHOST_MAX_FEATURES];	/* input.mean */
	float		std[GHOST_MAX_FEATURES];	/* input.std */
	int			horizon;		/* frames it predicts: last layer outputs / 2 */
	Mlp		   *mlp;			/* features -> local accelerations (par, perp)
								 * per frame */
} GhostModel;

/* The options of a training run */
typedef struct GhostOptions
{
	int			nfeatures;		/* features the model reads */
	int			feature[GHOST_MAX_FEATURES];	/* their GhostFeature indices */
	int			layers;			/* dense layers: hidden ones + the output
								 * layer */
	int			hidden[MLP_MAX_LAYERS]; /* widths of the hidden layers */
	int			horizon;		/* frames predicted */
	int			epochs;			/* passes over the training windows */
	int			batch_size;		/* windows per Adam step */
	double		learning_rate;	/* Adam's step size */
	int			seed;			/* seeds initialisation, shuffling and the
								 * split */
	int			validation_folds;	/* 1 / validation_folds of the games
									 * validate */
} GhostOptions;

/* What ghost_each_window calls for every window it finds */
typedef void (*GhostWindowFn) (void *arg, const GhostScene *scene, const float *features,
							   const float *residual);

/* ghost_features.c */
extern void ghost_check_play(PlayTensor *pt);
extern int	ghost_player(PlayTensor *pt, int32 nfl_id, int role);
extern int *ghost_defenders(PlayTensor *pt, ArrayType *ids, int *n);
extern int	ghost_find_frame(PlayTensor *pt, int32 frame_id);
extern bool ghost_has_history(PlayTensor *pt, int frame, int entity);
extern void ghost_scene(PlayTensor *pt, int frame, int defender, int target, GhostScene *scene);
extern void ghost_features(PlayTensor *pt, const GhostScene *scene, float *features);
extern bool ghost_residual(PlayTensor *pt, const GhostScene *scene, int horizon, float *residual);
extern void ghost_each_window(PlayTensor *pt, const int *defenders, int ndefenders, int target,
							  int32 first_frame, int32 last_frame, int horizon,
							  GhostWindowFn fn, void *arg);

/* ghost_names.c */
extern const char *const ghost_candidate_names[GHOST_CANDIDATES];
extern int	ghost_feature_index(const char *name);

/* ghost_options.c */
extern void ghost_options_parse(Jsonb *jb, GhostOptions *o);
extern char *ghost_options_json(const GhostOptions *o);

/* ghost_model.c */
extern void *ghost_model_load(ModelFile *mf);
extern void ghost_model_accelerations(const GhostModel *model, const float *features, int horizon, float *accel);
extern void ghost_integrate(const GhostScene *scene, const float *accel, int horizon, Point *out);
extern void ghost_check_architecture(int nfeatures, int layers, const int *sizes);

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

#endif
