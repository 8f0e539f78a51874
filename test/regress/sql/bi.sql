-- BI-friendly outputs: ngs.samples (a play tensor as rows), ngs.path_points (a path as
-- rows), ngs.sbp_quantiles (many quantiles at once).
SET extra_float_digits = 0;

-- a play of 3 frames: player 10 (offense), player 20 (defense, absent in frame 6), the ball
-- (direction and orientation missing); player 10's vx missing in frame 7
CREATE TEMP TABLE bi_plays AS
SELECT ngs.play_tensor(
    ARRAY[[[10, 20, 3, 4, 0.5, 0, 90, 45], [30, 5, 0, 1, 0, 0, 0, 180], [11, 21, 0, 0, 0, 0, 'NaN', 'NaN']],
          [[10.3, 20.4, 3, 4, 0, 0, 90, 45], ['NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN'], [12, 21, 10, 0, 0, 0, 'NaN', 'NaN']],
          [[10.6, 20.8, 'NaN', 4, 0, 0, 90, 45], [30, 5.2, 0, 2, 0, 0.5, 0, 180], [13, 21, 10, 0, 0, 0, 'NaN', 'NaN']]]::real[],
    '{5, 6, 7}', '{10, 20, NULL}', '{offense, defense, ball}') AS pt;

-- every sample present, in frame then entity order, NaN as NULL, s = |(vx, vy)|
SELECT s.* FROM bi_plays, ngs.samples(pt) s;
SELECT count(*) AS rows, count(*) FILTER (WHERE nfl_id IS NULL) AS ball_rows,
       count(*) FILTER (WHERE role = 'ball') AS ball_role FROM bi_plays, ngs.samples(pt);
-- the columns agree with the array accessors, value for value
SELECT bool_and(s.x IS NOT DISTINCT FROM (ngs.feature(pt, s.nfl_id, 'x'))[f.i]
                AND s.vx IS NOT DISTINCT FROM (ngs.feature(pt, s.nfl_id, 'vx'))[f.i]
                AND s.o IS NOT DISTINCT FROM (ngs.feature(pt, s.nfl_id, 'o'))[f.i]
                AND s.s IS NOT DISTINCT FROM (ngs.feature(pt, s.nfl_id, 's'))[f.i]) AS same_as_feature
FROM bi_plays, ngs.samples(pt) s, array_position(ngs.frame_ids(pt), s.frame_id) AS f(i);
-- a slice with no sample present gives no row; NULL in, NULL out (STRICT)
SELECT count(*) AS absent_rows FROM bi_plays, ngs.samples(ngs.slice(pt, 6, 6)) s WHERE s.nfl_id = 20;
SELECT count(*) AS null_rows FROM ngs.samples(NULL);
SELECT count(*) AS empty_rows
FROM ngs.samples(ngs.play_tensor(array_fill('NaN'::real, ARRAY[2, 1, 8]), '{1, 2}', '{7}', '{offense}'));
-- the result type BI tools see: plain columns
SELECT p.name, format_type(p.type, NULL) AS type
FROM pg_proc f, unnest(f.proallargtypes, f.proargnames, f.proargmodes) WITH ORDINALITY AS p(type, name, mode, i)
WHERE f.oid = 'ngs.samples'::regproc AND p.mode = 'o' ORDER BY p.i;

-- path points: open and closed paths, ordinals from 1; a track reads back point for point
SELECT * FROM ngs.path_points('[(1,2),(3,4.5),(-1e300,0)]'::path);
SELECT * FROM ngs.path_points('((0,0),(1,0),(1,1))'::path);
SELECT * FROM ngs.path_points('[(7,8)]'::path);
SELECT count(*) AS null_rows FROM ngs.path_points(NULL);
SELECT p.* FROM bi_plays, ngs.path_points(ngs.track(pt, 20)) p;
SELECT array_agg(point(p.x, p.y) ORDER BY p.ordinal)::text = (SELECT array_agg(point(x, y) ORDER BY frame_id)::text
                                                             FROM bi_plays, ngs.samples(pt) WHERE nfl_id IS NULL) AS ball_track
FROM bi_plays, ngs.path_points(ngs.track(pt, NULL)) p;

-- quantiles: the same values as ngs.sbp_quantile, bit for bit, in the shape of q
\set pub 'ngs.sbp(0, 10, array_fill(0::float8, array[10]), 0.25, 2, 0.25, 2)'
SELECT ngs.sbp_quantiles(:pub, '{0.1, 0.25, 0.5, 0.75, 0.9}') AS quantiles;
SELECT ngs.sbp_quantiles(:pub, q) = ARRAY(SELECT ngs.sbp_quantile(:pub, x) FROM unnest(q) WITH ORDINALITY u(x, i) ORDER BY i) AS same,
       (SELECT bool_and(float8send(a) = float8send(b))
        FROM unnest(ngs.sbp_quantiles(:pub, q), ARRAY(SELECT ngs.sbp_quantile(:pub, x) FROM unnest(q) WITH ORDINALITY u(x, i) ORDER BY i)) v(a, b)) AS same_bits
FROM (SELECT array_agg(i / 1000.0::float8) AS q FROM generate_series(0, 1000) i) g;
SELECT ngs.sbp_quantiles(:pub, '{0, 1, 0.5}') AS ends, ngs.sbp_quantiles(:pub, '{0.5, NULL}') AS null_level,
       ngs.sbp_quantiles(:pub, '{}') AS empty, ngs.sbp_quantiles(:pub, '[0:1]={0.5,0.9}') AS lower_bound_kept,
       ngs.sbp_quantiles(:pub, '{{0.1, 0.9}, {0.5, 0.5}}') AS two_dimensional,
       ngs.sbp_quantiles(:pub, NULL) IS NULL AS null_array;
-- a level outside [0, 1] is refused, as ngs.sbp_quantile refuses it
SELECT q, try(format('SELECT ngs.sbp_quantiles(%s, %L)', :'pub', q)) AS quantiles,
       try(format('SELECT ngs.sbp_quantile(%s, %L)', :'pub', split_part(trim(q, '{}'), ',', 2))) AS quantile
FROM unnest(ARRAY['{0.5,-0.1}', '{0.5,1.1}', '{0.5,NaN}', '{0.5,Infinity}']) q;
