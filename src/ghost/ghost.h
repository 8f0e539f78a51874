/*
 * ghost.h: defender ghosting's glue: the ghost model, its training options, and the SQL
 * side of the scene, features (lib/ghost_features.h) and integration
 * (lib/ghost_physics.h) of a prediction.
 */
#ifndef GHOST_H
#define GHOST_H

#include "closing.h"
#include "common/nets.h"
#include "ghost_features.h"
#include "ghost_physics.h"
#include "model/model_file.h"
#include "play_tensor/play_tensor.h"
#include "utils/array.h"
#include "utils/geo_decls.h"
#include "utils/jsonb.h"

/* Defender ghosting (ghost_*.c; GHOST_HISTORY, GHOST_MAX_HORIZON and GHOST_MAX_ACCEL are in
 * lib/ghost_features.h and lib/ghost_physics.h) */
#define GHOST_MAX_FEATURES	64		/* features a ghost model reads */
#define GHOST_MAX_WINDOWS	1000000 /* training windows held in memory by train_ghost_model */
#define GHOST_MAX_EPOCHS	10000	/* epochs of train_ghost_model */
#define GHOST_MAX_BATCH		65536	/* windows per training step */

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

/* closing.c */
extern double closing_score(const double *defender, const double *receiver, int npoints,
							const ClosingParams *params);

/* ghost_features.c */
extern void ghost_check_play(PlayTensor *pt);
extern void ghost_play_of(PlayTensor *pt, GhostPlay *play);
extern int	ghost_player(PlayTensor *pt, int32 nfl_id, int role);
extern int *ghost_defenders(PlayTensor *pt, ArrayType *ids, int *n);
extern int	ghost_find_frame(PlayTensor *pt, int32 frame_id);
extern void ghost_each_window(PlayTensor *pt, const int *defenders, int ndefenders, int target,
							  int32 first_frame, int32 last_frame, int horizon,
							  GhostWindowFn fn, void *arg);

/* ghost_kind.c */
extern void ghost_kind_register(void);

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

#endif
