-- The pass model: its input matrix, scoring, and every rejected call, one per line
\set VERBOSITY default
SET client_min_messages = warning;
\set ECHO none
\i test/fixtures/weight_files.psql
\set ECHO all

-- model_input: 13 offensive players (the first 11 by first known y are kept), 2 defenders,
-- the ball (never an input).  x = NFL id in every frame; feature k is id + k/10.
-- 103 arrives at frame 2 (y 5), 102 and 105 tie at y 10 (the lower id first), 104 is
-- never seen (last, so dropped), 106..113 have y 40..47.
CREATE TEMP TABLE slots AS
WITH entities(id, role, y, seen) AS (
    VALUES (101, 'offense', 30, 1), (102, 'offense', 10, 1), (103, 'offense', 5, 2), (104, 'offense', 0, 9),
           (105, 'offense', 10, 1), (106, 'offense', 40, 1), (107, 'offense', 41, 1), (108, 'offense', 42, 1),
           (109, 'offense', 43, 1), (110, 'offense', 44, 1), (111, 'offense', 45, 1), (112, 'offense', 46, 1),
           (113, 'offense', 47, 1), (201, 'defense', 20, 1), (202, 'defense', 15, 1), (900, 'ball', 25, 1)
), frames AS (
    SELECT f, json_agg(json_build_array(id, CASE WHEN f >= seen THEN y END,
                                        id + 0.2, id + 0.3, id + 0.4, id + 0.5, id + 0.6, id + 0.7) ORDER BY id) AS frame
    FROM generate_series(1, 3) f, entities GROUP BY f
)
SELECT format('{"version":1,"standardized":true,"frame_ids":[1,2,3],"nfl_ids":%s,"roles":%s,"data":%s}',
              (SELECT json_agg(CASE WHEN role = 'ball' THEN NULL ELSE id END ORDER BY id) FROM entities),
              (SELECT json_agg(role ORDER BY id) FROM entities),
              (SELECT json_agg(frame ORDER BY f) FROM frames))::ngs.play_tensor AS pt;
SELECT array_dims(ngs.model_input(pt)) FROM slots;
SELECT array(SELECT m[2][s * 8 + 1] FROM generate_series(0, 21) s) AS slot_ids_at_frame_2 FROM slots, ngs.model_input(pt) m;
SELECT m[3:3][1:8] AS slot_0_frame_3, m[1:3][2:2] AS slot_0_y, m[1:1][169:176] AS slot_21 FROM slots, ngs.model_input(pt) m;

-- a model whose weights are all zero: every output is 0, so the bins are uniform over
-- [-10, 40] and both tails have xi = softplus(0) = ln 2, beta = ln 2 + 1e-6; by hand,
-- F(15) = 1/2, tau_lo = -7.5 and F(-10) = 0.05 (1 + 2.5)^(-1/ln 2) = 0.0082044 = 1 - F(40)
SELECT ngs.import_model('zero', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:4,176,2:0', 'tcn.0.conv2.weight:4,4,2:0',
                                                      'tcn.0.downsample.weight:4,176,1:0', 'mlp.0.weight:6,4:0')) > 0 AS imported;
SELECT ngs.pass_network_output(pg_temp.play(5), '{}', 'zero');
SELECT y, round(ngs.pass_score(pg_temp.play(5), '{}', y, 'zero')::numeric, 7) AS u FROM unnest(ARRAY[-10, 15, 40]) y;
SELECT ngs.pass_distribution(pg_temp.play(5), '{}', 'zero');
SELECT round(ngs.sbp_quantile(ngs.pass_distribution(pg_temp.play(5), '{}', 'zero'), 0.5)::numeric, 7) AS median;
SELECT ngs.pass_score(NULL, '{}', 1, 'zero') IS NULL AS strict;

-- context: NULL elements are missing values (normalised to 0, like the mean)
SELECT ngs.import_model('ctx', 'pass', pg_temp.tiny('{"context.names": "down"}', 'context.mean:1:2', 'context.std:1:1', 'mlp.0.weight:6,5:0.1')) > 0 AS imported;
SELECT ngs.pass_network_output(pg_temp.play(5), '{NULL}', 'ctx') = ngs.pass_network_output(pg_temp.play(5), '{2}', 'ctx') AS null_is_mean,
       ngs.pass_network_output(pg_temp.play(5), '{NaN}', 'ctx') = ngs.pass_network_output(pg_temp.play(5), '{2}', 'ctx') AS nan_is_mean,
       ngs.pass_network_output(pg_temp.play(5), '{3}', 'ctx') <> ngs.pass_network_output(pg_temp.play(5), '{2}', 'ctx') AS value_matters;

-- a model whose outputs overflow float32
SELECT ngs.import_model('huge', 'pass', pg_temp.tiny('{}', 'mlp.0.weight:6,4:3e38')) > 0 AS imported;

-- rejected
SELECT s AS statement, try(s) FROM (VALUES
    ($$SELECT ngs.model_input(pg_temp.play(5, false))$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{}', 1)$$),
    ($$SELECT ngs.pass_distribution(pg_temp.play(5), '{}')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{}', 1, 'nothing')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{}', 1, '123456')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5, false), '{}', 1, 'zero')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(4), '{}', 1, 'zero')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{1}', 1, 'zero')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{}', 1, 'ctx')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{1,2}', 1, 'ctx')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{{1}}', 1, 'ctx')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{-Infinity}', 1, 'ctx')$$),
    ($$SELECT ngs.pass_score(pg_temp.play(5), '{}', 1, 'huge')$$)
) v(s);
SELECT ngs.drop_model('zero') + ngs.drop_model('ctx') + ngs.drop_model('huge') AS dropped;
