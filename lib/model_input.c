/*
 * model_input.c: the pass model's input matrix from a play's samples.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "model_input.h"

/* An entity and its sort key */
typedef struct SlotKey
{
	int			entity;			/* index in the play */
	bool		seen;			/* y is known in some frame */
	float		y;				/* y at the first frame where it is known */
	int32_t		nfl_id;			/* tie-breaker */
} SlotKey;

/* Order by (seen first, y, NFL id) */
static int
compare_slot_keys(const SlotKey *x, const SlotKey *y)
{
	if (x->seen != y->seen)
		return x->seen ? -1 : 1;
	if (x->seen && x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->nfl_id != y->nfl_id)
		return x->nfl_id < y->nfl_id ? -1 : 1;
	return 0;
}

/* The sort key of entity e */
static SlotKey
slot_key(const ModelInputPlay *play, int e)
{
	SlotKey		k;
	int			f;

	k.entity = e;
	k.nfl_id = play->nfl_ids[e];
	k.seen = false;
	k.y = NAN;
	for (f = 0; f < play->frames && !k.seen; f++)
	{
		k.y = play->data[((size_t) f * play->entities + e) * TRACK_FEATURES + TRACK_Y];
		k.seen = !isnan(k.y);
	}
	return k;
}

/*
 * Fill slots[0..MODEL_INPUT_SLOTS) with the first entities of one role in slot order, -1
 * when the role has fewer: a stable insertion into the kept prefix of the sorted order
 */
static void
assign_side(const ModelInputPlay *play, int role, int *slots)
{
	SlotKey		kept[MODEL_INPUT_SLOTS];
	int			count = 0;
	int			e,
				s;

	for (e = 0; e < play->entities; e++)
	{
		SlotKey		k;
		int			at;

		if (play->roles[e] != role)
			continue;
		k = slot_key(play, e);
		at = count;
		while (at > 0 && compare_slot_keys(&k, &kept[at - 1]) < 0)
			at--;
		if (at == MODEL_INPUT_SLOTS)
			continue;
		if (count < MODEL_INPUT_SLOTS)
			count++;
		memmove(&kept[at + 1], &kept[at], sizeof(SlotKey) * (count - 1 - at));
		kept[at] = k;
	}
	for (s = 0; s < MODEL_INPUT_SLOTS; s++)
		slots[s] = s < count ? kept[s].entity : -1;
}

/*
 * The entity in each of the 2 * MODEL_INPUT_SLOTS slots (-1 for an empty one): the
 * entities whose role code is offense, then those whose role is defense
 */
void
model_input_slots(const ModelInputPlay *play, int offense, int defense, int *slots)
{
	assign_side(play, offense, slots);
	assign_side(play, defense, slots + MODEL_INPUT_SLOTS);
}

/*
 * Write the rows of frames [first_frame, first_frame + frames) of the matrix to out,
 * MODEL_INPUT_CHANNELS floats per frame: slot s's features at channels s * 8 ..
 * s * 8 + 7, all NaN for an empty slot; the caller checks the frame range
 */
void
model_input_rows(const ModelInputPlay *play, const int *slots, int first_frame, int frames,
				 float *out)
{
	int			f,
				s,
				k;

	for (f = 0; f < frames; f++)
		for (s = 0; s < 2 * MODEL_INPUT_SLOTS; s++)
		{
			float	   *to = out + (size_t) f * MODEL_INPUT_CHANNELS + s * TRACK_FEATURES;

			if (slots[s] < 0)
				for (k = 0; k < TRACK_FEATURES; k++)
					to[k] = NAN;
			else
				memcpy(to, play->data + ((size_t) (first_frame + f) * play->entities + slots[s]) * TRACK_FEATURES,
					   sizeof(float) * TRACK_FEATURES);
		}
}
