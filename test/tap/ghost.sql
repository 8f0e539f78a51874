-- Ghosting without the real data: the physical limits of predicted paths under extreme
-- models and starts, counterfactual targets, the set-returning companion, and training
-- (determinism, a different seed, cancellation leaving no model row).
BEGIN;
SELECT plan(18);

-- Little-endian bytes of a value's big-endian send form
CREATE FUNCTION pg_temp.le(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(substr(b, i, 1), ''::bytea ORDER BY i DESC) FROM generate_series(1, length(b)) i
$$;

-- A one-layer ghost model reading the features listed (inputs standardized with mean 0
-- and sd 1): local accelerations (along, across the line to the target) = weight * input + bias
CREATE FUNCTION pg_temp.linear_model(features text, weight real[], bias real[]) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    WITH h AS (
        SELECT format('{"__metadata__":{"ngs.kind":"ghost","ngs.format":"1","ghost.features":"%s"},'
                      '"input.mean":{"dtype":"F32","shape":[%s],"data_offsets":[0,%s]},'
                      '"input.std":{"dtype":"F32","shape":[%s],"data_offsets":[%s,%s]},'
                      '"mlp.0.weight":{"dtype":"F32","shape":[%s,%s],"data_offsets":[%s,%s]},'
                      '"mlp.0.bias":{"dtype":"F32","shape":[%s],"data_offsets":[%s,%s]}}',
                      features, f, 4 * f, f, 4 * f, 8 * f, n, f, 8 * f, 8 * f + 4 * n * f,
                      n, 8 * f + 4 * n * f, 8 * f + 4 * n * f + 4 * n) AS j
        FROM (SELECT cardinality(bias) AS n, cardinality(string_to_array(features, ',')) AS f) c
    ), p AS (SELECT rpad(j, (length(j) + 7) / 8 * 8) AS j FROM h)
    SELECT pg_temp.le(int8send(length(j))) || convert_to(j, 'UTF8')
           || (SELECT string_agg(pg_temp.le(float4send(0)), ''::bytea) FROM unnest(string_to_array(features, ',')))
           || (SELECT string_agg(pg_temp.le(float4send(1)), ''::bytea) FROM unnest(string_to_array(features, ',')))
           || (SELECT string_agg(pg_temp.le(float4send(w)), ''::bytea ORDER BY i)
               FROM unnest(weight) WITH ORDINALITY u(w, i))
           || (SELECT string_agg(pg_temp.le(float4send(b)), ''::bytea ORDER BY i)
               FROM unnest(bias) WITH ORDINALITY u(b, i))
    FROM p
$$;

-- A one-layer ghost model reading "gap" whose zero weights leave only its biases: the
-- same local accelerations whatever the scene
CREATE FUNCTION pg_temp.bias_model(bias real[]) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT pg_temp.linear_model('gap', array_fill(0::real, ARRAY[cardinality(bias)]), bias)
$$;

-- A play of three frames: the target (1, offense) standing at (rx, ry), the defender (2,
-- defense) moving at (vx, vy) to reach (x, y) at frame 3
CREATE FUNCTION pg_temp.scene(x float8, y float8, vx float8, vy float8, rx float8, ry float8)
RETURNS ngs.play_tensor LANGUAGE sql IMMUTABLE AS $$
    SELECT ngs.play_tensor(array_agg(e ORDER BY f), '{1,2,3}', '{1,2}', '{offense,defense}', true)
    FROM (SELECT f, ARRAY[ARRAY[rx, ry, 0, 0, 0, 0, 'NaN', 'NaN'],
                          ARRAY[x - vx * 0.1 * (3 - f), y - vy * 0.1 * (3 - f), vx, vy, 0, 0, 'NaN', 'NaN']]::real[] AS e
          FROM generate_series(1, 3) f) s
$$;

-- The points of a path, numbered from 1
CREATE FUNCTION pg_temp.points(p path, OUT i bigint, OUT x float8, OUT y float8)
RETURNS SETOF record LANGUAGE sql IMMUTABLE AS $$
    SELECT r.i, r.m[1]::float8, r.m[2]::float8
    FROM regexp_matches(p::text, '\(([^,()]+),([^,()]+)\)', 'g') WITH ORDINALITY AS r(m, i)
$$;

CREATE TEMP TABLE extreme_models AS
SELECT ngs.import_model('ghost_forward', 'ghost', pg_temp.bias_model(array_fill(1000::real, ARRAY[20]))) AS id
UNION ALL
SELECT ngs.import_model('ghost_back', 'ghost', pg_temp.bias_model(array_fill(-1000::real, ARRAY[20])))
UNION ALL
SELECT ngs.import_model('ghost_zigzag', 'ghost',
                        pg_temp.bias_model(ARRAY(SELECT (CASE WHEN i % 4 < 2 THEN 1000 ELSE -1000 END)::real
                                                 FROM generate_series(0, 19) i)));

-- 400 starts anywhere on the field (edges included), speeds up to 12.5 yd/s, any target;
-- uniform numbers from ngs.kfold's hash, so the starts are the same on every run
CREATE FUNCTION pg_temp.u(k int, j int) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT ngs.kfold(10 * k + j, 1000000, 3) / 1e6
$$;
CREATE TEMP TABLE starts AS
SELECT k, x, y, sp * sind(d) AS vx, sp * cosd(d) AS vy, rx, ry
FROM (SELECT k, 120 * pg_temp.u(k, 1) AS x, (160.0 / 3) * pg_temp.u(k, 2) AS y, 12.5 * pg_temp.u(k, 3) AS sp,
             360 * pg_temp.u(k, 4) AS d, 120 * pg_temp.u(k, 5) AS rx, (160.0 / 3) * pg_temp.u(k, 6) AS ry
      FROM generate_series(1, 400) k) s;
INSERT INTO starts VALUES (401, 120, 20, 12, 0, 60, 20), (402, 0, 0, -9, -9, 50, 30),
                          (403, 60, 160.0 / 3, 0, 12.5, 60, 0), (404, 119.9, 53.3, 12, 3, 0, 0);

-- each step's velocity, from the start as the tensor stores it (float4)
CREATE TEMP TABLE steps AS
SELECT m.model, s.k, p.i, p.x, p.y,
       (p.x - coalesce(lag(p.x) OVER w, s.x0)) / 0.1 AS vx,
       (p.y - coalesce(lag(p.y) OVER w, s.y0)) / 0.1 AS vy, s.vx0, s.vy0,
       least(s.x0, 120 - s.x0, s.y0, 160.0 / 3 - s.y0) AS margin
FROM (SELECT k, t, rx, ry, (ngs.feature(t, 2, 'x'))[3] AS x0, (ngs.feature(t, 2, 'y'))[3] AS y0,
             (ngs.feature(t, 2, 'vx'))[3] AS vx0, (ngs.feature(t, 2, 'vy'))[3] AS vy0
      FROM starts, pg_temp.scene(x, y, vx, vy, rx, ry) t) s,
     unnest(ARRAY['ghost_forward', 'ghost_back', 'ghost_zigzag']) m(model),
     pg_temp.points(ngs.ghost_trajectory(s.t, 2, 1, 3, 10, m.model)) p
WINDOW w AS (PARTITION BY m.model, s.k ORDER BY p.i);
CREATE TEMP TABLE accels AS
SELECT *, sqrt((vx - coalesce(lag(vx) OVER w, vx0)) ^ 2 + (vy - coalesce(lag(vy) OVER w, vy0)) ^ 2) / 0.1 AS a
FROM steps WINDOW w AS (PARTITION BY model, k ORDER BY i);

SELECT is((SELECT count(*) FROM steps), 3 * 404 * 10::bigint, 'every extreme prediction has 10 points');
SELECT is((SELECT count(*) FROM steps WHERE x < 0 OR x > 120 OR y < 0 OR y > 160.0 / 3), 0::bigint,
          'predicted positions never leave the field');
SELECT cmp_ok((SELECT max(sqrt(vx ^ 2 + vy ^ 2)) FROM steps), '<=', 12.5::float8 + 1e-9,
              'predicted speeds never exceed 12.5 yd/s');
SELECT cmp_ok((SELECT max(a) FROM accels WHERE margin >= 13), '<=', 10::float8 + 1e-6,
              'from starts that can stop before the edges, accelerations never exceed 10 yd/s^2');
SELECT cmp_ok((SELECT max(a) FROM accels WHERE margin >= 13), '>=', 9.99::float8,
              'the extreme models do reach the acceleration bound');
SELECT cmp_ok((SELECT count(*) FROM steps WHERE x IN (0, 120) OR y IN (0, 160.0 / 3)), '>', 0::bigint,
              'the extreme models do reach the edges of the field');

-- counterfactual targets: the same defender chases whichever target he is given
SELECT ok((SELECT x FROM pg_temp.points(ngs.ghost_trajectory(pg_temp.scene(60, 25, 0, 0, 70, 25), 2, 1, 3, 10, 'ghost_forward')) WHERE i = 10) > 60.4
          AND (SELECT x FROM pg_temp.points(ngs.ghost_trajectory(pg_temp.scene(60, 25, 0, 0, 50, 25), 2, 1, 3, 10, 'ghost_forward')) WHERE i = 10) < 59.6,
          'a standing defender runs toward the target he is given, on either side');

-- a model whose finite weights overflow float32 (Inf - Inf = NaN) is refused, not
-- integrated: a NaN acceleration would slip through every clamp
INSERT INTO extreme_models
SELECT ngs.import_model('ghost_overflow', 'ghost',
                        pg_temp.linear_model('gap,d_speed', ARRAY(SELECT (CASE WHEN i % 2 = 0 THEN 3e38 ELSE -3e38 END)::real
                                                                  FROM generate_series(0, 39) i),
                                             array_fill(0::real, ARRAY[20])));
SELECT throws_ok($$SELECT ngs.ghost_trajectory(pg_temp.scene(60, 25, 3, 0, 70, 25), 2, 1, 3, 10, 'ghost_overflow')$$,
                 '22003', 'the ghost model gives a non-finite acceleration for this play',
                 'a model that overflows to NaN is an error, not a path');

-- the set-returning companion gives what the single call gives, for each defender
CREATE TEMP TABLE three AS
SELECT ngs.play_tensor(array_agg(e ORDER BY f), '{1,2,3}', '{1,2,3}', '{offense,defense,defense}', true) AS t
FROM (SELECT f, ARRAY[ARRAY[70, 20, 0, 0, 0, 0, 'NaN', 'NaN'],
                      ARRAY[60 + 0.3 * f, 25 - 0.1 * f, 3, -1, 0, 0, 'NaN', 'NaN'],
                      ARRAY[80 - 0.5 * f, 30, -5, 0, 0, 0, 'NaN', 'NaN']]::real[] AS e
      FROM generate_series(1, 3) f) s;
SELECT is((SELECT array_agg(nfl_id ORDER BY nfl_id) FROM three, ngs.ghost_trajectories(t, 1, 3, 10, 'ghost_zigzag')), '{2,3}',
          'ghost_trajectories predicts every defender when defenders is NULL');
SELECT ok(bool_and(g.trajectory::text = ngs.ghost_trajectory(t, g.nfl_id, 1, 3, 10, 'ghost_zigzag')::text),
          'ghost_trajectories gives the same paths as ghost_trajectory')
FROM three, ngs.ghost_trajectories(t, 1, 3, 10, 'ghost_zigzag', '{3,2}') g;
SELECT is((SELECT npoints(trajectory) FROM three, ngs.ghost_trajectories(t, 1, 3, 4, 'ghost_zigzag', '{3}')), 4,
          'ghost_trajectories honours the horizon');

-- training on synthetic plays: 30 games, a receiver running straight, a defender curving after him
CREATE TEMP TABLE synth AS
SELECT g AS game, ngs.standardize(ngs.play_tensor_agg(f, id, role, x::real, y::real, NULL, NULL, NULL, NULL), 'right') AS tensor
FROM (SELECT g, f, 1 AS id, 'offense' AS role, 20 + g + 0.6 * f AS x, 10 + 0.2 * f AS y
      FROM generate_series(1, 30) g, generate_series(1, 40) f
      UNION ALL
      SELECT g, f, 2, 'defense', 25 + g + 0.5 * f + 3 * sin(f / (5.0 + g % 7)), 15 + 3 * cos(f / (5.0 + g % 7))
      FROM generate_series(1, 30) g, generate_series(1, 40) f) r
GROUP BY g;
CREATE FUNCTION pg_temp.train(name text, options jsonb) RETURNS bigint LANGUAGE sql AS $$
    SELECT ngs.train_ghost_model(name, 'SELECT game::bigint, tensor, 1, 3, NULL::int, ''{2}''::int[] FROM synth ORDER BY game', options)
$$;
SET LOCAL client_min_messages = warning;
CREATE TEMP TABLE trained AS
SELECT pg_temp.train('synthetic_a', '{"epochs": 3, "hidden": [16], "seed": 5}') AS a,
       pg_temp.train('synthetic_b', '{"epochs": 3, "hidden": [16], "seed": 5}') AS b,
       pg_temp.train('synthetic_c', '{"epochs": 3, "hidden": [16], "seed": 6}') AS c;
SELECT is(ngs.export_model(a::text), ngs.export_model(b::text), 'the same seed and data give the same weights, bit for bit')
FROM trained;
SELECT isnt(ngs.export_model(c::text), ngs.export_model(a::text), 'another seed gives other weights')
FROM trained;
SELECT is(npoints(ngs.ghost_trajectory(tensor, 2, 1, 20, 10, 'synthetic_a')), 10, 'a trained model predicts')
FROM synth WHERE game = 1;

-- cancellation: statement_timeout stops a long run, and no model row is left
CREATE FUNCTION pg_temp.try_train(name text, options jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.train(name, options);
    RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
    RETURN SQLSTATE;
END $$;
SET LOCAL statement_timeout = '300ms';
SELECT is(pg_temp.try_train('synthetic_cancelled', '{"epochs": 10000}'), '57014',
          'statement_timeout cancels training (SQLSTATE 57014)');
SET LOCAL statement_timeout = 0;
SELECT is((SELECT count(*) FROM ngs.model WHERE name = 'synthetic_cancelled'), 0::bigint,
          'a cancelled training run leaves no model row');
RESET client_min_messages;

-- a name ngs.import_model would refuse is refused before any training
SELECT throws_ok($$SELECT ngs.train_ghost_model('', 'SELECT 1', '{}')$$, '22023',
                 'invalid model name ""', 'an invalid model name is refused before training');
-- training stores the model through ngs.import_model: a role that may not is refused first
CREATE ROLE ghost_reader;
SET LOCAL ROLE ghost_reader;
SELECT throws_ok($$SELECT ngs.train_ghost_model('x', 'SELECT 1', '{}')$$, '42501',
                 'permission denied to store a model', 'a role without ngs.import_model may not train');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
