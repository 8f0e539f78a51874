-- ngs.closing_metric and ngs.closing_parts: the data-free cases of ghosting.md, the
-- parts against their definitions, invariances, and every rejected input.
BEGIN;
SELECT plan(23);

-- A straight track at constant velocity (vx, vy) yd/s from (x0, y0): steps + 1 frames of 0.1 s
CREATE FUNCTION pg_temp.track(x0 float8, y0 float8, vx float8, vy float8, steps int) RETURNS path
    AS $$ SELECT ('[' || string_agg(format('(%s,%s)', x0 + vx * 0.1 * t, y0 + vy * 0.1 * t), ','
                                     ORDER BY t) || ']')::path
          FROM generate_series(0, steps) t $$
    LANGUAGE sql IMMUTABLE;

-- A random walk of steps + 1 frames, each step up to 1.6 yd along x and y
CREATE FUNCTION pg_temp.walk(steps int) RETURNS path
    AS $$ SELECT ('[' || string_agg(format('(%s,%s)', x, y), ',' ORDER BY t) || ']')::path
          FROM (SELECT t, sum(dx) OVER (ORDER BY t) AS x, sum(dy) OVER (ORDER BY t) AS y
                FROM (SELECT t, random() * 3.2 - 1.6 AS dx, random() * 3.2 - 1.6 AS dy
                      FROM generate_series(0, steps) t) s) w $$
    LANGUAGE sql VOLATILE;

-- The message of the invalid_parameter_value error a statement raises, or NULL
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
    AS $$ BEGIN EXECUTE query; RETURN NULL;
          EXCEPTION WHEN invalid_parameter_value THEN RETURN SQLERRM; END $$
    LANGUAGE plpgsql;

-- ghosting.md: a straight run at 11 yd/s onto a standing receiver gives C = -1
SELECT is((SELECT closing FROM ngs.closing_parts('[(0,0),(1.1,0),(2.2,0),(3.3,0),(4.4,0)]',
                                                 '[(4.4,0),(4.4,0),(4.4,0),(4.4,0),(4.4,0)]')),
          -1::float8, 'a 4-step run at 11 yd/s onto a standing receiver closes at C = -1 exactly');
SELECT ok(abs(ngs.closing_metric(pg_temp.track(0, 0, 11, 0, 10), pg_temp.track(11, 0, 0, 0, 10)) + 1)
          < 1e-12, 'a 1 s run at 11 yd/s onto a standing receiver scores -1 (E = 1, P = 0)');
SELECT ok(abs(ngs.closing_metric(pg_temp.track(6.6, 8.8, -6.6, -8.8, 10), ('[(0,0)' || repeat(',(0,0)', 10) || ']')::path)
              + 1) < 1e-12, 'the same run along a diagonal scores -1 too');
-- a defender moving with the receiver at the same velocity gives 0
SELECT ok((SELECT abs(closing) < 1e-12 AND abs(effort - 10.0 / 11) < 1e-12 AND superhuman = 0
           FROM ngs.closing_parts(pg_temp.track(3, 2, 6, 8, 10), pg_temp.track(0, 0, 6, 8, 10))),
          'a defender keeping pace with the receiver has C = 0, E = v / v_top and P = 0');
SELECT ok(abs(ngs.closing_metric(pg_temp.track(3, 2, 6, 8, 10), pg_temp.track(0, 0, 6, 8, 10))) < 1e-12,
          'a defender keeping pace with the receiver scores 0');
-- one running away gives a positive score
SELECT ok(ngs.closing_metric(pg_temp.track(5, 0, 9, 0, 10), pg_temp.track(0, 0, 0, 0, 10)) > 0,
          'a defender running away from the receiver scores positive');
SELECT ok(abs(ngs.closing_metric(pg_temp.track(5, 0, 5.5, 0, 10), pg_temp.track(0, 0, 0, 0, 10)) - 0.5)
          < 1e-12, 'running away at v_top / 2 scores C = 0.5');
-- 14 yd/s gives P > 0
SELECT ok((SELECT abs(superhuman - (14 - 12.5) / 12.5) < 1e-12
           FROM ngs.closing_parts(pg_temp.track(0, 0, 14, 0, 10), pg_temp.track(30, 0, 0, 0, 10))),
          'a run at 14 yd/s has P = (14 - 12.5) / 12.5');
SELECT ok((SELECT abs(ngs.closing_metric(d, r) - (-14.0 / 11 + (14.0 / 11 - 1) + 1.5 / 12.5)) < 1e-12
           FROM (SELECT pg_temp.track(0, 0, 14, 0, 10) d, pg_temp.track(30, 0, 0, 0, 10) r) p),
          'at 14 yd/s the score adds the effort over 1 and P to C');
-- effort counts the distance run, not the displacement
SELECT ok((SELECT abs(effort - 1) < 1e-12 AND closing = 0
           FROM ngs.closing_parts('[(0,0),(1.1,0),(0,0),(1.1,0),(0,0)]', '[(9,9),(9,9),(9,9),(9,9),(9,9)]')),
          'running back and forth at 11 yd/s has E = 1 and C = 0');
SELECT ok((SELECT abs(effort - 1.2) < 1e-12
           FROM ngs.closing_parts('[(0,0),(1.32,0),(0,0)]', '[(9,9),(9,9),(9,9)]')),
          'running back and forth at 13.2 yd/s has E = 1.2');

-- The score from the parts, the weights, the defaults
SELECT setseed(0.75);
CREATE TABLE walks AS SELECT pg_temp.walk(12) AS d, pg_temp.walk(12) AS r FROM generate_series(1, 50);
SELECT ok((SELECT bool_and(abs(ngs.closing_metric(d, r) - (c.closing + greatest(0, c.effort - 1)
                                                            + c.superhuman)) < 1e-12)
           FROM walks, ngs.closing_parts(d, r) c),
          'closing_metric is C + max(0, E - 1) + P of closing_parts on 50 random walks');
SELECT ok((SELECT bool_and(abs(ngs.closing_metric(d, r, 9, 11, 0.2, 2, 0.5, 3)
                               - (2 * c.closing + 0.5 * greatest(0, c.effort - 1) + 3 * c.superhuman)) < 1e-12)
           FROM walks, ngs.closing_parts(d, r, 9, 11, 0.2) c),
          'weights multiply the parts and speeds and dt pass through');
SELECT ok((SELECT count(*) FILTER (WHERE c.effort > 1) BETWEEN 5 AND 45
                  AND count(*) FILTER (WHERE c.superhuman > 0) >= 5
           FROM walks, ngs.closing_parts(d, r) c),
          'the random walks exercise every part (E above 1 in some, below in others; P > 0)');
SELECT ok((SELECT bool_and(ngs.closing_metric(d, r) = ngs.closing_metric(d, r, 11, 12.5, 0.1, 1, 1, 1))
           FROM walks), 'the defaults are v_top 11, v_max 12.5, dt 0.1 and weights 1');
SELECT ok((SELECT bool_and(abs(ngs.closing_metric(d, r)
                               - ngs.closing_metric(d + point '(17,-5)', r + point '(17,-5)')) < 1e-12)
           FROM walks),
          'moving both trajectories by the same vector leaves the score unchanged');
SELECT is(ngs.closing_metric(NULL, pg_temp.track(0, 0, 0, 0, 3)), NULL, 'NULL in, NULL out');

-- Rejected inputs: T = 0, mismatched lengths, closed or non-finite paths, bad parameters
SELECT throws_ok($$ SELECT ngs.closing_metric('[(0,0)]', '[(1,1)]') $$, '22023',
                 'the paths have a single point, so no time passes', 'T = 0 is an error');
SELECT throws_ok($$ SELECT ngs.closing_metric('[(0,0),(1,0),(2,0)]', '[(0,0),(1,0)]') $$, '22023',
                 'the defender path has 3 points but the receiver path has 2', 'mismatched lengths are an error');
SELECT throws_ok($$ SELECT ngs.closing_metric('((0,0),(1,0))', '[(0,0),(1,0)]') $$, '22023',
                 'the defender path must be open', 'a closed path is an error');
SELECT throws_ok($$ SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(NaN,0)]') $$, '22023',
                 'the receiver path has a non-finite point at position 2', 'a NaN coordinate is an error');
SELECT is((SELECT array_agg(e ORDER BY e) FROM (
               SELECT pg_temp.error_of(format('SELECT ngs.closing_parts(%L, %L, %s, %s, %s)',
                                              '[(0,0),(1,0)]', '[(0,0),(1,0)]', a, b, c)) AS e
               FROM (VALUES ('0', '12.5', '0.1'), ('11', '-1', '0.1'), ('11', '12.5', '''NaN'''),
                            ('''Infinity''', '12.5', '0.1')) v(a, b, c)) errs),
          ARRAY['dt must be positive and finite, not NaN', 'v_max must be positive and finite, not -1',
                'v_top must be positive and finite, not 0', 'v_top must be positive and finite, not Infinity'],
          'zero, negative, NaN and infinite speeds or time steps are errors');
SELECT throws_ok($$ SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', w_effort => -1) $$,
                 '22023', 'w_effort must be non-negative and finite, not -1', 'a negative weight is an error');

SELECT * FROM finish();
ROLLBACK;
