#!/usr/bin/env bash
# The pg_upgrade test: a cluster of an older major ($NGS_UPGRADE_FROM, a pg_config; Debian's
# 15 in 'make test NGS_MAJORS="15 18"', which sets it) holding every ngs type is upgraded with
# pg_upgrade to the major under test ($PG_CONFIG), and nothing changes. In the old cluster:
# the real data (tools/load-data) and the dump test's objects (test/shell/dump/setup.sql: play
# tensors, SBPs and passing-score states from the real plays and from the edges of each
# type, a user-imported model, a CHECK, an index on an expression over a tensor, and a
# materialized view of season scores made with the user model). After pg_upgrade, in the new
# cluster:
# - every table, materialized view, user model row and the model sequence fingerprint the
#   same (test/shell/dump/fingerprint.sql: each ngs value's binary send form), and again after
#   REFRESH MATERIALIZED VIEW, which scores every pass once more on the new major;
# - test/shell/dump/check.sql: each shipped model once (the shipped ghost model, dropped in the
#   old cluster, stays dropped), the user model with its id, bytes and
#   sha256, both models score every real pass bit for bit as the old cluster stored it;
# - amcheck's bt_index_check(heapallindexed) finds every row of every index, the expression
#   index included (its keys computed again by the new server), and a query uses that index;
# - the extension's catalogue (test/shell/update/catalogue.sql) is the one a fresh
#   CREATE EXTENSION ngs makes on the new major.
# Both clusters live in a temporary directory and listen only on a socket there; the server
# of the PG* variables is not used. Prints one summary line "upgrade: ...".
# Exit status: 0 passed, 1 failed, 77 skipped: NGS_UPGRADE_SKIP says why (tools/test-majors
# sets it in the first major's run), or there is no older major with ngs installed or no real
# data; under CI=true only NGS_UPGRADE_SKIP skips, anything else missing is a failure.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
export NGS_DATA="${NGS_DATA:-$PWD/../shared/data/nfl-tracking}"
if [ -n "${NGS_UPGRADE_SKIP:-}" ]; then echo "$NGS_UPGRADE_SKIP"; exit 77; fi
skip() { echo "$*"; [ "${CI:-}" = true ] && exit 1; exit 77; }
major() { "$1" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/'; }
old_config="${NGS_UPGRADE_FROM:-}"
new_config="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
[ -n "$old_config" ] || skip "no older major to upgrade from (make test NGS_MAJORS=\"15 18\" sets NGS_UPGRADE_FROM)"
old_major=$(major "$old_config")
new_major=$(major "$new_config")
[ "$old_major" -lt "$new_major" ] || skip "PostgreSQL $old_major is not older than $new_major"
for c in "$old_config" "$new_config"; do
    [ -e "$("$c" --sharedir)/extension/ngs.control" ] || skip "ngs is not installed in $c"
done
[ -d "$NGS_DATA/bdb2019" ] || skip "real tracking data not found at $NGS_DATA"
# Debian 12's PostgreSQL 15.20 (November 2026) stores an attribute option pg_attver on every
# column, which 18.6 (August 2026, the newest 18 Debian serves) does not know: pg_upgrade's
# schema restore stops at the first table, whatever it holds. tools/test-majors then upgrades
# from bookworm's own 15.18 instead (tools/build-pg 15-bookworm).
if grep -qa pg_attver "$("$old_config" --bindir)/postgres" && ! grep -qa pg_attver "$("$new_config" --bindir)/postgres"; then
    skip "$("$old_config" --version) stores column options (pg_attver) that $("$new_config" --version) cannot restore: upgrade from an older 15 minor (tools/install-deps pg15-bookworm)"
fi

out="$PWD/out/upgrade"
tmp="$(mktemp -d /tmp/ngs-upgrade.XXXXXX)"
mkdir -p "$out"
old_bin=$("$old_config" --bindir)
new_bin=$("$new_config" --bindir)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$tmp" && chmod 755 "$tmp"
stop() { as_owner "$1/pg_ctl" -D "$2" -m immediate stop > /dev/null 2>&1 || true; }
trap 'stop "$old_bin" "$tmp/old"; stop "$new_bin" "$tmp/new"; rm -rf "$tmp"' EXIT
exec 3>&1   # the summary's stdout, for the ERR trap
failed() { echo "upgrade: FAILED: the command at line ${BASH_LINENO[-2]} failed" >&3; exit 1; }
trap failed ERR
problems=()
problem() { echo "problem: $*"; problems+=("$*"); }
export PGHOST="$tmp" PGPORT=5432 PGUSER=postgres PGDATABASE=ngs_upgrade
unset PGPASSWORD PGSERVICE
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
# Starts the server of bindir $1 on data directory $2.
start() {
    as_owner "$1/pg_ctl" -D "$2" -l "$2.log" -w -o "-c listen_addresses= -c unix_socket_directories='$tmp' -c fsync=off" \
        start > /dev/null || { cat "$2.log" >&2; return 1; }
}

# The old cluster, with the data. PostgreSQL 18's initdb turns data checksums on by default;
# pg_upgrade needs the new cluster to match the old one, which has them off.
checksums=()
[ "$new_major" -ge 18 ] && checksums=(--no-data-checksums)
as_owner "$old_bin/initdb" -D "$tmp/old" -A trust -U postgres --no-sync > "$out/initdb.log" 2>&1
as_owner "$new_bin/initdb" -D "$tmp/new" -A trust -U postgres --no-sync "${checksums[@]}" >> "$out/initdb.log" 2>&1
start "$old_bin" "$tmp/old"
PATH="$old_bin:$PATH"
q -d postgres -c "CREATE DATABASE ngs_upgrade"
q -c "CREATE EXTENSION ngs"
tools/load-data 2> "$out/load.log"
q -f test/shell/dump/setup.sql > /dev/null
q -c "SELECT ngs.drop_model('default', 'ghost')" > /dev/null   # a dropped shipped model must stay dropped
user_model_id=$(q -c "SELECT ngs.model_id('dump_test_model')")
q -f test/shell/dump/fingerprint.sql > "$out/old.fingerprint"
as_owner "$old_bin/pg_ctl" -D "$tmp/old" -w stop > /dev/null
echo "upgrade: PostgreSQL $old_major cluster ready ($SECONDS s)"

# pg_upgrade (in $tmp, which the cluster owner can write to).
status=0
(cd "$tmp" && as_owner "$new_bin/pg_upgrade" -b "$old_bin" -B "$new_bin" -d "$tmp/old" -D "$tmp/new" \
    -U postgres --socketdir="$tmp") > "$out/pg_upgrade.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    trap - ERR
    echo "upgrade: FAILED: pg_upgrade from $old_major to $new_major exited with $status:"
    grep -vE '^(Performing|Checking|Creating|Analyzing|Freezing|Deleting|Copying|Setting|Restoring|Resetting|Adding|Syncing|Transferring|-+$|\s*$)' \
        "$out/pg_upgrade.log" | head -20
    rm -rf "$out/pg_upgrade_output.d"
    cp -r "$tmp/new/pg_upgrade_output.d" "$out/" 2>/dev/null || true
    find "$out/pg_upgrade_output.d" -name '*.log' -exec tail -15 {} + 2>/dev/null || true
    exit 1
fi
echo "upgrade: pg_upgrade to PostgreSQL $new_major done ($SECONDS s)"

# The new cluster.
start "$new_bin" "$tmp/new"
PATH="$new_bin:$PATH"
q -f test/shell/dump/fingerprint.sql > "$out/new.fingerprint"
diff "$out/old.fingerprint" "$out/new.fingerprint" > "$out/upgrade.diff" \
    || problem "after pg_upgrade these differ: $(grep '^>' "$out/upgrade.diff" | cut -c3- | cut -d'|' -f1 | paste -sd,) (out/upgrade/upgrade.diff)"
# (against a fresh install on the new major: the old one's catalogue differs by the major alone,
# e.g. 17's MAINTAIN privilege and 18's NOT NULL constraints)
q -d postgres -c "CREATE DATABASE ngs_fresh"
q -d ngs_fresh -c "CREATE EXTENSION ngs"
q -f test/shell/update/catalogue.sql > "$out/upgraded.catalogue"
q -d ngs_fresh -f test/shell/update/catalogue.sql > "$out/fresh.catalogue"
diff "$out/upgraded.catalogue" "$out/fresh.catalogue" > "$out/catalogue.diff" \
    || problem "the upgraded extension's catalogue differs from a fresh install's in $(grep -c '^[<>]' "$out/catalogue.diff") lines (out/upgrade/catalogue.diff)"
q -c "CREATE EXTENSION amcheck"
checked=$(q -c "SELECT count(*) FROM (SELECT bt_index_check(c.oid, true) FROM pg_class c JOIN pg_am a ON a.oid = c.relam
                 WHERE c.relkind = 'i' AND a.amname = 'btree'
                   AND c.relnamespace IN ('public'::regnamespace, 'ngs'::regnamespace)) s") \
    || problem "amcheck finds an index broken after pg_upgrade"
index_scan=(-c "SET enable_seqscan = off" -c "SET enable_bitmapscan = off")
by_frames="SELECT ngs.frames(tensor), ngs.entities(tensor), count(*) FROM dump_tensors WHERE ngs.frames(tensor) >= 0 GROUP BY 1, 2"
plan=$(q "${index_scan[@]}" -c "EXPLAIN (COSTS OFF) $by_frames")
grep -q 'Index.*dump_tensors_frames' <<< "$plan" || problem "a query on ngs.frames(tensor) does not use the expression index: $(paste -sd' ' <<< "$plan")"
differ=$(q "${index_scan[@]}" -c "SELECT count(*) FROM (($by_frames) EXCEPT ALL (${by_frames//(tensor)/(tensor) + 0})) d")
[ "$differ" = 0 ] || problem "$differ (frames, entities) groups of tensors are counted differently through the expression index"
q -c "REFRESH MATERIALIZED VIEW dump_season_states"
q -f test/shell/dump/fingerprint.sql > "$out/refreshed.fingerprint"
diff "$out/old.fingerprint" "$out/refreshed.fingerprint" > "$out/refresh.diff" \
    || problem "the season scores made again on PostgreSQL $new_major differ: $(grep '^>' "$out/refresh.diff" | cut -c3- | cut -d'|' -f1 | paste -sd,) (out/upgrade/refresh.diff)"
q -v user_model_id="$user_model_id" -f test/shell/dump/check.sql > "$out/check.log" 2>&1 || echo "psql failed" >> "$out/check.log"
[ ! -s "$out/check.log" ] || problem "$(paste -sd';' "$out/check.log")"

trap - ERR
echo "upgrade: $SECONDS s in all"
if [ "${#problems[@]}" -gt 0 ]; then printf -v msg '%s; ' "${problems[@]}"; echo "upgrade: FAILED: ${msg%; }"; exit 1; fi
read -r n rows < <(awk -F'|' 'NF == 3 { n++; rows += $2 } END { print n, rows }' "$out/old.fingerprint")
echo "upgrade: $("$old_config" --version) -> $("$new_config" --version | cut -d' ' -f2) keeps $n tables, $rows rows, the models and every score bit for bit (0 values differ); $checked indexes check"
