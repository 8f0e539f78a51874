-- Training parity with the PyTorch reference (tools/make-train-fixtures): on synthetic
-- plays, ngs.train_pass_model gives the reference's loss in every epoch and a network
-- whose outputs match the reference's trained network within 1e-4, and
-- ngs.train_pass_gaussian gives the reference's predictions; so the backward pass through
-- the SBP head (tails and splice points included), the MLP and the TCN, the initialisation,
-- the shuffling, the weight decay and Adam are the reference's.
BEGIN;
SELECT plan(8);

\set fixtures `cat test/fixtures/pass_train.json`
\set reference `base64 -w0 test/fixtures/pass_train_reference.safetensors`
SET LOCAL client_min_messages = warning;
CREATE TEMP TABLE fx AS SELECT :'fixtures'::jsonb AS j;
CREATE TEMP TABLE train_plays AS
SELECT k AS key, p->>'name' AS name, (p->>'tensor')::ngs.play_tensor AS tensor,
       ARRAY(SELECT CASE WHEN jsonb_typeof(v) = 'null' THEN NULL ELSE v::text::real END
             FROM jsonb_array_elements(p->'context') WITH ORDINALITY e(v, i) ORDER BY i) AS context,
       (p->>'yards')::float8 AS yards, (p->>'game')::bigint AS game
FROM fx, jsonb_array_elements(j->'plays') WITH ORDINALITY a(p, k);

SELECT ok(ngs.import_model('train_reference', 'pass', decode(:'reference', 'base64')) > 0, 'the reference network imports');
SELECT ok(ngs.train_pass_model('train_parity', 'SELECT tensor, context, yards, game FROM train_plays ORDER BY key',
                               (SELECT j->'options' FROM fx)) > 0, 'the same run trains in the database');

-- every epoch's training loss
CREATE TEMP TABLE losses AS
SELECT k, (h->>0)::float8 AS db, (SELECT (j->'history'->>(k::int - 1))::float8 FROM fx) AS reference
FROM ngs.model m, jsonb_array_elements((m.options->>'train.history')::jsonb) WITH ORDINALITY a(h, k)
WHERE m.id = ngs.model_id('train_parity');
SELECT is(count(*), (SELECT jsonb_array_length(j->'history') FROM fx)::bigint, 'one loss per epoch') FROM losses;
SELECT cmp_ok(max(abs(db - reference) / reference), '<', 1e-6::float8,
              'every epoch''s training loss within 1e-6 (relative) of the reference') FROM losses;
SELECT ok(bool_and(db < lag) , 'the training loss falls in every epoch')
FROM (SELECT db, lag(db) OVER (ORDER BY k) FROM losses) l WHERE lag IS NOT NULL;

-- the trained networks' outputs
SELECT cmp_ok(max(abs(a - b)), '<', 1e-4::real, 'the trained network''s outputs match the reference''s within 1e-4')
FROM train_plays, unnest(ngs.pass_network_output(tensor, context, 'train_parity'),
                         ngs.pass_network_output(tensor, context, 'train_reference')) u(a, b);

-- the Gaussian network
CREATE TEMP TABLE gaussian AS
SELECT g.key, g.mean, g.sd, (fx.j->'gaussian'->(g.key::int - 1)->>0)::float8 AS ref_mean,
       (fx.j->'gaussian'->(g.key::int - 1)->>1)::float8 AS ref_sd
FROM fx, ngs.train_pass_gaussian('SELECT tensor, context, yards, game FROM train_plays ORDER BY key',
                                 'SELECT key, tensor, context, yards FROM train_plays ORDER BY key',
                                 (SELECT j->'gaussian_options' FROM fx)) g;
SELECT is(count(*), 16::bigint, 'the Gaussian network predicts every play') FROM gaussian;
SELECT cmp_ok(greatest(max(abs(mean - ref_mean)), max(abs(sd - ref_sd))), '<', 1e-4::float8,
              'the Gaussian network''s means and sds match the reference''s within 1e-4 yards') FROM gaussian;

SELECT * FROM finish();
ROLLBACK;
