-- Parity with the PyTorch reference (tools/pass_model.py) on synthetic plays: for random
-- models of several shapes (test/fixtures/pass_m*.safetensors, written by
-- tools/make-parity-fixtures), every network output, CDF value and quantile from the
-- database matches the reference within 1e-5 (relative to the value when it exceeds 1).
BEGIN;
SELECT plan(29);

\set fixtures `cat test/fixtures/pass_synthetic.json`
\set m1 `base64 -w0 test/fixtures/pass_m1.safetensors`
\set m2 `base64 -w0 test/fixtures/pass_m2.safetensors`
\set m3 `base64 -w0 test/fixtures/pass_m3.safetensors`
\set m3_alt `base64 -w0 test/fixtures/pass_m3_alt.safetensors`
\set m4 `base64 -w0 test/fixtures/pass_m4.safetensors`
\set m5 `base64 -w0 test/fixtures/pass_m5.safetensors`

CREATE TEMP TABLE files(model, reference, weights) AS VALUES
    ('m1', 'm1', decode(:'m1', 'base64')), ('m2', 'm2', decode(:'m2', 'base64')),
    ('m3', 'm3', decode(:'m3', 'base64')), ('m3_alt', 'm3', decode(:'m3_alt', 'base64')),
    ('m4', 'm4', decode(:'m4', 'base64')), ('m5', 'm5', decode(:'m5', 'base64'));
SELECT ok(ngs.import_model('parity_' || model, 'pass', weights) > 0, 'the exported model ' || model || ' imports')
FROM files ORDER BY model;

CREATE TEMP TABLE fx AS SELECT :'fixtures'::jsonb AS j;
CREATE TEMP TABLE plays AS
SELECT p->>'name' AS play, (p->>'tensor')::ngs.play_tensor AS pt,
       ARRAY(SELECT CASE WHEN jsonb_typeof(v) = 'null' THEN NULL ELSE v::text::real END
             FROM jsonb_array_elements(p->'context') WITH ORDINALITY e(v, i) ORDER BY i) AS context
FROM fx, jsonb_array_elements(j->'plays') p;

-- one row per (model file, play): the largest deviation of each kind from the reference
CREATE TEMP TABLE deviations AS
SELECT f.model, c->>'play' AS play,
       (SELECT max(abs(o - (c->'outputs'->>(k::int - 1))::float8) / greatest(1, abs((c->'outputs'->>(k::int - 1))::float8)))
        FROM unnest(ngs.pass_network_output(p.pt, p.context[1:s.n], 'parity_' || f.model)) WITH ORDINALITY u(o, k)) AS output,
       (SELECT count(*) FROM unnest(ngs.pass_network_output(p.pt, p.context[1:s.n], 'parity_' || f.model))) =
        jsonb_array_length(c->'outputs') AS same_length,
       (SELECT max(abs(ngs.pass_score(p.pt, p.context[1:s.n], y::text::float8, 'parity_' || f.model) - (c->'cdf'->>(k::int - 1))::float8))
        FROM jsonb_array_elements(fx.j->'yards') WITH ORDINALITY u(y, k)) AS cdf,
       (SELECT max(abs(ngs.sbp_quantile(d, q::text::float8) - (c->'quantile'->>(k::int - 1))::float8)
                   / greatest(1, abs((c->'quantile'->>(k::int - 1))::float8)))
        FROM ngs.pass_distribution(p.pt, p.context[1:s.n], 'parity_' || f.model) d,
             jsonb_array_elements(fx.j->'probabilities') WITH ORDINALITY u(q, k)) AS quantile
FROM files f, fx, jsonb_array_elements(fx.j->'cases') c, plays p,
     LATERAL (SELECT (fx.j->'models'->f.reference->>'context')::int AS n) s
WHERE c->>'model' = f.reference AND p.play = c->>'play';

SELECT cmp_ok(max(output), '<=', 1e-5::float8, model || ': every network output within 1e-5 on ' || count(*) || ' plays')
FROM deviations GROUP BY model ORDER BY model;
SELECT cmp_ok(max(cdf), '<=', 1e-5::float8, model || ': every CDF value within 1e-5')
FROM deviations GROUP BY model ORDER BY model;
SELECT cmp_ok(max(quantile), '<=', 1e-5::float8, model || ': every quantile within 1e-5')
FROM deviations GROUP BY model ORDER BY model;

SELECT diag(format('largest deviations: outputs %s, CDF %s, quantiles %s',
                   max(output)::real, max(cdf)::real, max(quantile)::real)) FROM deviations;
SELECT ok(bool_and(same_length) AND count(*) = 36, 'every (model, play) case compared, with all bins + 4 outputs')
FROM deviations;

SELECT ok(bool_and(ngs.pass_network_output(pt, context[1:3], 'parity_m3') = ngs.pass_network_output(pt, context[1:3], 'parity_m3_alt')),
          'a file laid out by another writer (pretty JSON, escapes, reversed data) gives the same numbers')
FROM plays;

SELECT ok(bool_and(ngs.export_model('parity_' || model) = weights), 'export_model returns every file byte for byte')
FROM files;

-- the same scores from a parallel worker, which resolves and loads the models itself
CREATE TABLE parity_plays AS SELECT * FROM plays;
CREATE FUNCTION pg_temp.explain(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q;
END
$$;
\set scores 'SELECT array_agg(ngs.pass_score(pt, context[1:5], 7.5, ''parity_'' || m) ORDER BY play, m) AS scores FROM parity_plays, unnest(ARRAY[''m2'', ''m4'', ''m5'']) m'
:scores \gset serial_
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL force_parallel_mode = on;
:scores \gset parallel_
SELECT ok(bool_or(line ~ 'Workers Launched: [1-9]'), 'the scores were computed in a parallel worker')
FROM pg_temp.explain(:'scores') line;
RESET force_parallel_mode;
SELECT is(:'parallel_scores'::text, :'serial_scores'::text, 'parallel workers give the serial scores exactly');

SELECT * FROM finish();
ROLLBACK;
