-- The coordinator of the cluster test (test/shell/cluster.sh): every play, a small model
-- trained on them, and the two shards reached through postgres_fdw (psql variables dir1,
-- port1, dir2, port2: the shards' socket directories and ports).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION ngs;
CREATE EXTENSION postgres_fdw;
\set shard 0
\ir plays.sql
SELECT ngs.train_pass_model('mine', 'SELECT tensor, context, yards, game FROM plays ORDER BY i',
    '{"channels": 4, "levels": 2, "hidden": [8], "bins": 8, "lower": -5.5, "upper": 26.5, "epochs": 3, "seed": 3}') > 0 AS trained;

CREATE SERVER shard_1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host :'dir1', port :'port1', dbname 'ngs_shard_1', extensions 'ngs');
CREATE SERVER shard_2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host :'dir2', port :'port2', dbname 'ngs_shard_2', extensions 'ngs');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_1 OPTIONS (user 'ngs_sync');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_2 OPTIONS (user 'ngs_sync');

-- each shard's passing score states, and its plays' scores as partitions of one table
CREATE FOREIGN TABLE states_1 (passer int, state ngs.passing_score_state) SERVER shard_1 OPTIONS (table_name 'season_states');
CREATE FOREIGN TABLE states_2 (passer int, state ngs.passing_score_state) SERVER shard_2 OPTIONS (table_name 'season_states');
CREATE FOREIGN TABLE slow_states_2 (passer int, state ngs.passing_score_state) SERVER shard_2 OPTIONS (table_name 'slow_states');
CREATE TABLE scores_sharded (i int, game bigint, shard int, passer int, u float8) PARTITION BY LIST (shard);
CREATE FOREIGN TABLE scores_1 PARTITION OF scores_sharded FOR VALUES IN (1) SERVER shard_1 OPTIONS (table_name 'play_scores');
CREATE FOREIGN TABLE scores_2 PARTITION OF scores_sharded FOR VALUES IN (2) SERVER shard_2 OPTIONS (table_name 'play_scores');

-- where season scores are stored: all of them or none
CREATE TABLE season_scores (passer int PRIMARY KEY, score float8 NOT NULL);
CREATE VIEW season_from_shards AS
    SELECT passer, ngs.passing_score_final(ngs.passing_score_merge(state)) AS score
    FROM (SELECT * FROM states_1 UNION ALL SELECT * FROM states_2) s GROUP BY passer;
CREATE VIEW season_from_shards_slowly AS
    SELECT passer, ngs.passing_score_final(ngs.passing_score_merge(state)) AS score
    FROM (SELECT * FROM states_1 UNION ALL SELECT * FROM slow_states_2) s GROUP BY passer;
-- the single-server answers
CREATE TABLE local_scores AS SELECT i, passer, ngs.pass_score(tensor, context, yards, 'mine') AS u FROM plays;
CREATE TABLE local_season AS SELECT passer, ngs.passing_score(u) AS score FROM local_scores GROUP BY passer;
