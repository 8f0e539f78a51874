-- Building and storing play tensors, against plain SQL arrays of the same rows.
-- The build baseline makes the same content with plain SQL: velocity components from s and
-- dir, accelerations as central differences over window functions, then array_agg of the
-- eight features per play into a real[] in frame and entity order.
-- Rates are the best of three serial runs; the ratio is ngs over the baseline.
SET max_parallel_workers_per_gather = 0;
\o /dev/null
SELECT bench_best_of_three('arrays', $q$
    SELECT count(*) FROM (
        SELECT game_id, play_id, array_agg(ARRAY[x, y, vx, vy, ax, ay, dir, o] ORDER BY frame_id, role, nfl_id) AS a
        FROM (SELECT game_id, play_id, frame_id, role, nfl_id, x, y, vx, vy, dir, o,
                     (lead(vx) OVER w - lag(vx) OVER w) / 0.2 AS ax,
                     (lead(vy) OVER w - lag(vy) OVER w) / 0.2 AS ay
              FROM (SELECT *, s * sind(dir) AS vx, s * cosd(dir) AS vy FROM tracking) v
              WINDOW w AS (PARTITION BY game_id, play_id, nfl_id ORDER BY frame_id)) d
        GROUP BY game_id, play_id) s $q$);
SELECT bench_best_of_three('tensors', $q$
    SELECT count(*) FROM (SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) AS t
                          FROM tracking GROUP BY game_id, play_id) s $q$);

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
SELECT format('play_tensor_agg (M rows/s, serial)|%s|%s|%s|>= 1.5 M rows/s, >= 3x',
              round((n / a.seconds / 1e6)::numeric, 2), round((n / t.seconds / 1e6)::numeric, 2),
              round((a.seconds / t.seconds)::numeric, 2) || 'x')
FROM (SELECT count(*) AS n FROM tracking) c, bench_timings a, bench_timings t WHERE a.what = 'arrays' AND t.what = 'tensors';
SELECT format('highlights stored as rows vs tensors (MB)|%s|%s|%s|>= 6x smaller',
              round(r / 1e6), round(t / 1e6), round((r / t)::numeric, 1) || 'x smaller')
FROM (SELECT pg_total_relation_size('highlight_rows')::float8 AS r, pg_total_relation_size('highlight_tensors')::float8 AS t) s;
SELECT format('highlights stored as arrays vs tensors (MB)|%s|%s|%s|<= 1x',
              round(a / 1e6), round(t / 1e6), round((t / a)::numeric, 2) || 'x')
FROM (SELECT pg_total_relation_size('highlight_arrays')::float8 AS a, pg_total_relation_size('highlight_tensors')::float8 AS t) s;
