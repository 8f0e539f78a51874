-- The ghosting evaluation, printed (run by tools/ghost-eval; psql variables: model, all):
-- ADE and FDE at 1.0 s of the model and of constant velocity, and the closing experiment
-- beside the published numbers. tools/ghost_eval_tables.sql says what is measured.
\set QUIET on
\pset footer off
\pset tuples_only on
\ir ghost_eval_tables.sql

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
