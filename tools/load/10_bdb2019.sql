-- BDB 2019 (2017 season, weeks 1-6): players, the 14,193 plays of its 91 games and the
-- tracking of game 2017090700. The files are staged with their own columns (HEADER MATCH
-- rejects a changed layout), then converted by one INSERT ... SELECT per table.

CREATE TEMP TABLE raw_games (
    season int, week int, "gameDate" text, "gameId" bigint, "gameTimeEastern" text,
    "HomeScore" int, "VisitorScore" int, "homeTeamAbbr" text, "visitorTeamAbbr" text,
    "homeDisplayName" text, "visitorDisplayName" text, "Stadium" text, "Location" text,
    "StadiumType" text, "Turf" text, "GameLength" text, "GameWeather" text, "Temperature" text,
    "Humidity" text, "WindSpeed" text, "WindDirection" text
);
\copy raw_games FROM 'bdb2019/games.csv' WITH (FORMAT csv, HEADER match, NULL 'NA')

CREATE TEMP TABLE raw_players (
    "nflId" int, "FirstName" text, "LastName" text, "PositionAbbr" text, "EntryYear" text,
    "DraftRound" text, "DraftNumber" text, "Height" text, "Weight" text, "College" text
);
\copy raw_players FROM 'bdb2019/players.csv' WITH (FORMAT csv, HEADER match)

CREATE TEMP TABLE raw_plays (
    "gameId" bigint, "playId" int, quarter int, "GameClock" text, down int, "yardsToGo" int,
    "possessionTeam" text, "yardlineSide" text, "yardlineNumber" int, "offenseFormation" text,
    "personnel.offense" text, "defendersInTheBox" text, "numberOfPassRushers" text,
    "personnel.defense" text, "HomeScoreBeforePlay" int, "VisitorScoreBeforePlay" int,
    "HomeScoreAfterPlay" int, "VisitorScoreAfterPlay" int, "isPenalty" bool, "isSTPlay" bool,
    "SpecialTeamsPlayType" text, "KickReturnYardage" text, "PassLength" text, "PassResult" text,
    "YardsAfterCatch" text, "PlayResult" int, "playDescription" text
);
\copy raw_plays FROM PROGRAM 'xz -dc bdb2019/plays.csv.xz' WITH (FORMAT csv, HEADER match, NULL 'NA')

CREATE TEMP TABLE raw_tracking (
    time text, x real, y real, s real, dis real, dir real, event text, "nflId" int,
    "displayName" text, "jerseyNumber" text, team text, "frame.id" int, "gameId" bigint,
    "playId" int
);
\copy raw_tracking FROM PROGRAM 'xz -dc bdb2019/tracking_gameId_2017090700.csv.xz' WITH (FORMAT csv, HEADER match)

-- players.csv has legal first names ("Alexander Smith"); the tracking's display name
-- ("Alex Smith") is preferred where the player is tracked.
INSERT INTO players (nfl_id, name, position)
SELECT r."nflId", coalesce(d."displayName", r."FirstName" || ' ' || r."LastName"), r."PositionAbbr"
FROM raw_players r
LEFT JOIN (SELECT DISTINCT ON ("nflId") "nflId", "displayName"
           FROM raw_tracking WHERE "nflId" IS NOT NULL
           ORDER BY "nflId", "displayName") d ON d."nflId" = r."nflId";

-- PlayResult includes penalty yards, and on kicks it is the net kick: on plays with a
-- penalty and on special-teams plays the yards come from the description instead.
INSERT INTO plays (game_id, play_id, source, season, week, quarter, down, yards_to_go,
                   yards_to_goal, possession_team, offense_score, defense_score,
                   pass_result, yards, description)
SELECT p."gameId", p."playId", 'bdb2019', g.season, g.week, p.quarter, p.down, p."yardsToGo",
       ngs.yards_to_goal(p."possessionTeam", p."yardlineSide", p."yardlineNumber"),
       p."possessionTeam",
       CASE p."possessionTeam" WHEN g."homeTeamAbbr" THEN p."HomeScoreBeforePlay"
                               WHEN g."visitorTeamAbbr" THEN p."VisitorScoreBeforePlay" END,
       CASE p."possessionTeam" WHEN g."homeTeamAbbr" THEN p."VisitorScoreBeforePlay"
                               WHEN g."visitorTeamAbbr" THEN p."HomeScoreBeforePlay" END,
       p."PassResult",
       CASE WHEN p."isPenalty" OR p."isSTPlay"
            THEN (ngs.parse_play_description(p."playDescription")).yards
            ELSE p."PlayResult" END,
       p."playDescription"
FROM raw_plays p
JOIN raw_games g ON g."gameId" = p."gameId";

-- The offense is the side (home/away) of the possession team (ngs.tracking_role); a tracked
-- play without a plays row, or an unknown team, leaves role NULL and fails the load (role is
-- NOT NULL).
INSERT INTO tracking (game_id, play_id, frame_id, nfl_id, role, position, x, y, s, a, dir, o, event)
SELECT t."gameId", t."playId", t."frame.id", t."nflId",
       ngs.tracking_role(t.team, o."possessionTeam", o."homeTeamAbbr", o."visitorTeamAbbr"),
       r."PositionAbbr", t.x, t.y, t.s, NULL, t.dir, NULL, t.event
FROM raw_tracking t
LEFT JOIN (SELECT p."gameId", p."playId", p."possessionTeam", g."homeTeamAbbr", g."visitorTeamAbbr"
           FROM raw_plays p
           JOIN raw_games g ON g."gameId" = p."gameId") o
       ON o."gameId" = t."gameId" AND o."playId" = t."playId"
LEFT JOIN raw_players r ON r."nflId" = t."nflId";
