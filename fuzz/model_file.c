/*
 * model_file.c: libFuzzer harness for weight files.  Any bytes either fail cleanly or
 * load as a pass model, which must then give the same outputs, bit for bit, for the
 * same play before and after a longer play has left other values in its work buffers.
 * sources: src/model_file.c src/pass_network.c
 */
#include "postgres.h"

#include <math.h>

#include "fuzz.h"
#include "pass_model.h"

#define FUZZ_FRAMES		7

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Score a play of `frames` frames with missing values; returns a copy of the outputs */
static float *
score(PassNetwork *net, int frames, float scale)
{
	float	   *input = pass_network_input(net, frames);
	float		context[PASS_MAX_CONTEXT];
	const float *out;
	float	   *copy = palloc(sizeof(float) * (net->bins + PASS_HEAD));

	for (int i = 0; i < Min(frames, net->receptive) * PASS_CHANNELS; i++)
		input[i] = i % 5 ? scale * i : NAN;
	for (int k = 0; k < PASS_MAX_CONTEXT; k++)
		context[k] = k % 3 ? scale * k : NAN;
	out = pass_network_forward(net, frames, context);
	memcpy(copy, out, sizeof(float) * (net->bins + PASS_HEAD));
	return copy;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sigsetjmp(fuzz_error_jump, 0) == 0)
	{
		ModelFile  *mf = model_file_parse((const char *) data, size);
		PassNetwork *net;
		float	   *first;

		model_file_check_kind(mf, "pass");
		net = pass_network_load(mf);
		first = score(net, FUZZ_FRAMES, 0.1f);
		score(net, 3 * FUZZ_FRAMES, -7.0f);
		if (memcmp(first, score(net, FUZZ_FRAMES, 0.1f), sizeof(float) * (net->bins + PASS_HEAD)) != 0)
			abort();			/* a result must not depend on what the
								 * buffers held */
	}
	fuzz_reset();
	return 0;
}
