#!/usr/bin/env bash
# The 1.1 -> 1.2 update of the evaluation aggregates (section "Evaluation aggregates with
# sendable states" of ngs--1.1--1.2.sql). In a database at 1.1 (which runs its own
# internal-state definitions on the new library) a user's view over ngs.brier and
# ngs.reliability is created and its results kept; ALTER EXTENSION ngs UPDATE then:
# - succeeds, with a WARNING naming the view for each of those two aggregates;
# - keeps the view working through ngs.brier_1_1 / ngs.reliability_1_1, same results;
# - makes ngs.brier, ngs.log_loss, ngs.pit_histogram and ngs.reliability aggregates over
#   ngs.metric_state giving the same results as the 1.1 ones did;
# - drops the internal-state support functions nothing uses any more (log_loss_accum's,
#   pit_histogram_accum's) and keeps those ngs.brier_1_1 and ngs.reliability_1_1 use.
# Without a dependent view, nothing of 1.1 is left. Runs on the server of the PG*
# variables; needs no real data. Exit status: 0 passed, 1 failed.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
db=ngs_metric_update
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" > /dev/null 2>&1 || true' EXIT
problems=()
problem() { echo "problem: $*"; problems+=("$*"); }
expect() { [ "$2" = "$3" ] || problem "$1: got '$2', expected '$3'"; }

setup() {
    psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    q -c "CREATE EXTENSION ngs VERSION '1.1'"
    q -c "CREATE TABLE r AS SELECT (g * 0.618034) % 1 AS p, g % 3 = 0 AS label, g % 4 AS grp
          FROM generate_series(1, 5000) g"
}
metrics="SELECT string_agg(m, ' | ' ORDER BY grp) FROM (SELECT grp, format('%s %s %s %s', ngs.brier(p, label),
                 ngs.log_loss(p, label), ngs.pit_histogram(p, 7), ngs.reliability(p, label, 5)) AS m
          FROM r GROUP BY grp) x"
stype() { q -c "SELECT aggtranstype::regtype FROM pg_aggregate WHERE aggfnoid = 'ngs.$1'::regprocedure"; }

# With a user's view over two of the aggregates.
setup
q -c "CREATE VIEW v AS SELECT grp, ngs.brier(p, label) AS b, ngs.reliability(p, label, 5) AS rc FROM r GROUP BY grp"
view_before=$(q -c "SELECT string_agg(format('%s %s %s', grp, b, rc), ' | ' ORDER BY grp) FROM v")
metrics_before=$(q -c "$metrics")
q -c "ALTER EXTENSION ngs UPDATE" 2> /tmp/metric_update.$$ || problem "the update failed: $(cat /tmp/metric_update.$$)"
warnings=$(grep -c 'WARNING:  ngs\.\(brier\|reliability\)(.*) is kept as ngs\.\(brier\|reliability\)_1_1 for what uses it: view public\.v$' /tmp/metric_update.$$ || true)
expect "WARNINGs naming the view" "$warnings" 2
rm -f /tmp/metric_update.$$
expect "the view's results after the update" "$(q -c "SELECT string_agg(format('%s %s %s', grp, b, rc), ' | ' ORDER BY grp) FROM v")" "$view_before"
expect "the view's definition" "$(q -c "SELECT pg_get_viewdef('v') ~ 'ngs.brier_1_1' AND pg_get_viewdef('v') ~ 'ngs.reliability_1_1'")" t
expect "the metrics after the update" "$(q -c "$metrics")" "$metrics_before"
for a in "brier(float8, bool)" "log_loss(float8, bool)" "pit_histogram(float8, int)" "reliability(float8, bool, int)"; do
    expect "state of ngs.$a" "$(stype "$a")" ngs.metric_state
done
expect "state of ngs.brier_1_1" "$(stype "brier_1_1(float8, bool)")" internal
expect "1.1 support functions left" "$(q -c "SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc
    WHERE pronamespace = 'ngs'::regnamespace AND 'internal'::regtype = ANY (proargtypes)
      AND proname ~ '^(brier|log_loss|mean_loss|pit_histogram|reliability|binned)_'")" \
    "binned_combine,binned_deserialize,binned_serialize,brier_accum,mean_loss_combine,mean_loss_deserialize,mean_loss_final,mean_loss_serialize,reliability_accum,reliability_final"

# Without one: everything replaced, nothing of 1.1 left.
setup
metrics_before=$(q -c "$metrics")
q -c "ALTER EXTENSION ngs UPDATE" 2> /tmp/metric_update.$$ || problem "the update failed: $(cat /tmp/metric_update.$$)"
expect "warnings without a view" "$(grep -c WARNING /tmp/metric_update.$$ || true)" 0
rm -f /tmp/metric_update.$$
expect "the metrics after the update" "$(q -c "$metrics")" "$metrics_before"
expect "1.1 objects left" "$(q -c "SELECT count(*) FROM pg_proc WHERE pronamespace = 'ngs'::regnamespace
    AND (proname LIKE '%\_1\_1' OR proname IN ('mean_loss_combine', 'binned_combine', 'mean_loss_final'))")" 0

if [ ${#problems[@]} -eq 0 ]; then
    echo "metric_update: the 1.1 aggregates are replaced, and kept as <name>_1_1 for a user's view ($SECONDS s)"
    exit 0
fi
echo "metric_update: FAILED: ${problems[*]}"
exit 1
