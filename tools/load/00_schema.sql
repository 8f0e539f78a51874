-- The common schema of the real tracking data (public.tracking, public.plays, public.players)
-- and the loader's helper functions (schema loader; the rules themselves are the extension's
-- ngs.yards_to_goal, ngs.tracking_role, ngs.parse_play_description and
-- ngs.receiver_name_matches, which ngs-load applies too). Replaces the three tables on every
-- run; fails instead if other objects depend on them. See README.md, "Loading the real data".

SET client_min_messages = warning;
DROP SCHEMA IF EXISTS loader CASCADE;
DROP TABLE IF EXISTS tracking, plays, players;
CREATE SCHEMA loader;
COMMENT ON SCHEMA loader IS 'helper functions of the real-data loaders (tools/load)';

CREATE TABLE tracking (
    game_id bigint NOT NULL,
    play_id int NOT NULL,
    frame_id int NOT NULL,
    nfl_id int,
    role text NOT NULL CHECK (role IN ('offense', 'defense', 'ball')),
    position text,
    x real,
    y real,
    s real,
    a real,
    dir real,
    o real,
    event text,
    CHECK ((role = 'ball') = (nfl_id IS NULL))
);
COMMENT ON TABLE tracking IS 'real 10 Hz tracking, one row per (play, frame, entity) as the sources have it, glitches and duplicates included';
COMMENT ON COLUMN tracking.frame_id IS 'frame index in the play as the source numbers it: from 1 in BDB, from 0 in the NGS highlights';
COMMENT ON COLUMN tracking.nfl_id IS 'player id; NULL for the football';
COMMENT ON COLUMN tracking.role IS 'offense (the possession team), defense or ball';
COMMENT ON COLUMN tracking.s IS 'speed, yd/s, as tracked';
COMMENT ON COLUMN tracking.a IS 'acceleration, yd/s^2, as tracked; NULL where the source has none (BDB 2019, NGS highlights)';
COMMENT ON COLUMN tracking.dir IS 'direction of motion, degrees clockwise from +y';
COMMENT ON COLUMN tracking.o IS 'orientation, degrees clockwise from +y; NULL where the source has none (BDB 2019)';
COMMENT ON COLUMN tracking.event IS 'frame event tag (ball_snap, pass_forward, ...); NULL for none';

CREATE TABLE plays (
    game_id bigint NOT NULL,
    play_id int NOT NULL,
    source text NOT NULL CHECK (source IN ('bdb2019', 'bdb2021', 'ngs_highlights')),
    season int,
    week int,
    quarter int,
    down int,
    yards_to_go int,
    yards_to_goal int,
    possession_team text,
    offense_score int,
    defense_score int,
    play_direction text CHECK (play_direction IN ('left', 'right')),
    pass_result text CHECK (pass_result IN ('C', 'I', 'IN', 'S', 'R')),
    yards int,
    target_nfl_id int,
    snap_frame int,
    release_frame int,
    arrival_frame int,
    description text,
    PRIMARY KEY (game_id, play_id)
);
COMMENT ON TABLE plays IS 'play outcomes of all three sources, one row per play (tracked or not)';
COMMENT ON COLUMN plays.yards_to_goal IS 'yards from the line of scrimmage to the opponent''s goal line';
COMMENT ON COLUMN plays.offense_score IS 'score of the possession team before the snap';
COMMENT ON COLUMN plays.defense_score IS 'score of the other team before the snap';
COMMENT ON COLUMN plays.play_direction IS 'direction the offense moves in the tracking (left: toward x = 0); NULL for untracked plays';
COMMENT ON COLUMN plays.pass_result IS 'C complete, I incomplete, IN intercepted, S sack, R scramble; NULL for other plays';
COMMENT ON COLUMN plays.yards IS 'yards gained by the offense on the play, without penalty yards; 0 for incomplete and intercepted passes';
COMMENT ON COLUMN plays.target_nfl_id IS 'targeted receiver';
COMMENT ON COLUMN plays.snap_frame IS 'tracking frame of the snap (ball_snap or snap_direct)';
COMMENT ON COLUMN plays.release_frame IS 'tracking frame of the pass release (pass_forward or pass_shovel)';
COMMENT ON COLUMN plays.arrival_frame IS 'tracking frame of the pass arrival (pass_arrived)';

CREATE TABLE players (
    nfl_id int PRIMARY KEY,
    name text,
    position text
);
COMMENT ON TABLE players IS 'players of all three sources; the NGS highlights'' entry wins over BDB 2021''s, which wins over BDB 2019''s';

-- The offensive player of a play whose display name fits an abbreviated "F.Last" name
-- (ngs.receiver_name_matches); NULL when no player or more than one fits.
CREATE FUNCTION loader.match_receiver(game_id bigint, play_id int, receiver text)
RETURNS int LANGUAGE sql STABLE STRICT PARALLEL SAFE COST 1000
BEGIN ATOMIC
    SELECT min(p.nfl_id) FROM players p
    WHERE p.nfl_id IN (SELECT t.nfl_id FROM tracking t
                       WHERE t.game_id = match_receiver.game_id
                         AND t.play_id = match_receiver.play_id AND t.role = 'offense')
      AND ngs.receiver_name_matches(match_receiver.receiver, p.name)
    HAVING count(*) = 1;
END;
COMMENT ON FUNCTION loader.match_receiver(bigint, int, text) IS 'nfl_id of the offensive player in a play''s tracking that an abbreviated "F.Last" name denotes, NULL if none or ambiguous';

-- The direction the offense moves in each tracked play of a source: right when the offense's
-- mean x is below the defense's at the snap (the first frame if there is no snap).
CREATE FUNCTION loader.offense_direction(source text)
RETURNS TABLE (game_id bigint, play_id int, play_direction text)
LANGUAGE sql STABLE PARALLEL SAFE COST 1000000
BEGIN ATOMIC
    WITH f AS (
        SELECT t.game_id, t.play_id, coalesce(p.snap_frame, min(t.frame_id)) AS frame_id
        FROM tracking t
        JOIN plays p ON p.game_id = t.game_id AND p.play_id = t.play_id
        WHERE p.source = offense_direction.source
        GROUP BY t.game_id, t.play_id, p.snap_frame
    ), m AS (
        SELECT t.game_id, t.play_id,
               avg(t.x) FILTER (WHERE t.role = 'offense') AS offense_x,
               avg(t.x) FILTER (WHERE t.role = 'defense') AS defense_x
        FROM tracking t
        JOIN f ON f.game_id = t.game_id AND f.play_id = t.play_id AND f.frame_id = t.frame_id
        GROUP BY t.game_id, t.play_id
    )
    SELECT m.game_id, m.play_id,
           CASE WHEN m.offense_x < m.defense_x THEN 'right'
                WHEN m.offense_x > m.defense_x THEN 'left' END
    FROM m;
END;
COMMENT ON FUNCTION loader.offense_direction(text) IS 'left or right for every tracked play of a source, from the offense''s and the defense''s mean x at the snap';
