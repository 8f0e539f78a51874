-- Training the pass model in the database, its Gaussian sibling, the default context,
-- and every rejected call, one per line
\set VERBOSITY default
SET client_min_messages = warning;

-- the default model's context from named arguments (NULL: a missing value)
SELECT ngs.pass_context(down => 3, yards_to_go => 7, yards_to_goal => 45, quarter => 2, score_diff => -4);
SELECT ngs.pass_context(quarter => 4, down => 1, yards_to_go => 10, yards_to_goal => 75, score_diff => NULL);

-- 48 synthetic plays in 8 games: 2 offensive players, 2 defenders and the ball over 6 to
-- 13 frames; the yards follow the first context value
CREATE FUNCTION pg_temp.train_play(i int, frames int, standardized boolean DEFAULT true) RETURNS ngs.play_tensor LANGUAGE sql AS $$
    SELECT format('{"version":1,"standardized":%s,"frame_ids":%s,"nfl_ids":[11,12,21,22,null],'
                  '"roles":["offense","offense","defense","defense","ball"],"data":%s}',
                  standardized::text, (SELECT json_agg(f) FROM generate_series(1, frames) f),
                  (SELECT json_agg((SELECT json_agg((SELECT json_agg(round((10 * sin(i * 1.3 + e * 0.7 + k) + f * (k % 3) * 0.1)::numeric, 2))
                                                     FROM generate_series(0, 7) k))
                                    FROM unnest(ARRAY[11, 12, 21, 22, 30]) e))
                   FROM generate_series(1, frames) f))::ngs.play_tensor
$$;
CREATE TEMP TABLE plays AS
SELECT i, (i % 8)::bigint AS game, pg_temp.train_play(i, 6 + i % 8) AS tensor,
       ARRAY[i % 4 + 1, (i * 7) % 10]::real[] AS context, ((i % 4) * 6 + (i * 5) % 7 - 2)::float8 AS yards
FROM generate_series(1, 48) i;
\set source 'SELECT tensor, context, yards, game FROM plays ORDER BY i'
\set small '{"channels": 4, "levels": 2, "hidden": [8], "bins": 8, "lower": -5.5, "upper": 26.5, "epochs": 3, "seed": 3}'

-- a model: its catalog row carries the weight file's metadata (the options and the run)
SELECT ngs.train_pass_model('small', :'source', :'small') AS small_id \gset
SELECT kind, options->>'sbp.lower' AS lower, options->>'sbp.upper' AS upper, options->>'train.plays' AS plays,
       options->>'train.games' AS games, options->>'validation.plays' AS validation_plays,
       options->>'validation.games' AS validation_games, options->>'train.epochs' AS epochs,
       options->>'train.options' AS train_options
FROM ngs.model WHERE id = :small_id;
SELECT jsonb_array_length((options->>'train.history')::jsonb) AS history_epochs,
       (options->>'baseline.sbp')::ngs.sbp IS NOT NULL AS has_baseline
FROM ngs.model WHERE id = :small_id;
-- the scoring functions read it, and its validation loss is theirs (float32 sums agree to 1e-5)
SELECT bool_and(u > 0 AND u < 1) AS scores_in_0_1, count(*) AS plays
FROM plays, ngs.pass_score(tensor, context, yards, 'small') u;
SELECT abs(avg(-ngs.sbp_logpdf(ngs.pass_distribution(tensor, context, 'small'), yards))
           - (SELECT (options->>'validation.loss')::float8 FROM ngs.model WHERE id = :small_id)) < 1e-5 AS same_validation_loss
FROM plays WHERE ngs.kfold(game, 5, 3) = 0;

-- the same seed and rows give the same weights; another seed other weights
SELECT ngs.train_pass_model('small', :'source', :'small') AS again_id \gset
SELECT ngs.train_pass_model('small', :'source', (:'small')::jsonb || '{"seed": 5}') AS other_id \gset
SELECT ngs.export_model(:'small_id') = ngs.export_model(:'again_id') AS same_weights,
       ngs.export_model(:'small_id') = ngs.export_model(:'other_id') AS same_as_other_seed;

-- early stopping: the run ends `patience` epochs after its best, and keeps the best
SELECT ngs.train_pass_model('patient', :'source', (:'small')::jsonb || '{"epochs": 200, "patience": 2, "learning_rate": 0.05}') AS patient_id \gset
SELECT (options->>'train.epochs')::int < 200 AS stopped_early,
       (options->>'train.epochs')::int - (options->>'train.best_epoch')::int AS epochs_after_best,
       abs((SELECT min((h->>1)::float8) FROM jsonb_array_elements((options->>'train.history')::jsonb) h)
           - (options->>'validation.loss')::float8) < 1e-7 AS kept_the_best
FROM ngs.model WHERE id = :patient_id;

-- without a game column and without validation: every epoch runs, the last is kept
SELECT ngs.train_pass_model('no_game', 'SELECT tensor, context, yards FROM plays ORDER BY i',
                            (:'small')::jsonb || '{"validation_folds": 0}') AS no_game_id \gset
SELECT options->>'train.epochs' AS epochs, options->>'train.best_epoch' AS best_epoch,
       options->>'validation.plays' AS validation_plays, options ? 'validation.loss' AS has_validation_loss
FROM ngs.model WHERE id = :no_game_id;

-- rows without a tensor or yards are skipped; context names are checked and stored
SELECT ngs.train_pass_model('named', 'SELECT tensor, context, yards, game FROM plays UNION ALL SELECT NULL, ''{1,2}'', 3, 1 ORDER BY 4, 3',
                            (:'small')::jsonb || '{"context_names": ["down", "distance"], "epochs": 1}') AS named_id \gset
SELECT options->>'context.names' AS names, options->>'train.skipped_rows' AS skipped FROM ngs.model WHERE id = :named_id;
SELECT ngs.pass_score(tensor, '{1}', 0, 'named') FROM plays LIMIT 1;

-- yards all equal: the model trains; the no-context baseline, which needs two distinct
-- values, is left out of its metadata
SELECT ngs.train_pass_model('constant', 'SELECT tensor, context, 7::float8, game FROM plays', (:'small')::jsonb || '{"epochs": 1}') AS constant_id \gset
SELECT options ? 'baseline.sbp' AS has_baseline FROM ngs.model WHERE id = :constant_id;
SELECT ngs.drop_model('constant');

-- the Gaussian network: a prediction per row of predict_query; NULL yards give NULL crps and u
SELECT count(*) AS predictions, bool_and(sd > 0) AS positive_sd, bool_and(crps > 0) AS positive_crps,
       bool_and(u > 0 AND u < 1) AS u_in_0_1, count(*) FILTER (WHERE crps IS NULL AND u IS NULL) AS without_yards,
       count(DISTINCT key) AS keys
FROM ngs.train_pass_gaussian(:'source',
                             'SELECT i::bigint, tensor, context, CASE WHEN i % 6 <> 0 THEN yards END FROM plays',
                             '{"channels": 4, "levels": 2, "hidden": [8], "epochs": 2, "seed": 3}');
-- its CRPS is the Gaussian's closed form: against numerical integration of (F - 1{x >= y})^2
-- on a grid of sd/200 over mean +- 8 sd, F the running sum of the density
WITH g AS (
    SELECT g.mean, g.sd, g.crps, p.yards AS y
    FROM ngs.train_pass_gaussian(:'source', 'SELECT i::bigint, tensor, context, yards FROM plays WHERE i IN (5, 6)',
                                 '{"channels": 4, "levels": 2, "hidden": [8], "epochs": 1, "seed": 3}') g
    JOIN plays p ON p.i = g.key
), grid AS (
    SELECT g.*, g.mean + g.sd * j / 200.0 AS x FROM g, generate_series(-1600, 1600) j
), cdf AS (
    SELECT *, sum(exp(-0.5 * ((x - mean) / sd) ^ 2) / sqrt(2 * pi()) / 200.0) OVER (PARTITION BY y ORDER BY x) AS f FROM grid
)
SELECT bool_and(abs(integral - crps) < 0.01 * sd) AS crps_matches_integration, count(*) AS plays
FROM (SELECT y, min(crps) AS crps, min(sd) AS sd,
             sum(CASE WHEN x < y THEN f * f ELSE (1 - f) * (1 - f) END * sd / 200.0) AS integral
      FROM cdf GROUP BY y) c;

-- cancelled by statement_timeout: an error, and no model row
SET statement_timeout = '200ms';
SELECT ngs.train_pass_model('timeout', :'source', '{"epochs": 10000, "patience": 10000, "channels": 64}');
RESET statement_timeout;
SELECT count(*) AS timeout_models FROM ngs.model WHERE name = 'timeout';

-- storing a model needs EXECUTE on ngs.import_model, checked before training
CREATE ROLE regress_pass_trainer;
SET ROLE regress_pass_trainer;
SELECT ngs.train_pass_model('denied', 'SELECT 1', '{}');
RESET ROLE;
DROP ROLE regress_pass_trainer;

-- rejected options
SELECT ngs.train_pass_model('x', :'source', '[]');
SELECT ngs.train_pass_model('x', :'source', '{"epoch": 5}');
SELECT ngs.train_pass_model('x', :'source', '{"channels": 0}');
SELECT ngs.train_pass_model('x', :'source', '{"channels": 1.5}');
SELECT ngs.train_pass_model('x', :'source', '{"channels": 2.0000000000000000001}');
SELECT ngs.train_pass_model('x', :'source', '{"channels": 1e1000}');
SELECT ngs.train_pass_model('x', :'source', '{"channels": "8"}');
SELECT ngs.train_pass_model('x', :'source', '{"levels": 11}');
SELECT ngs.train_pass_model('x', :'source', '{"kernel": 17}');
SELECT ngs.train_pass_model('x', :'source', '{"hidden": 64}');
SELECT ngs.train_pass_model('x', :'source', '{"hidden": [0]}');
SELECT ngs.train_pass_model('x', :'source', '{"hidden": [8, 8, 8, 8, 8, 8, 8, 8]}');
SELECT ngs.train_pass_model('x', :'source', '{"bins": 1}');
SELECT ngs.train_pass_model('x', :'source', '{"bins": 1001}');
SELECT ngs.train_pass_model('x', :'source', '{"lower": 10, "upper": 5}');
SELECT ngs.train_pass_model('x', :'source', '{"lower": 1e1000}');
-- an SBP range too wide for a double, or too narrow for its bins, before the source runs
SELECT ngs.train_pass_model('x', 'SELECT 1', '{"lower": -1e308, "upper": 1e308}');
SELECT ngs.train_pass_model('x', 'SELECT 1', '{"lower": 1e15, "upper": 1000000000000000.1, "bins": 1000}');
SELECT ngs.train_pass_model('x', :'source', '{"alpha": 0.5}');
SELECT ngs.train_pass_model('x', :'source', '{"epochs": 0}');
SELECT ngs.train_pass_model('x', :'source', '{"patience": 0}');
SELECT ngs.train_pass_model('x', :'source', '{"batch_size": 0}');
SELECT ngs.train_pass_model('x', :'source', '{"learning_rate": 0}');
SELECT ngs.train_pass_model('x', :'source', '{"learning_rate": 2}');
SELECT ngs.train_pass_model('x', :'source', '{"learning_rate": 1e1000}');
SELECT ngs.train_pass_model('x', :'source', '{"weight_decay": -1}');
SELECT ngs.train_pass_model('x', :'source', '{"seed": 1e10}');
SELECT ngs.train_pass_model('x', :'source', '{"seed": 2.5}');
SELECT ngs.train_pass_model('x', :'source', '{"validation_folds": 1}');
SELECT ngs.train_pass_model('x', :'source', '{"context_names": "down"}');
SELECT ngs.train_pass_model('x', :'source', '{"context_names": ["a,b"]}');
SELECT ngs.train_pass_model('x', :'source', '{"context_names": ["down"]}');
SELECT * FROM ngs.train_pass_gaussian(:'source', 'SELECT 1', '{"bins": 8}');

-- rejected source rows
SELECT ngs.train_pass_model('x', 'SELECT 1', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, yards::int, game FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, yards FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, NULL::real[], yards, game FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, yards, NULL::bigint FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, ''NaN''::float8, game FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT pg_temp.train_play(1, 8, false), ''{}''::real[], 1::float8, 1::bigint', '{}');
SELECT ngs.train_pass_model('x', 'SELECT pg_temp.train_play(1, 3), ''{}''::real[], 1::float8, 1::bigint', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context[1:1 + i % 2], yards, game FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, array_fill(1::real, ARRAY[65]), yards, game FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, ARRAY[[1, 2]]::real[], yards, game FROM plays', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, yards, game FROM plays WHERE false', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, yards, game FROM plays', '{"seed": 4}');
SELECT ngs.train_pass_model('x', 'SELEC', '{}');
SELECT ngs.train_pass_model('x', '', '{}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, yards, game FROM plays; SELECT 1', '{}');
SELECT ngs.train_pass_model('x', 'DELETE FROM plays RETURNING tensor, context, yards, game', '{}');
SELECT ngs.train_pass_model('x', 'SELECT pg_temp.train_play(1, 4096), ''{}''::real[], 1::float8, 1::bigint',
                            '{"channels": 512, "levels": 10, "kernel": 16, "validation_folds": 0}');
SELECT ngs.train_pass_model('x', 'SELECT pg_temp.train_play(1, 4096), ''{}''::real[], 1::float8, 1::bigint',
                            '{"channels": 384, "levels": 10, "kernel": 4, "validation_folds": 0}');
SELECT ngs.train_pass_model('x', 'SELECT tensor, context, CASE WHEN i = 1 THEN 1e300 ELSE yards END, game FROM plays', '{}');
SELECT ngs.train_pass_model('', :'source', '{"epochs": 1}');
SELECT * FROM ngs.train_pass_gaussian(:'source', 'SELECT tensor FROM plays', '{"epochs": 1}');
SELECT * FROM ngs.train_pass_gaussian(:'source', 'SELECT 1::bigint, tensor, ''{1}''::real[], yards FROM plays', '{"epochs": 1}');
SELECT * FROM ngs.train_pass_gaussian(:'source', 'SELECT 1::bigint, tensor, context, ''NaN''::float8 FROM plays', '{"epochs": 1}');

SELECT ngs.train_pass_model(NULL, :'source', '{}') IS NULL AS strict;
SELECT count(*) AS models_left FROM ngs.model WHERE name NOT IN ('small', 'patient', 'no_game', 'named') AND kind = 'pass' AND name <> 'default';
