-- requires: real data
-- Parity with the PyTorch reference (tools/pass_model.py) on real plays: the models of
-- test/tap/pass_parity.sql score 36 real passes (snap to release, standardized, with their
-- context) whose expected numbers tools/make-parity-fixtures --real committed, keyed by
-- (game_id, play_id); the inputs come from the loaded data, never from the repository.
BEGIN;
SELECT plan(26);

\set fixtures `cat test/fixtures/pass_real.json`
\i test/fixtures/pass_real_plays.sql
SELECT is((SELECT count(*) FROM parity_inputs), 36::bigint, '12 real passes of each source');
\i test/fixtures/pass_parity.psql

SELECT * FROM finish();
ROLLBACK;
