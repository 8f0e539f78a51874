-- The dump test's checks of the model catalog in the restored database (test/shell/dump.sh):
-- prints one line per problem. psql variable user_model_id: the user model's id in the source.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SET max_parallel_workers_per_gather = 0;

-- each shipped model once (the restore's CREATE EXTENSION made them; the dump left them out)
SELECT format('shipped model %s (%s) is there %s times', name, kind, count(*))
FROM ngs.model WHERE shipped GROUP BY name, kind HAVING count(*) <> 1;
SELECT 'no shipped model' WHERE NOT EXISTS (SELECT FROM ngs.model WHERE shipped);
-- a shipped model dropped in the source stays dropped (ngs.dropped_shipped_model); the pass one is there
SELECT format('dropped shipped model %s (%s) came back', d.name, d.kind)
FROM ngs.dropped_shipped_model d JOIN ngs.model m ON m.shipped AND m.name = d.name AND m.kind = d.kind;
SELECT 'the shipped pass model is missing' WHERE NOT EXISTS (SELECT FROM ngs.model WHERE shipped AND name = 'default' AND kind = 'pass');

-- the user model: same id, the name resolves to it, its bytes match its sha256
SELECT format('dump_test_model resolves to id %s, not %s', ngs.model_id('dump_test_model'), :'user_model_id')
WHERE ngs.model_id('dump_test_model') <> :'user_model_id';
SELECT format('model %s (%s): sha256 does not match its weights', id, name)
FROM ngs.model WHERE sha256(weights) <> sha256;
SELECT 'dump_test_model differs from the shipped pass model'
WHERE ngs.export_model('dump_test_model') <> (SELECT weights FROM ngs.model WHERE shipped AND name = 'default' AND kind = 'pass');

-- the restored models score the passes bit for bit as the source stored them
SELECT format('%s of %s passes score differently with %s after the restore', count(*) FILTER (WHERE differs), count(*), model)
FROM (SELECT 'dump_test_model' AS model, float8send(u_user) IS DISTINCT FROM
             float8send(ngs.pass_score(tensor, context, yards, 'dump_test_model')) AS differs FROM dump_passes
      UNION ALL
      SELECT :'user_model_id', float8send(u_user) IS DISTINCT FROM
             float8send(ngs.pass_score(tensor, context, yards, :'user_model_id')) FROM dump_passes
      UNION ALL
      SELECT 'default', float8send(u_default) IS DISTINCT FROM float8send(ngs.pass_score(tensor, context, yards)) FROM dump_passes
      UNION ALL
      SELECT 'default (distribution)', ngs.sbp_send(d) IS DISTINCT FROM ngs.sbp_send(ngs.pass_distribution(tensor, context))
      FROM dump_passes) s
GROUP BY model HAVING count(*) FILTER (WHERE differs) > 0 OR count(*) = 0;

-- the restored sequence: a new import gets an id above every restored one
SELECT format('an import after the restore got id %s, at or below %s', i, m)
FROM (SELECT max(id) AS m FROM ngs.model) s,
     LATERAL (SELECT ngs.import_model('dump_after_restore', 'pass', ngs.export_model('dump_test_model')) AS i) n
WHERE i <= m;
