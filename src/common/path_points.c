/*
 * path_points.c: ngs.path_points(path), the points of a geometric path as rows, so that
 * tools which cannot subscript a path (BI connectors, plain SQL) can read one.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/pg_compat.h"
#include "funcapi.h"
#include "utils/geo_decls.h"

PG_FUNCTION_INFO_V1(ngs_path_points);
/*
 * ngs.path_points(path): (ordinal, x, y) for every point, open or closed, in order
 */
Datum
ngs_path_points(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	PATH	   *path;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	desc;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("ngs.path_points is declared without result columns"),
					 errhint("Run ALTER EXTENSION ngs UPDATE so that the SQL declaration matches the library.")));
		funcctx->tuple_desc = BlessTupleDesc(desc);
		path = (PATH *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		funcctx->user_fctx = path;
		funcctx->max_calls = path->npts;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	path = (PATH *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		Point	   *p = &path->p[funcctx->call_cntr];
		Datum		values[3] = {Int32GetDatum(funcctx->call_cntr + 1), Float8GetDatum(p->x), Float8GetDatum(p->y)};
		bool		nulls[3] = {false, false, false};

		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
