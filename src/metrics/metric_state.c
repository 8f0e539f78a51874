/*
 * metric_state.c: ngs.metric_state (metric_state.h): creating, checking and merging
 * states, and their versioned binary form (send/recv, and the serialization of the 1.1
 * aggregates that kept the same state as internal).
 *
 * Binary form, version 1: int16 version, int16 kind, int32 bins, then per bin int64
 * count, int64 positives (reliability) and the exact sum (all but pit_histogram) as
 * uint8 first word, uint8 word count and that many int64 words, low word first.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/agg_context.h"
#include "libpq/pqformat.h"
#include "metrics/metric_state.h"
#include "metrics/metrics.h"

/* The name of a kind, as the text form and the errors spell it */
const char *
metric_kind_name(int kind)
{
	static const char *const names[] = {NULL, "brier", "log_loss", "pit_histogram", "reliability"};

	return kind >= 1 && kind <= METRIC_KIND_LAST ? names[kind] : "unknown";
}

/* Bytes of a state of this kind and bin count */
static Size
metric_state_size(int kind, int bins)
{
	return sizeof(MetricState) + (Size) bins * (sizeof(int64) +
												(metric_has_positives(kind) ? sizeof(int64) : 0) +
												(metric_has_sum(kind) ? sizeof(ExactSum) : 0));
}

/* A zeroed state of this kind and bin count, allocated in context */
MetricState *
metric_state_create(int kind, int bins, MemoryContext context)
{
	Size		size = metric_state_size(kind, bins);
	MetricState *s = MemoryContextAllocZero(context, size);

	SET_VARSIZE(s, size);
	s->version = METRIC_STATE_VERSION;
	s->kind = kind;
	s->bins = bins;
	return s;
}

/* Whether a bin count suits a kind: 1 for the mean losses, 1..METRICS_MAX_BINS else */
int
metric_state_bins_allowed(int kind, int bins)
{
	if (kind == METRIC_BRIER || kind == METRIC_LOG_LOSS)
		return bins == 1;
	return bins >= 1 && bins <= METRICS_MAX_BINS;
}

/* Argument n, a state, detoasted; an error for a datum this build cannot read */
MetricState *
metric_state_arg(FunctionCallInfo fcinfo, int n)
{
	MetricState *s = (MetricState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));

	if (s->version != METRIC_STATE_VERSION || s->kind < 1 || s->kind > METRIC_KIND_LAST ||
		!metric_state_bins_allowed(s->kind, s->bins) ||
		VARSIZE(s) != metric_state_size(s->kind, s->bins))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid metric_state datum (version %d)", s->version),
				 errdetail("This build of ngs reads metric_state version %d.", METRIC_STATE_VERSION)));
	return s;
}

/* Refuse a state of another aggregate */
void
metric_state_expect(const MetricState *s, int kind)
{
	if (s->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("metric_state is a %s state, not a %s state", metric_kind_name(s->kind),
						metric_kind_name(kind)),
				 errhint("Finish a state with the final function of the aggregate that made it, ngs.%s_final.",
						 metric_kind_name(s->kind))));
}

/* Refuse to aggregate rows or states with different bin counts together */
void
metric_state_check_bins(const MetricState *s, int bins)
{
	if (s->bins != bins)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be the same in every row, not %d and %d", s->bins, bins),
				 errhint("Pass the bin count as a constant.")));
}

/* Add rows to a bin's count, refusing more than METRIC_MAX_COUNT */
void
metric_state_add_rows(MetricState *s, int bin, int64 rows)
{
	int64	   *count = metric_count(s);

	if (rows > METRIC_MAX_COUNT - count[bin])
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s over more than " INT64_FORMAT " rows", metric_kind_name(s->kind), METRIC_MAX_COUNT)));
	count[bin] += rows;
}

/* The rows a state counts, over all its bins */
int64
metric_state_rows(const MetricState *s)
{
	int64		rows = 0;

	for (int b = 0; b < s->bins; b++)
		rows += metric_count(s)[b];
	return rows;
}

/* The largest term a kind adds per row: a squared error or probability 1, -ln(2^-52) */
static double
metric_max_term(int kind)
{
	return kind == METRIC_LOG_LOSS ? -log(DBL_EPSILON) : 1.0;
}

/*
 * Refuse a state no rows could make: negative counts, more true labels than rows, sums
 * without rows or above what the rows' terms can add up to
 */
void
metric_state_validate(const MetricState *s, int sqlstate)
{
	const int64 *count = metric_count(s);
	const int64 *positives = metric_positives(s);
	const ExactSum *sum = metric_sum(s);
	int64		rows = 0;

	for (int b = 0; b < s->bins; b++)
	{
		double		value = sum ? exact_sum_value(&sum[b]) : 0.0;

		if (count[b] < 0 || count[b] > METRIC_MAX_COUNT - rows ||
			(positives && (positives[b] < 0 || positives[b] > count[b])) ||
			!(value <= (double) count[b] * metric_max_term(s->kind) * (1.0 + 1e-12)))
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("invalid metric_state: no rows could make bin %d of this %s state", b + 1,
							metric_kind_name(s->kind)),
					 errdetail("Counts are between 0 and 2^62, true labels at most the rows, and sums at most %s per row.",
							   s->kind == METRIC_LOG_LOSS ? "-ln(2^-52)" : "1")));
		rows += count[b];
	}
}

/* Add other into s, bin by bin; the two are of one kind and bin count */
static void
metric_state_merge(MetricState *s, const MetricState *other)
{
	if (other->kind != s->kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot merge a %s state into a %s state", metric_kind_name(other->kind),
						metric_kind_name(s->kind)),
				 errhint("Merge the states of one aggregate with its own merge aggregate, such as ngs.brier_merge.")));
	metric_state_check_bins(s, other->bins);
	for (int b = 0; b < s->bins; b++)
	{
		metric_state_add_rows(s, b, metric_count(other)[b]);
		if (metric_has_positives(s->kind))
			metric_positives(s)[b] += metric_positives(other)[b];
		if (metric_has_sum(s->kind))
			exact_sum_merge(&metric_sum(s)[b], &metric_sum(other)[b]);
	}
}

/*
 * The combine step every metric aggregate shares (also the transition of the merge
 * aggregates): state 0, in the aggregate's context, absorbs state 1 (NULLs skipped)
 */
Datum
metric_state_combine_call(FunctionCallInfo fcinfo)
{
	MemoryContext context = metrics_agg_context(fcinfo);
	MetricState *other;
	MetricState *s;

	if (PG_ARGISNULL(1))
		return metrics_state_unchanged(fcinfo, 0);
	other = metric_state_arg(fcinfo, 1);
	if (PG_ARGISNULL(0))
	{
		s = MemoryContextAlloc(context, VARSIZE(other));
		memcpy(s, other, VARSIZE(other));
		PG_RETURN_POINTER(s);
	}
	s = (MetricState *) PG_GETARG_POINTER(0);
	metric_state_merge(s, other);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(metric_state_combine);
/*
 * Combine function of the metric aggregates and transition of their merge aggregates
 */
Datum
metric_state_combine(PG_FUNCTION_ARGS)
{
	return metric_state_combine_call(fcinfo);
}

/* Append an exact sum: first non-zero word, word count, the words */
static void
send_exact_sum(StringInfo buf, const ExactSum *sum)
{
	int			first = 0;
	int			last = EXACT_SUM_WORDS - 1;

	while (first < EXACT_SUM_WORDS && sum->word[first] == 0)
		first++;
	while (last >= first && sum->word[last] == 0)
		last--;
	pq_sendint8(buf, first < EXACT_SUM_WORDS ? first : 0);
	pq_sendint8(buf, last - first + 1 > 0 ? last - first + 1 : 0);
	for (int k = first; k <= last; k++)
		pq_sendint64(buf, sum->word[k]);
}

/* Read an exact sum as send_exact_sum writes it */
static void
recv_exact_sum(StringInfo buf, ExactSum *sum)
{
	int			first = pq_getmsgint(buf, 1);
	int			n = pq_getmsgint(buf, 1);

	if (first + n > EXACT_SUM_WORDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid metric_state: exact sum of words %d..%d, beyond %d", first, first + n - 1,
						EXACT_SUM_WORDS - 1)));
	for (int k = first; k < first + n; k++)
		sum->word[k] = pq_getmsgint64(buf);
}

/* The binary form of a state */
bytea *
metric_state_to_binary(const MetricState *s)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, METRIC_STATE_VERSION);
	pq_sendint16(&buf, s->kind);
	pq_sendint32(&buf, s->bins);
	for (int b = 0; b < s->bins; b++)
	{
		pq_sendint64(&buf, metric_count(s)[b]);
		if (metric_has_positives(s->kind))
			pq_sendint64(&buf, metric_positives(s)[b]);
		if (metric_has_sum(s->kind))
			send_exact_sum(&buf, &metric_sum(s)[b]);
	}
	return pq_endtypsend(&buf);
}

/* A state read from its binary form, checked (in the current memory context) */
MetricState *
metric_state_from_binary(StringInfo buf)
{
	int			version = pq_getmsgint(buf, 2);
	int			kind;
	int			bins;
	MetricState *s;

	if (version != METRIC_STATE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported metric_state binary version %d", version),
				 errdetail("This build of ngs reads version %d.", METRIC_STATE_VERSION),
				 errhint("Update ngs on this server to the version of the server that sent the state.")));
	kind = pq_getmsgint(buf, 2);
	bins = pq_getmsgint(buf, 4);
	if (kind < 1 || kind > METRIC_KIND_LAST || !metric_state_bins_allowed(kind, bins))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid metric_state: kind %d with %d bins", kind, bins)));
	s = metric_state_create(kind, bins, CurrentMemoryContext);
	for (int b = 0; b < bins; b++)
	{
		metric_count(s)[b] = pq_getmsgint64(buf);
		if (metric_has_positives(kind))
			metric_positives(s)[b] = pq_getmsgint64(buf);
		if (metric_has_sum(kind))
			recv_exact_sum(buf, &metric_sum(s)[b]);
	}
	pq_getmsgend(buf);
	metric_state_validate(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	return s;
}

PG_FUNCTION_INFO_V1(metric_state_send);
/*
 * Binary output of ngs.metric_state
 */
Datum
metric_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(metric_state_to_binary(metric_state_arg(fcinfo, 0)));
}

PG_FUNCTION_INFO_V1(metric_state_recv);
/*
 * Binary input of ngs.metric_state
 */
Datum
metric_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(metric_state_from_binary((StringInfo) PG_GETARG_POINTER(0)));
}

/*
 * Serialization of a state kept as internal (the 1.1 definitions of the aggregates, which
 * a 1.1 database runs until ALTER EXTENSION ngs UPDATE): its binary form
 */
static Datum
metric_state_serialize(FunctionCallInfo fcinfo)
{
	metrics_agg_context(fcinfo);
	PG_RETURN_BYTEA_P(metric_state_to_binary((MetricState *) PG_GETARG_POINTER(0)));
}

/* Deserialization of a state kept as internal */
static Datum
metric_state_deserialize(FunctionCallInfo fcinfo)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	metrics_agg_context(fcinfo);
	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	PG_RETURN_POINTER(metric_state_from_binary(&buf));
}

PG_FUNCTION_INFO_V1(mean_loss_combine);
PG_FUNCTION_INFO_V1(mean_loss_serialize);
PG_FUNCTION_INFO_V1(mean_loss_deserialize);
PG_FUNCTION_INFO_V1(binned_combine);
PG_FUNCTION_INFO_V1(binned_serialize);
PG_FUNCTION_INFO_V1(binned_deserialize);

/* The 1.1 support functions of the internal-state aggregates, on the same states */
Datum
mean_loss_combine(PG_FUNCTION_ARGS)
{
	return metric_state_combine_call(fcinfo);
}

/* 1.1 serialization of ngs.brier and ngs.log_loss */
Datum
mean_loss_serialize(PG_FUNCTION_ARGS)
{
	return metric_state_serialize(fcinfo);
}

/* 1.1 deserialization of ngs.brier and ngs.log_loss */
Datum
mean_loss_deserialize(PG_FUNCTION_ARGS)
{
	return metric_state_deserialize(fcinfo);
}

/* 1.1 combine of ngs.pit_histogram and ngs.reliability */
Datum
binned_combine(PG_FUNCTION_ARGS)
{
	return metric_state_combine_call(fcinfo);
}

/* 1.1 serialization of ngs.pit_histogram and ngs.reliability */
Datum
binned_serialize(PG_FUNCTION_ARGS)
{
	return metric_state_serialize(fcinfo);
}

/* 1.1 deserialization of ngs.pit_histogram and ngs.reliability */
Datum
binned_deserialize(PG_FUNCTION_ARGS)
{
	return metric_state_deserialize(fcinfo);
}
