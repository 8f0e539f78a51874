-- Ghosting: candidate features, windows, predicted trajectories, the training options and
-- the closing of real tracks, on a small synthetic play; every rejected input, one per line.
-- 12 frames: receiver 10 runs along +x, quarterback 11 stands, cornerback 20 trails the
-- receiver, safety 21 comes down; the ball flies from the quarterback toward the receiver.
-- Safety 21 is missing in frame 6; frame ids 1..12.
CREATE TEMP TABLE play AS
SELECT ngs.standardize(ngs.play_tensor_agg(f, id, role, x::real, y::real, NULL, NULL, NULL, NULL), 'right') AS t
FROM (SELECT f, 10 AS id, 'offense' AS role, 40 + 0.8 * f AS x, 20 + 0.1 * f AS y FROM generate_series(1, 12) f
      UNION ALL SELECT f, 11, 'offense', 30, 26 FROM generate_series(1, 12) f
      UNION ALL SELECT f, 20, 'defense', 38 + 0.75 * f, 22 + 0.05 * f FROM generate_series(1, 12) f
      UNION ALL SELECT f, 21, 'defense', 60 - 0.3 * f, 30 - 0.4 * f FROM generate_series(1, 12) f WHERE f <> 6
      UNION ALL SELECT f, NULL, 'ball', 30 + 1.5 * f, 26 - 0.4 * f FROM generate_series(1, 12) f) r;

-- the candidate features and one window
SELECT ngs.ghost_feature_names();
SELECT defender, at_frame, cardinality(features) AS features, cardinality(residual) AS residual
FROM play, ngs.ghost_windows(t, '{20,21}', 10, 1, NULL, 2);
SELECT round(f::numeric, 3) AS gap_and_defender_velocity
FROM play, ngs.ghost_windows(t, '{20}', 10, 3, 3, 2) w, unnest(w.features[1:3]) f;

-- predictions with the shipped default model: one point per frame; the target changes the path
SELECT npoints(ngs.ghost_trajectory(t, 20, 10, 3)) AS points, npoints(ngs.ghost_trajectory(t, 20, 10, 3, 4)) AS four
FROM play;
SELECT ngs.ghost_trajectory(t, 20, 10, 3)::text <> ngs.ghost_trajectory(t, 20, 11, 3)::text AS target_matters
FROM play;
-- every defender with history at frame 4; at frame 8 not the safety, who misses frame 6
SELECT nfl_id, npoints(trajectory) FROM play, ngs.ghost_trajectories(t, 10, 4) ORDER BY nfl_id;
SELECT nfl_id FROM play, ngs.ghost_trajectories(t, 10, 8) ORDER BY nfl_id;
SELECT count(*) FROM play, ngs.ghost_trajectories(NULL, 10, 4);

-- the closing metric of the real tracks: the cornerback keeps pace, the safety closes
SELECT round(ngs.closing_track(t, 20, 10, 1, 11)::numeric, 4) AS cornerback,
       round(ngs.closing_track(t, 21, 10, 7, 12)::numeric, 4) AS safety
FROM play;

-- rejected: ghost_trajectory, one per line
SELECT input, try(input) FROM (VALUES
    ($$SELECT ngs.ghost_trajectory(t, 99, 10, 5) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 11, 10, 5) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 20, 21, 5) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 20, 99, 5) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 20, 10, 99) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 20, 10, 2) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 21, 10, 7) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 20, 10, 5, 0) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(t, 20, 10, 5, 11) FROM play$$),
    ($$SELECT ngs.ghost_trajectory(ngs.play_tensor(ngs.to_array(t), ngs.frame_ids(t), ngs.nfl_ids(t), ngs.roles(t)), 20, 10, 5) FROM play$$)
) v(input);

-- rejected: ghost_trajectories, one per line
SELECT input, try(input) FROM (VALUES
    ($$SELECT * FROM play, ngs.ghost_trajectories(t, 20, 5)$$),
    ($$SELECT * FROM play, ngs.ghost_trajectories(t, 10, 5, defenders => '{20,NULL}')$$),
    ($$SELECT * FROM play, ngs.ghost_trajectories(t, 10, 5, defenders => '{{20},{21}}')$$),
    ($$SELECT * FROM play, ngs.ghost_trajectories(t, 10, 7, defenders => '{21}')$$),
    ($$SELECT * FROM play, ngs.ghost_trajectories(t, 10, 5, defenders => '{20,20}')$$)
) v(input);

-- rejected: ghost_windows, one per line
SELECT input, try(input) FROM (VALUES
    ($$SELECT count(*) FROM play, ngs.ghost_windows(t, '{20}', 10, 1, NULL, 0)$$),
    ($$SELECT count(*) FROM play, ngs.ghost_windows(t, '{20,21,20}', 10, 1, NULL, 2)$$),
    ($$SELECT count(*) FROM play, ngs.ghost_windows(t, '{20}', 10, 1, NULL, 51)$$),
    ($$SELECT count(*) FROM play, ngs.ghost_windows(t, '{10}', 10, 1, NULL)$$),
    ($$SELECT count(*) FROM play, ngs.ghost_windows(t, '{20}', 21, 1, NULL)$$),
    ($$SELECT count(*) FROM play, ngs.ghost_windows(t, '{NULL}', 10, 1, NULL)$$),
    ($$SELECT count(*) FROM play, ngs.ghost_windows(ngs.play_tensor(ngs.to_array(t), ngs.frame_ids(t), ngs.nfl_ids(t), ngs.roles(t)), '{20}', 10, 1, NULL)$$)
) v(input);

-- rejected: closing_track, one per line
SELECT input, try(input) FROM (VALUES
    ($$SELECT ngs.closing_track(t, 20, 10, 5, 5) FROM play$$),
    ($$SELECT ngs.closing_track(t, 20, 10, 5, 13) FROM play$$),
    ($$SELECT ngs.closing_track(t, 20, 10, 0, 5) FROM play$$),
    ($$SELECT ngs.closing_track(t, 21, 10, 1, 11) FROM play$$),
    ($$SELECT ngs.closing_track(t, 10, 20, 1, 11) FROM play$$),
    ($$SELECT ngs.closing_track(t, 20, 10, -2147483648, 2147483647) FROM play$$)
) v(input);

-- rejected: train_ghost_model options and source queries, one per line
SELECT input, try(input) FROM (VALUES
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '[]')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"epoch": 3}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"epochs": "many"}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"epochs": 0}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"epochs": 2.5}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"epochs": 2.0000000000000000001}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"epochs": 1e1000}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"batch_size": 100000}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"learning_rate": 0}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"learning_rate": 2}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"learning_rate": 1e1000}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"horizon": 51}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"validation_folds": 1}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"seed": 1e12}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"hidden": 64}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"hidden": [64, 0]}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"hidden": [1,1,1,1,1,1,1,1]}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"features": []}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"features": ["gap", "speed"]}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"features": ["gap", "gap"]}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{"features": [1]}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1', '{}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1::bigint, t, 10, 1, NULL, ''{20}''::int[] FROM play', '{}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1::bigint, t, 10, 1, NULL::int, ''{20}''::int[] FROM play', '{"horizon": 2}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1::bigint, t, 10, 1, NULL::int, ''{20}''::int[] FROM play WHERE false', '{}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT 1::bigint, t, 21, 1, NULL::int, ''{20}''::int[] FROM play', '{}')$$),
    ($$SELECT ngs.train_ghost_model('g', 'SELECT no_such_column FROM play', '{}')$$)
) v(input);
