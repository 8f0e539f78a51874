-- The README's materialized-view recipe: play scores in a table, season scores in a
-- materialized view with a unique index, refreshed concurrently as new games arrive.
-- Stored u values stand in for ngs.pass_score here, so the recipe is tested without a model.
BEGIN;
SELECT plan(8);
SELECT setseed(0.42);

-- the recipe's play-score table, filled with two weeks of made-up scores
CREATE TABLE pass_scores (game_id bigint, play_id int, season int, passer int, u float8,
                          PRIMARY KEY (game_id, play_id));
INSERT INTO pass_scores
SELECT 2019090500 + g, p, 2018 + g % 2, 100 + p % 7, random()
FROM generate_series(1, 20) g, generate_series(1, 60) p;

-- the recipe
CREATE MATERIALIZED VIEW season_scores AS
SELECT season, passer, count(*) AS passes, ngs.passing_score(u) AS score
FROM pass_scores
GROUP BY season, passer;
SELECT throws_ok('REFRESH MATERIALIZED VIEW CONCURRENTLY season_scores', '55000', NULL,
                 'a concurrent refresh needs a unique index');
CREATE UNIQUE INDEX season_scores_key ON season_scores (season, passer);

-- the season score of a passer from scratch, to compare the view with
CREATE FUNCTION pg_temp.fresh() RETURNS TABLE (season int, passer int, passes bigint, score float8)
    AS $$ SELECT season, passer, count(*), ngs.passing_score(u) FROM pass_scores GROUP BY season, passer $$
    LANGUAGE sql;

SELECT set_eq('SELECT * FROM season_scores', 'SELECT * FROM pg_temp.fresh()',
              'the view holds each passer''s season score');
SELECT ok((SELECT bool_and(score BETWEEN 50 AND 99) AND count(*) = 14 FROM season_scores),
          '14 passer seasons, every score on the 50-99 scale');

-- a new game arrives: the view keeps the old scores until it is refreshed
INSERT INTO pass_scores
SELECT 2019090600, p, 2019, 100 + p % 7, 0.97 FROM generate_series(1, 60) p;
SELECT isnt_empty('SELECT * FROM pg_temp.fresh() EXCEPT SELECT * FROM season_scores',
                  'before the refresh the view still has the old scores');
SELECT lives_ok('REFRESH MATERIALIZED VIEW CONCURRENTLY season_scores', 'the view refreshes concurrently');
SELECT set_eq('SELECT * FROM season_scores', 'SELECT * FROM pg_temp.fresh()',
              'after the refresh the view holds the new game''s plays');
SELECT ok((SELECT bool_and(n.score > o.score)
           FROM season_scores n
           JOIN (SELECT passer, ngs.passing_score(u) AS score FROM pass_scores
                 WHERE season = 2019 AND game_id <> 2019090600 GROUP BY passer) o USING (passer)
           WHERE n.season = 2019),
          'a game of excellent throws (u = 0.97) raises every 2019 season score');
-- a passer's only row leaves the view when his plays are deleted
DELETE FROM pass_scores WHERE passer = 106 AND season = 2018;
REFRESH MATERIALIZED VIEW CONCURRENTLY season_scores;
SELECT is((SELECT count(*) FROM season_scores WHERE passer = 106 AND season = 2018), 0::bigint,
          'deleted plays leave the view at the next refresh');

SELECT * FROM finish();
ROLLBACK;
