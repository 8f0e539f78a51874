/*
 * model_input.c: the matrix the pass model reads, frames x 176 (ngs.model_input).
 *
 * Slots 0..10 hold the offense and 11..21 the defense, each side sorted by y at the
 * first frame where the entity's y is known (ties by NFL id, entities never seen last),
 * the first 11 kept; the ball is not an input.  Channel c = slot * 8 + feature.
 * Missing values (an absent entity, a gap, an empty slot) are NaN.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/float.h"
#include "pass/pass_model.h"

/* An entity and its sort key */
typedef struct SlotKey
{
	int			entity;			/* index in the tensor */
	bool		seen;			/* y is known in some frame */
	float		y;				/* y at the first frame where it is known */
	int32		nfl_id;			/* tie-breaker */
} SlotKey;

/* Order by (seen first, y, NFL id) */
static int
compare_slot_keys(const void *a, const void *b)
{
	const SlotKey *x = a;
	const SlotKey *y = b;

	if (x->seen != y->seen)
		return x->seen ? -1 : 1;
	if (x->seen && x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->nfl_id != y->nfl_id)
		return x->nfl_id < y->nfl_id ? -1 : 1;
	return 0;
}

/* Fill slots[0..PASS_SLOTS) with the entities of one role in slot order, -1 when empty */
static void
assign_side(PlayTensor *pt, int role, int *slots)
{
	SlotKey		keys[PT_MAX_ENTITIES];
	int			count = 0;

	for (int e = 0; e < pt->entities; e++)
	{
		SlotKey    *k = &keys[count];

		if (pt_roles(pt)[e] != role)
			continue;
		k->entity = e;
		k->nfl_id = pt_nfl_ids(pt)[e];
		k->seen = false;
		for (int f = 0; f < pt->frames && !k->seen; f++)
		{
			k->y = pt_sample(pt, f, e)[PT_Y];
			k->seen = !isnan(k->y);
		}
		count++;
	}
	qsort(keys, count, sizeof(SlotKey), compare_slot_keys);
	for (int s = 0; s < PASS_SLOTS; s++)
		slots[s] = s < count ? keys[s].entity : -1;
}

/* Fail unless the play has been standardized */
static inline void
check_standardized(PlayTensor *pt)
{
	if (!(pt->flags & PT_STANDARDIZED))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play_tensor is not standardized"),
				 errhint("The pass model reads plays with the offense moving toward +x: "
						 "call ngs.standardize(tensor, play_direction) first.")));
}

/*
 * Write the model input of frames [first_frame, first_frame + frames) to out,
 * PASS_CHANNELS floats per frame
 */
void
pass_model_input(PlayTensor *pt, int first_frame, int frames, float *out)
{
	int			slots[2 * PASS_SLOTS];

	check_standardized(pt);
	Assert(first_frame >= 0 && first_frame + frames <= pt->frames);
	assign_side(pt, PT_OFFENSE, slots);
	assign_side(pt, PT_DEFENSE, slots + PASS_SLOTS);
	for (int f = 0; f < frames; f++)
		for (int s = 0; s < 2 * PASS_SLOTS; s++)
		{
			float	   *to = out + (Size) f * PASS_CHANNELS + s * PT_FEATURES;

			if (slots[s] < 0)
				for (int k = 0; k < PT_FEATURES; k++)
					to[k] = get_float4_nan();
			else
				memcpy(to, pt_sample(pt, first_frame + f, slots[s]), sizeof(float) * PT_FEATURES);
		}
}

PG_FUNCTION_INFO_V1(model_input);
/*
 * ngs.model_input(play_tensor): the frames x 176 real[] the pass model reads
 */
Datum
model_input(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	int			dims[2] = {pt->frames, PASS_CHANNELS};
	int			lbs[2] = {1, 1};
	Size		bytes = ARR_OVERHEAD_NONULLS(2) + sizeof(float4) * (Size) pt->frames * PASS_CHANNELS;
	ArrayType  *result;

	result = palloc0(bytes);
	SET_VARSIZE(result, bytes);
	result->ndim = 2;
	result->dataoffset = 0;
	result->elemtype = FLOAT4OID;
	memcpy(ARR_DIMS(result), dims, sizeof(dims));
	memcpy(ARR_LBOUND(result), lbs, sizeof(lbs));
	pass_model_input(pt, 0, pt->frames, (float *) ARR_DATA_PTR(result));
	PG_RETURN_ARRAYTYPE_P(result);
}
