-- What every benchmark times with (bench/run, tools/bench-season and test/shell/bench_plans.sh
-- load it): the table bench_timings, bench_check_plan and bench_best_of_three.
-- Every timed query names the expression it measures; bench_check_plan fails unless that
-- expression is in the query's EXPLAIN VERBOSE plan, so that a benchmark cannot time a
-- query from which the planner dropped the work (an unused aggregate in a count(*)
-- subquery becomes NULL::type). With the setting ngs_bench.plan_only = 'on' the queries are
-- only checked, not run (the test of every benchmark's plans).
CREATE TABLE IF NOT EXISTS bench_timings (what text, seconds float8);
CREATE TABLE IF NOT EXISTS bench_plans_checked (what text, measures text);

-- fails unless the EXPLAIN VERBOSE plan of query contains the text measures
CREATE OR REPLACE FUNCTION bench_check_plan(what text, query text, measures text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    plan text := '';
    line text;
BEGIN
    IF coalesce(measures, '') = '' THEN
        RAISE EXCEPTION 'benchmark "%" names no measured expression', what;
    END IF;
    FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    IF strpos(plan, measures) = 0 THEN
        RAISE EXCEPTION 'benchmark "%" does not compute %: the planner dropped it', what, measures
            USING DETAIL = plan, HINT = 'Consume the measured expression''s value in the query''s output.';
    END IF;
    INSERT INTO bench_plans_checked VALUES (what, measures);
END $$;

-- records the best of three runs of query, in seconds, in bench_timings, after checking
-- that its plan computes measures
CREATE OR REPLACE FUNCTION bench_best_of_three(what text, query text, measures text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best float8 := 'Infinity';
BEGIN
    PERFORM bench_check_plan(what, query, measures);
    IF current_setting('ngs_bench.plan_only', true) = 'on' THEN
        RETURN;
    END IF;
    FOR i IN 1..3 LOOP
        t0 := clock_timestamp();
        EXECUTE query;
        best := least(best, extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
    INSERT INTO bench_timings VALUES (what, best);
END $$;
