#!/usr/bin/env bash
# Every benchmark times the work it claims to time: runs each bench/*.sql with
# ngs_bench.plan_only = on (bench_best_of_three of tools/bench_timing.sql then checks each
# timed query's EXPLAIN VERBOSE plan for the expression the query names, and runs nothing
# heavy) on a small synthetic season (test/shell/bench_plans/fixture.sql); bench/pass_score
# the same way (NGS_BENCH_PLAN_ONLY=1) when PyTorch is installed. Fails if a plan lacks its
# measured expression, if a benchmark checks no plan, or if the check does not catch the
# dropped aggregate of a count(*) subquery (the bug of issue 18).
# Exit status: 0 passed, 1 failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=ngs_bench_plans
out="$PWD/out/bench_plans"
mkdir -p "$out"
fail() { echo "bench_plans: FAILED: $*"; exit 1; }

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" || fail "create database"
export PGDATABASE=$db
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION ngs' -f test/shell/bench_plans/fixture.sql \
    -f tools/bench_timing.sql >"$out/setup.log" 2>&1 || { cat "$out/setup.log"; fail "setup"; }

# the check catches the count(*) subquery that drops the aggregate, and passes the fixed query
if psql -X -q -v ON_ERROR_STOP=1 -c "SELECT bench_check_plan('dropped', \$q\$
        SELECT count(*) FROM (SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) AS t
                              FROM tracking GROUP BY game_id, play_id) s \$q\$, 'ngs.play_tensor_agg(')" >"$out/dropped.log" 2>&1; then
    fail "a count(*) over the tensors passed the plan check"
fi
grep -q 'does not compute ngs.play_tensor_agg(' "$out/dropped.log" || { cat "$out/dropped.log"; fail "wrong error for the dropped aggregate"; }
psql -X -q -v ON_ERROR_STOP=1 -c "SELECT bench_check_plan('kept', \$q\$
        SELECT sum(ngs.frames(t)) FROM (SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) AS t
                                        FROM tracking GROUP BY game_id, play_id) s \$q\$, 'ngs.play_tensor_agg(')" \
    >"$out/kept.log" 2>&1 || { cat "$out/kept.log"; fail "the consumed aggregate failed the plan check"; }

checked=0
for b in bench/*.sql; do
    before=$(psql -X -At -c 'SELECT count(*) FROM bench_plans_checked')
    PGOPTIONS='-c ngs_bench.plan_only=on' psql -X -q -At -v ON_ERROR_STOP=1 -v nproc=2 -f "$b" \
        >"$out/$(basename "$b" .sql).log" 2>&1 || { cat "$out/$(basename "$b" .sql).log"; fail "$b"; }
    after=$(psql -X -At -c 'SELECT count(*) FROM bench_plans_checked')
    [ "$after" -gt "$before" ] || fail "$b checked no plan"
    checked=$((checked + after - before))
done
if /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
    NGS_BENCH_PLAN_ONLY=1 bench/pass_score >"$out/pass_score.log" 2>&1 || { cat "$out/pass_score.log"; fail "bench/pass_score"; }
    [ "$(psql -X -At -c "SELECT count(*) FROM bench_plans_checked WHERE what = 'pass_score'")" -ge 1 ] \
        || fail "bench/pass_score checked no plan"
    checked=$((checked + 1))
else
    echo "bench_plans: PyTorch not installed, bench/pass_score not checked"
fi
psql -X -q -d postgres -c "DROP DATABASE $db"
echo "bench_plans: $checked timed queries compute what they measure"
