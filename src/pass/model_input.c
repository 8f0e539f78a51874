/*
 * model_input.c: the matrix the pass model reads, frames x 176 (ngs.model_input).
 *
 * The slots and rows are lib/model_input.c's; this file checks the play and makes the
 * real[] of ngs.model_input.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "model_input.h"
#include "pass/pass_model.h"
#include "utils/array.h"

/* The matrix is the one lib/model_input.c builds */
StaticAssertDecl(PASS_SLOTS == MODEL_INPUT_SLOTS && PASS_CHANNELS == MODEL_INPUT_CHANNELS,
				 "the pass model reads the matrix of model_input.h");

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
 * Fail when a tensor that knows its events runs past the release of the pass: the model
 * reads its last frames, which would then be after the throw (version-1 tensors, and
 * tensors without a release, cannot be checked)
 */
static void
check_window(PlayTensor *pt)
{
	int			release = pt_release_frame(pt);

	if (release >= 0 && release < pt->frames - 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play_tensor runs past the release of the pass"),
				 errdetail("The release is at frame %d; the tensor ends at frame %d.",
						   pt_frame_ids(pt)[release], pt_frame_ids(pt)[pt->frames - 1]),
				 errhint("Score the frames from the snap to the release: ngs.pass_window(tensor).")));
}

/*
 * Write the model input of frames [first_frame, first_frame + frames) to out,
 * PASS_CHANNELS floats per frame
 */
void
pass_model_input(PlayTensor *pt, int first_frame, int frames, float *out)
{
	ModelInputPlay play = {pt->frames, pt->entities, pt_data(pt), pt_roles(pt), pt_nfl_ids(pt)};
	int			slots[2 * PASS_SLOTS];

	check_standardized(pt);
	check_window(pt);
	Assert(first_frame >= 0 && first_frame + frames <= pt->frames);
	model_input_slots(&play, PT_OFFENSE, PT_DEFENSE, slots);
	model_input_rows(&play, slots, first_frame, frames, out);
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
