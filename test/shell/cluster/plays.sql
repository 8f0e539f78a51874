-- The cluster test's synthetic plays (test/shell/cluster.sh), the same on every node: 96
-- plays in 16 games by 8 passers; psql variable shard: 1 or 2 keeps the games of that
-- shard (game % 2 = shard - 1), 0 keeps them all. 2 offensive players, 2 defenders and
-- the ball over 6 to 13 frames; the yards follow the first context value.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE FUNCTION train_play(i int, frames int) RETURNS ngs.play_tensor LANGUAGE sql IMMUTABLE AS $$
    SELECT format('{"version":1,"standardized":true,"frame_ids":%s,"nfl_ids":[11,12,21,22,null],'
                  '"roles":["offense","offense","defense","defense","ball"],"data":%s}',
                  (SELECT json_agg(f) FROM generate_series(1, frames) f),
                  (SELECT json_agg((SELECT json_agg((SELECT json_agg(round((10 * sin(i * 1.3 + e * 0.7 + k) + f * (k % 3) * 0.1)::numeric, 2))
                                                     FROM generate_series(0, 7) k))
                                    FROM unnest(ARRAY[11, 12, 21, 22, 30]) e))
                   FROM generate_series(1, frames) f))::ngs.play_tensor
$$;
CREATE TABLE plays AS
SELECT i, (i % 16)::bigint AS game, i % 16 % 2 + 1 AS shard, i % 8 AS passer, train_play(i, 6 + i % 8) AS tensor,
       ARRAY[i % 4 + 1, (i * 7) % 10]::real[] AS context, ((i % 4) * 6 + (i * 5) % 7 - 2)::float8 AS yards
FROM generate_series(1, 96) i
WHERE :shard = 0 OR i % 16 % 2 + 1 = :shard;
