-- requires: real data
-- The shipped default pass model on the real pass plays (tools/pass_plays.sql): it scores
-- every play right after CREATE EXTENSION, reads the five context values in
-- ngs.pass_context's order, is exactly what its recipe (tools/pass_default_model.sql)
-- trains, its stored validation loss is the scoring forward pass's, its stored baseline is
-- ngs.sbp_fit over its training yards, and it beats that baseline in mean CRPS on the
-- held-out games (fold = 0), which it never saw.
BEGIN;
SELECT plan(8);
SET LOCAL client_min_messages = warning;
\i tools/pass_plays.sql

SELECT min(id) AS shipped_id FROM ngs.model WHERE name = 'default' AND kind = 'pass' \gset
SELECT ok(:'shipped_id' <> '', 'a default pass model ships with the extension');
SELECT is((SELECT options->>'context.names' FROM ngs.model WHERE id = :'shipped_id'),
          (SELECT array_to_string(proargnames, ',') FROM pg_proc WHERE oid = 'ngs.pass_context'::regproc),
          'it reads the context in ngs.pass_context''s order');
SELECT ok(bool_and(u > 0 AND u < 1) AND count(*) = (SELECT count(*) FROM pass_plays),
          'ngs.pass_score scores every real pass play with the default model, in (0, 1)')
FROM pass_plays, ngs.pass_score(tensor, context, yards) u;

\i tools/pass_default_model.sql
SELECT ok(ngs.export_model(:'default_model_id') = ngs.export_model(:'shipped_id'),
          'the recipe trains the shipped weights byte for byte');

SELECT cmp_ok(abs(avg(-ngs.sbp_logpdf(ngs.pass_distribution(tensor, context, :'shipped_id'), yards))
                  / (SELECT (options->>'validation.loss')::float8 FROM ngs.model WHERE id = :'shipped_id') - 1),
              '<', 1e-5::float8, 'its stored validation loss is the scoring forward pass''s on the validation games')
FROM pass_plays WHERE fold <> 0 AND ngs.kfold(game_id, 5, 5) = 0;
SELECT is((SELECT options->>'baseline.sbp' FROM ngs.model WHERE id = :'shipped_id'),
          (SELECT ngs.sbp_fit(yards)::text FROM pass_plays WHERE fold <> 0),
          'its stored baseline is ngs.sbp_fit over its training yards');

CREATE TEMP TABLE held_out AS
SELECT ngs.sbp_crps(ngs.pass_distribution(p.tensor, p.context, :'shipped_id'), p.yards) AS model,
       ngs.sbp_crps(b.d, p.yards) AS baseline
FROM pass_plays p,
     (SELECT (options->>'baseline.sbp')::ngs.sbp AS d FROM ngs.model WHERE id = :'shipped_id') b
WHERE p.fold = 0;
SELECT diag(format('held-out games: %s plays, mean CRPS %s yd (model) against %s yd (no-context baseline)',
                   count(*), round(avg(model)::numeric, 3), round(avg(baseline)::numeric, 3))) FROM held_out;
SELECT ok(count(*) > 50, 'the held-out games have plays') FROM held_out;
SELECT cmp_ok(avg(model), '<', avg(baseline), 'the default model beats the no-context baseline in mean CRPS on the held-out games')
FROM held_out;

SELECT * FROM finish();
ROLLBACK;
