-- A small synthetic season in the real-data schema (tools/load/00_schema.sql): 2 games of 3
-- pass plays, 30 frames of 11 offensive players, 11 defenders and the ball, snap at frame
-- 5, release at 20, arrival at 25; then play_tensors as tools/load/90_play_tensors.sql
-- builds it. Enough for every benchmark's queries to plan as they do on the real data.
\set QUIET on
SET client_min_messages = warning;
\i tools/load/00_schema.sql
INSERT INTO tracking (game_id, play_id, frame_id, nfl_id, role, position, x, y, s, a, dir, o, event)
SELECT g, p, f,
       CASE WHEN e < 22 THEN 40000 + e END,
       CASE WHEN e < 11 THEN 'offense' WHEN e < 22 THEN 'defense' ELSE 'ball' END,
       CASE WHEN e = 0 THEN 'QB' WHEN e < 11 THEN 'WR' WHEN e < 16 THEN 'CB' WHEN e < 22 THEN 'SS' END,
       30 + (e % 11) * 2 + (e / 11) * 3 + f * 0.3, 5 + (e % 11) * 4 + f * 0.05, 3, 0.5, 90, 90,
       CASE f WHEN 5 THEN 'ball_snap' WHEN 20 THEN 'pass_forward' WHEN 25 THEN 'pass_arrived' END
FROM generate_series(1, 2) g, generate_series(1, 3) p, generate_series(1, 30) f, generate_series(0, 22) e;
INSERT INTO players SELECT 40000 + e, 'Player ' || e, CASE WHEN e = 0 THEN 'QB' WHEN e < 11 THEN 'WR' ELSE 'CB' END
FROM generate_series(0, 21) e;
INSERT INTO plays (game_id, play_id, source, season, week, quarter, down, yards_to_go, yards_to_goal,
                   possession_team, offense_score, defense_score, play_direction, pass_result, yards,
                   target_nfl_id, snap_frame, release_frame, arrival_frame, description)
SELECT g, p, CASE WHEN p = 3 THEN 'ngs_highlights' ELSE 'bdb2019' END, 2017, 1, 1, 1, 10, 70, 'KC', 0, 0,
       'right', 'C', 8, 40003, 5, 20, 25, 'synthetic'
FROM generate_series(1, 2) g, generate_series(1, 3) p;
\i tools/load/90_play_tensors.sql
ANALYZE;
