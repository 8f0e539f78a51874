/*
 * metric_state.h: ngs.metric_state, the sendable state of the evaluation aggregates
 * ngs.brier, ngs.log_loss, ngs.pit_histogram and ngs.reliability: which aggregate, its
 * bins, and per bin a row count, (reliability) a count of true labels and (all but
 * pit_histogram) an exact sum.  One varlena datum, the same in an aggregate's memory, in a
 * table and between parallel workers or servers; its text and binary forms are exact.
 */
#ifndef METRIC_STATE_H
#define METRIC_STATE_H

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "exact_sum.h"

#define METRIC_STATE_VERSION	1	/* of the datum and of the binary form */
#define METRIC_MAX_COUNT		(INT64CONST(1) << 62)	/* rows a state may count */

/* Which aggregate a state belongs to; stored, so the numbers never change */
typedef enum MetricKind
{
	METRIC_BRIER = 1,
	METRIC_LOG_LOSS = 2,
	METRIC_PIT_HISTOGRAM = 3,
	METRIC_RELIABILITY = 4
} MetricKind;

#define METRIC_KIND_LAST	METRIC_RELIABILITY

/* The datum's header; the per-bin arrays follow it (count, positives, sum) */
typedef struct MetricState
{
	int32		vl_len_;		/* varlena header */
	uint16		version;		/* METRIC_STATE_VERSION */
	uint16		kind;			/* a MetricKind */
	int32		bins;			/* 1 for brier and log_loss, else 1..METRICS_MAX_BINS */
	int32		unused;			/* zero; keeps the arrays 8-byte aligned */
} MetricState;

/* Whether a kind keeps counts of true labels, and exact sums */
#define metric_has_positives(kind)	((kind) == METRIC_RELIABILITY)
#define metric_has_sum(kind)		((kind) != METRIC_PIT_HISTOGRAM)

/* The per-bin arrays of a state (positives and sum NULL when the kind has none) */
static inline int64 *
metric_count(const MetricState *s)
{
	return (int64 *) ((char *) s + sizeof(MetricState));
}

static inline int64 *
metric_positives(const MetricState *s)
{
	return metric_has_positives(s->kind) ? metric_count(s) + s->bins : NULL;
}

static inline ExactSum *
metric_sum(const MetricState *s)
{
	if (!metric_has_sum(s->kind))
		return NULL;
	return (ExactSum *) (metric_count(s) + s->bins * (metric_has_positives(s->kind) ? 2 : 1));
}

extern const char *metric_kind_name(int kind);
extern MetricState *metric_state_create(int kind, int bins, MemoryContext context);
extern MetricState *metric_state_arg(FunctionCallInfo fcinfo, int n);
extern void metric_state_expect(const MetricState *s, int kind);
extern void metric_state_check_bins(const MetricState *s, int bins);
extern void metric_state_add_rows(MetricState *s, int bin, int64 rows);
extern int64 metric_state_rows(const MetricState *s);
extern int	metric_state_bins_allowed(int kind, int bins);
extern void metric_state_validate(const MetricState *s, int sqlstate);
extern Datum metric_state_combine_call(FunctionCallInfo fcinfo);
extern bytea *metric_state_to_binary(const MetricState *s);
extern MetricState *metric_state_from_binary(StringInfo buf);

#endif
