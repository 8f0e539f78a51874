-- BDB 2021 (2018 season, pass plays): players, the 18,584 plays of its 253 games and the
-- tracking of game 2018120600.

CREATE TEMP TABLE raw_players (
    "nflId" int, "displayName" text, position text, "jerseyNumber" text, "nPlays" int
);
\copy raw_players FROM 'bdb2021/players.csv' WITH (FORMAT csv, HEADER match)

CREATE TEMP TABLE raw_plays (
    "gameId" bigint, "playId" int, week int, "playDescription" text, quarter int, down int,
    "yardsToGo" int, "possessionTeam" text, "playType" text, "yardlineSide" text,
    "yardlineNumber" int, "offenseFormation" text, "personnelO" text, "defendersInTheBox" text,
    "numberOfPassRushers" text, "personnelD" text, "typeDropback" text,
    "preSnapVisitorScore" int, "preSnapHomeScore" int, "gameClock" text,
    "absoluteYardlineNumber" int, "penaltyCodes" text, "penaltyJerseyNumbers" text,
    "passResult" text, "offensePlayResult" int, "playResult" int, epa float8,
    "isDefensivePI" bool, "targetNflId" int, "nflfastrEpa" float8, "nflfastrWp" float8,
    "nflfastrWpa" float8
);
\copy raw_plays FROM PROGRAM 'xz -dc bdb2021/plays.csv.xz' WITH (FORMAT csv, HEADER match)

CREATE TEMP TABLE raw_tracking (
    time text, x real, y real, s real, a real, dis real, o real, dir real, event text,
    "nflId" int, "displayName" text, "jerseyNumber" text, position text, "frameId" int,
    team text, "gameId" bigint, "playId" int, "playDirection" text, route text
);
\copy raw_tracking FROM PROGRAM 'xz -dc bdb2021/tracking_gameId_2018120600.csv.xz' WITH (FORMAT csv, HEADER match)

INSERT INTO players (nfl_id, name, position)
SELECT "nflId", "displayName", position FROM raw_players
ON CONFLICT (nfl_id) DO UPDATE SET name = excluded.name, position = excluded.position;

-- No games file: the home team of each game is inferred from nflfastR's win probability of
-- the possession team, which rises with its lead. With A the alphabetically first team,
-- s = sum over the game's plays of (home - visitor score) * (+1 if A has the ball, else -1)
-- * (wp - 0.5) is positive when A is at home.
CREATE TEMP TABLE game_home AS
WITH t AS (
    SELECT "gameId", min("possessionTeam") AS a, max("possessionTeam") AS b
    FROM raw_plays GROUP BY "gameId"
), v AS (
    SELECT t."gameId", t.a, t.b,
           sum((p."preSnapHomeScore" - p."preSnapVisitorScore")
               * CASE WHEN p."possessionTeam" = t.a THEN 1 ELSE -1 END
               * (p."nflfastrWp" - 0.5)) AS s
    FROM raw_plays p
    JOIN t ON t."gameId" = p."gameId"
    GROUP BY t."gameId", t.a, t.b
)
SELECT "gameId",
       CASE WHEN s > 0 THEN a WHEN s < 0 THEN b END AS home_team,
       CASE WHEN s > 0 THEN b WHEN s < 0 THEN a END AS visitor_team
FROM v;

-- The direction the offense moves, given per tracked play.
CREATE TEMP TABLE raw_directions AS
SELECT "gameId", "playId", min("playDirection") AS direction
FROM raw_tracking GROUP BY "gameId", "playId";

INSERT INTO plays (game_id, play_id, source, season, week, quarter, down, yards_to_go,
                   yards_to_goal, possession_team, offense_score, defense_score,
                   play_direction, pass_result, yards, target_nfl_id, description)
SELECT p."gameId", p."playId", 'bdb2021',
       (p."gameId" / 1000000 - CASE WHEN p."gameId" / 10000 % 100 <= 2 THEN 1 ELSE 0 END)::int,
       p.week, p.quarter, p.down, p."yardsToGo",
       ngs.yards_to_goal(p."possessionTeam", p."yardlineSide", p."yardlineNumber"),
       p."possessionTeam",
       CASE p."possessionTeam" WHEN h.home_team THEN p."preSnapHomeScore"
                               WHEN h.visitor_team THEN p."preSnapVisitorScore" END,
       CASE p."possessionTeam" WHEN h.home_team THEN p."preSnapVisitorScore"
                               WHEN h.visitor_team THEN p."preSnapHomeScore" END,
       d.direction, p."passResult", p."offensePlayResult", p."targetNflId", p."playDescription"
FROM raw_plays p
JOIN game_home h ON h."gameId" = p."gameId"
LEFT JOIN raw_directions d ON d."gameId" = p."gameId" AND d."playId" = p."playId";

-- The offense is the side (home/away) of the possession team (ngs.tracking_role). Two tracked plays have no
-- plays row (playIds 1799 and 3716 of 2018120600): there it is the side of the quarterback.
INSERT INTO tracking (game_id, play_id, frame_id, nfl_id, role, position, x, y, s, a, dir, o, event)
SELECT t."gameId", t."playId", t."frameId", t."nflId",
       ngs.tracking_role(t.team, o.offense),
       t.position, t.x, t.y, t.s, t.a, t.dir, t.o, nullif(t.event, 'None')
FROM raw_tracking t
JOIN (SELECT d."gameId", d."playId",
             coalesce(CASE p."possessionTeam" WHEN h.home_team THEN 'home'
                                                WHEN h.visitor_team THEN 'away' END,
                      q.team) AS offense
      FROM raw_directions d
      LEFT JOIN raw_plays p ON p."gameId" = d."gameId" AND p."playId" = d."playId"
      LEFT JOIN game_home h ON h."gameId" = d."gameId"
      LEFT JOIN (SELECT DISTINCT ON ("gameId", "playId") "gameId", "playId", team
                 FROM raw_tracking WHERE position = 'QB'
                 ORDER BY "gameId", "playId", team) q
             ON q."gameId" = d."gameId" AND q."playId" = d."playId") o
  ON o."gameId" = t."gameId" AND o."playId" = t."playId";
