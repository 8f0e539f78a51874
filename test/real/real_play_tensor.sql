-- requires: real data
-- play_tensor on the real tracking data: tensors match their rows, round trips are exact,
-- standardization follows the formula, and the anomaly filter finds the known glitches.
BEGIN;
SELECT plan(14);

-- every tracked play became a tensor whose frames and entities match its rows
SELECT is((SELECT count(*) FROM play_tensors WHERE game_id = 2017090700), 177::bigint,
    'all 177 plays of game 2017090700 have a tensor');
SELECT is((SELECT count(*) FROM play_tensors), (SELECT count(DISTINCT (game_id, play_id)) FROM tracking),
    'every tracked play has a tensor');
SELECT is((SELECT count(*)
           FROM play_tensors t
           JOIN (SELECT game_id, play_id, count(DISTINCT frame_id) AS frames,
                        count(DISTINCT coalesce(nfl_id, 0)) AS entities
                 FROM tracking GROUP BY game_id, play_id) r USING (game_id, play_id)
           WHERE ngs.frames(t.tensor) <> r.frames OR ngs.entities(t.tensor) <> r.entities), 0::bigint,
    'frame and entity counts equal the distinct frames and entities of the rows');
-- exact round trips
SELECT is((SELECT count(*) FROM play_tensors WHERE tensor::text::ngs.play_tensor::text <> tensor::text), 0::bigint,
    'the text form round-trips exactly for every play');
CREATE TEMP TABLE copied (game_id bigint, play_id int, tensor ngs.play_tensor);
DO $$
DECLARE
    file text := current_setting('data_directory') || '/ngs_play_tensor_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY play_tensors TO %L WITH (FORMAT binary)', file);
    EXECUTE format('COPY copied FROM %L WITH (FORMAT binary)', file);
END $$;
SELECT is((SELECT count(*) FROM play_tensors p JOIN copied c USING (game_id, play_id)
           WHERE p.tensor::text = c.tensor::text), (SELECT count(*) FROM play_tensors),
    'COPY ... WITH (FORMAT binary) round-trips every play exactly');

-- a track's points are the player's rows, in frame order
SELECT is((SELECT count(*)
           FROM (SELECT game_id, play_id, nfl_id,
                        '[' || string_agg(format('(%s,%s)', x::float8, y::float8), ',' ORDER BY frame_id) || ']' AS expected
                 FROM tracking WHERE game_id = 2017090700 AND x IS NOT NULL AND y IS NOT NULL
                 GROUP BY game_id, play_id, nfl_id) r
           JOIN play_tensors t USING (game_id, play_id)
           WHERE ngs.track(t.tensor, r.nfl_id)::text IS DISTINCT FROM r.expected), 0::bigint,
    'every track of game 2017090700 (ball included) equals its rows');

-- given speeds and directions become velocity components vx = s sin(dir), vy = s cos(dir)
SELECT is((SELECT count(*)
           FROM tracking r JOIN play_tensors t USING (game_id, play_id),
                LATERAL (SELECT array_position(ngs.frame_ids(t.tensor), r.frame_id) AS f) i
           WHERE r.game_id = 2018120600 AND r.nfl_id IS NOT NULL AND r.s IS NOT NULL AND r.dir IS NOT NULL
             AND (abs((ngs.feature(t.tensor, r.nfl_id, 'vx'))[i.f] - r.s * sind(r.dir)) > 1e-4
               OR abs((ngs.feature(t.tensor, r.nfl_id, 'vy'))[i.f] - r.s * cosd(r.dir)) > 1e-4)), 0::bigint,
    'velocity components follow s and dir on game 2018120600');

-- standardization of left plays follows the formula, sample by sample
SELECT is((SELECT count(*)
           FROM play_tensors t JOIN plays p USING (game_id, play_id),
                LATERAL unnest(ngs.to_array(t.tensor), ngs.to_array(ngs.standardize(t.tensor, p.play_direction))) WITH ORDINALITY u(v, w, i)
           WHERE p.play_direction = 'left' AND t.game_id = 2018120600
             AND w IS DISTINCT FROM CASE (i - 1) % 8
                 WHEN 0 THEN (120 - v::float8)::real
                 WHEN 1 THEN (160.0::float8 / 3 - v::float8)::real
                 WHEN 6 THEN (v::float8 + 180 - 360 * floor((v::float8 + 180) / 360))::real
                 WHEN 7 THEN (v::float8 + 180 - 360 * floor((v::float8 + 180) / 360))::real
                 ELSE -v END), 0::bigint,
    'standardizing the left plays of game 2018120600 mirrors every sample by the formula');
SELECT ok((SELECT count(*) > 0 FROM plays p JOIN play_tensors USING (game_id, play_id)
           WHERE p.play_direction = 'left' AND p.game_id = 2018120600), 'game 2018120600 has left plays to check');

-- the anomaly filter finds the data README's glitches
SELECT is((SELECT count(*) FROM play_tensors t, ngs.tracking_anomalies(t.tensor) a
           WHERE t.game_id = 2017090700 AND a.kind = 'off_field' AND a.role <> 'ball'), 1191::bigint,
    'game 2017090700: 1,191 off-field player samples (32 beyond x, 1,159 beyond y)');
SELECT ok((SELECT count(*) FROM tracking WHERE role = 'ball' AND s > 12.5) > 0, 'the ball does move faster than 12.5 yd/s');
SELECT is((SELECT count(*) FROM play_tensors t, ngs.tracking_anomalies(t.tensor) a WHERE a.kind = 'speed'), 0::bigint,
    'no player runs faster than 12.5 yd/s, and the ball (often faster) is exempt');
SELECT ok((SELECT count(*) FROM play_tensors t, ngs.tracking_anomalies(t.tensor) a
           WHERE t.game_id = 2019091513 AND t.play_id = 3990 AND a.nfl_id = 2495454 AND a.kind = 'jump') > 0,
    'the time-shifted stream of Julio Jones in 2019091513/3990 is caught as a jump');

-- the dimension and id accessors read only the head of a TOASTed tensor: the same answers
-- as from the whole value (here an in-memory copy made by ngs.slice over every frame)
SELECT ok(bool_and(ngs.frames(t.tensor) = ngs.frames(c.t) AND ngs.entities(t.tensor) = ngs.entities(c.t)
                   AND ngs.is_standardized(t.tensor) = ngs.is_standardized(c.t)
                   AND ngs.nfl_ids(t.tensor) IS NOT DISTINCT FROM ngs.nfl_ids(c.t)
                   AND ngs.frame_ids(t.tensor) = ngs.frame_ids(c.t) AND ngs.roles(t.tensor) = ngs.roles(c.t)),
          'dimensions and ids read from the head of every stored tensor equal the whole tensor''s')
FROM play_tensors t CROSS JOIN LATERAL (SELECT ngs.slice(t.tensor, -2147483648, 2147483647) AS t) c;

SELECT * FROM finish();
ROLLBACK;
