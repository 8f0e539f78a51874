-- ngs.metric_state, the sendable state of ngs.brier, ngs.log_loss, ngs.pit_histogram and
-- ngs.reliability: states merged over any split of the rows, and under a forced parallel
-- plan, finish to exactly (bit for bit) the whole aggregate; the text and binary forms read
-- back to the same state; malformed or impossible states and mixed states are refused.
BEGIN;
SELECT plan(25);

SELECT setseed(0.25);
CREATE TABLE ms_rows AS
SELECT random() AS p, random() < 0.4 AS label, random() AS u, g % 11 AS shard, g % 3 AS grp
FROM generate_series(1, 20000) g;
ANALYZE ms_rows;

-- the four metrics per group, whole, as text (float8 as shortest exact text)
CREATE TABLE ms_whole AS
SELECT grp, ngs.brier(p, label) AS brier, ngs.log_loss(p, label) AS log_loss,
       ngs.pit_histogram(u, 20) AS pit, ngs.reliability(p, label, 10)::text AS rel
FROM ms_rows GROUP BY grp;

-- states per shard and group, kept in a table as a sharded setup would
CREATE TABLE ms_states AS
SELECT shard, grp, ngs.brier_state(p, label) AS brier, ngs.log_loss_state(p, label) AS log_loss,
       ngs.pit_histogram_state(u, 20) AS pit, ngs.reliability_state(p, label, 10) AS rel
FROM ms_rows GROUP BY shard, grp;

CREATE TABLE ms_merged AS
SELECT grp, ngs.brier_final(ngs.brier_merge(brier)) AS brier,
       ngs.log_loss_final(ngs.log_loss_merge(log_loss)) AS log_loss,
       ngs.pit_histogram_final(ngs.pit_histogram_merge(pit)) AS pit,
       ngs.reliability_final(ngs.reliability_merge(rel))::text AS rel
FROM ms_states GROUP BY grp;

SELECT results_eq('SELECT grp, brier, log_loss FROM ms_merged ORDER BY grp',
                  'SELECT grp, brier, log_loss FROM ms_whole ORDER BY grp',
                  'brier and log_loss merged from 11 shard states equal the whole aggregates bit for bit');
SELECT results_eq('SELECT grp, pit, rel FROM ms_merged ORDER BY grp',
                  'SELECT grp, pit, rel FROM ms_whole ORDER BY grp',
                  'pit_histogram and reliability merged from shard states equal the whole aggregates');
SELECT is((SELECT ngs.brier_final(ngs.brier_merge(brier ORDER BY shard DESC, grp)) FROM ms_states),
          (SELECT ngs.brier(p, label) FROM ms_rows),
          'merged in another order and over all groups, the Brier score is the whole one');
SELECT ok((SELECT bool_and(brier::text <> 'brier(0:0x0)') FROM ms_states), 'the shard states are not empty');

-- text and binary round trips of every stored state
SELECT is((SELECT count(*) FROM ms_states
            WHERE brier::text::ngs.metric_state::text = brier::text
              AND log_loss::text::ngs.metric_state::text = log_loss::text
              AND pit::text::ngs.metric_state::text = pit::text
              AND rel::text::ngs.metric_state::text = rel::text), 33::bigint,
          'every state''s text form reads back to the same text');
SELECT is((SELECT count(*) FROM ms_states
            WHERE ngs.metric_state_send(ngs.metric_state_in(ngs.metric_state_out(rel)))
                  = ngs.metric_state_send(rel)
              AND ngs.log_loss_final(log_loss::text::ngs.metric_state) = ngs.log_loss_final(log_loss)),
          33::bigint, 'the text form keeps every bit: same binary form, same log loss');
SELECT is(ngs.metric_state_send('reliability(3:1:0x1.8,0:0:0x0)')::text,
          '\x000100040000000200000000000000030000000000000001110280000000000000000000000000000001000000000000000000000000000000000000'::text,
          'the binary form, version 1: version, kind, bins, then count, positives, sum words per bin');
SELECT is(ngs.brier_final('brier(4:0x1)'), 0.25::float8, 'brier_final of a literal state: 1 / 4');
SELECT is(ngs.brier_final('brier(0:0x0)'), NULL, 'a state without rows finishes to NULL');
SELECT is(ngs.pit_histogram_final('pit_histogram(5,0,2)'), '{5,0,2}'::bigint[], 'pit_histogram_final gives the counts');
SELECT is('log_loss(2:0x00001.80)'::ngs.metric_state::text, 'log_loss(2:0x1.8)',
          'the text output is canonical: no leading or trailing zero digits');

-- forced parallel plan over the _state aggregates: Partial Aggregate, same states
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
SELECT alike(pg_temp.plan_of('SELECT ngs.reliability_state(p, label, 10) FROM ms_rows'),
             '%Gather%Partial Aggregate%', 'the _state aggregates run as partial aggregates in parallel');
SELECT is((SELECT ngs.reliability_state(p, label, 10)::text FROM ms_rows),
          (SELECT ngs.reliability_merge(rel)::text FROM ms_states),
          'a parallel reliability_state equals the merge of the shard states, bit for bit');
SELECT is((SELECT ngs.log_loss_merge(log_loss)::text FROM ms_states),
          (SELECT ngs.log_loss_state(p, label)::text FROM ms_rows),
          'a parallel log_loss_state equals the merge of the shard states');
RESET parallel_setup_cost;

-- refusals
SELECT throws_ok($$SELECT 'brier(3:0xz)'::ngs.metric_state$$, '22P02', NULL, 'a malformed sum is refused');
SELECT throws_ok($$SELECT 'brierx(3:0x1)'::ngs.metric_state$$, '22P02', NULL, 'an unknown kind is refused');
SELECT throws_ok($$SELECT 'brier(3:0x4)'::ngs.metric_state$$, '22P02',
                 'invalid metric_state: no rows could make bin 1 of this brier state',
                 'a Brier sum above one per row is refused');
SELECT throws_ok($$SELECT 'reliability(3:4:0x1)'::ngs.metric_state$$, '22P02', NULL,
                 'more true labels than rows are refused');
SELECT throws_ok($$SELECT 'brier(1:0x0.1,2:0x0.1)'::ngs.metric_state$$, '22P02',
                 'metric_state literal of a brier state with 2 bins', 'a brier state has one bin');
SELECT throws_ok($$SELECT ngs.pit_histogram_final('brier(3:0x0.b8)')$$, '42804',
                 'metric_state is a brier state, not a pit_histogram state', 'a final function refuses another metric''s state');
SELECT throws_ok($$SELECT ngs.brier_merge(s) FROM (VALUES ('brier(3:0x0.b8)'::ngs.metric_state), ('log_loss(1:0x0.1)')) v(s)$$,
                 '42804', 'cannot merge a log_loss state into a brier state', 'states of two metrics do not merge');
SELECT throws_ok($$SELECT ngs.pit_histogram_merge(s) FROM (VALUES ('pit_histogram(1,2)'::ngs.metric_state), ('pit_histogram(1,2,3)')) v(s)$$,
                 '22023', 'bins must be the same in every row, not 2 and 3', 'states of different bins do not merge');

-- the binary form through COPY: read back equal; another version refused
CREATE TABLE ms_copy (s ngs.metric_state);
SELECT format('/tmp/ngs_metric_state_%s.bin', pg_backend_pid()) AS copy_file \gset
COPY (SELECT rel FROM ms_states) TO :'copy_file' (FORMAT binary);
COPY ms_copy FROM :'copy_file' (FORMAT binary);
SELECT is((SELECT string_agg(s::text, ' ' ORDER BY s::text) FROM ms_copy),
          (SELECT string_agg(rel::text, ' ' ORDER BY rel::text) FROM ms_states),
          'states written and read in binary COPY are the same');
SELECT throws_ok($$COPY ms_copy FROM PROGRAM 'printf ''PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000\000\001\000\000\000\022\000\002\000\001\000\000\000\001\000\000\000\000\000\000\000\001\000\000\377\377''' (FORMAT binary)$$,
                 '22P03', 'unsupported metric_state binary version 2', 'a binary state of another version is refused');
SELECT throws_ok($$COPY ms_copy FROM PROGRAM 'printf ''PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000\000\001\000\000\000\022\000\001\000\001\000\000\000\001\000\000\000\000\000\000\000\001\023\002\377\377''' (FORMAT binary)$$,
                 '22P03', NULL, 'a binary state with a sum beyond the last word is refused');

SELECT * FROM finish();
ROLLBACK;
