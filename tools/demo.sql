-- The tour that make demo prints (psql, database ngs_demo, real data loaded).
\pset footer off

\echo
\echo == the real data: tracked plays per source, as play tensors
SELECT p.source, count(*) AS plays, sum(ngs.frames(t.tensor)) AS frames,
       max(ngs.entities(t.tensor)) AS max_entities,
       pg_size_pretty(sum(pg_column_size(t.tensor))) AS stored
FROM play_tensors t JOIN plays p USING (game_id, play_id)
GROUP BY p.source ORDER BY p.source;

\echo
\echo == one play: Kansas City at New England, 2017-09-07, from snap to release
SELECT p.play_id, p.description, ngs.frames(s) AS frames, ngs.entities(s) AS entities,
       ngs.track(s, p.target_nfl_id) AS target_track
FROM plays p JOIN play_tensors t USING (game_id, play_id),
     LATERAL ngs.standardize(ngs.slice(t.tensor, p.snap_frame, p.release_frame), p.play_direction) s
WHERE p.game_id = 2017090700 AND p.pass_result = 'C' AND p.target_nfl_id IS NOT NULL
ORDER BY p.yards DESC LIMIT 1;

\echo
\echo == physically impossible tracking, by kind (players faster than 12.5 yd/s, off the field, jumps, ...)
SELECT p.source, a.kind, count(*) AS samples, count(DISTINCT (t.game_id, t.play_id)) AS plays
FROM play_tensors t JOIN plays p USING (game_id, play_id), ngs.tracking_anomalies(t.tensor) a
GROUP BY 1, 2 ORDER BY 1, 2;
