-- The model catalog: privileges, immutability, versions, lookup errors, drop, and the cache
\set VERBOSITY default
SET client_min_messages = warning;
\set ECHO none
\i test/fixtures/weight_files.psql
\set ECHO all

-- who may read and write
CREATE ROLE regress_ngs_reader;
CREATE ROLE regress_ngs_writer;
GRANT EXECUTE ON FUNCTION ngs.import_model(text, text, bytea), ngs.drop_model(text, boolean) TO regress_ngs_writer;
SELECT ngs.import_model('shared', 'pass', pg_temp.tiny()) AS first_id \gset
SET ROLE regress_ngs_reader;
SELECT name, kind, bytes, latest FROM ngs.list_models() WHERE name = 'shared';
SELECT count(*) FROM ngs.model WHERE name = 'shared';
SELECT ngs.import_model('mine', 'pass', '\x');
SELECT ngs.drop_model('shared');
INSERT INTO ngs.model (name, kind, weights, sha256) VALUES ('mine', 'pass', '\x', '\x');
DELETE FROM ngs.model;
SET ROLE regress_ngs_writer;
SELECT ngs.import_model('mine', 'pass', pg_temp.tiny('{"description": "by the writer"}')) > 0 AS imported;
UPDATE ngs.model SET name = 'theirs' WHERE name = 'mine';
RESET ROLE;
UPDATE ngs.model SET name = 'theirs' WHERE name = 'mine';
SELECT name, options->>'description' AS description FROM ngs.list_models() WHERE name IN ('shared', 'mine', 'theirs');

-- versions: a name resolves to its latest version, digits to a version id
SELECT ngs.import_model('shared', 'pass', pg_temp.tiny('{}', 'mlp.0.bias:6:1')) AS second_id \gset
SELECT ngs.model_id('shared') = :second_id AS latest, ngs.model_id(:'first_id') = :first_id AS by_id;
SELECT ngs.model_id('nothing');
SELECT ngs.model_id('9999');
SELECT ngs.model_id('99999999999999999999');
SELECT ngs.model_id('');
SELECT ngs.export_model('nothing');

-- each query resolves the name again, so a new version is used at once
SELECT pg_temp.rounded(ngs.pass_network_output(pg_temp.play(5), '{}', 'shared'));
SELECT ngs.drop_model('shared');
SELECT pg_temp.rounded(ngs.pass_network_output(pg_temp.play(5), '{}', 'shared'));
SELECT pg_temp.rounded(ngs.pass_network_output(pg_temp.play(5), '{}', :'first_id'));
SELECT NOT EXISTS (SELECT FROM ngs.model WHERE id = :second_id) AS second_dropped;

-- dropping every version of a name
SELECT ngs.import_model('shared', 'pass', pg_temp.tiny()) > 0 AS third;
SELECT ngs.drop_model('shared', all_versions => true);
SELECT ngs.drop_model('shared');
SELECT name, count(*) FROM ngs.list_models() WHERE name IN ('shared', 'mine') GROUP BY name ORDER BY name;

-- one model per row: the cache holds several models and evicts the oldest beyond its size
CREATE TEMP TABLE versions AS
SELECT v, ngs.import_model('v' || v, 'pass', pg_temp.tiny('{}', format('mlp.0.bias:6:%s', v))) AS id
FROM generate_series(1, 10) v;
SELECT v, round((ngs.pass_network_output(pg_temp.play(5), '{}', 'v' || v))[1]::numeric, 4) AS first_output
FROM versions, generate_series(1, 2) pass ORDER BY pass, v;

-- the shipped pass and ghost models share the name "default": each is the latest of its kind
SELECT kind, latest FROM ngs.list_models() WHERE name = 'default' AND shipped ORDER BY kind;

-- a PL/pgSQL expression keeps its call site for the transaction: it still sees each new
-- version, and a dropped model (even one the cache has evicted) is an error, not a stale
-- answer
CREATE FUNCTION pg_temp.first_output(m text) RETURNS numeric LANGUAGE plpgsql AS
    $$BEGIN RETURN round((ngs.pass_network_output(pg_temp.play(5), '{}', m))[1]::numeric, 4); END$$;
BEGIN;
SELECT ngs.import_model('plpgsql', 'pass', pg_temp.tiny('{}', 'mlp.0.bias:6:1')) > 0 AS imported;
SELECT pg_temp.first_output('plpgsql') AS before;
SELECT ngs.import_model('plpgsql', 'pass', pg_temp.tiny('{}', 'mlp.0.bias:6:5')) > 0 AS imported;
SELECT pg_temp.first_output('plpgsql') AS after_new_version;
SELECT ngs.drop_model('plpgsql', all_versions => true);
SELECT try($$SELECT pg_temp.first_output('plpgsql')$$) AS after_drop;
ROLLBACK;
SELECT ngs.import_model('plpgsql', 'pass', pg_temp.tiny('{}', 'mlp.0.bias:6:1')) > 0 AS imported;
SELECT try($sql$DO $do$
DECLARE r numeric;
BEGIN
    FOR i IN 1..2 LOOP
        r := pg_temp.first_output('plpgsql');
        PERFORM ngs.drop_model('plpgsql', true);
        PERFORM pg_temp.first_output('v' || v) FROM generate_series(1, 9) v;   -- evicts it
    END LOOP;
END $do$$sql$) AS dropped_in_a_loop;
SELECT ngs.drop_model('plpgsql', true);

SELECT ngs.drop_model('mine') + sum(ngs.drop_model('v' || v)) AS dropped FROM versions;
DROP OWNED BY regress_ngs_reader, regress_ngs_writer;
DROP ROLE regress_ngs_reader, regress_ngs_writer;
