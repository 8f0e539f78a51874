#!/usr/bin/env bash
# The cluster test: ngs on three servers joined by postgres_fdw. Starts two throwaway
# clusters (the shards, on Unix sockets in a temporary directory, removed on exit) next to
# the server the PG* variables name (the coordinator), each with synthetic plays
# (test/shell/cluster/plays.sql; no real data needed); the coordinator trains a small model
# and reaches the shards through foreign tables (test/shell/cluster/coordinator.sql), which
# log in as a role that is no superuser; the shards score with the model pinned by content
# (test/shell/cluster/shard.sql). Checks, one line each:
# - before a sync the shards refuse the pinned model, naming themselves; a sync the remote
#   role may not do leaves no node with the model; ngs.sync_models then copies it, and every
#   node has the same sha256 (under different version ids);
# - the shards score every play bit for bit as the coordinator does, and season passing
#   scores merged from the shards' states (and over a partitioned table of foreign tables)
#   equal the single server's;
# - a tampered copy (weights changed under the same sha256) and a different copy are
#   detected by ngs.check_models and by scoring; a sync repairs them;
# - a shard that drops the connection mid-query, or is down, fails the INSERT of season
#   scores as a whole (nothing stored);
# - a sync cut mid-way (one shard's connection terminated while the other waits on a lock)
#   fails and leaves no node with a damaged model; a second sync completes.
# Exit status: 0 passed, 1 failed.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
db=ngs_cluster
tmp="$(mktemp -d /tmp/ngs-cluster-test.XXXXXX)"
chmod 755 "$tmp"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
ports=(0 $((55000 + RANDOM % 5000)) 0)
ports[2]=$((ports[1] + 1))
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for n in 1 2; do [ -d "$tmp/node$n/data" ] && as_owner pg_ctl -D "$tmp/node$n/data" -m immediate stop >/dev/null 2>&1 || true; done
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
exec 3>&1
failed() { echo "cluster: FAILED: the command at line ${BASH_LINENO[-2]} failed" >&3; exit 1; }
trap failed ERR
problems=()
problem() { echo "problem: $*"; problems+=("$*"); }
c() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
s() { local n=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -h "$tmp/node$n" -p "${ports[$n]}" -U postgres -d "ngs_shard_$n" "$@"; }
# check DESCRIPTION VALUE EXPECTED
check() { if [ "$2" = "$3" ]; then echo "ok: $1"; else problem "$1: got '$2', expected '$3'"; fi; }
# fails DESCRIPTION PATTERN COMMAND...: the command fails with an error matching PATTERN
fails() {
    local what=$1 pattern=$2 out; shift 2
    if out=$("$@" 2>&1); then problem "$what: it succeeded"; return; fi
    if tr '\n' ' ' <<< "$out" | grep -qE "$pattern"; then echo "ok: $what"; else problem "$what: $(grep -m3 -E 'ERROR|DETAIL|FATAL' <<< "$out" | paste -sd' ')"; fi
}
start_node() {
    local n=$1 d="$tmp/node$1"
    mkdir "$d"; [ "$(id -u)" = 0 ] && chown postgres "$d"
    as_owner initdb -D "$d/data" -A trust -U postgres --no-sync > "$d/initdb.log" 2>&1 || { cat "$d/initdb.log"; return 1; }
    as_owner pg_ctl -D "$d/data" -l "$d/server.log" -w -o "-c listen_addresses= -c unix_socket_directories=$d -c port=${ports[$n]} -c fsync=off -c cluster_name=ngs_shard_$n" start > /dev/null \
        || { cat "$d/server.log"; return 1; }
}

# Three servers: the coordinator trains the model; the shards pin it by content.
start_node 1
start_node 2
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
c -v dir1="$tmp/node1" -v port1="${ports[1]}" -v dir2="$tmp/node2" -v port2="${ports[2]}" -f test/shell/cluster/coordinator.sql > /dev/null
sha=$(c -c "SELECT ngs.model_sha256('mine', 'pass')")
for n in 1 2; do
    psql -X -q -h "$tmp/node$n" -p "${ports[$n]}" -U postgres -d postgres -c "CREATE DATABASE ngs_shard_$n"
    s $n -v shard=$n -v pin="mine@${sha:0:16}" -f test/shell/cluster/shard.sql > /dev/null
done
s 1 -c "SELECT ngs.import_model('filler', 'pass', ngs.export_model('default'))" > /dev/null   # so that ids differ
echo "cluster: three servers ready ($SECONDS s)"

# Before a sync: a shard has no such model, and says which one it is.
fails "before the sync a shard refuses the pinned model and names itself" \
    "has no version with sha256 ${sha:0:16}.*database \"ngs_shard_1\" on port ${ports[1]}, cluster \"ngs_shard_1\".*ngs.sync_models" \
    c -c "SELECT sum(u) FROM scores_1"
check "ngs.check_models says the shards miss it" \
    "$(c -c "SELECT string_agg(server || ':' || status, ',' ORDER BY server) FROM ngs.check_models() WHERE name = 'mine'")" \
    "shard_1:missing,shard_2:missing"
# The remote role may not import yet: the sync fails, and the shard it reached first keeps nothing.
fails "a sync the remote role may not do fails" "permission denied for function import_model" \
    c -c "SELECT * FROM ngs.sync_models(ARRAY['shard_1', 'shard_2'], '{mine}')"
check "and leaves no node with the model" \
    "$(s 1 -c "SELECT count(*) FROM ngs.model WHERE name = 'mine'")$(s 2 -c "SELECT count(*) FROM ngs.model WHERE name = 'mine'")" "00"
for n in 1 2; do s $n -c "GRANT EXECUTE ON FUNCTION ngs.import_model(text, text, bytea) TO ngs_sync"; done

# The sync: every node then has the same content, under its own version id.
check "ngs.sync_models copies the model to both shards" \
    "$(c -c "SELECT string_agg(server || ':' || action, ',' ORDER BY server) FROM ngs.sync_models(NULL, '{mine}')")" \
    "shard_1:copied,shard_2:copied"
check "a second sync finds it there" \
    "$(c -c "SELECT string_agg(DISTINCT action, ',') FROM ngs.sync_models()")" "already there"
check "every node has the same sha256" \
    "$(s 1 -c "SELECT ngs.model_sha256('mine', 'pass')") $(s 2 -c "SELECT ngs.model_sha256('mine', 'pass')")" "$sha $sha"
check "under different version ids" \
    "$(c -c "SELECT ngs.model_id('mine') <> $(s 1 -c "SELECT ngs.model_id('mine')")")" "t"
check "ngs.check_models finds every model the same" \
    "$(c -c "SELECT string_agg(DISTINCT status, ',') FROM ngs.check_models() WHERE name <> 'filler'")" "same"

# Scores: bit for bit per play, and season scores merged from the shards' states.
check "the shards score all 96 plays bit for bit as the coordinator" \
    "$(c -c "SELECT count(*) FROM local_scores l JOIN scores_sharded s USING (i) WHERE float8send(l.u) = float8send(s.u)")" "96"
check "season scores merged from the shards' states equal the single server's" \
    "$(c -c "SELECT count(*) FROM local_season l JOIN season_from_shards s USING (passer) WHERE float8send(l.score) = float8send(s.score)")" "8"
check "each shard computes its states (the aggregate is pushed down)" \
    "$(c -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT passer, ngs.passing_score_state(u) FROM scores_1 GROUP BY passer" | grep -c 'Remote SQL: SELECT passer, ngs.passing_score_state(u) FROM public.play_scores GROUP BY')" "1"
check "ngs.passing_score over the partitioned foreign table equals the single server's" \
    "$(c -c "SET enable_partitionwise_aggregate = on" -c "SELECT count(*) FROM local_season l JOIN (SELECT passer, ngs.passing_score(u) AS score FROM scores_sharded GROUP BY passer) s USING (passer) WHERE l.score = s.score")" "8"

# A tampered copy: the weights change under the same sha256 (only a superuser can).
s 2 -c "ALTER TABLE ngs.model DISABLE TRIGGER model_immutable" \
    -c "UPDATE ngs.model SET weights = overlay(weights PLACING '\\x00000000'::bytea FROM octet_length(weights) - 3) WHERE name = 'mine'" \
    -c "ALTER TABLE ngs.model ENABLE TRIGGER model_immutable"
check "ngs.check_models finds the tampered copy" \
    "$(c -c "SELECT server || ':' || status FROM ngs.check_models('{shard_2}') WHERE name = 'mine'")" "shard_2:corrupt"
fails "scoring with the tampered copy fails on that shard" \
    "weights of model version [0-9]+ do not match its sha256.*database \"ngs_shard_2\"" c -c "SELECT sum(u) FROM scores_2"
# A different copy: the shard's model is replaced by other content under the same name.
s 1 -c "SELECT ngs.drop_model('mine', 'pass', true)" \
    -c "SELECT ngs.import_model('mine', 'pass', weights) FROM ngs.model WHERE name = 'default' AND kind = 'pass'" > /dev/null
check "ngs.check_models finds the different copy" \
    "$(c -c "SELECT server || ':' || status FROM ngs.check_models('{shard_1}') WHERE name = 'mine'")" "shard_1:differs"
fails "scoring with the different copy fails, naming the shard" \
    "model \"mine\" has no version with sha256 ${sha:0:16}.*database \"ngs_shard_1\"" c -c "SELECT sum(score) FROM season_from_shards"
check "a sync repairs both" \
    "$(c -c "SELECT string_agg(server || ':' || action, ',' ORDER BY server) FROM ngs.sync_models(NULL, '{mine}')")" "shard_1:copied,shard_2:copied"
check "and they score as the coordinator again" \
    "$(c -c "SELECT count(*) FROM local_scores l JOIN scores_sharded s USING (i) WHERE float8send(l.u) = float8send(s.u)")" "96"
echo "cluster: identity and sync checked ($SECONDS s)"

# A shard drops the connection mid-query: the INSERT fails as a whole.
(trap - ERR; c -c "INSERT INTO season_scores SELECT * FROM season_from_shards_slowly") 2> "$tmp/cut.err" > /dev/null &
insert=$!; pids+=("$insert")
for _ in $(seq 100); do
    [ "$(s 2 -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'postgres_fdw' AND state = 'active'")" = 1 ] && break
    sleep 0.1
done
s 2 -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'postgres_fdw' AND state = 'active'" > /dev/null
status=0; wait "$insert" || status=$?
check "a shard that drops the connection mid-query fails the statement with an error" \
    "$status $(grep -c -E '^(psql:.*)?ERROR: .*(server closed the connection|could not receive data|terminat)' "$tmp/cut.err" || true)" "1 1"
echo "  (its error: $(grep -m1 ERROR "$tmp/cut.err" || true))"
check "and no season score is stored" "$(c -c "SELECT count(*) FROM season_scores")" "0"

# A sync cut mid-way: shard 2 waits on a lock while shard 1's connection is terminated.
c -c "SELECT ngs.import_model('second', 'pass', ngs.export_model('mine'))" > /dev/null
(trap - ERR; s 2 -c "SET application_name = 'locker'" -c "BEGIN" -c "LOCK TABLE ngs.model IN SHARE MODE" -c "SELECT pg_sleep(60)") > /dev/null 2>&1 &
pids+=("$!")
(trap - ERR; c -c "SELECT * FROM ngs.sync_models(ARRAY['shard_1', 'shard_2'], '{second}')") > /dev/null 2> "$tmp/sync.err" &
sync=$!; pids+=("$sync")
for _ in $(seq 100); do
    [ "$(s 2 -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'postgres_fdw' AND wait_event_type = 'Lock'")" = 1 ] && break
    sleep 0.1
done
check "the sync waits on shard 2 after writing to shard 1" \
    "$(s 2 -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'postgres_fdw' AND wait_event_type = 'Lock'")" "1"
s 1 -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'postgres_fdw'" > /dev/null
s 2 -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'" > /dev/null
status=0; wait "$sync" || status=$?
check "the cut sync fails with an error" "$status $(grep -c -E '^(psql:.*)?ERROR: ' "$tmp/sync.err" || true)" "1 1"
echo "  (its error: $(grep -m1 ERROR "$tmp/sync.err" || true))"
echo "  (after it: versions of the model on shard 1, shard 2: $(for n in 1 2; do s $n -c "SELECT count(*) FROM ngs.model WHERE name = 'second'"; done | paste -sd' '))"
check "and leaves each node with the whole model or none" \
    "$(for n in 1 2; do s $n -c "SELECT count(*) FILTER (WHERE NOT intact OR sha256 <> '$sha') FROM ngs.model_identity WHERE name = 'second'"; done | paste -sd' ')" "0 0"
check "a second sync completes" \
    "$(c -c "SELECT count(*) FROM ngs.sync_models(NULL, '{second}')") $(c -c "SELECT string_agg(DISTINCT status, ',') FROM ngs.check_models() WHERE name = 'second'")" "2 same"

# A shard that is down: the INSERT fails as a whole, naming the server.
as_owner pg_ctl -D "$tmp/node2/data" -m fast stop > /dev/null
fails "a shard that is down fails the statement" 'could not connect to server "shard_2"' \
    c -c "INSERT INTO season_scores SELECT * FROM season_from_shards"
check "and no season score is stored" "$(c -c "SELECT count(*) FROM season_scores")" "0"

trap - ERR
echo "cluster: $SECONDS s in all"
if [ "${#problems[@]}" -gt 0 ]; then printf -v msg '%s; ' "${problems[@]}"; echo "cluster: FAILED: ${msg%; }"; exit 1; fi
echo "cluster: three servers, model identity, sync and faults as expected"
