/*
 * ngs.h: limits and constants shared by every part of the extension.
 *
 * Every limit a user can run into lives here, is documented in the README, and is
 * enforced before any allocation that depends on it.
 */
#ifndef NGS_H
#define NGS_H

#include "postgres.h"

#include "field.h"			/* the field and the clock (lib/field.h) */

/* Play tensor limits */
#define PT_MAX_FRAMES		4096	/* frames per play (6.8 min at 10 Hz; real plays reach 640) */
#define PT_MAX_ENTITIES		64		/* entities per play (real plays have up to 23) */
#define PT_MAX_ABS_VALUE	1.0e6	/* largest accepted |x|, |y|, |s|, |a|, |dir|, |o| */
#define PT_MAX_ABS_FEATURE	1.0e9	/* largest |value| a tensor holds: what play_tensor_agg
									 * derives from PT_MAX_ABS_VALUE, mirrored, stays below */

/* Settings (ngs.c) */
extern bool ngs_strict_duplicates;

/* Evaluation aggregates (metrics.c, roc.c, calibration.c) */
#define METRICS_MAX_ROWS	100000000	/* rows kept by roc_auc / average_precision (8 bytes each) */
#define METRICS_MAX_BINS	1000	/* bins of pit_histogram and reliability */

/* Model weight files, the model catalog and the pass model */
#define MODEL_MAX_FILE_BYTES	(64 * 1024 * 1024)	/* bytes in a weight file */
#define MODEL_MAX_HEADER_BYTES	(1024 * 1024)	/* bytes in a weight file's JSON header */
#define MODEL_MAX_TENSORS		256		/* tensors in a weight file */
#define MODEL_MAX_RANK			8		/* dimensions of a tensor */
#define MODEL_MAX_METADATA		64		/* __metadata__ entries in a weight file */
#define MODEL_MAX_NAME			63		/* bytes in a model name */
#define MODEL_CACHE_SIZE		8		/* loaded models a backend keeps */
#define PASS_MAX_LEVELS			10		/* TCN levels (dilation up to 512) */
#define PASS_MAX_CHANNELS		512		/* channels of a TCN level */
#define PASS_MAX_KERNEL			16		/* taps of a TCN convolution */
#define PASS_MAX_CONTEXT		64		/* context values */
#define PASS_MAX_MLP_LAYERS		8		/* MLP layers */
#define PASS_MAX_WIDTH			1024	/* outputs of an MLP layer (bins + 4 for the last) */
#define PASS_MIN_FRAMES			5		/* frames a play needs to be scored (0.5 s) */

/* Defender ghosting (ghost_*.c; GHOST_HISTORY, GHOST_MAX_HORIZON and GHOST_MAX_ACCEL are in
 * lib/ghost_features.h and lib/ghost_physics.h) */
#define GHOST_MAX_FEATURES	64		/* features a ghost model reads */
#define GHOST_MAX_WINDOWS	1000000 /* training windows held in memory by train_ghost_model */
#define GHOST_MAX_EPOCHS	10000	/* epochs of train_ghost_model */
#define GHOST_MAX_BATCH		65536	/* windows per training step */

/* Training the pass model (pass_train.c, tcn_train.c) */
#define PASS_TRAIN_MAX_PLAYS	1000000 /* source rows kept by train_pass_model */
#define PASS_TRAIN_MAX_FRAMES	1000000 /* model-input frames kept, 704 bytes each */
#define PASS_TRAIN_MAX_EPOCHS	10000	/* epochs of train_pass_model */
#define PASS_TRAIN_MAX_BATCH	65536	/* plays per training step */
#define PASS_TRAIN_MAX_WORK_BYTES	(256 * 1024 * 1024) /* activations and gradients of one play */

#endif
