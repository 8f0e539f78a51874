/*
 * ngs.h: what every part of the extension shares: the settings, and the field and clock
 * (lib/field.h).  Each subsystem's header owns its own limits: PT_MAX_* in
 * play_tensor/play_tensor.h, MODEL_* in model/model_file.h and model/model_catalog.h,
 * PASS_MAX_* in pass/pass_model.h, PASS_TRAIN_* in pass/pass_train.h, GHOST_* in
 * ghost/ghost.h, METRICS_* in metrics/metrics.h; those the core enforces live in lib/.
 * Every limit a user can run into is documented in the README and enforced before any
 * allocation that depends on it.
 */
#ifndef NGS_H
#define NGS_H

#include "postgres.h"

#include "field.h"			/* the field and the clock (lib/field.h) */

/* Settings (ngs.c) */
extern bool ngs_strict_duplicates;

#endif
