-- Evaluation aggregates under a forced parallel plan: Partial Aggregate in the plan,
-- workers that really run, and exactly (bit for bit) the serial result.
BEGIN;
SELECT plan(5);

SELECT setseed(0.5);
CREATE TABLE par_rows AS
SELECT round(random() * 1000) / 1000 AS score, random() < 0.4 AS label, random() AS p,
       random() AS u, g % 7 AS grp
FROM generate_series(1, 100000) g;
ANALYZE par_rows;

-- EXPLAIN ANALYZE of the query below, as one text
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;

-- every aggregate, per group and over all rows, as one text (grouping sets are never parallel)
\set query 'SELECT string_agg(r, E''\n'' ORDER BY grp NULLS LAST) FROM (SELECT grp, ROW(ngs.roc_auc(score, label), ngs.average_precision(score, label), ngs.brier(p, label), ngs.log_loss(p, label), ngs.pit_histogram(u, 20), ngs.reliability(p, label, 10))::text AS r FROM par_rows GROUP BY grp UNION ALL SELECT NULL, ROW(ngs.roc_auc(score, label), ngs.average_precision(score, label), ngs.brier(p, label), ngs.log_loss(p, label), ngs.pit_histogram(u, 20), ngs.reliability(p, label, 10))::text FROM par_rows) g'

SET LOCAL max_parallel_workers_per_gather = 0;
SELECT pg_temp.plan_of(:'query') AS serial_plan \gset
:query \gset serial_

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT pg_temp.plan_of(:'query') AS parallel_plan \gset
:query \gset parallel_

SELECT unalike(:'serial_plan'::text, '%Partial Aggregate%',
               'with max_parallel_workers_per_gather = 0 the plan is serial');
SELECT alike(:'parallel_plan'::text, '%Gather%Partial Aggregate%',
             'with parallel costs at 0 the plan shows Partial Aggregate under a Gather');
SELECT alike(:'parallel_plan'::text, '%Workers Launched: 2%', 'two parallel workers run the partial aggregates');
SELECT is(:'parallel_string_agg'::text, :'serial_string_agg',
          'the parallel results equal the serial ones exactly, per group and over all rows');
SELECT is(array_length(regexp_split_to_array(:'serial_string_agg', E'\n'), 1), 8,
          'the compared results hold all 7 groups and the total');

SELECT * FROM finish();
ROLLBACK;
