-- The load test's checks after pgbench (test/shell/load.sh): scores every pass once more in one
-- backend (the serial run), refreshes the view a last time, and prints one line per problem
-- found, then a last line "summary: ...". psql variables score, refresh, import: the
-- transactions pgbench counted for each script.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SET max_parallel_workers_per_gather = 0;

CREATE TABLE load_serial AS
SELECT k, game_id, play_id, season, passer, ngs.pass_score(tensor, context, yards) AS u FROM load_passes;
REFRESH MATERIALIZED VIEW CONCURRENTLY season_scores;

-- every committed transaction left its row
SELECT format('load_scores has %s rows for %s score transactions', count(*), :score)
FROM load_scores HAVING count(*) <> :score;
SELECT format('load_refreshes has %s rows for %s refresh transactions', count(*), :refresh)
FROM load_refreshes HAVING count(*) <> :refresh;
SELECT format('load_imports has %s rows for %s import transactions', count(*), :import)
FROM load_imports HAVING count(*) <> :import;

-- every score equals the serial one bit for bit
SELECT format('%s of the concurrent scores differ from the serial run, e.g. pass %s: %s, serially %s',
              count(*), min(k), min(c.u), min(s.u))
FROM (SELECT k, u FROM load_scores UNION ALL SELECT k, u FROM load_imports) c
JOIN load_serial s USING (k)
WHERE float8send(c.u) IS DISTINCT FROM float8send(s.u)
HAVING count(*) > 0;
SELECT format('%s of the serial scores are NULL', count(*)) FROM load_serial WHERE u IS NULL HAVING count(*) > 0;

-- the season view's table holds exactly the passes scored, each with its serial score
SELECT format('%s rows of pass_scores differ from the serial scores of the passes scored', count(*))
FROM ((SELECT game_id, play_id, season, passer, float8send(u) FROM pass_scores
       EXCEPT SELECT game_id, play_id, season, passer, float8send(u) FROM load_serial WHERE k IN (SELECT k FROM load_scores))
      UNION ALL
      (SELECT game_id, play_id, season, passer, float8send(u) FROM load_serial WHERE k IN (SELECT k FROM load_scores)
       EXCEPT SELECT game_id, play_id, season, passer, float8send(u) FROM pass_scores)) d
HAVING count(*) > 0;

-- after the last refresh the view equals a serial aggregation of the serial scores
CREATE TEMP VIEW fresh AS
SELECT season, passer, count(*) AS passes, float8send(ngs.passing_score(u)) AS score
FROM load_serial WHERE k IN (SELECT k FROM load_scores) GROUP BY season, passer;
CREATE TEMP VIEW refreshed AS SELECT season, passer, passes, float8send(score) AS score FROM season_scores;
SELECT format('%s rows differ between season_scores and a serial aggregation', count(*))
FROM ((TABLE fresh EXCEPT TABLE refreshed) UNION ALL (TABLE refreshed EXCEPT TABLE fresh)) d
HAVING count(*) > 0;
SELECT 'no refresh saw a passer season' FROM load_refreshes HAVING max(passer_seasons) = 0;

-- models: every import got its own version; the dropped ones are gone, the live ones whole
SELECT format('%s imports share a version id', count(*) - count(DISTINCT id))
FROM load_imports HAVING count(*) <> count(DISTINCT id);
SELECT format('model load_%s (version %s) %s', i.seq, i.id,
              CASE WHEN i.dropped THEN 'was dropped but exists' ELSE 'is missing' END)
FROM load_imports i LEFT JOIN ngs.model m ON m.id = i.id
WHERE (m.id IS NULL) <> i.dropped;
SELECT format('model %s (version %s) is not the weight file it was given', m.name, m.id)
FROM load_imports i JOIN ngs.model m ON m.id = i.id, load_weights w
WHERE m.name <> 'load_' || i.seq OR m.kind <> 'pass' OR m.weights <> w.weights
   OR m.sha256 <> sha256(w.weights) OR m.shipped
   OR m.options <> (SELECT options FROM ngs.model WHERE name = 'default' AND kind = 'pass')
   OR ngs.model_id(m.name) <> m.id;
SELECT format('model %s (version %s) is in the catalog but no import committed it', name, id)
FROM ngs.model m
WHERE name LIKE 'load\_%' AND NOT EXISTS (SELECT FROM load_imports i WHERE i.id = m.id AND NOT i.dropped);
SELECT format('%s clients imported, %s models live (each client keeps its last)',
              count(DISTINCT client), count(*) FILTER (WHERE NOT dropped))
FROM load_imports HAVING count(DISTINCT client) <> count(*) FILTER (WHERE NOT dropped);
SELECT format('%s models imported, but no score transaction used one', :import)
WHERE NOT EXISTS (SELECT FROM load_scores WHERE model <> 'default') AND :import > 1;

SELECT format('summary: %s passes scored of %s, %s with imported models; %s passer seasons; %s models imported, %s dropped',
              (SELECT count(DISTINCT k) FROM load_scores), (SELECT count(*) FROM load_serial),
              (SELECT count(*) FROM load_scores WHERE model <> 'default'), (SELECT count(*) FROM season_scores),
              count(*), count(*) FILTER (WHERE dropped))
FROM load_imports;
