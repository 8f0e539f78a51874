-- The view passes (used by tools/demo.sql and test/shell/load.sh): every pass as the default pass
-- model was trained on it (tools/pass_plays.sql): the play from snap to release, standardized
-- and cleaned, its context (ngs.pass_context), and the passer: the offensive player listed
-- as QB nearest the ball at the release.
CREATE VIEW passes AS
SELECT p.game_id, p.play_id, p.source, p.season, q.nfl_id AS passer, p.target_nfl_id AS target,
       p.yards, p.pass_result, p.description,
       ngs.clean(ngs.standardize(ngs.slice(t.tensor, p.snap_frame, p.release_frame), p.play_direction)) AS tensor,
       ngs.pass_context(down => p.down, yards_to_go => p.yards_to_go, yards_to_goal => p.yards_to_goal,
                        quarter => p.quarter, score_diff => p.offense_score - p.defense_score) AS context
FROM plays p
JOIN play_tensors t USING (game_id, play_id)
CROSS JOIN LATERAL (
    SELECT o.nfl_id
    FROM tracking o
    JOIN tracking b ON b.game_id = o.game_id AND b.play_id = o.play_id AND b.frame_id = o.frame_id AND b.role = 'ball'
    WHERE o.game_id = p.game_id AND o.play_id = p.play_id AND o.frame_id = p.release_frame AND o.role = 'offense'
    ORDER BY o.position = 'QB' DESC, (o.x - b.x) ^ 2 + (o.y - b.y) ^ 2
    LIMIT 1) q
WHERE p.pass_result IN ('C', 'I', 'IN') AND p.yards IS NOT NULL AND p.play_direction IS NOT NULL
  AND p.snap_frame < p.release_frame;
