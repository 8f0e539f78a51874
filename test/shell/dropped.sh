#!/usr/bin/env bash
# The dropped-shipped-models test (no real data needed): in a new database, ngs.drop_model
# refuses "default" without a kind while a pass and a ghost "default" exist (with either
# signature); then it drops both shipped default models (the pass one by kind, the ghost
# one by name once it is the only "default"), imports a user pass model "default" (a copy
# of the shipped one's weights), and pg_dump -Fc / pg_restore copy the database into
# another, whose CREATE EXTENSION imports the shipped models again: after the restore no
# shipped model is there, both are recorded in ngs.dropped_shipped_model, "default" names
# the user's model (same id and sha256), and a ghost "default" does not exist.
# Runs on the server the PG* variables name; both databases are dropped at the end.
# Exit status: 0 passed, 1 failed.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
src=ngs_dropped_src
dst=ngs_dropped_dst
tmp="$(mktemp -d)"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
errors() { q "$@" 2>&1 || true; }   # the command's messages, whether or not it fails
drop_databases() { q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst"; }
trap 'drop_databases || true; rm -rf "$tmp"' EXIT
exec 3>&1
failed() { echo "dropped: FAILED: the command at line ${BASH_LINENO[-2]} failed" >&3; exit 1; }
trap failed ERR
problems=()
check() { if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "problem: $1: got '$2', expected '$3'"; problems+=("$1"); fi; }

drop_databases
q -d postgres -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"
q -d "$src" -c "CREATE EXTENSION ngs"
check "dropping \"default\" without a kind is refused while both kinds exist" \
    "$(errors -d "$src" -c "SELECT ngs.drop_model('default')" | grep -c 'names a pass model and a ghost model')" "1"
check "the old signature with all_versions too" \
    "$(errors -d "$src" -c "SELECT ngs.drop_model('default', true)" | grep -c 'names a pass model and a ghost model')" "1"
q -d "$src" -c "CREATE TABLE kept AS SELECT weights FROM ngs.model WHERE shipped AND name = 'default' AND kind = 'pass'"
check "the shipped pass model drops by kind" "$(q -d "$src" -c "SELECT ngs.drop_model('default', 'pass')")" "1"
check "then the ghost one by name alone" "$(q -d "$src" -c "SELECT ngs.drop_model('default')")" "1"
user_id=$(q -d "$src" -c "SELECT ngs.import_model('default', 'pass', weights) FROM kept")
user_sha=$(q -d "$src" -c "SELECT ngs.model_sha256('default', 'pass')")

pg_dump -Fc -d "$src" -f "$tmp/src.dump"
pg_restore -d "$dst" "$tmp/src.dump" 2> "$tmp/restore.log" || { cat "$tmp/restore.log"; false; }
check "pg_restore is silent" "$(wc -c < "$tmp/restore.log")" "0"
check "no shipped model comes back with the restore" "$(q -d "$dst" -c "SELECT count(*) FROM ngs.model WHERE shipped")" "0"
check "both are recorded as dropped" \
    "$(q -d "$dst" -c "SELECT string_agg(name || '/' || kind, ',' ORDER BY kind) FROM ngs.dropped_shipped_model")" "default/ghost,default/pass"
check "\"default\" names the user's pass model (same id and content)" \
    "$(q -d "$dst" -c "SELECT ngs.model_id('default', 'pass') || ' ' || ngs.model_sha256('default', 'pass')")" "$user_id $user_sha"
check "and no ghost model" "$(errors -d "$dst" -c "SELECT ngs.model_sha256('default', 'ghost')" | grep -c 'model "default" does not exist')" "1"

trap - ERR
if [ "${#problems[@]}" -gt 0 ]; then printf -v msg '%s; ' "${problems[@]}"; echo "dropped: FAILED: ${msg%; }"; exit 1; fi
echo "dropped: dropped shipped models stay dropped through pg_dump/pg_restore"
