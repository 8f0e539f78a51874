-- One play tensor per tracked play, as tracked (standardize with ngs.standardize and
-- plays.play_direction when a model needs it).
DROP TABLE IF EXISTS play_tensors;
CREATE TABLE play_tensors AS
SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) AS tensor
FROM tracking
GROUP BY game_id, play_id;
ALTER TABLE play_tensors ADD PRIMARY KEY (game_id, play_id);
ANALYZE play_tensors;
COMMENT ON TABLE play_tensors IS 'one ngs.play_tensor per tracked play, built by tools/load/90_play_tensors.sql';
