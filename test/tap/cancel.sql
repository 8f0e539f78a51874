-- Long work stops cleanly on statement_timeout: training a pass model with many epochs and
-- scoring a large set of plays both end with 57014 (query_canceled), and the cancelled
-- training leaves no model row behind.  pgTAP's throws_ok cannot catch query_canceled
-- (PL/pgSQL's OTHERS leaves it out), so pg_temp.cancelled catches it by name.
BEGIN;
SELECT plan(4);
SET LOCAL client_min_messages = warning;
\i test/fixtures/weight_files.psql

\i test/fixtures/cancelled.psql
-- 200 synthetic standardized plays of 5 to 9 frames, with a five-value context
CREATE TEMP TABLE plays AS
SELECT pg_temp.play(5 + i % 5) AS tensor, ARRAY[1 + i % 4, 10, 50, 1 + i % 4, i % 7 - 3]::real[] AS context,
       (i % 23 - 3)::float8 AS yards, (i % 10)::bigint AS game
FROM generate_series(1, 200) i;
SELECT count(*) AS models_before FROM ngs.model \gset

SET LOCAL statement_timeout = '1s';
SELECT is(pg_temp.cancelled($$SELECT ngs.train_pass_model('cancelled', 'SELECT tensor, context, yards, game FROM plays',
                                                          '{"epochs": 10000, "patience": 10000}')$$),
          '57014', 'training 10,000 epochs stops at statement_timeout with query_canceled');
SELECT is(pg_temp.cancelled($$SELECT count(ngs.pass_score(p.tensor, ngs.pass_context(1, 10, 50, 1, 0), 5))
                              FROM plays p, generate_series(1, 100000)$$),
          '57014', 'scoring 20 million plays stops at statement_timeout with query_canceled');
RESET statement_timeout;

SELECT is((SELECT count(*) FROM ngs.model), :'models_before'::bigint, 'the cancelled training left no model row');
SELECT is((SELECT count(*) FROM ngs.model WHERE name = 'cancelled'), 0::bigint, 'and no row under its name');

SELECT * FROM finish();
ROLLBACK;
