-- The dump test's data (test/shell/dump.sh), added to a copy of the real data: every ngs type in
-- tables, with values from the real plays and from the edges of what each type accepts, a
-- user-imported pass model, and objects the restore must rebuild with ngs functions (a
-- CHECK, an expression index, a materialized view scored with the user model).
\set ON_ERROR_STOP 1

-- the user model: a copy of the shipped pass model under a name of our own
SELECT ngs.import_model('dump_test_model', 'pass', ngs.export_model(id::text))
FROM ngs.model WHERE shipped AND name = 'default' AND kind = 'pass';

-- play tensors of the real plays of BDB 2021 and of 16 highlights (3 with duplicate rows):
-- as built, standardized (which mirrors missing values and zeros too), cleaned, sliced
CREATE TABLE dump_tensors (
    game_id bigint, play_id int, kind text, tensor ngs.play_tensor,
    PRIMARY KEY (game_id, play_id, kind),
    CHECK (ngs.is_standardized(tensor) = (kind LIKE 'standardized%'))
);
INSERT INTO dump_tensors
SELECT p.game_id, p.play_id, k.kind, k.tensor
FROM plays p JOIN play_tensors t USING (game_id, play_id)
CROSS JOIN LATERAL (VALUES
    ('raw', t.tensor),
    ('standardized', ngs.standardize(t.tensor, p.play_direction)),
    ('standardized, cleaned', ngs.clean(ngs.standardize(t.tensor, p.play_direction), field_margin => 2, max_gap => 10)),
    ('cleaned', ngs.clean(t.tensor, max_speed => 8)),
    ('snap to release', ngs.slice(t.tensor, p.snap_frame, p.release_frame))) k(kind, tensor)
WHERE p.play_direction IS NOT NULL AND k.tensor IS NOT NULL
  AND (p.source = 'bdb2021' OR p.source = 'ngs_highlights' AND p.play_id % 34 = 0);
-- made from arrays: NaN, -0, the smallest subnormal, the largest magnitudes accepted, extreme ids
INSERT INTO dump_tensors VALUES
    (0, 1, 'raw', ngs.play_tensor(
        ARRAY[[['NaN', '-0', '1e-45', '1e9', '-1e9', '3.4e-38', '359.99997', '0'], [0, 0, 0, 0, 0, 0, 0, 0]],
              [[1, 2, 3, 4, 5, 6, 7, 8], ['NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN']]]::real[],
        '{-2147483648,2147483647}', '{2147483647,NULL}', '{defense,ball}')),
    (0, 2, 'standardized', ngs.play_tensor(ARRAY[[[0.1, 0.2, 0.3, 'NaN', 0, '-0', 0, 0]]]::real[], '{0}', '{-1}', '{offense}', true)),
    (0, 3, 'raw', NULL);
CREATE INDEX dump_tensors_frames ON dump_tensors (ngs.frames(tensor), ngs.entities(tensor));

-- the real passes as the default model reads them, scored with the shipped and the user model
CREATE TABLE dump_passes AS
SELECT *, ngs.pass_distribution(tensor, context) AS d,
       ngs.pass_score(tensor, context, yards) AS u_default,
       ngs.pass_score(tensor, context, yards, 'dump_test_model') AS u_user
FROM (SELECT p.game_id, p.play_id, p.source, p.season, p.yards::float8 AS yards,
             ngs.pass_context(down => p.down, yards_to_go => p.yards_to_go, yards_to_goal => p.yards_to_goal,
                              quarter => p.quarter, score_diff => p.offense_score - p.defense_score) AS context,
             ngs.clean(ngs.standardize(ngs.slice(t.tensor, p.snap_frame, p.release_frame), p.play_direction)) AS tensor
      FROM plays p JOIN play_tensors t USING (game_id, play_id)
      WHERE p.pass_result IN ('C', 'I', 'IN') AND p.release_frame IS NOT NULL
        AND p.play_direction IS NOT NULL AND p.yards IS NOT NULL) s
WHERE ngs.frames(tensor) >= 5;
ALTER TABLE dump_passes ADD PRIMARY KEY (game_id, play_id);

-- distributions: fitted to real yards, predicted, and at the edges of what ngs.sbp accepts
CREATE TABLE dump_sbp (id int PRIMARY KEY, what text NOT NULL, d ngs.sbp);
INSERT INTO dump_sbp VALUES
    (1, 'sbp_fit, every play', (SELECT ngs.sbp_fit(yards) FROM plays)),
    (2, 'sbp_fit, passes, options', (SELECT ngs.sbp_fit(yards, '{"lower": -10, "upper": 50, "bins": 60, "alpha": 0.01, "prior": 0}')
                                     FROM plays WHERE pass_result IN ('C', 'I', 'IN'))),
    (3, 'tiny range', ngs.sbp(0, 1e-300, '{0,0}', 0, 1, 0, 1)),
    (4, 'huge range, 1000 bins', ngs.sbp(-1e300, 1e300, array_fill(0::float8, ARRAY[1000]), -1e300, 1e-300, 1e300, 1e300, 1e-300)),
    (5, 'extreme logits and tails', ngs.sbp(-8e307, 8e307, '{-745,0,709}', 1e-16, 5e-324, '-0', 1.7976931348623157e308, 0.49999999999999994)),
    (6, 'an empty bin, a subnormal mass', ngs.sbp_from_masses(-1, 1, '{0, 1e-310, 1}', '-0', 1, 0.2, 0.5)),
    (7, 'NULL', NULL);
INSERT INTO dump_sbp SELECT 100 + row_number() OVER (ORDER BY game_id, play_id), 'pass_distribution ' || game_id || '/' || play_id, d
FROM dump_passes;

-- passing score states: per source and season, and at the edges
CREATE TABLE dump_states AS
SELECT source, season, ngs.passing_score_state(u_default) AS state FROM dump_passes GROUP BY source, season
UNION ALL SELECT 'clamped', NULL, ngs.passing_score_state(u) FROM unnest('{0,1,0.5,1e-300,0.9999999999999999}'::float8[]) u
UNION ALL SELECT 'limit', NULL, '(1000000000000,-3090000000000.0000000000009094947017729282379150390625,9549000000000)'
UNION ALL SELECT 'NULL', NULL, NULL;

-- rebuilt by the restore: scores the passes with the restored user model
CREATE MATERIALIZED VIEW dump_season_states AS
SELECT source, season, count(*) AS passes,
       ngs.passing_score_state(ngs.pass_score(tensor, context, yards, 'dump_test_model')) AS state,
       ngs.reliability(u_default, yards >= 10, 10) AS curve
FROM dump_passes GROUP BY source, season;

-- one column of each ngs type (the binary COPY test's table): row n holds the n-th of each
CREATE TABLE dump_all AS
SELECT n AS id, t.tensor, s.d, st.state, c.curve
FROM (SELECT row_number() OVER (ORDER BY game_id, play_id, kind) AS n, tensor FROM dump_tensors) t
FULL JOIN (SELECT row_number() OVER (ORDER BY id) AS n, d FROM dump_sbp) s USING (n)
FULL JOIN (SELECT row_number() OVER (ORDER BY source, season) AS n, state FROM dump_states) st USING (n)
FULL JOIN (SELECT row_number() OVER (ORDER BY source, season) AS n, curve FROM dump_season_states) c USING (n);

-- the tracking rows (3.6 M, no ngs type) leave the copy: they would triple the time and test
-- only PostgreSQL
TRUNCATE tracking;
ANALYZE;
