-- Season passing scores in parallel against the same query run serially
-- (max_parallel_workers_per_gather = 0), in the same run: (1) ngs.passing_score over
-- 3 M stored play scores, 40 passers; (2) scoring and aggregating in one query: the real
-- passes (snap to release, as tools/pass_plays.sql cuts them) copied 40 times as 40
-- "seasons", each scored with ngs.pass_score on the default model and aggregated per
-- team and season. Parallel plans use every core (workers = nproc); times are wall-clock,
-- the best of three; the ratio is the speed-up. The benchmark fails unless the parallel
-- plan is really parallel and its scores equal the serial ones exactly.
\o /dev/null
\i tools/pass_plays.sql
CREATE TABLE bench_play_scores AS
SELECT g % 40 AS passer, g % 17 AS season, (g * 0.6180339887498949) % 1 AS u
FROM generate_series(1, CASE current_setting('ngs_bench.plan_only', true) WHEN 'on' THEN 3000 ELSE 3000000 END) g;
CREATE TABLE bench_season_passes AS
SELECT copy AS season, p.possession_team AS team, pp.tensor, pp.context, pp.yards
FROM pass_plays pp JOIN plays p USING (game_id, play_id), generate_series(1, 40) copy;
ANALYZE bench_play_scores, bench_season_passes;

-- the cores a parallel plan may use, and a planner told to use them
SELECT set_config('max_parallel_workers_per_gather', (nproc - 1)::text, false),
       set_config('max_parallel_workers', (nproc - 1)::text, false)
FROM (SELECT :nproc AS nproc) n;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
ALTER TABLE bench_season_passes SET (parallel_workers = 8);

-- a query's parallel and serial timings, after checking its plan and results
CREATE FUNCTION pg_temp.parallel_vs_serial(what text, query text, measures text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    workers text := current_setting('max_parallel_workers_per_gather');
    plan text := '';
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    IF plan !~ 'Partial' OR plan !~ 'Workers Planned' THEN
        RAISE EXCEPTION '% does not run as a parallel partial aggregate: %', what, plan;
    END IF;
    IF current_setting('ngs_bench.plan_only', true) = 'on' THEN
        PERFORM bench_check_plan(what || ' parallel', query, measures);
        RETURN;
    END IF;
    EXECUTE 'CREATE TEMP TABLE parallel_result AS ' || query;
    PERFORM bench_best_of_three(what || ' parallel', query, measures);
    PERFORM set_config('max_parallel_workers_per_gather', '0', false);
    EXECUTE 'CREATE TEMP TABLE serial_result AS ' || query;
    PERFORM bench_best_of_three(what || ' serial', query, measures);
    PERFORM set_config('max_parallel_workers_per_gather', workers, false);
    IF EXISTS (SELECT * FROM parallel_result EXCEPT SELECT * FROM serial_result)
       OR (SELECT count(*) FROM parallel_result) <> (SELECT count(*) FROM serial_result) THEN
        RAISE EXCEPTION '% gives different scores in parallel', what;
    END IF;
    DROP TABLE parallel_result, serial_result;
END $$;
SELECT pg_temp.parallel_vs_serial('stored', $q$
    SELECT season, passer, ngs.passing_score(u) FROM bench_play_scores GROUP BY season, passer $q$,
    'ngs.passing_score(');
-- hash aggregation: under a Sort the leader would read every (TOAST-pointer-sized) row into
-- its sort before the worker starts, and then score them all alone (see the README's FAQ)
SET enable_sort = off;
SELECT pg_temp.parallel_vs_serial('scored', $q$
    SELECT season, team, ngs.passing_score(ngs.pass_score(tensor, context, yards)) FROM bench_season_passes
    GROUP BY season, team $q$, 'ngs.pass_score(');
RESET enable_sort;
\o
SELECT format('passing_score, %s (s, serial vs %s cores)|%s|%s|%s|near-linear (%sx), same scores',
              w.label, :nproc, round(s.seconds::numeric, 3), round(p.seconds::numeric, 3),
              round((s.seconds / p.seconds)::numeric, 2) || 'x', :nproc)
FROM (VALUES ('stored', '3 M stored play scores', 1),
             ('scored', (SELECT count(*) FROM bench_season_passes) || ' passes scored', 2)) w (what, label, n),
     bench_timings s, bench_timings p
WHERE s.what = w.what || ' serial' AND p.what = w.what || ' parallel'
ORDER BY w.n;
DROP TABLE bench_play_scores, bench_season_passes;
