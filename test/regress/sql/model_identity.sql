-- Model identity by content: name@sha256 pins, ngs.model_sha256, ngs.model_identity, the
-- check of the weights against their sha256 when a model loads, drop_model with a kind,
-- and the postgres_fdw / Citus sync functions' errors on a single server
\set VERBOSITY default
SET client_min_messages = warning;
\set ECHO none
\i test/fixtures/weight_files.psql
\set ECHO all

SELECT ngs.import_model('ident', 'pass', pg_temp.tiny()) AS v1 \gset
SELECT ngs.import_model('ident', 'pass', pg_temp.tiny('{}', 'mlp.0.bias:6:1')) AS v2 \gset
SELECT ngs.model_sha256('ident', 'pass') AS sha2, ngs.model_sha256(:'v1', 'pass') AS sha1 \gset
SELECT length(:'sha2') AS hex_digits, :'sha1' <> :'sha2' AS versions_differ,
       :'sha2' = encode(sha256(ngs.export_model('ident')), 'hex') AS hash_of_the_file;

-- a pin names the latest version with that content, an older one too; case does not matter
SELECT ngs.model_id('ident@' || left(:'sha2', 8), 'pass') = :v2 AS pins_latest,
       ngs.model_id('ident@' || upper(:'sha1'), 'pass') = :v1 AS pins_older,
       ngs.model_id('ident@' || left(:'sha1', 12)) = :v1 AS pins_without_kind;
SELECT round((ngs.pass_network_output(pg_temp.play(5), '{}', 'ident@' || left(:'sha1', 8)))[1]::numeric, 4)
     = round((ngs.pass_network_output(pg_temp.play(5), '{}', :'v1'))[1]::numeric, 4) AS scores_with_the_pinned_version;
-- no such content here: the error names this node (its port varies, so only the message)
\set VERBOSITY terse
SELECT ngs.model_id('ident@00000000', 'pass');
SELECT ngs.pass_network_output(pg_temp.play(5), '{}', 'ident@0000000000000000');
\set VERBOSITY default
-- fewer than 8 hex digits, or not hex: the whole argument is a name
SELECT ngs.model_id('ident@0000000');
SELECT ngs.model_id('ident@nothex00');
-- a new name may not hold "@"
SELECT ngs.import_model('a@b', 'pass', pg_temp.tiny());
SELECT ngs.model_sha256('ident', 'ghost');
-- (version ids vary with the tests before, so they print as N)
SELECT regexp_replace(try(format('SELECT ngs.model_sha256(%L, %L)', :'v1', 'ghost')), '[0-9]+', 'N', 'g') AS wrong_kind;
SELECT ngs.model_sha256('ident', 'nokind');

-- ngs.model_identity: every version, whether it is intact and the latest
SELECT name, kind, sha256 = :'sha2' AS is_v2, intact, latest, shipped FROM ngs.model_identity WHERE name = 'ident' ORDER BY id;

-- weights changed under the same sha256 (only possible with the trigger disabled) fail to load
ALTER TABLE ngs.model DISABLE TRIGGER model_immutable;
UPDATE ngs.model SET weights = pg_temp.tiny('{}', 'mlp.0.bias:6:2') WHERE id = :v2;
ALTER TABLE ngs.model ENABLE TRIGGER model_immutable;
SELECT intact FROM ngs.model_identity WHERE id = :v2;
SELECT regexp_replace(try($$SELECT ngs.pass_network_output(pg_temp.play(5), '{}', 'ident')$$), '(version|port) [0-9]+', '\1 N', 'g') AS tampered;

-- drop_model: the kind is needed when a name has both; all_versions keeps to the kind
SELECT ngs.import_model('ident', 'ghost', weights) > 0 AS ghost_too FROM ngs.model WHERE shipped AND kind = 'ghost';
SELECT ngs.drop_model('ident');
SELECT ngs.drop_model('ident', true);
SELECT ngs.drop_model('ident', 'nokind');
SELECT regexp_replace(try(format('SELECT ngs.drop_model(%L, %L)', :'v1', 'ghost')), '[0-9]+', 'N', 'g') AS wrong_kind;
SELECT ngs.drop_model(:'v1', 'pass');
SELECT ngs.drop_model('ident', 'pass', all_versions => true);
SELECT ngs.drop_model('ident');
SELECT ngs.drop_model(NULL, 'pass'), ngs.drop_model('x', NULL, NULL);
SELECT count(*) FROM ngs.model WHERE name = 'ident';
SELECT count(*) FROM ngs.dropped_shipped_model;

-- the inbox checks what arrives against its sha256, then imports with the caller's rights
INSERT INTO ngs.model_inbox VALUES ('inboxed', 'pass', pg_temp.tiny(), repeat('0', 64));
INSERT INTO ngs.model_inbox SELECT 'inboxed', 'pass', w, encode(sha256(w), 'hex') FROM pg_temp.tiny() w;
SELECT ngs.model_sha256('inboxed', 'pass') = encode(sha256(pg_temp.tiny()), 'hex') AS inboxed;
CREATE ROLE regress_ngs_inbox;
SET ROLE regress_ngs_inbox;
INSERT INTO ngs.model_inbox SELECT 'inboxed', 'pass', w, encode(sha256(w), 'hex') FROM pg_temp.tiny() w;
RESET ROLE;
DROP ROLE regress_ngs_inbox;
SELECT ngs.drop_model('inboxed', 'pass');

-- on one server: no foreign server to check or sync, and no Citus
SELECT * FROM ngs.check_models();
SELECT * FROM ngs.sync_models();
SELECT * FROM ngs.sync_models('{nowhere}');
SELECT * FROM ngs.sync_models(NULL, '{nothing}');
SELECT * FROM ngs.check_models_on_workers();
SELECT * FROM ngs.sync_models_to_workers();
