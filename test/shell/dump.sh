#!/usr/bin/env bash
# The dump test: a database holding every ngs type survives pg_dump/pg_restore and binary
# COPY bit for bit. In a copy of the real data (ngs_dump_src; its 3.6 M tracking rows, which
# hold no ngs type, are emptied to keep the run short), test/shell/dump/setup.sql adds play tensors
# (the real ones; standardized, cleaned and sliced ones; ones made from arrays with NaN, -0,
# subnormals and the largest values accepted), ngs.sbp values (ngs.sbp_fit over real yards,
# ngs.sbp at the edges of what it accepts, ngs.pass_distribution of every real pass),
# ngs.passing_score_state values (per source and season, and at the edges),
# ngs.reliability_curve values, a user-imported pass model, and a CHECK, an index and a
# materialized view (scored with the user model) that the restore rebuilds. Then:
# - pg_dump -Fc (uncompressed: zlib is not under test and costs half the time) and pg_restore
#   into ngs_dump_dst: both succeed without a message, the schemas (pg_dump -s) are equal, and
#   every table, materialized view, user model row and the model sequence fingerprint the same
#   (test/shell/dump/fingerprint.sql: each row's text, with each ngs value's binary send form in
#   place of its text); the shipped ghost model, dropped in the source, stays dropped;
#   test/shell/dump/check.sql: each shipped model is there once, the user model
#   keeps its id, name, bytes and sha256, both models score every real pass bit for bit as
#   before, and a new import gets a fresh id;
# - binary COPY: dump_all (a column of each ngs type, every value above) goes out with psql's
#   \copy ... (FORMAT binary) and into a new table, whose send forms equal the original's;
#   and each value of dump_all reads back from its text form (what pg_dump writes) to the
#   same send form, which names the type when the restore differs.
# Prints one summary line "dump: ...". Runs on the server the PG* variables name; ngs_dump_src
# is copied from ngs_test when that holds the real data (as tools/run-tests leaves it), else
# loaded with tools/load-data. Both databases are dropped at the end.
# Exit status: 0 passed, 1 failed, 77 skipped (no real data, unless CI=true).
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
export NGS_DATA="${NGS_DATA:-$PWD/../shared/data/nfl-tracking}"
src=ngs_dump_src
dst=ngs_dump_dst
out="$PWD/out/dump"
tmp="$(mktemp -d)"
mkdir -p "$out"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
drop_databases() { q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $src" \
                     -c "DROP DATABASE IF EXISTS $dst"; }
trap 'drop_databases || true; rm -rf "$tmp"' EXIT
exec 3>&1   # the summary's stdout, for the ERR trap (which may run where stdout goes to a file)
failed() { echo "dump: FAILED: the command at line ${BASH_LINENO[-2]} failed" >&3; exit 1; }   # the script's line, also inside q
trap failed ERR
problems=()
problem() { echo "problem: $*"; problems+=("$*"); }

# The source database: a copy of ngs_test when it holds the loaded data, else a fresh load.
drop_databases
if [ "$(psql -X -At -d ngs_test -c "SELECT to_regclass('public.play_tensors') IS NOT NULL" 2>/dev/null)" = t ]; then
    q -d postgres -c "CREATE DATABASE $src TEMPLATE ngs_test STRATEGY file_copy"
elif [ -d "$NGS_DATA/bdb2019" ]; then
    q -d postgres -c "CREATE DATABASE $src"
    q -d "$src" -c 'CREATE EXTENSION ngs'
    tools/load-data "$src"
else
    echo "real tracking data not found at $NGS_DATA"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
q -d "$src" -f test/shell/dump/setup.sql > /dev/null
q -d "$src" -c "SELECT ngs.drop_model('default', 'ghost')" > /dev/null   # a dropped shipped model must stay dropped
user_model_id=$(q -d "$src" -c "SELECT ngs.model_id('dump_test_model')")
q -d "$src" -f test/shell/dump/fingerprint.sql > "$out/src.fingerprint"
echo "dump: source ready ($SECONDS s)"

# pg_dump, pg_restore into a new database, and compare.
status=0
pg_dump -Fc -Z 0 -d "$src" -f "$tmp/src.dump" 2> "$out/pg_dump.log" || status=$?
[ "$status" -eq 0 ] && [ ! -s "$out/pg_dump.log" ] || problem "pg_dump exited with $status: $(head -3 "$out/pg_dump.log" | paste -sd" ")"
q -d postgres -c "CREATE DATABASE $dst"
status=0
pg_restore -d "$dst" "$tmp/src.dump" 2> "$out/pg_restore.log" || status=$?
[ "$status" -eq 0 ] && [ ! -s "$out/pg_restore.log" ] || problem "pg_restore exited with $status: $(head -3 "$out/pg_restore.log" | paste -sd" ")"
echo "dump: dumped and restored ($SECONDS s)"
pg_dump -s -d "$src" | grep -Ev '^\\(un)?restrict ' > "$out/src.schema"   # without the random \restrict key
pg_dump -s -d "$dst" | grep -Ev '^\\(un)?restrict ' > "$out/dst.schema"
diff "$out/src.schema" "$out/dst.schema" > "$out/schema.diff" || problem "the restored schema differs (out/dump/schema.diff)"
q -d "$dst" -f test/shell/dump/fingerprint.sql > "$out/dst.fingerprint"
diff "$out/src.fingerprint" "$out/dst.fingerprint" > "$out/restore.diff" \
    || problem "after pg_dump/pg_restore these differ: $(grep '^>' "$out/restore.diff" | cut -c3- | cut -d'|' -f1 | paste -sd,) (out/dump/restore.diff)"
q -d "$dst" -v user_model_id="$user_model_id" -f test/shell/dump/check.sql > "$out/check.log" 2>&1 \
    || echo "psql failed" >> "$out/check.log"
[ ! -s "$out/check.log" ] || problem "$(paste -sd';' "$out/check.log")"
dropped=$(q -d "$dst" -c "SELECT string_agg(d.name || '/' || d.kind || '/' || (m.id IS NULL), ',') FROM ngs.dropped_shipped_model d
                          LEFT JOIN ngs.model m ON m.shipped AND m.name = d.name AND m.kind = d.kind")
[ "$dropped" = "default/ghost/true" ] || problem "the dropped shipped ghost model is not recorded and gone after the restore ($dropped)"
echo "dump: compared ($SECONDS s)"

# Binary COPY: dump_all out of the source and into a new table; then dump_all's text forms.
q -d "$src" -c "CREATE TABLE dump_all_binary (LIKE dump_all)" \
    -c "\\copy dump_all TO '$tmp/dump_all.bin' WITH (FORMAT binary)" \
    -c "\\copy dump_all_binary FROM '$tmp/dump_all.bin' WITH (FORMAT binary)"
differ=$(q -d "$src" -c "
    WITH a AS (SELECT id, ngs.play_tensor_send(tensor), ngs.sbp_send(d), ngs.passing_score_state_send(state), curve::text
               FROM dump_all),
         b AS (SELECT id, ngs.play_tensor_send(tensor), ngs.sbp_send(d), ngs.passing_score_state_send(state), curve::text
               FROM dump_all_binary)
    SELECT count(*) FROM ((TABLE a EXCEPT ALL TABLE b) UNION ALL (TABLE b EXCEPT ALL TABLE a)) d")
[ "$differ" = 0 ] || problem "$differ rows of dump_all differ after binary COPY (either way)"
differ=$(q -d "$src" -c "
    SELECT concat_ws(', ', nullif(count(*) FILTER (WHERE ngs.play_tensor_send(tensor) <> ngs.play_tensor_send(tensor::text::ngs.play_tensor)), 0) || ' tensors',
                     nullif(count(*) FILTER (WHERE ngs.sbp_send(d) <> ngs.sbp_send(d::text::ngs.sbp)), 0) || ' distributions',
                     nullif(count(*) FILTER (WHERE ngs.passing_score_state_send(state)
                                                   <> ngs.passing_score_state_send(state::text::ngs.passing_score_state)), 0) || ' states')
    FROM dump_all")
[ -z "$differ" ] || problem "$differ of dump_all do not read back from their text form bit for bit"

trap - ERR
echo "dump: $SECONDS s in all"
if [ "${#problems[@]}" -gt 0 ]; then printf -v msg '%s; ' "${problems[@]}"; echo "dump: FAILED: ${msg%; }"; exit 1; fi
read -r n rows < <(awk -F'|' 'NF == 3 { n++; rows += $2 } END { print n, rows }' "$out/src.fingerprint")
echo "dump: $n tables, $rows rows, pg_dump/pg_restore and binary COPY identical"
