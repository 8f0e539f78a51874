-- The model inputs of every pass of make bench-season (tools/bench-season), as the table
-- pass_inputs: the play cut from the snap to the release, standardized and cleaned, its
-- context (ngs.pass_context), its yards, and its passer (the offensive QB nearest the ball
-- at the release), as tools/passes.sql defines them for the real data.
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
DROP TABLE IF EXISTS pass_inputs;
CREATE TABLE pass_inputs AS
SELECT p.game_id, p.play_id, q.nfl_id AS passer, p.yards::float8 AS yards,
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
  AND p.snap_frame + 4 <= p.release_frame;
ALTER TABLE pass_inputs ADD PRIMARY KEY (game_id, play_id);
ANALYZE pass_inputs;
