-- A shard of the cluster test (test/shell/cluster.sh): its plays, and the views the
-- coordinator reads through postgres_fdw, which score with the model pinned by content
-- (psql variable pin: 'name@sha256'); ngs_sync is the role the coordinator's user mapping
-- logs in as (no superuser: EXECUTE on ngs.import_model is granted to it later).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION ngs;
\ir plays.sql
CREATE VIEW play_scores AS
    SELECT i, game, shard, passer, ngs.pass_score(tensor, context, yards, :'pin') AS u FROM plays;
CREATE VIEW season_states AS
    SELECT passer, ngs.passing_score_state(u) AS state FROM play_scores GROUP BY passer;
-- a slow copy, so that a test can cut the connection while the shard works
CREATE FUNCTION slowly(u float8) RETURNS float8 LANGUAGE sql VOLATILE AS $$ SELECT pg_sleep(0.1); SELECT u $$;
CREATE VIEW slow_states AS
    SELECT passer, ngs.passing_score_state(slowly(u)) AS state FROM play_scores GROUP BY passer;
CREATE ROLE ngs_sync LOGIN;
GRANT SELECT ON play_scores, season_states, slow_states TO ngs_sync;
