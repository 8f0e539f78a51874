/*
 * source_query.c: reads the rows of a trainer's source (or prediction) query: a batch of
 * rows per cursor fetch, each row handled in a memory context that is reset after it, so
 * a detoasted play is freed before the next; cancel and statement_timeout stop the read
 * between rows.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "model/source_query.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/syscache.h"

#define FETCH_ROWS			64	/* source rows per cursor fetch */

/*
 * The query prepared, or an error unless it is one SELECT (training reads, never writes,
 * and a list of statements has no single result to read)
 */
static SPIPlanPtr
prepare_select(const char *query)
{
	SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);
	List	   *sources = plan ? SPI_plan_get_plan_sources(plan) : NIL;

	if (list_length(sources) != 1 || ((CachedPlanSource *) linitial(sources))->commandTag != CMDTAG_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a training or prediction query must be one SELECT statement"),
				 errhint("Pass a single SELECT (or WITH ... SELECT, VALUES, TABLE); training only reads rows.")));
	return plan;
}

/*
 * Hand every row of query to each, in the query's order, after check has accepted its
 * columns
 */
void
source_query_rows(const char *query, SourceColumns check, SourceRow each, void *arg)
{
	MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "ngs source row",
												  ALLOCSET_DEFAULT_SIZES);
	Portal		portal;

	SPI_connect();
	portal = SPI_cursor_open(NULL, prepare_select(query), NULL, NULL, true);
	check(portal->tupDesc, arg);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			MemoryContext spi_cxt = MemoryContextSwitchTo(row_cxt);

			CHECK_FOR_INTERRUPTS();
			each(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, arg);
			MemoryContextSwitchTo(spi_cxt);
			MemoryContextReset(row_cxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextDelete(row_cxt);
}

/* Order int64 values */
static int
compare_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* The number of distinct games among n source rows' games (sorts them in place) */
int
source_count_games(int64 *games, int n)
{
	int			distinct = 0;

	if (n == 0)
		return 0;				/* games may be NULL, which qsort must not get */
	qsort(games, n, sizeof(int64), compare_int64);
	for (int i = 0; i < n; i++)
		distinct += i == 0 || games[i] != games[i - 1];
	return distinct;
}

/* True when the query's columns are exactly of the given types */
bool
source_columns_are(TupleDesc desc, const Oid *types, int ntypes)
{
	if (desc->natts != ntypes)
		return false;
	for (int c = 0; c < ntypes; c++)
		if (TupleDescAttr(desc, c)->atttypid != types[c])
			return false;
	return true;
}

/* The OID of ngs.play_tensor */
Oid
source_play_tensor_type(void)
{
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("play_tensor"),
						   ObjectIdGetDatum(get_namespace_oid("ngs", false)));
}
