-- Parity with the PyTorch reference (tools/pass_model.py) on synthetic plays: for random
-- models of several shapes (test/fixtures/pass_m*.safetensors, written by
-- tools/make-parity-fixtures), every network output, CDF value and quantile from the
-- database matches the reference within 1e-5 (relative to the value where it exceeds 1).
BEGIN;
SELECT plan(29);

\set fixtures `cat test/fixtures/pass_synthetic.json`
CREATE TEMP TABLE parity_inputs AS
SELECT p->>'name' AS label, (p->>'tensor')::ngs.play_tensor AS pt,
       ARRAY(SELECT CASE WHEN jsonb_typeof(v) = 'null' THEN NULL ELSE v::text::real END
             FROM jsonb_array_elements(p->'context') WITH ORDINALITY e(v, i) ORDER BY i) AS context
FROM jsonb_array_elements(:'fixtures'::jsonb->'plays') p;
\i test/fixtures/pass_parity.psql

SELECT ok(bool_and(ngs.pass_network_output(pt, context[1:3], 'parity_m3') = ngs.pass_network_output(pt, context[1:3], 'parity_m3_alt')),
          'a file laid out by another writer (pretty JSON, escapes, reversed data) gives the same numbers')
FROM parity_inputs;

SELECT ok(bool_and(ngs.export_model('parity_' || model) = weights), 'export_model returns every file byte for byte')
FROM files;

-- the same scores from a parallel worker, which resolves and loads the models itself
CREATE TABLE parity_plays AS SELECT * FROM parity_inputs;
CREATE FUNCTION pg_temp.explain(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q;
END
$$;
\set scores 'SELECT array_agg(ngs.pass_score(pt, context[1:5], 7.5, ''parity_'' || m) ORDER BY label, m) AS scores FROM parity_plays, unnest(ARRAY[''m2'', ''m4'', ''m5'']) m'
:scores \gset serial_
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
-- force_parallel_mode is called debug_parallel_query from PostgreSQL 16 on
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query'
            ELSE 'force_parallel_mode' END AS force_parallel \gset
SET LOCAL :force_parallel = on;
:scores \gset parallel_
SELECT ok(bool_or(line ~ 'Workers Launched: [1-9]'), 'the scores were computed in a parallel worker')
FROM pg_temp.explain(:'scores') line;
RESET :force_parallel;
SELECT is(:'parallel_scores'::text, :'serial_scores'::text, 'parallel workers give the serial scores exactly');

SELECT * FROM finish();
ROLLBACK;
