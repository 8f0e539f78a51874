/*
 * samples.c: ngs.samples(play_tensor), a play tensor as plain rows, one per (frame, entity)
 * present, for BI tools and anything else that wants columns instead of arrays or JSON.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "play_tensor/play_tensor.h"
#include "utils/builtins.h"

/*
 * The result columns, in order.  A column added later (the per-frame event) goes at the
 * end, before SC_COLUMNS: sample_row fills it and the SQL declaration of ngs.samples
 * gains it as its last OUT column, so that existing column positions stay put.
 */
typedef enum SampleColumn
{
	SC_FRAME_ID = 0, SC_NFL_ID, SC_ROLE,
	SC_X, SC_Y, SC_VX, SC_VY, SC_AX, SC_AY, SC_DIR, SC_O,	/* PT_X .. PT_O, in order */
	SC_S,
	SC_COLUMNS					/* the event column will be SC_EVENT here */
} SampleColumn;

/* The state of a running scan */
typedef struct SampleRows
{
	PlayTensor *pt;				/* the tensor, detoasted once */
	Datum	   *roles;			/* each entity's role as text */
	Size		next;			/* the next frame * entities + entity to look at */
} SampleRows;

/* Whether a sample holds any value (a missing one is all NaN) */
static bool
sample_present(const float4 *v)
{
	for (int k = 0; k < PT_FEATURES; k++)
		if (!isnan(v[k]))
			return true;
	return false;
}

/* A real column: NULL for NaN */
static void
set_real(Datum *values, bool *nulls, int column, float4 v)
{
	nulls[column] = isnan(v);
	values[column] = Float4GetDatum(v);
}

/* The row of frame f, entity e, with as many columns as the declaration has */
static HeapTuple
sample_row(SampleRows *scan, TupleDesc desc, int f, int e)
{
	PlayTensor *pt = scan->pt;
	const float4 *v = pt_sample(pt, f, e);
	Datum		values[SC_COLUMNS];
	bool		nulls[SC_COLUMNS] = {false};

	values[SC_FRAME_ID] = Int32GetDatum(pt_frame_ids(pt)[f]);
	nulls[SC_NFL_ID] = pt_roles(pt)[e] == PT_BALL;
	values[SC_NFL_ID] = Int32GetDatum(pt_nfl_ids(pt)[e]);
	values[SC_ROLE] = scan->roles[e];
	for (int k = 0; k < PT_FEATURES; k++)
		set_real(values, nulls, SC_X + k, v[k]);
	set_real(values, nulls, SC_S, pt_speed(v));
	return heap_form_tuple(desc, values, nulls);
}

/* Start a scan: detoast the tensor and name the roles, in the multi-call context */
static SampleRows *
sample_scan_start(FunctionCallInfo fcinfo, FuncCallContext *funcctx)
{
	SampleRows *scan = palloc(sizeof(SampleRows));
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE || desc->natts != SC_COLUMNS)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("ngs.samples is declared with the wrong result columns"),
				 errhint("Run ALTER EXTENSION ngs UPDATE so that the SQL declaration matches the library.")));
	funcctx->tuple_desc = BlessTupleDesc(desc);
	scan->pt = (PlayTensor *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	scan->roles = palloc(sizeof(Datum) * Max(scan->pt->entities, 1));
	for (int e = 0; e < scan->pt->entities; e++)
		scan->roles[e] = CStringGetTextDatum(pt_role_name(pt_roles(scan->pt)[e]));
	scan->next = 0;
	return scan;
}

PG_FUNCTION_INFO_V1(play_tensor_samples);
/*
 * ngs.samples(pt): one row per (frame, entity) present, in frame then entity order
 */
Datum
play_tensor_samples(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	SampleRows *scan;
	Size		count;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		funcctx->user_fctx = sample_scan_start(fcinfo, funcctx);
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	scan = (SampleRows *) funcctx->user_fctx;
	count = (Size) scan->pt->frames * scan->pt->entities;
	while (scan->next < count)
	{
		int			f = scan->next / scan->pt->entities;
		int			e = scan->next % scan->pt->entities;

		scan->next++;
		if (sample_present(pt_sample(scan->pt, f, e)))
			SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(sample_row(scan, funcctx->tuple_desc, f, e)));
	}
	SRF_RETURN_DONE(funcctx);
}
