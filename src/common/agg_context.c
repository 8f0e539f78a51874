/*
 * agg_context.c: the aggregate context check shared by every ngs aggregate.
 */
#include "postgres.h"

#include "common/agg_context.h"

/*
 * The memory context of the aggregate calling fcinfo.  Called directly from SQL, a
 * support function could be handed a table's value as its state and update it in place,
 * so that is an error (0A000) naming the function and the aggregates to use instead
 * (aggregates reads after "Use", e.g. "the aggregate ngs.sbp_fit").
 */
MemoryContext
ngs_agg_context(FunctionCallInfo fcinfo, const char *function, const char *aggregates)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called outside an aggregate", function),
				 errhint("Use %s.", aggregates)));
	return context;
}
