-- passing_score: the 50-99 scale, shrinkage, clamping, exact states and their text form.
-- Inputs are listed one per line; each shows its result or its error.

-- one play at u = 0.5 (z = 0) is the middle of the scale, 74.5
SELECT ngs.passing_score(0.5) AS average;
-- n plays at u = Phi(1) (z = 1): 50 + 49 Phi(4 n / (n + 20)); by hand (scipy):
-- n = 1: 78.201068027, n = 20: 97.885243535, n = 1000: 98.997844628
SELECT n, round(ngs.passing_score(0.8413447460685429)::numeric, 9) AS score
FROM (VALUES (1), (20), (1000)) v(n), generate_series(1, n) GROUP BY n ORDER BY n;
-- mixed plays, clamped at 0.001 and 0.999; by hand (scipy): 75.633911757
SELECT round(ngs.passing_score(u)::numeric, 9) FROM unnest('{0.1,0.35,0.5,0.72,0.93,0.999,0.0004}'::float8[]) u;
-- clamping: 0 scores as 0.001, 1 as 0.999
SELECT ngs.passing_score(0) = ngs.passing_score(0.001) AS low, ngs.passing_score(1) = ngs.passing_score(0.999) AS high;
-- NULLs are skipped; no plays give NULL
SELECT ngs.passing_score(u) FROM unnest('{NULL,0.5,NULL}'::float8[]) u;
SELECT ngs.passing_score(u) IS NULL AS all_null FROM unnest('{NULL,NULL}'::float8[]) u;
SELECT ngs.passing_score(u) IS NULL AS no_rows FROM unnest('{}'::float8[]) u;

-- the two-level pattern: states per group, merged, equal the direct score exactly
CREATE TEMP TABLE plays AS SELECT g % 7 AS shard, (g * 0.6180339887498949) % 1 AS u FROM generate_series(1, 5000) g;
CREATE TEMP TABLE states AS SELECT shard, ngs.passing_score_state(u) AS state FROM plays GROUP BY shard;
SELECT (SELECT ngs.passing_score_final(ngs.passing_score_merge(state)) FROM states)
     = (SELECT ngs.passing_score(u) FROM plays) AS merged_equals_direct,
       (SELECT ngs.passing_score_plays(ngs.passing_score_merge(state)) FROM states) AS plays;
SELECT count(*) FILTER (WHERE state::text::ngs.passing_score_state::text = state::text) AS text_round_trips FROM states;
SELECT ngs.passing_score_state(u) FROM unnest('{0.5,0.8413447460685429,0.001}'::float8[]) u;
SELECT round(ngs.passing_score_mean_z(ngs.passing_score_state(u))::numeric, 9) AS mean_z FROM unnest('{0.8413447460685429,0.5}'::float8[]) u;

-- accepted state literals, one per line
SELECT s::ngs.passing_score_state, ngs.passing_score_final(s::ngs.passing_score_state) FROM (VALUES
    ('(0,0,0)'), ('(1,1,1)'), ('(2,-0.5,0.5)'), ('(3,0.0000000000009094947017729282379150390625,1)')
) v(s);

-- rejected play scores and state literals, one per line
SELECT input, try(input) FROM (VALUES
    ('SELECT ngs.passing_score(-0.1)'),
    ('SELECT ngs.passing_score(1.5)'),
    ('SELECT ngs.passing_score(''NaN'')'),
    ('SELECT ''''::ngs.passing_score_state'),
    ('SELECT ''(1,2)''::ngs.passing_score_state'),
    ('SELECT ''(-1,0,0)''::ngs.passing_score_state'),
    ('SELECT ''(1,0.1,0)''::ngs.passing_score_state'),
    ('SELECT ''(1,0,-1)''::ngs.passing_score_state'),
    ('SELECT ''(0,1,0)''::ngs.passing_score_state'),
    ('SELECT ''(1,1,1) ''::ngs.passing_score_state'),
    ('SELECT ''(1,1.,1)''::ngs.passing_score_state'),
    ('SELECT ''(1,1e3,1)''::ngs.passing_score_state'),
    ('SELECT ''(1,99999999999999999999,1)''::ngs.passing_score_state'),
    ('SELECT ''(2000000000000,0,0)''::ngs.passing_score_state'),
    ('SELECT ''( 1,0,0)''::ngs.passing_score_state'),
    ('SELECT ''(+1,0,0)''::ngs.passing_score_state'),
    ('SELECT ''(1,999999999999999999,0)''::ngs.passing_score_state'),
    ('SELECT ''(1,0,10)''::ngs.passing_score_state'),
    ('SELECT ''(2,-6.2,1)''::ngs.passing_score_state')
) v(input);

-- the support functions refuse to run outside an aggregate, where the state could be a
-- table's value updated in place (the rows below stay as they were)
CREATE TEMP TABLE stored_states (id int, s ngs.passing_score_state);
INSERT INTO stored_states VALUES (1, '(1,1,1)'), (2, '(2,0.5,0.5)');
SELECT input, try(input) FROM (VALUES
    ('SELECT ngs.passing_score_combine(s, ''(5,5,5)'') FROM stored_states'),
    ('SELECT ngs.passing_score_transfn(s, 0.5) FROM stored_states')
) v(input);
SELECT * FROM stored_states ORDER BY id;
-- extreme but real states: every play at u = 0 or u = 1 (z clamped at -3.09 or 3.09)
SELECT (SELECT ngs.passing_score_merge(s)
        FROM (SELECT ngs.passing_score_state(u)::text::ngs.passing_score_state AS s
              FROM (VALUES (0::float8), (1), (0)) v(u) GROUP BY u) t)::text
     = (SELECT ngs.passing_score_state(u) FROM (VALUES (0::float8), (1), (0)) v(u))::text AS clamped_states_read_back;
