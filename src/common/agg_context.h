/*
 * agg_context.h: the memory context of the aggregate calling a support function, the one
 * check every ngs aggregate makes before it allocates or updates a state in place.
 */
#ifndef AGG_CONTEXT_H
#define AGG_CONTEXT_H

#include "fmgr.h"

extern MemoryContext ngs_agg_context(FunctionCallInfo fcinfo, const char *function, const char *aggregates);

#endif
