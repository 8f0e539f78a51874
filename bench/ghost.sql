-- ngs.ghost_trajectory against a constant-velocity extrapolation written in SQL (the last
-- velocity carried forward 10 frames, as a path), on the same inputs: every window of a
-- defensive back in the first second after pass_forward, each play cut to the 3 frames the
-- prediction reads (stored uncompressed). Times are the best of three serial runs; the
-- ratio is the baseline's time over ngs's.
SET max_parallel_workers_per_gather = 0;
\o /dev/null
\i tools/ghost_plays.sql
CREATE TEMP TABLE bench_windows (game_id bigint, play_id int, s ngs.play_tensor, defender int, target int, at_frame int);
ALTER TABLE bench_windows ALTER COLUMN s SET STORAGE PLAIN;
INSERT INTO bench_windows
SELECT g.game_id, g.play_id, ngs.slice(g.tensor, w.at_frame - 2, w.at_frame), w.defender, g.target, w.at_frame
FROM ghost_plays g, ngs.ghost_windows(g.tensor, g.defenders, g.target, g.release_frame, g.release_frame + 9) w;
-- one row per play and frame, with the defensive backs of its windows, for the set-returning function
CREATE TEMP TABLE bench_frames AS
SELECT game_id, play_id, at_frame, min(target) AS target, array_agg(defender ORDER BY defender) AS defenders,
       (array_agg(s))[1] AS s
FROM bench_windows GROUP BY game_id, play_id, at_frame;
ALTER TABLE bench_frames ALTER COLUMN s SET STORAGE PLAIN;
ANALYZE bench_windows, bench_frames;
SELECT bench_best_of_three('constant velocity', $q$
    SELECT count((SELECT ('[' || string_agg(format('(%s,%s)', x + t * 0.1 * vx, y + t * 0.1 * vy), ',' ORDER BY t) || ']')::path
                  FROM generate_series(1, 10) t))
    FROM (SELECT (ngs.feature(s, defender, 'x'))[3] AS x, (ngs.feature(s, defender, 'y'))[3] AS y,
                 (ngs.feature(s, defender, 'vx'))[3] AS vx, (ngs.feature(s, defender, 'vy'))[3] AS vy
          FROM bench_windows) f $q$, 'string_agg(format(');
SELECT bench_best_of_three('ghost', $q$
    SELECT count(ngs.ghost_trajectory(s, defender, target, at_frame)) FROM bench_windows $q$, 'ngs.ghost_trajectory(');
SELECT bench_best_of_three('ghosts', $q$
    SELECT count(g.trajectory)
    FROM bench_frames b, ngs.ghost_trajectories(b.s, b.target, b.at_frame, defenders => b.defenders) g $q$, 'ngs.ghost_trajectories(');
CREATE TEMP TABLE counts AS
SELECT count(*) AS windows,
       (SELECT sum(cardinality(defenders)) FROM bench_frames) AS set_windows
FROM bench_windows;
\o
SELECT format('ghost_trajectory (us per trajectory, %s)|%s|%s|%s|<= 20 us', c.windows,
              round((1e6 * b.seconds / c.windows)::numeric, 2), round((1e6 * g.seconds / c.windows)::numeric, 2),
              round((b.seconds / g.seconds)::numeric, 2) || 'x')
FROM counts c, bench_timings b, bench_timings g WHERE b.what = 'constant velocity' AND g.what = 'ghost';
SELECT format('ghost_trajectories (us per trajectory, %s)|%s|%s|%s|<= 20 us', c.set_windows,
              round((1e6 * b.seconds / c.windows)::numeric, 2), round((1e6 * g.seconds / c.set_windows)::numeric, 2),
              round((b.seconds / c.windows / (g.seconds / c.set_windows))::numeric, 2) || 'x')
FROM counts c, bench_timings b, bench_timings g WHERE b.what = 'constant velocity' AND g.what = 'ghosts';
