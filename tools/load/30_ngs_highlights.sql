-- NGS highlights (2017-2019 seasons): players, the 410 plays and their tracking.

CREATE TEMP TABLE raw_players (
    "nflId" int, "displayName" text, "gsisId" text, "esbId" text, position text,
    "positionGroup" text
);
\copy raw_players FROM 'ngs_highlights/players.csv' WITH (FORMAT csv, HEADER match)

CREATE TEMP TABLE raw_plays (
    "gameId" bigint, "playId" int, "playType" text, season int, "seasonType" text, week int,
    quarter int, "gameClock" text, down int, "yardsToGo" int, yardline text,
    "yardlineSide" text, "yardlineNumber" int, "absoluteYardlineNumber" int,
    "playDirection" text, "preSnapHomeScore" int, "preSnapVisitorScore" int,
    "playDescription" text, "possessionTeam" text, "homeTeam" text, "visitorTeam" text
);
\copy raw_plays FROM 'ngs_highlights/plays.csv' WITH (FORMAT csv, HEADER match)

CREATE TEMP TABLE raw_tracking (
    "gameId" bigint, "playId" int, frame int, time text, "nflId" int, "jerseyNumber" text,
    position text, "teamAbbr" text, x real, y real, s real, o real, dir real, event text
);
\copy raw_tracking FROM PROGRAM 'xz -dc ngs_highlights/tracking.csv.xz' WITH (FORMAT csv, HEADER match)

INSERT INTO players (nfl_id, name, position)
SELECT "nflId", "displayName", position FROM raw_players
ON CONFLICT (nfl_id) DO UPDATE SET name = excluded.name, position = excluded.position;

-- A highlight that is also a BDB play keeps the highlight's row, whose direction and frames
-- belong to the tracking loaded here (112 bdb2021 plays; no BDB-tracked play is a highlight).
DO $$
BEGIN
    IF EXISTS (SELECT FROM tracking t
               JOIN raw_plays r ON r."gameId" = t.game_id AND r."playId" = t.play_id) THEN
        RAISE EXCEPTION 'a highlight play is already tracked by another source';
    END IF;
END
$$;
DELETE FROM plays p USING raw_plays r WHERE p.game_id = r."gameId" AND p.play_id = r."playId";

INSERT INTO plays (game_id, play_id, source, season, week, quarter, down, yards_to_go,
                   yards_to_goal, possession_team, offense_score, defense_score,
                   play_direction, pass_result, yards, description)
SELECT p."gameId", p."playId", 'ngs_highlights', p.season, p.week, p.quarter, p.down,
       p."yardsToGo",
       ngs.yards_to_goal(p."possessionTeam", p."yardlineSide", p."yardlineNumber"),
       p."possessionTeam",
       CASE p."possessionTeam" WHEN p."homeTeam" THEN p."preSnapHomeScore"
                               WHEN p."visitorTeam" THEN p."preSnapVisitorScore" END,
       CASE p."possessionTeam" WHEN p."homeTeam" THEN p."preSnapVisitorScore"
                               WHEN p."visitorTeam" THEN p."preSnapHomeScore" END,
       p."playDirection", d.pass_result, d.yards, p."playDescription"
FROM raw_plays p, ngs.parse_play_description(p."playDescription") d;

-- The offense is the possession team; the ball has no nflId (and no team).
INSERT INTO tracking (game_id, play_id, frame_id, nfl_id, role, position, x, y, s, a, dir, o, event)
SELECT t."gameId", t."playId", t.frame, t."nflId",
       ngs.tracking_role(CASE WHEN t."nflId" IS NULL THEN 'football' ELSE t."teamAbbr" END,
                         p."possessionTeam", p."homeTeam", p."visitorTeam"),
       t.position, t.x, t.y, t.s, NULL, t.dir, t.o, t.event
FROM raw_tracking t
LEFT JOIN raw_plays p ON p."gameId" = t."gameId" AND p."playId" = t."playId";
