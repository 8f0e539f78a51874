-- Who may do what with the model catalog: a fresh role without any grant reads ngs.model
-- and scores plays with the shipped default model, but writes models only through
-- ngs.import_model / ngs.drop_model, and only once an administrator grants EXECUTE; model
-- rows are immutable; and no ngs function takes a server file path (models are bytea).
BEGIN;
SELECT plan(16);
SET LOCAL client_min_messages = warning;
\i test/fixtures/weight_files.psql

-- a small synthetic standardized play and a tiny valid weight file, made as the superuser
CREATE TEMP TABLE fixture AS SELECT pg_temp.play(5) AS pt, pg_temp.tiny() AS weights;
CREATE ROLE ngs_priv_user NOLOGIN;
GRANT SELECT ON fixture TO ngs_priv_user;
SET LOCAL ROLE ngs_priv_user;

SELECT ok((SELECT count(*) FROM ngs.model WHERE name = 'default' AND kind = 'pass') > 0,
          'a role without grants reads ngs.model');
SELECT ok((SELECT ngs.pass_score(pt, ngs.pass_context(1, 10, 60, 1, 0), 5) BETWEEN 0 AND 1 FROM fixture),
          'and scores a play with the shipped default model');
SELECT throws_ok($$INSERT INTO ngs.model (name, kind, weights, sha256) VALUES ('x', 'pass', '\x00', '\x00')$$,
                 '42501', NULL, 'it cannot insert into ngs.model');
SELECT throws_ok($$UPDATE ngs.model SET name = 'x' WHERE name = 'default'$$,
                 '42501', NULL, 'it cannot update ngs.model');
SELECT throws_ok($$DELETE FROM ngs.model WHERE name = 'default'$$,
                 '42501', NULL, 'it cannot delete from ngs.model');
SELECT throws_ok($$SELECT ngs.import_model('priv', 'pass', (SELECT weights FROM fixture))$$,
                 '42501', NULL, 'it cannot call ngs.import_model before EXECUTE is granted');
SELECT throws_ok($$SELECT ngs.drop_model('default')$$,
                 '42501', NULL, 'it cannot call ngs.drop_model before EXECUTE is granted');
SELECT throws_ok($$SELECT ngs.drop_model('default', 'pass')$$,
                 '42501', NULL, 'nor ngs.drop_model with a kind');
SELECT throws_ok($$INSERT INTO ngs.model_inbox SELECT 'priv', 'pass', weights, encode(sha256(weights), 'hex') FROM fixture$$,
                 '42501', 'permission denied for function import_model', 'the inbox imports only for a role that may call ngs.import_model');
SELECT throws_ok($$INSERT INTO ngs.dropped_shipped_model (name, kind) VALUES ('default', 'pass')$$,
                 '42501', NULL, 'it cannot write ngs.dropped_shipped_model (which deletes shipped models)');
SELECT ok((SELECT count(*) FROM ngs.model_identity WHERE name = 'default' AND intact) = 2,
          'it reads ngs.model_identity');

RESET ROLE;
GRANT EXECUTE ON FUNCTION ngs.import_model(text, text, bytea), ngs.drop_model(text, boolean) TO ngs_priv_user;
SET LOCAL ROLE ngs_priv_user;
SELECT ngs.import_model('priv', 'pass', weights) AS priv_id FROM fixture \gset
SELECT is((SELECT id FROM ngs.model WHERE name = 'priv'), :'priv_id'::bigint,
          'after GRANT EXECUTE it imports a model');
SELECT throws_ok($$UPDATE ngs.model SET name = 'x' WHERE name = 'priv'$$,
                 '42501', NULL, 'its own model row is still not directly writable');
SELECT is(ngs.drop_model('priv'), 1, 'and it drops the model through ngs.drop_model');

RESET ROLE;
SELECT throws_ok($$UPDATE ngs.model SET name = 'x' WHERE name = 'default'$$,
                 '55000', 'ngs.model rows cannot be updated', 'model rows are immutable, even for a superuser');
SELECT is_empty($$SELECT p.oid::regprocedure::text || ' ' || a
                  FROM pg_proc p, unnest(coalesce(p.proargnames, '{}')) a
                  WHERE p.pronamespace = 'ngs'::regnamespace AND a ~* '(path|file)'$$,
                'no ngs function takes an argument named like a server path or file');

SELECT * FROM finish();
ROLLBACK;
