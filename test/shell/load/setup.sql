-- The load test's database (test/shell/load.sh): the passes, numbered so that a pgbench client can
-- draw one; the README's season-score recipe (play scores in a table, season scores in a
-- materialized view with a unique index); and a table per script recording what each
-- transaction did. psql variable w: the shipped weight file in base64, sent by the client.
\set ON_ERROR_STOP 1
\ir ../../../tools/passes.sql

CREATE TABLE load_keys AS
SELECT row_number() OVER (ORDER BY game_id, play_id)::int AS k, game_id, play_id FROM passes;
ALTER TABLE load_keys ADD PRIMARY KEY (k);
CREATE VIEW load_passes AS SELECT k.k, p.* FROM load_keys k JOIN passes p USING (game_id, play_id);

CREATE TABLE pass_scores (game_id bigint, play_id int, season int, passer int, u float8,
                          PRIMARY KEY (game_id, play_id));
CREATE MATERIALIZED VIEW season_scores AS
SELECT season, passer, count(*) AS passes, ngs.passing_score(u) AS score
FROM pass_scores
GROUP BY season, passer;
CREATE UNIQUE INDEX season_scores_key ON season_scores (season, passer);

-- one row per committed transaction of each script
CREATE TABLE load_scores (id bigserial PRIMARY KEY, client int NOT NULL, k int NOT NULL,
                          model text NOT NULL, u float8);
CREATE TABLE load_refreshes (id bigserial PRIMARY KEY, client int NOT NULL, passer_seasons bigint NOT NULL);
CREATE TABLE load_imports (seq bigint PRIMARY KEY, client int NOT NULL, id bigint NOT NULL, k int NOT NULL,
                           u float8, dropped boolean NOT NULL DEFAULT false);
CREATE SEQUENCE load_import_seq;

-- the weight file as the client sent it: the shipped default pass model's bytes
CREATE TABLE load_weights AS SELECT decode(:'w', 'base64') AS weights;
ANALYZE;

\pset format unaligned
\pset tuples_only on
SELECT (SELECT count(*) FROM load_keys)
       || CASE WHEN (SELECT weights FROM load_weights) =
                    (SELECT weights FROM ngs.model WHERE name = 'default' AND kind = 'pass')
               THEN '' ELSE ' (the weight file differs from the shipped default pass model)' END;
