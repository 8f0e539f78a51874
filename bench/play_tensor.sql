-- Building and storing play tensors, against plain SQL over the same rows. Every timed query
-- consumes what it builds (sum of ngs.frames of each tensor, of cardinality of each array):
-- a count(*) over the subquery would let the planner drop the aggregate (EXPLAIN VERBOSE
-- shows NULL::ngs.play_tensor), and bench_best_of_three checks the plan for it.
-- Baselines over the same rows, grouped the same way (GROUP BY game_id, play_id):
--   floor     count(*) per play: the scan and the grouping alone, the least any build costs
--   array_agg array_agg of the six tracked values per play, in frame and entity order
--   features  the same content as the tensor in plain SQL: velocity components from s and
--             dir, accelerations as central differences over window functions, then
--             array_agg of the eight features per play into a real[] in frame and entity order
-- Rates are the best of three serial runs; each ratio is the baseline's time over ngs's.
SET max_parallel_workers_per_gather = 0;
\o /dev/null
SELECT bench_best_of_three('floor', $q$
    SELECT sum(n) FROM (SELECT game_id, play_id, count(*) AS n FROM tracking GROUP BY game_id, play_id) s $q$,
    'count(*)');
SELECT bench_best_of_three('array_agg', $q$
    SELECT sum(cardinality(a)) FROM (
        SELECT game_id, play_id, array_agg(ARRAY[x, y, s, a, dir, o] ORDER BY frame_id, role, nfl_id) AS a
        FROM tracking GROUP BY game_id, play_id) s $q$,
    'array_agg(ARRAY[tracking.x');
SELECT bench_best_of_three('arrays', $q$
    SELECT sum(cardinality(a)) FROM (
        SELECT game_id, play_id, array_agg(ARRAY[x, y, vx, vy, ax, ay, dir, o] ORDER BY frame_id, role, nfl_id) AS a
        FROM (SELECT game_id, play_id, frame_id, role, nfl_id, x, y, vx, vy, dir, o,
                     (lead(vx) OVER w - lag(vx) OVER w) / 0.2 AS ax,
                     (lead(vy) OVER w - lag(vy) OVER w) / 0.2 AS ay
              FROM (SELECT *, s * sind(dir) AS vx, s * cosd(dir) AS vy FROM tracking) v
              WINDOW w AS (PARTITION BY game_id, play_id, nfl_id ORDER BY frame_id)) d
        GROUP BY game_id, play_id) s $q$,
    'array_agg(ARRAY[(');
SELECT bench_best_of_three('tensors', $q$
    SELECT sum(ngs.frames(t)) FROM (SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) AS t
                                    FROM tracking GROUP BY game_id, play_id) s $q$,
    'ngs.play_tensor_agg(');

-- storage of the NGS highlights: rows, plain arrays of the six tracked values, tensors
CREATE TEMP TABLE highlight_rows AS
    SELECT t.* FROM tracking t JOIN plays p USING (game_id, play_id) WHERE p.source = 'ngs_highlights';
CREATE TEMP TABLE highlight_arrays AS
    SELECT game_id, play_id, array_agg(ARRAY[x, y, s, a, dir, o] ORDER BY frame_id, nfl_id) AS a
    FROM highlight_rows GROUP BY game_id, play_id;
CREATE TEMP TABLE highlight_tensors AS
    SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) AS t
    FROM highlight_rows GROUP BY game_id, play_id;
\o
SELECT format('play_tensor_agg vs %s (M rows/s, serial)|%s|%s|%s|%s',
              w.label, round((n / b.seconds / 1e6)::numeric, 2), round((n / t.seconds / 1e6)::numeric, 2),
              round((b.seconds / t.seconds)::numeric, 2) || 'x', w.target)
FROM (SELECT count(*) AS n FROM tracking) c, bench_timings t, bench_timings b,
     (VALUES (1, 'arrays', 'the same features in plain SQL', '>= 1.5 M rows/s, >= 3x'),
             (2, 'array_agg', 'array_agg of the same rows', 'near 1x (no slower than copying)'),
             (3, 'floor', 'the count(*) GROUP BY floor', 'reported (the floor is always faster)')) w (k, what, label, target)
WHERE t.what = 'tensors' AND b.what = w.what
ORDER BY w.k;
SELECT format('highlights stored as rows vs tensors (MB)|%s|%s|%s|>= 6x smaller',
              round(r / 1e6), round(t / 1e6), round((r / t)::numeric, 1) || 'x smaller')
FROM (SELECT pg_total_relation_size('highlight_rows')::float8 AS r, pg_total_relation_size('highlight_tensors')::float8 AS t) s;
SELECT format('highlights stored as arrays vs tensors (MB)|%s|%s|%s|<= 1x',
              round(a / 1e6), round(t / 1e6), round((t / a)::numeric, 2) || 'x')
FROM (SELECT pg_total_relation_size('highlight_arrays')::float8 AS a, pg_total_relation_size('highlight_tensors')::float8 AS t) s;
