/*
 * model_input.h: the T x 176 matrix the pass model reads (pass-model.md, "Model input"):
 * 11 offense then 11 defense slots, each side sorted by y at the entity's first frame with
 * a y (ties by NFL id, entities never seen last), 8 features per slot, NaN where missing.
 */
#ifndef MODEL_INPUT_H
#define MODEL_INPUT_H

#include <stdint.h>

#include "track.h"

#define MODEL_INPUT_SLOTS		11	/* players per side the model reads */
#define MODEL_INPUT_CHANNELS	(2 * MODEL_INPUT_SLOTS * TRACK_FEATURES)	/* 176 */

/* A play's samples as the play tensor holds them */
typedef struct ModelInputPlay
{
	int			frames;			/* frames T */
	int			entities;		/* entities */
	const float *data;			/* frames x entities x TRACK_FEATURES, NaN = missing */
	const uint8_t *roles;		/* each entity's role code */
	const int32_t *nfl_ids;		/* each entity's NFL id */
} ModelInputPlay;

extern void model_input_slots(const ModelInputPlay *play, int offense, int defense, int *slots);
extern void model_input_rows(const ModelInputPlay *play, const int *slots, int first_frame,
							 int frames, float *out);

#endif
