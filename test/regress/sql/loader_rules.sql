-- The loader rules (ngs-load, tools/load): yards to goal, roles, play descriptions, names.
-- Yards to goal from the play-by-play yard line: own side, the opponent's, midfield.
SELECT ngs.yards_to_goal('NE', 'NE', 25) AS own_25, ngs.yards_to_goal('NE', 'KC', 25) AS their_25,
       ngs.yards_to_goal('NE', NULL, 50) AS midfield, ngs.yards_to_goal('NE', 'KC', NULL) AS no_number;
-- ... and from the absolute yard line (tracking x) and the direction: the goal is x = 110
-- moving right, x = 10 moving left; another direction or a NULL gives NULL.
SELECT ngs.yards_to_goal(35.0, 'right') AS right_35, ngs.yards_to_goal(35.0, 'left') AS left_35,
       ngs.yards_to_goal(60.4, 'right') AS rounded, ngs.yards_to_goal(35.0, 'up') AS up,
       ngs.yards_to_goal(NULL, 'left') AS no_line;
-- Both agree on the same line of scrimmage: NE's own 25 moving right is x = 35.
SELECT ngs.yards_to_goal('NE', 'NE', 25) = ngs.yards_to_goal(35.0, 'right') AS agree;
-- Roles: clubs (BDB 2023-2025, NGS), home/away with the game's clubs (BDB 2019-2022),
-- Offense/Defense (BDB 2026), the football; NULL when the possession team or team is unknown.
SELECT team, possession, ngs.tracking_role(team, possession, 'NE', 'KC') AS role
FROM (VALUES ('NE', 'NE'), ('KC', 'NE'), ('home', 'NE'), ('away', 'NE'), ('away', 'KC'),
             ('home', 'home'), ('away', 'home'), ('Offense', NULL), ('Defense', 'NE'),
             ('football', 'NE'), ('ball', NULL), ('Football', 'KC'), ('NE', NULL), ('home', NULL),
             ('DAL', 'NE'), (NULL, 'NE')) AS v(team, possession);
SELECT ngs.tracking_role('TEN', 'TEN') AS club_without_game, ngs.tracking_role('JAX', 'TEN') AS other_club;
-- Play descriptions: result, yards and named receiver.
SELECT d.* FROM (VALUES
    ('(4:53) T.Brady pass short right to R.Gronkowski to NE 40 for 12 yards (D.Johnson).'),
    ('(1:01) (Shotgun) A.Smith pass deep left to T.Hill for 75 yards, TOUCHDOWN.'),
    ('(13:20) T.Brady pass incomplete short left to B.Cooks.'),
    ('(2:10) (Shotgun) B.Bortles pass short middle intended for D.Westbrook INTERCEPTED by K.Byard at TEN 30. K.Byard to TEN 35 for 5 yards (D.Westbrook).'),
    ('(6:12) (Shotgun) M.Mariota sacked at TEN 20 for -8 yards (C.Campbell).'),
    ('(9:08) (Shotgun) M.Mariota scrambles right end to JAX 40 for 6 yards (T.Gipson).'),
    ('(0:31) T.Brady spiked the ball to stop the clock.'),
    ('(8:00) K.Hunt left end to NE 20 for no gain (T.Flowers).'),
    ('(3:15) J.Kearse pass short right to J.Smith-Schuster Jr. to PIT 30 for 4 yards.'),
    ('(5:00) D.Carr pass short left to T.St. Brown for 9 yards.'),
    ('(7:00) A.Smith pass short right to T.Kelce for 20 yards. The Replay Official reviewed the pass completion ruling, and the play was REVERSED. A.Smith pass incomplete short right to T.Kelce.'),
    ('TWO-POINT CONVERSION ATTEMPT. T.Brady pass to R.Gronkowski is complete. ATTEMPT SUCCEEDS.'),
    ('(10:02) R.Allen punts 45 yards to KC 20, Center-J.Cardona. T.Hill to KC 32 for 12 yards.'),
    ('(12:00) K.Hunt up the middle to KC 35 for 3 yards (D.Hightower).'),
    ('Timeout #1 by NE at 02:00.')) AS v(t),
    ngs.parse_play_description(t) AS d;
SELECT ngs.parse_play_description(NULL) IS NULL AS null_in_null_out;
-- Abbreviated names against display names.
SELECT r, n, ngs.receiver_name_matches(r, n) AS matches
FROM (VALUES ('R.Gronkowski', 'Rob Gronkowski'), ('Ro.Gronkowski', 'Rob Gronkowski'),
             ('Ra.Gronkowski', 'Rob Gronkowski'), ('J.Smith-Schuster', 'JuJu Smith-Schuster'),
             ('O.Beckham Jr.', 'Odell Beckham'), ('T.St. Brown', 'Tim St. Brown'),
             ('D.Harris', 'Dwayne Harris'), ('D.Harris', 'Demetrius Harris'),
             ('D.Harris', 'Dwayne Harrison')) AS v(r, n);
-- Declarations: volatility, strictness, parallel safety and a comment on every rule.
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility, p.proisstrict AS strict,
       p.proparallel AS parallel, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
WHERE p.pronamespace = 'ngs'::regnamespace
  AND p.proname IN ('yards_to_goal', 'tracking_role', 'parse_play_description', 'receiver_name_matches')
ORDER BY 1::text;
