/*
 * source_query.h: the rows of a query a user hands a trainer, read in batches through an
 * SPI cursor, one row at a time, with interrupts checked between rows.
 */
#ifndef SOURCE_QUERY_H
#define SOURCE_QUERY_H

#include "access/htup.h"
#include "access/tupdesc.h"

/* Checks the query's columns before any row is read; errors refuse the query */
typedef void (*SourceColumns) (TupleDesc desc, void *arg);

/* Handles one row; what it allocates is freed before the next row */
typedef void (*SourceRow) (HeapTuple tuple, TupleDesc desc, void *arg);

extern void source_query_rows(const char *query, SourceColumns check, SourceRow each, void *arg);
extern bool source_columns_are(TupleDesc desc, const Oid *types, int ntypes);
extern Oid	source_play_tensor_type(void);
extern int	source_count_games(int64 *games, int n);

#endif
