-- pgbench: score one random pass with the default model, or half the time with a live
-- imported copy of it (another client may be dropping it), record the score and upsert it
-- into the season view's table.
\set k random(1, :passes)
\set own random(0, 1)
WITH s AS (
    SELECT p.k, p.game_id, p.play_id, p.season, p.passer, m.model,
           ngs.pass_score(p.tensor, p.context, p.yards, m.model) AS u
    FROM load_passes p,
         (SELECT coalesce((SELECT id::text FROM ngs.model WHERE name LIKE 'load\_%' AND :own = 1
                           ORDER BY random() LIMIT 1), 'default') AS model) m
    WHERE p.k = :k),
r AS (INSERT INTO load_scores (client, k, model, u) SELECT :client_id, k, model, u FROM s)
INSERT INTO pass_scores SELECT game_id, play_id, season, passer, u FROM s
ON CONFLICT (game_id, play_id) DO UPDATE SET u = excluded.u;
