-- The pass model evaluation (run by tools/pass-eval; psql variables: model, holdout).
-- Plays: tools/pass_plays.sql.  Evaluated: the plays where :holdout holds.  For every
-- evaluated play, each method's predicted distribution gives the CRPS at the yards gained,
-- the absolute error of its median, and a PIT value u (for the SBPs randomised over the
-- integer yards: u = F(y - 1/2) + V (F(y + 1/2) - F(y - 1/2)), V uniform from a seeded
-- hash of the play; for the Gaussian its CDF at y).
--   model     ngs.pass_distribution(tensor, context, :model)
--   gaussian  ngs.train_pass_gaussian on the plays with fold <> 0 outside the holdout,
--             with the model's own training options (same TCN and MLP sizes, seed, epochs)
--   baseline  the model's baseline.sbp: ngs.sbp_fit over the yards it was trained on
\set QUIET on
\pset footer off
\i tools/pass_plays.sql

CREATE TEMP TABLE eval_plays AS
SELECT row_number() OVER (ORDER BY game_id, play_id) AS key, *
FROM pass_plays WHERE (:holdout);
CREATE TEMP TABLE train_plays AS
SELECT * FROM pass_plays WHERE fold <> 0 AND NOT (:holdout);

SELECT m.id AS model_id, (m.options->>'train.options')::jsonb - 'bins' - 'lower' - 'upper' - 'alpha' AS gaussian_options,
       (SELECT count(*) > 0 FROM train_plays) AS have_training
FROM ngs.model m WHERE m.id = ngs.model_id(:'model') \gset
CREATE TEMP TABLE baseline AS
SELECT (options->>'baseline.sbp')::ngs.sbp AS d FROM ngs.model WHERE id = :model_id;

-- A uniform number in [0, 1) from a play's key (ngs.kfold's hash, seed 11).
CREATE FUNCTION pg_temp.uniform(game_id bigint, play_id int)
RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT ngs.kfold(game_id::text || '/' || play_id, 1000000, 11) / 1e6
$$;
-- The randomised PIT value of integer yards y under d.
CREATE FUNCTION pg_temp.pit(d ngs.sbp, y float8, v float8)
RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT ngs.sbp_cdf(d, y - 0.5) + v * (ngs.sbp_cdf(d, y + 0.5) - ngs.sbp_cdf(d, y - 0.5))
$$;

CREATE TEMP TABLE results(method text, key bigint, source text, crps float8, ae float8, u float8);
INSERT INTO results
SELECT m.method, e.key, e.source, ngs.sbp_crps(m.d, e.yards), abs(ngs.sbp_median(m.d) - e.yards),
       pg_temp.pit(m.d, e.yards, pg_temp.uniform(e.game_id, e.play_id))
FROM eval_plays e,
     LATERAL (VALUES ('model', ngs.pass_distribution(e.tensor, e.context, :'model')),
                     ('baseline', (SELECT d FROM baseline))) m(method, d)
WHERE m.d IS NOT NULL;

\if :have_training
\echo training the Gaussian network (NOTICE per epoch) ...
INSERT INTO results
SELECT 'gaussian', g.key, e.source, g.crps, abs(g.mean - e.yards), g.u
FROM ngs.train_pass_gaussian('SELECT tensor, context, yards, game_id FROM train_plays ORDER BY game_id, play_id',
                             'SELECT key, tensor, context, yards FROM eval_plays ORDER BY key',
                             :'gaussian_options') g
JOIN eval_plays e USING (key);
\endif

\pset tuples_only on
SELECT format('pass model %s (id %s) on %s plays of %s games (held out: %s); %s',
              :'model', :model_id, count(*), count(DISTINCT game_id), :'holdout',
              CASE WHEN :'have_training'::boolean
                   THEN format('Gaussian network trained on the %s plays of %s games with fold <> 0 outside the holdout',
                               (SELECT count(*) FROM train_plays), (SELECT count(DISTINCT game_id) FROM train_plays))
                   ELSE 'no Gaussian network: no plays with fold <> 0 outside the holdout' END)
FROM eval_plays;
SELECT format('evaluated plays by source: %s', string_agg(format('%s %s', source, n), ', ' ORDER BY source))
FROM (SELECT source, count(*) AS n FROM eval_plays GROUP BY source) s;
\pset tuples_only off

SELECT CASE method WHEN 'model' THEN 'SBP network (' || :'model' || ')' WHEN 'gaussian' THEN 'Gaussian network, same size'
                   ELSE 'no-context baseline (sbp_fit)' END AS "method",
       count(*) AS "plays", round(avg(crps)::numeric, 3) AS "mean CRPS (yd)",
       round(avg(ae)::numeric, 3) AS "MAE of the median (yd)"
FROM results GROUP BY method ORDER BY min(CASE method WHEN 'model' THEN 1 WHEN 'gaussian' THEN 2 ELSE 3 END);

SELECT source AS "by source", count(*) FILTER (WHERE method = 'model') AS "plays",
       round(avg(crps) FILTER (WHERE method = 'model')::numeric, 2) AS "CRPS SBP",
       round(avg(crps) FILTER (WHERE method = 'gaussian')::numeric, 2) AS "CRPS Gaussian",
       round(avg(crps) FILTER (WHERE method = 'baseline')::numeric, 2) AS "CRPS baseline",
       round(avg(ae) FILTER (WHERE method = 'model')::numeric, 2) AS "MAE SBP",
       round(avg(ae) FILTER (WHERE method = 'gaussian')::numeric, 2) AS "MAE Gaussian",
       round(avg(ae) FILTER (WHERE method = 'baseline')::numeric, 2) AS "MAE baseline"
FROM results GROUP BY source ORDER BY source;

SELECT method AS "PIT histogram (10 bins of u)", ngs.pit_histogram(u, 10) AS "plays per bin"
FROM results GROUP BY method ORDER BY min(CASE method WHEN 'model' THEN 1 WHEN 'gaussian' THEN 2 ELSE 3 END);
