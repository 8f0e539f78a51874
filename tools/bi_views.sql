-- BI views over the real passes (docs/bi.md; tested by test/real/bi_real.sql): the
-- schema bi with two materialized views, each wrapped in a plain view of plain columns
-- (int, bigint, text, float8) that BI connectors list in information_schema, and a
-- procedure that refreshes both, in order, without blocking readers. Needs the view
-- passes (tools/passes.sql) and the default pass model.
CREATE SCHEMA bi;

-- One row per pass: who threw it, the yards gained, the model's distribution of yards for
-- a league-average passer in the same situation (median, mean, quantiles), and the score u,
-- where the real yards fell in it. The distribution is computed once per pass.
CREATE MATERIALIZED VIEW bi.pass_distributions_mv AS
SELECT p.game_id, p.play_id, p.season, p.passer AS passer_id, pl.name AS passer,
       p.yards, p.pass_result, ngs.sbp_cdf(d.d, p.yards) AS u,
       q[3] AS median, ngs.sbp_mean(d.d) AS mean,
       q[1] AS p10, q[2] AS p25, q[4] AS p75, q[5] AS p90
FROM passes p
LEFT JOIN players pl ON pl.nfl_id = p.passer
CROSS JOIN LATERAL (SELECT ngs.pass_distribution(p.tensor, p.context) AS d) d
CROSS JOIN LATERAL ngs.sbp_quantiles(d.d, '{0.1, 0.25, 0.5, 0.75, 0.9}') AS q;
CREATE UNIQUE INDEX ON bi.pass_distributions_mv (game_id, play_id);   -- for CONCURRENTLY

-- One row per passer and season: passes thrown and the 50-99 passing score.
CREATE MATERIALIZED VIEW bi.season_scores_mv AS
SELECT season, passer_id, min(passer) AS passer, count(*) AS passes,
       ngs.passing_score(u) AS score, avg(u) AS mean_u
FROM bi.pass_distributions_mv
GROUP BY season, passer_id;
CREATE UNIQUE INDEX ON bi.season_scores_mv (season, passer_id);       -- for CONCURRENTLY

-- The views BI tools read (information_schema lists views, not materialized views).
CREATE VIEW bi.pass_distributions AS SELECT * FROM bi.pass_distributions_mv;
CREATE VIEW bi.season_scores AS SELECT * FROM bi.season_scores_mv;
COMMENT ON VIEW bi.pass_distributions IS 'every pass: passer, yards, score u and the predicted distribution of yards (median, mean, p10, p25, p75, p90)';
COMMENT ON VIEW bi.season_scores IS 'every passer and season: passes and the 50-99 passing score';

-- Refreshing: the passes first, then the seasons built on them. Readers keep seeing the
-- old rows until each refresh commits. Run by the owner of the materialized views.
CREATE PROCEDURE bi.refresh() LANGUAGE sql AS $$
    REFRESH MATERIALIZED VIEW CONCURRENTLY bi.pass_distributions_mv;
    REFRESH MATERIALIZED VIEW CONCURRENTLY bi.season_scores_mv;
$$;
COMMENT ON PROCEDURE bi.refresh() IS 'refreshes the BI materialized views in order, readers undisturbed; call it as their owner';
