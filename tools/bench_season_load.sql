-- The COPY-based loader of make bench-season (tools/bench-season), used when ngs-load is not
-- installed: reads a directory in the Big Data Bowl 2024 layout (the current directory:
-- tracking_week_*.csv, plays.csv, games.csv, players.csv; NA is NULL) into the tables
-- tracking, plays, games and players in the columns of tools/load/00_schema.sql (role from
-- the possession team, event frames and direction from the tracking), with the index the
-- pass queries use.
SET client_min_messages = warning;
DROP TABLE IF EXISTS tracking, plays, games, players, raw_tracking, raw_plays;
CREATE TABLE games (game_id bigint PRIMARY KEY, season int, week int, game_date text, game_time_eastern text,
                    home_team text, visitor_team text, home_final_score int, visitor_final_score int);
CREATE TABLE players (nfl_id int PRIMARY KEY, height text, weight int, birth_date text, college text,
                      position text, name text);
CREATE UNLOGGED TABLE raw_tracking (game_id bigint, play_id int, nfl_id int, display_name text, frame_id int,
    time timestamp, jersey_number int, club text, play_direction text, x real, y real, s real, a real,
    dis real, o real, dir real, event text);
CREATE UNLOGGED TABLE raw_plays (game_id bigint, play_id int, ball_carrier_id int, ball_carrier_name text,
    description text, quarter int, down int, yards_to_go int, possession_team text, defensive_team text,
    yardline_side text, yardline_number int, game_clock text, pre_snap_home_score int,
    pre_snap_visitor_score int, pass_result text, pass_length int, penalty_yards int,
    pre_penalty_play_result int, play_result int, play_nullified_by_penalty text,
    absolute_yardline_number int, offense_formation text, defenders_in_the_box int, pass_probability float8,
    home_wp float8, visitor_wp float8, home_wpa float8, visitor_wpa float8, expected_points float8,
    expected_points_added float8, foul_name1 text, foul_name2 text, foul_nfl_id1 int, foul_nfl_id2 int);
\copy games FROM 'games.csv' WITH (FORMAT csv, HEADER true, NULL 'NA')
\copy players FROM 'players.csv' WITH (FORMAT csv, HEADER true, NULL 'NA')
\copy raw_plays FROM 'plays.csv' WITH (FORMAT csv, HEADER true, NULL 'NA')
\copy raw_tracking FROM PROGRAM 'awk "FNR > 1" tracking_week_*.csv' WITH (FORMAT csv, NULL 'NA')

CREATE TABLE plays AS
SELECT p.game_id, p.play_id, 'synthetic'::text AS source, g.season, g.week, p.quarter, p.down, p.yards_to_go,
       CASE f.play_direction WHEN 'right' THEN 110 - p.absolute_yardline_number
                             ELSE p.absolute_yardline_number - 10 END AS yards_to_goal,
       p.possession_team,
       CASE WHEN p.possession_team = g.home_team THEN p.pre_snap_home_score ELSE p.pre_snap_visitor_score END AS offense_score,
       CASE WHEN p.possession_team = g.home_team THEN p.pre_snap_visitor_score ELSE p.pre_snap_home_score END AS defense_score,
       f.play_direction, p.pass_result, p.pre_penalty_play_result AS yards, p.ball_carrier_id AS target_nfl_id,
       f.snap AS snap_frame, f.release AS release_frame, f.arrival AS arrival_frame, p.description
FROM raw_plays p
JOIN games g USING (game_id)
JOIN (SELECT game_id, play_id, min(play_direction) AS play_direction,
             min(frame_id) FILTER (WHERE event IN ('ball_snap', 'snap_direct')) AS snap,
             min(frame_id) FILTER (WHERE event IN ('pass_forward', 'pass_shovel')) AS release,
             min(frame_id) FILTER (WHERE event = 'pass_arrived') AS arrival
      FROM raw_tracking GROUP BY game_id, play_id) f USING (game_id, play_id);
ALTER TABLE plays ADD PRIMARY KEY (game_id, play_id);

CREATE TABLE tracking AS
SELECT t.game_id, t.play_id, t.frame_id, t.nfl_id,
       CASE WHEN t.club = 'football' THEN 'ball' WHEN t.club = p.possession_team THEN 'offense' ELSE 'defense' END AS role,
       pl.position, t.x, t.y, t.s, t.a, t.dir, t.o, t.event
FROM raw_tracking t
JOIN plays p USING (game_id, play_id)
LEFT JOIN players pl USING (nfl_id);
CREATE INDEX tracking_play_idx ON tracking (game_id, play_id, frame_id);
DROP TABLE raw_tracking, raw_plays;
VACUUM ANALYZE tracking, plays, games, players;
