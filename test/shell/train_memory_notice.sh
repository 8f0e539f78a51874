#!/usr/bin/env bash
# The first NOTICE of ngs.train_pass_model and ngs.train_ghost_model states the memory the
# run needs: "...; needs about T MB of memory (D MB of plays|windows, N MB of network)",
# T = D + N rounded up. For one 600-frame play through a TCN of 256 channels, 6 levels and
# kernel 16 the network's share is that of its 12,303,616 parameters (value, gradient, two
# Adam moments, best: 235 MB), transposed weights (44 MB) and work area (16 MB): about
# 296 MB (MB = 2^20 bytes), stated before the first epoch (the run is then cancelled by statement_timeout).
# Runs on the server of the PG* variables; needs no real data. Exit 0 passed, 1 failed.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
db=ngs_memory_notice
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" > /dev/null 2>&1 || true' EXIT
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -d "$db" -c "CREATE EXTENSION ngs"
problems=()
# the first NOTICE of a training call, run after the fixture's pg_temp.play
first_notice() {
    { echo '\i test/fixtures/weight_files.psql'; echo "$1"; } |
        psql -X -q -d "$db" 2>&1 >/dev/null | grep -m1 '^NOTICE:' || true
}
pattern='needs about ([0-9]+) MB of memory \(([0-9]+) MB of (plays|windows), ([0-9]+) MB of network\)$'

notice=$(first_notice "SET statement_timeout = '3s';
SELECT ngs.train_pass_model('memory_big', 'SELECT pg_temp.play(600), ''{}''::real[], 7.0::float8',
    '{\"channels\": 256, \"levels\": 6, \"kernel\": 16, \"epochs\": 1, \"validation_folds\": 0, \"hidden\": [8]}');")
echo "big: $notice"
if [[ "$notice" =~ ^NOTICE:\ \ training\ on\ 1\ plays\ of\ 1\ games.*$pattern ]]; then
    total=${BASH_REMATCH[1]} data=${BASH_REMATCH[2]} network=${BASH_REMATCH[4]}
    (( network >= 290 && network <= 300 )) || problems+=("network $network MB, expected about 296")
    (( total >= data + network - 1 && total <= data + network + 1 )) || problems+=("total $total MB is not $data + $network")
else
    problems+=("the first NOTICE of the big run states no memory: $notice")
fi

notice=$(first_notice "SELECT ngs.train_pass_model('memory_small', 'SELECT pg_temp.play(5 + i % 5), ''{}''::real[], (i % 23)::float8, (i % 10)::bigint FROM generate_series(1, 200) i',
    '{\"epochs\": 1}');")
echo "small: $notice"
if [[ "$notice" =~ $pattern ]]; then
    (( BASH_REMATCH[1] <= 5 )) || problems+=("a default model on 200 short plays needs ${BASH_REMATCH[1]} MB, expected at most 5")
else
    problems+=("the first NOTICE of the small run states no memory: $notice")
fi

if [ ${#problems[@]} -eq 0 ]; then
    echo "train_memory_notice: the first NOTICE states the memory of the run"
    exit 0
fi
echo "train_memory_notice: FAILED: ${problems[*]}"
exit 1
