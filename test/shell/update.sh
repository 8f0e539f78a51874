#!/usr/bin/env bash
# The extension update test: ALTER EXTENSION ngs UPDATE from the released 1.0 script keeps
# every stored value and user model. First, the installed ngs--1.0.sql (catalogue and shipped
# models, as tools/embed-models writes it) must be the released script byte for byte: a
# later change ships as an update script (ngs--1.0--1.1.sql, ...), never as an edit of it.
# Then in ngs_update_old: CREATE EXTENSION ngs VERSION '1.0', the real plays and play tensors
# (copied from ngs_test when it holds them, else loaded), and the dump test's data
# (test/shell/dump/setup.sql: every ngs type stored, a user-imported model, a CHECK, an
# expression index and a materialized view scored with the user model); its fingerprint
# (test/shell/dump/fingerprint.sql: each ngs value's send form); ALTER EXTENSION ngs UPDATE;
# then the version must be the default one, the fingerprint the same, the models and the
# scores as before (test/shell/dump/check.sql), and the extension's catalogue
# (test/shell/update/catalogue.sql) the same as a fresh CREATE EXTENSION ngs gives.
# Runs on the server the PG* variables name; prints one summary line "update: ...".
# Exit status: 0 passed, 1 failed, 77 skipped (no real data, unless CI=true).
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
export NGS_DATA="${NGS_DATA:-$PWD/../shared/data/nfl-tracking}"
old=ngs_update_old
fresh=ngs_update_fresh
out="$PWD/out/update"
tmp="$(mktemp -d)"
mkdir -p "$out"
# sha256 of the released 1.0 script as installed (build/ngs--1.0.sql)
released_1_0=4c2f0a9055c313c3962f2a01e7e092db44e27b2dcb6eff67ee6969a9cdd374e4
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
drop_databases() { q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $old" \
                     -c "DROP DATABASE IF EXISTS $fresh"; }
trap 'drop_databases || true; rm -rf "$tmp"' EXIT
exec 3>&1   # the summary's stdout, for the ERR trap
failed() { echo "update: FAILED: the command at line ${BASH_LINENO[-2]} failed" >&3; exit 1; }
trap failed ERR
problems=()
problem() { echo "problem: $*"; problems+=("$*"); }

# The released script, as installed.
script="$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --sharedir)/extension/ngs--1.0.sql"
sum=$(sha256sum "$script" | cut -d' ' -f1)
[ "$sum" = "$released_1_0" ] \
    || problem "the installed ngs--1.0.sql is not the released 1.0 script (sha256 $sum): put the change in an update script"

# Version 1.0 with the real plays and tensors, then the dump test's data.
drop_databases
q -d postgres -c "CREATE DATABASE $old"
q -d "$old" -c "CREATE EXTENSION ngs VERSION '1.0'"
if [ "$(psql -X -At -d ngs_test -c "SELECT to_regclass('public.play_tensors') IS NOT NULL" 2>/dev/null)" = t ]; then
    pg_dump -Fc -Z 0 -d ngs_test -t public.plays -t public.play_tensors -t public.tracking \
        --exclude-table-data=public.tracking -f "$tmp/plays.dump"
    pg_restore --no-owner -d "$old" "$tmp/plays.dump"
elif [ -d "$NGS_DATA/bdb2019" ]; then
    tools/load-data "$old"
else
    echo "real tracking data not found at $NGS_DATA"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
q -d "$old" -f test/shell/dump/setup.sql > /dev/null
user_model_id=$(q -d "$old" -c "SELECT ngs.model_id('dump_test_model')")
q -d "$old" -f test/shell/dump/fingerprint.sql > "$out/before.fingerprint"
echo "update: version 1.0 ready ($SECONDS s)"

# The update.
q -d "$old" -c "ALTER EXTENSION ngs UPDATE" 2> "$out/update.log" || problem "ALTER EXTENSION ngs UPDATE failed: $(head -3 "$out/update.log")"
read -r version default < <(q -F ' ' -d "$old" -c "SELECT e.extversion, a.default_version
    FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname WHERE e.extname = 'ngs'")
[ "$version" = "$default" ] && [ "$version" != 1.0 ] || problem "after the update ngs is at version $version (default $default)"
q -d "$old" -f test/shell/dump/fingerprint.sql > "$out/after.fingerprint"
diff "$out/before.fingerprint" "$out/after.fingerprint" > "$out/update.diff" \
    || problem "after the update these differ: $(grep '^>' "$out/update.diff" | cut -c3- | cut -d'|' -f1 | paste -sd,) (out/update/update.diff)"
q -d "$old" -v user_model_id="$user_model_id" -f test/shell/dump/check.sql > "$out/check.log" 2>&1 \
    || echo "psql failed" >> "$out/check.log"
[ ! -s "$out/check.log" ] || problem "$(paste -sd';' "$out/check.log")"

# The updated catalogue is the one a fresh install makes.
q -d postgres -c "CREATE DATABASE $fresh"
q -d "$fresh" -c "CREATE EXTENSION ngs"
# Except what 1.2 keeps for a user's object: an evaluation aggregate that a view uses stays
# as ngs.<name>_1_1 with its 1.1 support functions (ngs--1.1--1.2.sql, "Evaluation
# aggregates with sendable states"); the dump test's materialized view uses ngs.reliability.
procs="SELECT p.oid::regprocedure, p.prokind FROM pg_proc p WHERE p.pronamespace = 'ngs'::regnamespace ORDER BY 1"
q -F '|' -d "$old" -c "$procs" > "$tmp/old.procs"
q -F '|' -d "$fresh" -c "$procs" > "$tmp/fresh.procs"
kept=$(comm -23 <(sort "$tmp/old.procs") <(sort "$tmp/fresh.procs") | cut -d'|' -f1 | sort | paste -sd' ')
[ "$kept" = "ngs.binned_combine(internal,internal) ngs.binned_deserialize(bytea,internal) ngs.binned_serialize(internal) ngs.reliability_1_1(double precision,boolean,integer) ngs.reliability_accum(internal,double precision,boolean,integer) ngs.reliability_final(internal)" ] \
    || problem "the update kept other 1.1 functions than ngs.reliability_1_1's for the dump test's view: $kept"
{ echo "BEGIN;"
  comm -23 <(sort "$tmp/old.procs") <(sort "$tmp/fresh.procs") |
      awk -F'|' '{ print "ALTER EXTENSION ngs DROP " ($2 == "a" ? "AGGREGATE " : "FUNCTION ") $1 ";" }'
  echo '\i test/shell/update/catalogue.sql'
  echo "ROLLBACK;"; } | q -d "$old" > "$out/updated.catalogue"
q -d "$fresh" -f test/shell/update/catalogue.sql > "$out/fresh.catalogue"
diff "$out/updated.catalogue" "$out/fresh.catalogue" > "$out/catalogue.diff" \
    || problem "the updated extension differs from a fresh install in $(grep -c '^[<>]' "$out/catalogue.diff") lines (out/update/catalogue.diff)"

trap - ERR
echo "update: $SECONDS s in all"
if [ "${#problems[@]}" -gt 0 ]; then printf -v msg '%s; ' "${problems[@]}"; echo "update: FAILED: ${msg%; }"; exit 1; fi
read -r n rows < <(awk -F'|' 'NF == 3 { n++; rows += $2 } END { print n, rows }' "$out/before.fingerprint")
echo "update: 1.0 -> $version keeps $n tables, $rows rows and the models bit for bit; the catalogue equals a fresh install's ($(wc -l < "$out/fresh.catalogue") lines)"
