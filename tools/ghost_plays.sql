-- The ghosting samples of the loaded real data, as the temporary table ghost_plays: one row
-- per pass play with a release (pass_forward), a target receiver who is tracked, and a
-- direction; its tensor standardized, cleaned (ngs.clean defaults) and cut to the frames from
-- two before the release on (what ghosting windows read); its defensive backs
-- (CB, S, FS, SS, DB) who are in the tensor; its fold for splitting by game
-- (ngs.kfold(game_id, 5, 1) = 0 holds a fifth of the games out).
-- Used by tools/ghost-eval, tools/rank_ghost_features.py and the real-data ghost tests.
DROP TABLE IF EXISTS pg_temp.ghost_plays;
CREATE TEMP TABLE ghost_plays AS
WITH s AS MATERIALIZED (
    SELECT p.game_id, p.play_id, p.source, p.target_nfl_id AS target, p.release_frame,
           p.arrival_frame,
           ngs.slice(ngs.clean(ngs.standardize(t.tensor, p.play_direction)), p.release_frame - 2,
                     2147483647) AS tensor
    FROM plays p
    JOIN play_tensors t USING (game_id, play_id)
    WHERE p.release_frame IS NOT NULL AND p.target_nfl_id IS NOT NULL
      AND p.play_direction IS NOT NULL
)
SELECT s.game_id, s.play_id, s.source, s.target, s.release_frame, s.arrival_frame,
       ngs.kfold(s.game_id, 5, 1) AS fold, s.tensor,
       ARRAY(SELECT DISTINCT k.nfl_id FROM tracking k
             WHERE k.game_id = s.game_id AND k.play_id = s.play_id AND k.role = 'defense'
               AND k.position IN ('CB', 'S', 'FS', 'SS', 'DB')
             ORDER BY 1) AS defenders
FROM s
WHERE s.target = ANY (ngs.nfl_ids(s.tensor));
ANALYZE ghost_plays;

-- A uniform number in [0, 1) from a text key (deterministic: ngs.kfold's hash).
CREATE FUNCTION pg_temp.uniform(key text, seed int)
RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT ngs.kfold(key, 1000000, seed) / 1e6
$$;

-- The play's frames at_frame - 2 .. at_frame with one defender given another velocity
-- (speed yd/s toward direction degrees clockwise from +y) and orientation in all three.
CREATE FUNCTION pg_temp.perturb(pt ngs.play_tensor, defender int, at_frame int, speed float8,
                                direction float8, orientation float8)
RETURNS ngs.play_tensor LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    s ngs.play_tensor := ngs.slice(pt, at_frame - 2, at_frame);
    a real[] := ngs.to_array(s);
    e int := array_position(ngs.nfl_ids(s), defender);
BEGIN
    FOR f IN 1 .. ngs.frames(s) LOOP
        a[f][e][3] := speed * sind(direction);
        a[f][e][4] := speed * cosd(direction);
        a[f][e][5] := 0;
        a[f][e][6] := 0;
        a[f][e][7] := direction;
        a[f][e][8] := orientation;
    END LOOP;
    RETURN ngs.play_tensor(a, ngs.frame_ids(s), ngs.nfl_ids(s), ngs.roles(s), true);
END
$$;
