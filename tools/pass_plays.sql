-- The pass plays of the loaded real data, as the temporary table pass_plays: one row per
-- pass (result C, I or IN) with a snap, a release, a direction and yards; its tensor cut
-- to the frames from the snap to the release, standardized and cleaned (ngs.clean
-- defaults); the default model's context (ngs.pass_context); and its evaluation fold:
-- the games with ngs.kfold(game_id, 5, 1) = 0 (a fifth, as for the ghost model) are held out of the default model's training.
-- Used by tools/train-default-model, tools/pass-eval and the real-data training tests.
DO $$ BEGIN IF to_regclass('pg_temp.pass_plays') IS NOT NULL THEN DROP TABLE pg_temp.pass_plays; END IF; END $$;
CREATE TEMP TABLE pass_plays AS
SELECT *
FROM (SELECT p.game_id, p.play_id, p.source, p.yards::float8 AS yards,
             ngs.pass_context(down => p.down, yards_to_go => p.yards_to_go, yards_to_goal => p.yards_to_goal,
                              quarter => p.quarter, score_diff => p.offense_score - p.defense_score) AS context,
             ngs.kfold(p.game_id, 5, 1) AS fold,
             ngs.clean(ngs.standardize(ngs.slice(t.tensor, p.snap_frame, p.release_frame), p.play_direction)) AS tensor
      FROM plays p
      JOIN play_tensors t USING (game_id, play_id)
      WHERE p.pass_result IN ('C', 'I', 'IN') AND p.snap_frame IS NOT NULL AND p.release_frame IS NOT NULL
        AND p.play_direction IS NOT NULL AND p.yards IS NOT NULL) s
WHERE ngs.frames(tensor) >= 5;
ANALYZE pass_plays;
