-- The model inputs of every pass of make bench-season (tools/bench-season), as the table
-- pass_inputs: the passes of the view tools/passes.sql defines (the play cut from the snap
-- to the release, standardized and cleaned, its context, its yards and its passer) with at
-- least the 5 frames training needs.
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
DROP TABLE IF EXISTS pass_inputs;
DROP VIEW IF EXISTS passes;
\ir passes.sql
CREATE TABLE pass_inputs AS
SELECT game_id, play_id, passer, yards::float8 AS yards, tensor, context
FROM passes
WHERE ngs.frames(tensor) >= 5;
ALTER TABLE pass_inputs ADD PRIMARY KEY (game_id, play_id);
ANALYZE pass_inputs;
