-- passing_score at scale: a parallel plan and a sharded plan (two more databases reached
-- through postgres_fdw) give exactly the serial, single-server scores.
\set QUIET on
SET client_min_messages = warning;
DROP DATABASE IF EXISTS ngs_shard_1;
DROP DATABASE IF EXISTS ngs_shard_2;
CREATE DATABASE ngs_shard_1;
CREATE DATABASE ngs_shard_2;

-- the same deterministic play scores everywhere: 300,000 plays, 40 passers, 50 games;
-- shard k holds the games with game_id % 2 = k - 1
\c ngs_shard_1
CREATE EXTENSION ngs;
CREATE TABLE scores AS SELECT g % 50 AS game_id, g % 40 AS passer, (g * 0.6180339887498949) % 1 AS u
    FROM generate_series(1, 300000) g WHERE g % 50 % 2 = 0;
\c ngs_shard_2
CREATE EXTENSION ngs;
CREATE TABLE scores AS SELECT g % 50 AS game_id, g % 40 AS passer, (g * 0.6180339887498949) % 1 AS u
    FROM generate_series(1, 300000) g WHERE g % 50 % 2 = 1;
\c ngs_test
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS scale_scores AS SELECT g % 50 AS game_id, g % 40 AS passer, (g * 0.6180339887498949) % 1 AS u
    FROM generate_series(1, 300000) g;
ANALYZE scale_scores;

BEGIN;
SELECT plan(7);

-- one server, in parallel
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    result text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF, VERBOSE) ' || query LOOP
        result := result || line || E'\n';
    END LOOP;
    RETURN result;
END $$;
SELECT matches(pg_temp.plan_of('SELECT passer, ngs.passing_score(u) FROM scale_scores GROUP BY passer'),
    'Partial (Hash|Group)?Aggregate', 'the season query runs as a parallel partial aggregate');
CREATE TEMP TABLE parallel_result ON COMMIT DROP AS
    SELECT passer, ngs.passing_score(u) AS score FROM scale_scores GROUP BY passer;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_result ON COMMIT DROP AS
    SELECT passer, ngs.passing_score(u) AS score FROM scale_scores GROUP BY passer;
SELECT is((SELECT count(*) FROM serial_result), 40::bigint, 'forty passers');
SELECT is((SELECT count(*) FROM serial_result s JOIN parallel_result p USING (passer) WHERE s.score = p.score), 40::bigint,
    'parallel scores equal serial scores exactly');

-- three servers: this one holds a partitioned table whose partitions are foreign tables
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
DO $$
BEGIN
    FOR k IN 1..2 LOOP
        EXECUTE format('CREATE SERVER shard_%s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, dbname %L, extensions %L)',
                       k, current_setting('unix_socket_directories'), current_setting('port'), 'ngs_shard_' || k, 'ngs');
        EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER shard_%s OPTIONS (user %L)', k, current_user);
    END LOOP;
END $$;
CREATE TABLE sharded_scores (game_id int, passer int, u float8) PARTITION BY LIST ((game_id % 2));
CREATE FOREIGN TABLE sharded_scores_1 PARTITION OF sharded_scores FOR VALUES IN (0) SERVER shard_1 OPTIONS (table_name 'scores');
CREATE FOREIGN TABLE sharded_scores_2 PARTITION OF sharded_scores FOR VALUES IN (1) SERVER shard_2 OPTIONS (table_name 'scores');

-- the two-level pattern: each shard computes its states, this server merges them
CREATE TEMP VIEW shard_states AS
    SELECT passer, ngs.passing_score_state(u) AS state FROM sharded_scores_1 GROUP BY passer
    UNION ALL
    SELECT passer, ngs.passing_score_state(u) AS state FROM sharded_scores_2 GROUP BY passer;
SELECT matches(pg_temp.plan_of('SELECT * FROM shard_states'),
    'Remote SQL: SELECT passer, ngs\.passing_score_state\(u\) FROM public\.scores GROUP BY',
    'each shard computes its passing score states (the aggregate is pushed down)');
SELECT is((SELECT count(*) FROM serial_result s
           JOIN (SELECT passer, ngs.passing_score_final(ngs.passing_score_merge(state)) AS score
                 FROM shard_states GROUP BY passer) m USING (passer)
           WHERE s.score = m.score), 40::bigint,
    'merged shard states give exactly the single-server scores');
SELECT is((SELECT sum(ngs.passing_score_plays(state)) FROM shard_states), 300000::numeric,
    'the shards hold every play once');

-- the plain aggregate over the partitioned table gives the same scores too
SET LOCAL enable_partitionwise_aggregate = on;
SELECT is((SELECT count(*) FROM serial_result s
           JOIN (SELECT passer, ngs.passing_score(u) AS score FROM sharded_scores GROUP BY passer) m USING (passer)
           WHERE s.score = m.score), 40::bigint,
    'ngs.passing_score over the partitioned foreign table equals the single-server scores');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE scale_scores;
\c postgres
DROP DATABASE ngs_shard_1;
DROP DATABASE ngs_shard_2;
