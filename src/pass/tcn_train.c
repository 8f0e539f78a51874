/*
 * tcn_train.c: the trainable TCN of lib/tcn_grad.c in palloc'd memory, for the trainer:
 * its parameters and transposed weights, and a work area that grows with the plays; its
 * forward and backward passes check for a cancel between convolutions.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "pass/pass_train.h"
#include "utils/memutils.h"

/* The TCN's poll: a cancel or statement_timeout stops a play between convolutions */
static void
tcn_check_interrupts(void *arg)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * A TCN of `levels` levels of `channels` channels and kernel `kernel` over the 176 input
 * channels, parameters zero, in the current memory context (sizes checked by the caller)
 */
Tcn *
tcn_create(int levels, int channels, int kernel)
{
	Tcn		   *tcn = palloc0(sizeof(Tcn));
	float	   *params = palloc0(sizeof(float) * tcn_param_count(PASS_CHANNELS, levels, channels, kernel));
	float	   *transposed = palloc(sizeof(float) * tcn_transposed_floats(levels, channels, kernel));

	tcn_layout(tcn, PASS_CHANNELS, levels, channels, kernel, params, transposed);
	tcn->poll = tcn_check_interrupts;
	return tcn;
}

/*
 * Make the work area hold plays of up to max_rows frames (tcn_work_bytes, checked
 * against the limit by the caller), in the memory context of the TCN; it only grows
 */
void
tcn_prepare(Tcn *tcn, int max_rows)
{
	float	   *work;

	if (max_rows <= tcn->max_rows)
		return;
	work = MemoryContextAllocHuge(GetMemoryChunkContext(tcn),
								  tcn_work_bytes(tcn->levels, tcn->channels, max_rows));
	if (tcn->work)
		pfree(tcn->work);
	tcn_bind_work(tcn, max_rows, work);
}
