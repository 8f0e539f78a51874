-- After the bulk loads: the index, the play columns that come from the tracking (event
-- frames, the BDB 2019 direction, the named receivers of BDB 2019 and the highlights), and
-- fresh statistics.

CREATE INDEX tracking_play_idx ON tracking (game_id, play_id, frame_id);

-- An event's frame is the one most of the play's rows tag with it (the earliest on a tie):
-- in some highlights the ball's stream is time-shifted and tags the snap elsewhere.
UPDATE plays p
SET snap_frame = f.snap, release_frame = f.release, arrival_frame = f.arrival
FROM (SELECT game_id, play_id,
             mode() WITHIN GROUP (ORDER BY frame_id)
                 FILTER (WHERE event IN ('ball_snap', 'snap_direct')) AS snap,
             mode() WITHIN GROUP (ORDER BY frame_id)
                 FILTER (WHERE event IN ('pass_forward', 'pass_shovel')) AS release,
             mode() WITHIN GROUP (ORDER BY frame_id)
                 FILTER (WHERE event = 'pass_arrived') AS arrival
      FROM tracking
      WHERE event IS NOT NULL
      GROUP BY game_id, play_id) f
WHERE f.game_id = p.game_id AND f.play_id = p.play_id;

UPDATE plays p
SET play_direction = d.play_direction
FROM loader.offense_direction('bdb2019') d
WHERE d.game_id = p.game_id AND d.play_id = p.play_id;

UPDATE plays p
SET target_nfl_id = loader.match_receiver(p.game_id, p.play_id,
                                          (ngs.parse_play_description(p.description)).receiver)
WHERE p.source IN ('bdb2019', 'ngs_highlights')
  AND EXISTS (SELECT FROM tracking t WHERE t.game_id = p.game_id AND t.play_id = p.play_id);

ANALYZE tracking, plays, players;
