-- requires: real data
-- Ghosting on the real plays with the shipped default model, on the games it never saw
-- (ngs.kfold(game_id, 5, 1) = 0): the acceptance figures of tools/ghost-eval, the physical
-- limits of every predicted path, and counterfactual targets.
BEGIN;
SELECT plan(9);
\set QUIET on
\set model default
\set all false
\ir ../../tools/ghost_eval_tables.sql

SELECT cmp_ok((SELECT count(*) FROM eval_errors), '>', 10000::bigint,
              'the held-out games give over 10,000 windows of defensive backs after pass_forward');
SELECT cmp_ok((SELECT avg(fde) / avg(cv_fde) FROM eval_errors), '<=', 0.7::float8,
              'FDE at 1.0 s is at least 30% below constant velocity on held-out games');
SELECT cmp_ok((SELECT avg(ade) / avg(cv_ade) FROM eval_errors), '<', 1::float8,
              'ADE is below constant velocity on held-out games');

SELECT ok((SELECT avg(real) < avg(predicted) FROM closing_scores),
          'closing: real trajectories score below predicted ones');
SELECT ok((SELECT avg(predicted) < avg(perturbed_score) FROM closing_scores),
          'closing: predictions score below those with 25% of defenders perturbed');
SELECT cmp_ok((SELECT avg(perturbed_score) FROM closing_scores), '>', 0::float8,
              'closing: the perturbed mean is above zero');

-- every predicted step of every held-out window: speed and acceleration from the tracked start
CREATE TEMP TABLE real_steps AS
SELECT w.game_id, w.play_id, w.defender, w.at_frame, p.i, p.x, p.y,
       (p.x - coalesce(lag(p.x) OVER k, f.x[3])) / 0.1 AS vx, (p.y - coalesce(lag(p.y) OVER k, f.y[3])) / 0.1 AS vy,
       f.vx[3] AS vx0, f.vy[3] AS vy0
FROM eval_windows w,
     LATERAL (SELECT ngs.feature(w.s, w.defender, 'x') AS x, ngs.feature(w.s, w.defender, 'y') AS y,
                     ngs.feature(w.s, w.defender, 'vx') AS vx, ngs.feature(w.s, w.defender, 'vy') AS vy) f,
     ngs.path_points(ngs.ghost_trajectory(w.s, w.defender, w.target, w.at_frame)) AS p(i, x, y)
WINDOW k AS (PARTITION BY w.game_id, w.play_id, w.defender, w.at_frame ORDER BY p.i);
SELECT ok((SELECT bool_and(x BETWEEN 0 AND 120 AND y BETWEEN 0 AND 160.0 / 3 AND sqrt(vx ^ 2 + vy ^ 2) <= 12.5 + 1e-6)
           FROM real_steps),
          'every predicted position is on the field and every step at most 12.5 yd/s');
SELECT cmp_ok((SELECT max(sqrt((vx - coalesce(pvx, vx0)) ^ 2 + (vy - coalesce(pvy, vy0)) ^ 2) / 0.1)
               FROM (SELECT *, lag(vx) OVER k AS pvx, lag(vy) OVER k AS pvy FROM real_steps
                     WINDOW k AS (PARTITION BY game_id, play_id, defender, at_frame ORDER BY i)) a),
              '<=', 10::float8 + 1e-4, 'every predicted acceleration is at most 10 yd/s^2');

-- counterfactual targets: at the release, a defender ends nearer to a receiver when the
-- ball goes to that receiver than when it goes to the real target
CREATE TEMP TABLE counterfactual AS
SELECT c.game_id, c.play_id, c.defender, o.id AS other,
       (SELECT sqrt((p.x - r.x) ^ 2 + (p.y - r.y) ^ 2) FROM ngs.path_points(ngs.ghost_trajectory(c.s, c.defender, o.id, c.at_frame)) AS p(i, x, y) WHERE p.i = 10) AS to_other,
       (SELECT sqrt((p.x - r.x) ^ 2 + (p.y - r.y) ^ 2) FROM ngs.path_points(ngs.ghost_trajectory(c.s, c.defender, c.target, c.at_frame)) AS p(i, x, y) WHERE p.i = 10) AS to_real
FROM closing_windows c,
     LATERAL (SELECT id FROM unnest(ngs.nfl_ids(c.s), ngs.roles(c.s)) u(id, role)
              WHERE role = 'offense' AND id <> c.target) o,
     LATERAL (SELECT (ngs.feature(c.s, o.id, 'x'))[13] AS x, (ngs.feature(c.s, o.id, 'y'))[13] AS y) r
WHERE (SELECT count(*) FROM unnest(ngs.feature(c.s, o.id, 'vx')) v WHERE v IS NOT NULL) = 13;
SELECT cmp_ok((SELECT avg(to_other - to_real) FROM counterfactual), '<', 0::float8,
              'ghosts run toward a counterfactual target: nearer to him than when the ball goes elsewhere');

SELECT * FROM finish();
ROLLBACK;
