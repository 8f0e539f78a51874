-- ngs.train_pass_model and ngs.train_ghost_model refuse, before reading the source query
-- or training, what would make them fail at the end: a weight file over the catalog's
-- limit, a read-only transaction, an invalid model name, a user who may not store models.
-- Every source query here sleeps 10 s if read, under statement_timeout = 1 s: each refusal
-- must come first, with its own SQLSTATE (not 57014). And a cancel stops training inside
-- one long play (between the TCN's convolutions), not after it.
BEGIN;
SELECT plan(10);
SET LOCAL client_min_messages = warning;
\i test/fixtures/weight_files.psql

\i test/fixtures/cancelled.psql
CREATE TEMP VIEW slow_pass AS
SELECT pg_temp.play(5) AS tensor, '{}'::real[] AS context, 1.0::float8 AS yards FROM pg_sleep(10);
CREATE TEMP VIEW slow_ghost AS
SELECT 1::bigint AS game, pg_temp.play(5) AS tensor, 11 AS target, 1 AS first_frame, 5 AS last_frame,
       ARRAY[21] AS defenders FROM pg_sleep(10);

SET LOCAL statement_timeout = '1s';
SELECT throws_ok($$SELECT ngs.train_pass_model('too_big', 'SELECT * FROM slow_pass', '{"channels": 256, "levels": 10, "kernel": 16}')$$,
                 '54000', 'the weight file would have at least 82852412 bytes, more than 67108864',
                 'a model too large to store is refused before the source query is read');
SELECT throws_ok($$SET LOCAL transaction_read_only = on; SELECT ngs.train_pass_model('read_only', 'SELECT * FROM slow_pass')$$,
                 '25006', 'cannot train a model in a read-only transaction',
                 'train_pass_model in a read-only transaction is refused up front');
SELECT throws_ok($$SET LOCAL transaction_read_only = on; SELECT ngs.train_ghost_model('read_only', 'SELECT * FROM slow_ghost')$$,
                 '25006', 'cannot train a model in a read-only transaction',
                 'train_ghost_model in a read-only transaction is refused up front');
SELECT throws_ok($$SELECT ngs.train_pass_model('12', 'SELECT * FROM slow_pass')$$,
                 '22023', 'invalid model name "12"', 'a name of digits only (a version id) is refused up front');
SELECT throws_ok($$SELECT ngs.train_ghost_model('', 'SELECT * FROM slow_ghost')$$,
                 '22023', 'invalid model name ""', 'an empty ghost model name is refused up front');
SELECT throws_ok($$SELECT ngs.train_pass_model(repeat('m', 64), 'SELECT * FROM slow_pass')$$,
                 '22023', NULL, 'a name over 63 bytes is refused up front');
CREATE ROLE ngs_precheck_user NOLOGIN;
SET LOCAL ROLE ngs_precheck_user;
SELECT throws_ok($$SELECT ngs.train_pass_model('not_allowed', 'SELECT * FROM slow_pass')$$,
                 '42501', 'permission denied to store a model',
                 'a user without EXECUTE on ngs.import_model is refused up front');
RESET ROLE;
RESET statement_timeout;

-- One play of 600 frames through a TCN of 256 channels, 6 levels, kernel 16: each of its
-- forward and backward passes takes seconds. Cancelled after 1 s, training stops within
-- a convolution's time; before, the play ran to its end.
CREATE TEMP TABLE one_long_play AS SELECT pg_temp.play(600) AS tensor, '{}'::real[] AS context, 7.0::float8 AS yards;
SELECT count(*) AS models_before FROM ngs.model \gset
SELECT clock_timestamp() AS cancel_start \gset
SET LOCAL statement_timeout = '1s';
SELECT pg_temp.cancelled($$SELECT ngs.train_pass_model('cancelled_in_play', 'SELECT tensor, context, yards FROM one_long_play',
                           '{"channels": 256, "levels": 6, "kernel": 16, "epochs": 1, "validation_folds": 0, "hidden": [8]}')$$)
       AS cancel_state \gset
RESET statement_timeout;
SELECT cmp_ok(extract(epoch FROM clock_timestamp() - :'cancel_start'::timestamptz)::float8, '<', 2.5::float8,
              'a cancel stops training within a long play, in under 2.5 s (the play takes about 25 s)');
SELECT is(:'cancel_state'::text, '57014', 'and it ends with query_canceled');
SELECT is((SELECT count(*) FROM ngs.model), :'models_before'::bigint, 'the cancelled training left no model row');

SELECT * FROM finish();
ROLLBACK;
