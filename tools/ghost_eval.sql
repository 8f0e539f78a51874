-- The ghosting evaluation (run by tools/ghost-eval; psql variables: model, all).
-- Plays: tools/ghost_plays.sql; the games with ngs.kfold(game_id, 5, 1) = 0, which the
-- default model never saw, or every loaded play when :all is true (for held-back data).
--  1. ADE and FDE at 1.0 s, in yards, of the model and of constant velocity, over every
--     window of a defensive back starting at or after pass_forward (3 frames in, 10 out).
--  2. The closing experiment: the closing score over the first second after the release of
--     every defensive back against the target, for his real trajectory, his predicted one,
--     and the predicted one when 25% of the defenders start with a random velocity
--     (speed uniform in 0-11 yd/s, direction uniform) and orientation.
\set QUIET on
\pset footer off
\pset tuples_only on
\i tools/ghost_plays.sql

CREATE TEMP TABLE eval_windows AS
SELECT g.game_id, g.play_id, g.target, w.defender, w.at_frame,
       ngs.slice(g.tensor, w.at_frame - 2, w.at_frame + 10) AS s
FROM ghost_plays g,
     ngs.ghost_windows(g.tensor, g.defenders, g.target, g.release_frame, NULL) w
WHERE :all OR g.fold = 0;

CREATE TEMP TABLE eval_errors AS
SELECT (m).ade, (m).fde, (c).ade AS cv_ade, (c).fde AS cv_fde
FROM (SELECT pg_temp.path_errors(ngs.ghost_trajectory(s, defender, target, at_frame, 10, :'model'), r) AS m,
             pg_temp.path_errors(pg_temp.cv_trajectory(s, defender, at_frame), r) AS c
      FROM (SELECT *, ngs.track(ngs.slice(s, at_frame + 1, at_frame + 10), defender) AS r
            FROM eval_windows) w) e;

SELECT format('ghosting evaluation of model %s on %s windows of %s defensive backs in %s plays of %s games (%s)',
              :'model', count(*), count(DISTINCT (game_id, play_id, defender)),
              count(DISTINCT (game_id, play_id)), count(DISTINCT game_id),
              CASE WHEN :all THEN 'every loaded play' ELSE 'held out: ngs.kfold(game_id, 5, 1) = 0' END)
FROM eval_windows;

\pset tuples_only off
SELECT v.method AS "trajectory", round(v.ade::numeric, 3) AS "ADE (yd)", round(v.fde::numeric, 3) AS "FDE at 1.0 s (yd)",
       CASE WHEN v.method = 'ghost model' THEN round((100 * (1 - v.fde / a.cv_fde))::numeric, 1) || '%' END AS "FDE below constant velocity"
FROM (SELECT avg(ade) AS ade, avg(fde) AS fde, avg(cv_ade) AS cv_ade, avg(cv_fde) AS cv_fde FROM eval_errors) a,
     LATERAL (VALUES ('constant velocity', a.cv_ade, a.cv_fde), ('ghost model', a.ade, a.fde)) v(method, ade, fde);
\pset tuples_only on

-- the perturbed quarter: the defenders whose hash (seed 7) ranks in the lowest 25%
CREATE TEMP TABLE closing_windows AS
SELECT *, row_number() OVER (ORDER BY pg_temp.uniform(key, 7), key) <= round(0.25 * count(*) OVER ()) AS perturbed,
       11 * pg_temp.uniform(key, 8) AS speed,
       360 * pg_temp.uniform(key, 9) AS direction,
       360 * pg_temp.uniform(key, 10) AS orientation
FROM (SELECT g.game_id, g.play_id, g.target, w.defender, w.at_frame,
             concat_ws('/', g.game_id, g.play_id, w.defender) AS key,
             ngs.slice(g.tensor, w.at_frame - 2, w.at_frame + 10) AS s
      FROM ghost_plays g,
           ngs.ghost_windows(g.tensor, g.defenders, g.target, g.release_frame, g.release_frame) w
      WHERE (:all OR g.fold = 0)
        AND npoints(ngs.track(ngs.slice(g.tensor, g.release_frame, g.release_frame + 10), g.target)) = 11) c;

CREATE TEMP TABLE closing_scores AS
SELECT perturbed,
       ngs.closing_track(s, defender, target, at_frame, at_frame + 10) AS real,
       ngs.closing_metric(start + ngs.ghost_trajectory(s, defender, target, at_frame, 10, :'model'), receiver) AS predicted,
       ngs.closing_metric(start + ngs.ghost_trajectory(CASE WHEN perturbed THEN pg_temp.perturb(s, defender, at_frame, speed, direction, orientation) ELSE s END,
                                                       defender, target, at_frame, 10, :'model'), receiver) AS perturbed_score
FROM (SELECT *, ngs.track(ngs.slice(s, at_frame, at_frame), defender) AS start,
             ngs.track(ngs.slice(s, at_frame, at_frame + 10), target) AS receiver
      FROM closing_windows) c;

SELECT format('closing experiment: %s defensive backs at the release against the target, 1.0 s; %s of them (%s%%) perturbed',
              count(*), count(*) FILTER (WHERE perturbed), round(100.0 * count(*) FILTER (WHERE perturbed) / count(*), 1))
FROM closing_scores;

\pset tuples_only off
SELECT v.what AS "mean closing score", round(v.ours::numeric, 4) AS "ours", v.published AS "published"
FROM (SELECT avg(real) AS r, avg(predicted) AS p, avg(perturbed_score) AS q FROM closing_scores) m,
     LATERAL (VALUES ('real trajectories', m.r, '-0.1036'), ('predicted', m.p, '-0.0825'),
                     ('predicted, 25% perturbed', m.q, '+0.0425')) v(what, ours, published);
\pset tuples_only on

SELECT format('real < predicted < perturbed: %s; perturbed above zero: %s',
              CASE WHEN avg(real) < avg(predicted) AND avg(predicted) < avg(perturbed_score) THEN 'yes' ELSE 'NO' END,
              CASE WHEN avg(perturbed_score) > 0 THEN 'yes' ELSE 'NO' END)
FROM closing_scores;
