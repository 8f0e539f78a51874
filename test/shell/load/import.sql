-- pgbench: import the weight file as a new model under a fresh name, score a random pass
-- with it, and drop the model this client imported before, so each client keeps one.
\set k random(1, :passes)
BEGIN;
SELECT nextval('load_import_seq') AS seq \gset
SELECT ngs.import_model('load_' || :seq, 'pass', weights) AS id FROM load_weights \gset
INSERT INTO load_imports (seq, client, id, k, u)
SELECT :seq, :client_id, :id, k, ngs.pass_score(tensor, context, yards, 'load_' || :seq)
FROM load_passes WHERE k = :k;
WITH d AS (UPDATE load_imports SET dropped = true
           WHERE client = :client_id AND seq < :seq AND NOT dropped RETURNING seq)
SELECT ngs.drop_model('load_' || seq) FROM d;
END;
