-- The tables of the ghosting evaluation (psql variables: model, all), for tools/ghost_eval.sql
-- and the real-data ghost test. Plays: tools/ghost_plays.sql; the games with
-- ngs.kfold(game_id, 5, 1) = 0, which the default model never saw, or every loaded play
-- when :all is true (for held-back data).
--   eval_errors: ADE and FDE at 1.0 s, in yards, of the model and of constant velocity, for
--     every window of a defensive back starting at or after pass_forward (3 frames in, 10 out).
--   closing_scores: the closing score over the first second after the release of every
--     defensive back against the target, for his real trajectory, his predicted one, and the
--     predicted one when 25% of the defenders start with a random velocity (speed uniform in
--     0-11 yd/s, direction uniform) and orientation.
\ir ghost_plays.sql

CREATE TEMP TABLE eval_windows AS
SELECT g.game_id, g.play_id, g.target, w.defender, w.at_frame,
       ngs.slice(g.tensor, w.at_frame - 2, w.at_frame + 10) AS s
FROM ghost_plays g,
     ngs.ghost_windows(g.tensor, g.defenders, g.target, g.release_frame, NULL) w
WHERE :all OR g.fold = 0;

-- the distance of the model's and of constant velocity's position to the real one, for
-- each of the 10 frames (i) of each window; s holds frames at_frame - 2 .. at_frame + 10
CREATE TEMP TABLE eval_points AS
SELECT w.game_id, w.play_id, w.defender, w.at_frame, p.i,
       sqrt((p.x - f.x[3 + p.i]) ^ 2 + (p.y - f.y[3 + p.i]) ^ 2) AS model,
       sqrt((f.x[3] + 0.1 * p.i * f.vx[3] - f.x[3 + p.i]) ^ 2 + (f.y[3] + 0.1 * p.i * f.vy[3] - f.y[3 + p.i]) ^ 2) AS cv
FROM eval_windows w,
     LATERAL (SELECT ngs.feature(w.s, w.defender, 'x') AS x, ngs.feature(w.s, w.defender, 'y') AS y,
                     ngs.feature(w.s, w.defender, 'vx') AS vx, ngs.feature(w.s, w.defender, 'vy') AS vy) f,
     ngs.path_points(ngs.ghost_trajectory(w.s, w.defender, w.target, w.at_frame, 10, :'model')) AS p(i, x, y);

CREATE TEMP TABLE eval_errors AS
SELECT game_id, play_id, defender, at_frame, avg(model) AS ade, max(model) FILTER (WHERE i = 10) AS fde,
       avg(cv) AS cv_ade, max(cv) FILTER (WHERE i = 10) AS cv_fde
FROM eval_points GROUP BY game_id, play_id, defender, at_frame;

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
