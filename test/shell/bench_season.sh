#!/usr/bin/env bash
# The smoke test of make bench-season: tools/bench-season at SCALE=20 (20 synthetic pass
# plays made from the real ones) on the server the PG* variables name; checks that it prints
# the table with a row for every stage, with a time, and that the generated CSV files have
# the BDB 2024 header. Needs the real data (the generator's source): skipped without it,
# unless CI=true.
# Exit status: 0 passed, 1 failed, 77 skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
export NGS_DATA="${NGS_DATA:-$PWD/../shared/data/nfl-tracking}"
out="$PWD/out/bench_season"
mkdir -p "$out"
fail() { echo "bench_season: FAILED: $*"; exit 1; }
if [ ! -d "$NGS_DATA/ngs_highlights" ]; then
    echo "real tracking data not found at $NGS_DATA"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi

# the generator writes the BDB 2024 layout
tools/bench-season-gen "$out/season" 20 >"$out/gen.log" 2>&1 || { cat "$out/gen.log"; fail "bench-season-gen"; }
[ "$(head -1 "$out/season/tracking_week_1.csv")" = \
  "gameId,playId,nflId,displayName,frameId,time,jerseyNumber,club,playDirection,x,y,s,a,dis,o,dir,event" ] \
    || fail "tracking header: $(head -1 "$out/season/tracking_week_1.csv")"
[ "$(head -1 "$out/season/games.csv")" = \
  "gameId,season,week,gameDate,gameTimeEastern,homeTeamAbbr,visitorTeamAbbr,homeFinalScore,visitorFinalScore" ] \
    || fail "games header"
[ "$(tail -n +2 "$out/season/plays.csv" | wc -l)" -eq 20 ] || fail "plays.csv has not 20 plays"
# every player inside the field and under 12.5 yd/s, every play with a snap, a release and an arrival
awk -F, 'FNR > 1 && ($10 < 0 || $10 > 120 || $11 < 0 || $11 > 53.34 || ($8 != "football" && $12 > 12.5)) { bad++ }
         FNR > 1 && $17 ~ /^(ball_snap|pass_forward|pass_arrived)$/ && $8 == "football" { ev[$1 "/" $2 "/" $17]++ }
         END { n = 0; for (k in ev) n++; if (bad || n != 60) { print bad + 0, n; exit 1 } }' "$out"/season/tracking_week_*.csv \
    || fail "rows off the field, too fast, or plays without their three events"
rm -rf "$out/season"

# the pipeline prints every stage
start=$(date +%s)
tools/bench-season 20 >"$out/table.log" 2>&1 || { cat "$out/table.log"; fail "tools/bench-season"; }
for s in 'generate' 'load, ' 'tensors, play_tensor_agg' 'floor: count' 'passes:' 'score every pass' \
         'season passing_score' 'train 1 epoch'; do
    line=$(grep -F "$s" "$out/table.log" | grep -vF 'bench-season:' | head -1)
    [ -n "$line" ] || { cat "$out/table.log"; fail "no row for stage $s"; }
    echo "$line" | grep -qE '  [0-9]+\.[0-9]+  ' || { cat "$out/table.log"; fail "stage $s has no time"; }
done
grep -q 'PyTorch batched' "$out/table.log" || fail "no PyTorch baseline"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ngs_season"
echo "bench_season: every stage timed in $(( $(date +%s) - start )) s"
