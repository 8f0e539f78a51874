-- requires: real data
-- BI-friendly outputs on the real data: ngs.samples gives back every tracked sample, and
-- the recipe of docs/bi.md (tools/bi_views.sql): materialized views of the pass
-- distributions and season scores, wrapped in plain views that information_schema lists
-- with plain column types, equal to scoring the passes directly, readable by a role that
-- may read only the wrappers, and refreshed concurrently by their owner.
BEGIN;
SELECT plan(18);
SET LOCAL client_min_messages = warning;

-- ngs.samples: one row per tracked (play, frame, entity) that holds a value (in a tenth
-- of the games, to keep the test short)
CREATE TEMP TABLE real_samples AS
SELECT t.game_id, t.play_id, s.* FROM play_tensors t, ngs.samples(t.tensor) s
WHERE ngs.kfold(t.game_id, 10, 1) = 0;
CREATE TEMP TABLE real_keys AS
SELECT game_id, play_id, frame_id, nfl_id, count(*) AS n, min(x) AS x, min(y) AS y
FROM tracking
WHERE num_nonnulls(x, y, s, a, dir, o) > 0 AND ngs.kfold(game_id, 10, 1) = 0
GROUP BY game_id, play_id, frame_id, nfl_id;
SELECT is((SELECT count(*) FROM real_samples), (SELECT count(*) FROM real_keys),
          'ngs.samples gives one row per tracked (play, frame, entity) with a value');
SELECT is((SELECT count(*) FROM real_samples s
           JOIN real_keys k ON (k.game_id, k.play_id, k.frame_id) = (s.game_id, s.play_id, s.frame_id)
                            AND k.nfl_id IS NOT DISTINCT FROM s.nfl_id
           WHERE k.n = 1 AND k.x IS NOT DISTINCT FROM s.x AND k.y IS NOT DISTINCT FROM s.y),
          (SELECT count(*) FROM real_keys WHERE n = 1),
          'its x and y are the tracked ones, NULL where the tracking has none');
SELECT ok((SELECT bool_and((nfl_id IS NULL) = (role = 'ball')) FROM real_samples),
          'the ball, and only the ball, has a NULL nfl_id');

-- the recipe
\i tools/passes.sql
\i tools/bi_views.sql
CREATE TEMP TABLE direct AS
SELECT p.game_id, p.play_id, p.season, p.passer, p.yards, d,
       ngs.pass_score(p.tensor, p.context, p.yards) AS u
FROM passes p, ngs.pass_distribution(p.tensor, p.context) d;

SELECT set_eq($$SELECT table_name::text FROM information_schema.views WHERE table_schema = 'bi'$$,
              ARRAY['pass_distributions', 'season_scores'],
              'the wrapper views are listed in information_schema.views');
SELECT is_empty($$SELECT FROM information_schema.tables WHERE table_schema = 'bi' AND table_name LIKE '%_mv'$$,
                'the materialized views are not: that is why they are wrapped');
SELECT set_eq($$SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
                WHERE table_schema = 'bi' AND table_name NOT LIKE '%_mv'$$,
              ARRAY['pass_distributions.game_id bigint', 'pass_distributions.play_id integer',
                    'pass_distributions.season integer', 'pass_distributions.passer_id integer',
                    'pass_distributions.passer text', 'pass_distributions.yards integer',
                    'pass_distributions.pass_result text', 'pass_distributions.u double precision',
                    'pass_distributions.median double precision', 'pass_distributions.mean double precision',
                    'pass_distributions.p10 double precision', 'pass_distributions.p25 double precision',
                    'pass_distributions.p75 double precision', 'pass_distributions.p90 double precision',
                    'season_scores.season integer', 'season_scores.passer_id integer', 'season_scores.passer text',
                    'season_scores.passes bigint', 'season_scores.score double precision',
                    'season_scores.mean_u double precision'],
              'information_schema.columns lists their columns with plain types, no ngs type');

SELECT is((SELECT count(*) FROM bi.pass_distributions), (SELECT count(*) FROM passes),
          'one row per pass');
SELECT is((SELECT count(*) FROM bi.pass_distributions b JOIN direct d USING (game_id, play_id)
           WHERE b.u = d.u AND b.median = ngs.sbp_median(d.d) AND b.mean = ngs.sbp_mean(d.d)
             AND b.p10 = ngs.sbp_quantile(d.d, 0.1) AND b.p25 = ngs.sbp_quantile(d.d, 0.25)
             AND b.p75 = ngs.sbp_quantile(d.d, 0.75) AND b.p90 = ngs.sbp_quantile(d.d, 0.9)
             AND b.yards = d.yards AND b.passer_id = d.passer),
          (SELECT count(*) FROM passes),
          'u is ngs.pass_score and the median, mean and quantiles are the distribution''s, exactly');
SELECT ok((SELECT bool_and(p10 < p25 AND p25 < median AND median < p75 AND p75 < p90 AND u > 0 AND u < 1)
           FROM bi.pass_distributions),
          'the quantiles increase and every u is in (0, 1)');
SELECT is((SELECT count(*) FROM bi.pass_distributions b JOIN players pl ON pl.nfl_id = b.passer_id
           WHERE b.passer = pl.name),
          (SELECT count(*) FROM passes p JOIN players pl ON pl.nfl_id = p.passer WHERE pl.name IS NOT NULL),
          'each pass carries its passer''s name');
SELECT results_eq($$SELECT season, passer_id, passes, score FROM bi.season_scores ORDER BY season, passer_id$$,
                  $$SELECT season, passer, count(*), ngs.passing_score(u) FROM direct GROUP BY 1, 2 ORDER BY 1, 2$$,
                  'the season scores are ngs.passing_score of the passes'' scores, exactly');
SELECT cmp_ok((SELECT count(*) FROM bi.season_scores WHERE passes >= 5), '>=', 10::bigint,
              'at least ten passers threw five passes or more in a season');

-- a reader granted the wrappers alone reads them (a view reads with its owner's rights)
CREATE ROLE bi_test_reader NOLOGIN;
GRANT USAGE ON SCHEMA bi TO bi_test_reader;
GRANT SELECT ON bi.pass_distributions, bi.season_scores TO bi_test_reader;
SELECT count(*) AS seasons FROM bi.season_scores_mv \gset
SET LOCAL ROLE bi_test_reader;
SELECT is((SELECT count(*) FROM bi.season_scores), :seasons::bigint,
          'a reader granted the wrapper reads the season scores');
SELECT throws_ok('SELECT * FROM bi.season_scores_mv', '42501', NULL, 'but not the materialized view itself');
SELECT throws_ok('CALL bi.refresh()', '42501', NULL, 'nor may it refresh them: that is the owner''s job');
RESET ROLE;

-- a new outcome shows after the owner's concurrent refresh, not before
SELECT game_id AS g, play_id AS p, yards AS y, u AS u0 FROM bi.pass_distributions ORDER BY game_id, play_id LIMIT 1 \gset
UPDATE plays SET yards = yards + 10 WHERE (game_id, play_id) = (:g, :p);
SELECT is((SELECT yards FROM bi.pass_distributions WHERE (game_id, play_id) = (:g, :p)), :y,
          'the views keep the old rows until a refresh');
CALL bi.refresh();
SELECT is((SELECT yards FROM bi.pass_distributions WHERE (game_id, play_id) = (:g, :p)), :y + 10,
          'CALL bi.refresh() refreshes them concurrently (the unique indexes allow it)');
SELECT cmp_ok((SELECT u FROM bi.pass_distributions WHERE (game_id, play_id) = (:g, :p)), '>', :u0::float8,
              'and more yards score a higher u');

SELECT * FROM finish();
ROLLBACK;
