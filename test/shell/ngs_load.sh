#!/usr/bin/env bash
# ngs-load on every layout: tools/ngs-load-fixtures re-lays a few real plays of each source
# (bdb2019, bdb2021, ngs_highlights) into each public layout (BDB 2019, 2021-2026, NGS
# highlights) in a temporary directory; ngs-load loads each layout's directory into its own
# database; its play_tensors must equal those of tools/load-data (database ngs_test when it
# holds them, as tools/run-tests leaves it, else a fresh load) for the same plays, compared
# as text. BDB 2026 carries no ball, and after the throw only x and y of the players: its
# tensors are compared with the native tracking cut the same way. Then the error cases: a
# malformed line stops the load naming the file and the line and leaves the game loaded
# before intact; loading the same files again replaces the games instead of duplicating.
# Exit status: 0 passed, 1 failed, 77 skipped (no real data, unless CI=true).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NGS_DATA="${NGS_DATA:-$PWD/../shared/data/nfl-tracking}"
if [ ! -d "$NGS_DATA/bdb2019" ]; then
    echo "real tracking data not found at $NGS_DATA"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
fail() { echo "ngs_load: FAILED: $*"; exit 1; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

native=ngs_test
if [ "$(q -d ngs_test -c "SELECT to_regclass('public.play_tensors') IS NOT NULL" 2>/dev/null)" != t ]; then
    native=ngs_load_native
    q -d postgres -c "DROP DATABASE IF EXISTS $native" -c "CREATE DATABASE $native"
    q -d "$native" -c 'CREATE EXTENSION ngs'
    tools/load-data "$native" 2>/dev/null
fi
tools/ngs-load-fixtures "$tmp" "$native"

fresh() {
    q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
    q -d "$1" -c 'CREATE EXTENSION ngs'
}
# A tensor's text without its version and events: ngs-load keeps each frame's events (version
# 2, spelled as the layout spells them), the native loader builds version 1 without them.
bare="(tensor::text::jsonb - 'version' - 'events')::text"
# The tensors of a layout's plays as the native loader built them.
expected() {
    local keys
    keys=$(awk -v l="$1" '$1 == l { printf "%s(%s, %s)", (n++ ? ", " : ""), $2, $3 }' "$tmp/plays.txt")
    if [ "$1" = bdb2026 ]; then
        # no ball; after the release only x and y (the output file's columns)
        q -d "$native" -c "SELECT t.game_id, t.play_id, md5((ngs.play_tensor_agg(t.frame_id, t.nfl_id, t.role, t.x, t.y,
                    CASE WHEN t.frame_id <= p.release_frame THEN t.s END, CASE WHEN t.frame_id <= p.release_frame THEN t.a END,
                    CASE WHEN t.frame_id <= p.release_frame THEN t.dir END, CASE WHEN t.frame_id <= p.release_frame THEN t.o END)::text::jsonb - 'version' - 'events')::text)
                FROM tracking t JOIN plays p USING (game_id, play_id)
                WHERE (t.game_id, t.play_id) IN ($keys) AND t.nfl_id IS NOT NULL
                GROUP BY 1, 2 ORDER BY 1, 2"
    else
        q -d "$native" -c "SELECT game_id, play_id, md5($bare) FROM play_tensors
                           WHERE (game_id, play_id) IN ($keys) ORDER BY 1, 2"
    fi
}
loaded() { q -d "$1" -c "SELECT game_id, play_id, md5($bare) FROM play_tensors ORDER BY 1, 2"; }

for layout in bdb2024 bdb2025 bdb2023 bdb2021 bdb2019 ngs_highlights bdb2022 bdb2026; do
    db="ngs_load_$layout"
    fresh "$db"
    tools/ngs-load -d "$db" "$tmp/$layout" > "$tmp/$layout.log" 2>&1 || { cat "$tmp/$layout.log"; fail "ngs-load $layout"; }
    grep -q "tracking, .* rows/s" "$tmp/$layout.log" || { cat "$tmp/$layout.log"; fail "$layout: no progress line"; }
    want=$(expected "$layout")
    got=$(loaded "$db")
    n=$(wc -l <<<"$want")
    [ -n "$want" ] || fail "$layout: the native load has none of the plays"
    [ "$want" = "$got" ] || { diff <(echo "$want") <(echo "$got") || true; fail "$layout: play_tensors differ from the native loader's"; }
    sources=$(q -d "$db" -c "SELECT string_agg(DISTINCT source, ',') FROM plays")
    echo "ok $layout: $n play tensors equal the native loader's (plays source $sources)"
done

# The autoevent tags stand in for the missing official ones: the same snap and release
# frames as the native loader's.
keys=$(awk '$1 == "bdb2024" { printf "%s(%s, %s)", (n++ ? ", " : ""), $2, $3 }' "$tmp/plays.txt")
frames="SELECT game_id, play_id, snap_frame, release_frame, arrival_frame, play_direction, possession_team, offense_score FROM plays WHERE (game_id, play_id) IN ($keys) ORDER BY 1, 2"
[ "$(q -d "$native" -c "$frames")" = "$(q -d ngs_load_bdb2024 -c "$frames")" ] \
    || fail "bdb2024: event frames, direction, possession or score differ from the native loader's"
# BDB 2019's derived direction and named receivers, and the highlights' parsed ones
for layout in bdb2019 ngs_highlights bdb2021; do
    keys=$(awk -v l="$layout" '$1 == l { printf "%s(%s, %s)", (n++ ? ", " : ""), $2, $3 }' "$tmp/plays.txt")
    cols="SELECT game_id, play_id, play_direction, target_nfl_id, pass_result, yards, yards_to_goal, offense_score, defense_score, snap_frame FROM plays WHERE (game_id, play_id) IN ($keys) ORDER BY 1, 2"
    [ "$(q -d "$native" -c "$cols")" = "$(q -d "ngs_load_$layout" -c "$cols")" ] \
        || { diff <(q -d "$native" -c "$cols") <(q -d "ngs_load_$layout" -c "$cols") || true; fail "$layout: plays differ from the native loader's"; }
done
echo "ok plays: event frames, directions, targets, results, yards and scores equal the native loader's"

# Loading the same files again replaces the games.
db=ngs_load_bdb2024
before=$(q -d "$db" -c "SELECT count(*) FROM tracking")
tools/ngs-load -q -d "$db" "$tmp/bdb2024" || fail "the second load of bdb2024"
[ "$(q -d "$db" -c "SELECT count(*) FROM tracking")" = "$before" ] || fail "a second load duplicated tracking rows"
[ "$(loaded "$db")" = "$(expected bdb2024)" ] || fail "a second load changed the play tensors"
echo "ok re-run: $before tracking rows, not duplicated"

# A malformed line in a later file: the error names the file and the line; the game
# loaded by the earlier file stays intact.
cp "$tmp/bdb2024/tracking_week_1.csv" "$tmp/bdb2024/tracking_week_2.csv"
sed -i '50s/^\([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,\)[^,]*/\1abc/' "$tmp/bdb2024/tracking_week_2.csv"
if tools/ngs-load -d "$db" "$tmp/bdb2024" > "$tmp/bad.log" 2>&1; then fail "a malformed file loaded"; fi
grep -q "tracking_week_2.csv" "$tmp/bad.log" && grep -q "line 50" "$tmp/bad.log" && grep -q 'invalid input syntax for type real: "abc"' "$tmp/bad.log" \
    || { cat "$tmp/bad.log"; fail "the error does not name the file, the line and the value"; }
[ "$(q -d "$db" -c "SELECT count(*) FROM tracking")" = "$before" ] || fail "a failed load changed the tracking"
[ "$(loaded "$db")" = "$(expected bdb2024)" ] || fail "a failed load changed the play tensors"
echo "ok malformed: $(grep -m1 -o 'line 50[^:]*' "$tmp/bad.log") of tracking_week_2.csv reported, the game intact"

# A layout that names teams home and away needs its games file.
rm "$tmp/bdb2021/games.csv"
fresh ngs_load_nogames
if tools/ngs-load -d ngs_load_nogames "$tmp/bdb2021" > "$tmp/nogames.log" 2>&1; then fail "bdb2021 without games.csv loaded"; fi
grep -q "no home and visitor clubs for game 2018120600" "$tmp/nogames.log" || { cat "$tmp/nogames.log"; fail "no clear error without games.csv"; }
echo "ok missing games file: $(grep -m1 -o 'no home and visitor clubs[^"]*' "$tmp/nogames.log")"

for layout in bdb2024 bdb2025 bdb2023 bdb2021 bdb2019 ngs_highlights bdb2022 bdb2026 nogames; do
    q -d postgres -c "DROP DATABASE ngs_load_$layout"
done
[ "$native" = ngs_test ] || q -d postgres -c "DROP DATABASE $native"
echo "ngs_load: passed"
