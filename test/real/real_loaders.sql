-- requires: real data
-- The real-data loaders (tools/load): counts against the data README, roles, directions,
-- scores, event frames, the description parser and the receiver matcher.
BEGIN;
SELECT plan(50);

-- Schema
SELECT has_table('public', 'tracking', 'tracking exists');
SELECT has_table('public', 'plays', 'plays exists');
SELECT has_table('public', 'players', 'players exists');
SELECT has_index('public', 'tracking', 'tracking_play_idx', ARRAY['game_id', 'play_id', 'frame_id'],
                 'tracking is indexed by (game_id, play_id, frame_id)');
SELECT col_is_pk('public', 'plays', ARRAY['game_id', 'play_id'], 'plays key is (game_id, play_id)');

-- Row counts (data README)
CREATE TEMP TABLE tracked ON COMMIT DROP AS
SELECT t.game_id, t.play_id, p.source, count(*) AS n
FROM tracking t
LEFT JOIN plays p ON p.game_id = t.game_id AND p.play_id = t.play_id
GROUP BY t.game_id, t.play_id, p.source;

SELECT is((SELECT sum(n) FROM tracked WHERE source = 'bdb2019'), 316025::numeric,
          'bdb2019: 316,025 tracking rows');
SELECT is((SELECT sum(n) FROM tracked WHERE game_id = 2018120600
           AND source IS DISTINCT FROM 'ngs_highlights'), 75940::numeric,
          'bdb2021: 75,940 tracking rows');
SELECT is((SELECT sum(n) FROM tracked WHERE source = 'ngs_highlights'), 3179334::numeric,
          'ngs_highlights: 3,179,334 tracking rows');
SELECT is((SELECT sum(n) FROM tracked), 3571299::numeric, 'no other tracking rows');
SELECT set_eq('SELECT game_id, play_id FROM tracked WHERE source IS NULL',
              $$VALUES (2018120600::bigint, 1799), (2018120600, 3716)$$,
              'the only tracked plays without a plays row are bdb2021 playIds 1799 and 3716');
SELECT results_eq('SELECT source, count(*) FROM plays GROUP BY source ORDER BY source',
                  $$VALUES ('bdb2019', 14193::bigint), ('bdb2021', 18472), ('ngs_highlights', 410)$$,
                  'plays per source (bdb2021: 18,584 less the 112 highlights)');
SELECT is((SELECT count(*) FROM plays WHERE game_id = 2017090700), 177::bigint,
          'game 2017090700 has 177 plays');
SELECT is((SELECT count(*) FROM tracked WHERE game_id = 2017090700), 177::bigint,
          'all 177 plays of 2017090700 are tracked');
SELECT is((SELECT count(*) FROM tracked WHERE game_id = 2018120600
           AND source IS DISTINCT FROM 'ngs_highlights'), 73::bigint,
          'game 2018120600 has 73 BDB-tracked plays');
SELECT results_eq($$SELECT coalesce(pass_result, '-'), count(*) FROM plays
                    WHERE game_id = 2017090700 GROUP BY 1 ORDER BY 1$$,
                  $$VALUES ('-', 98::bigint), ('C', 44), ('I', 27), ('R', 2), ('S', 6)$$,
                  'pass results of 2017090700 as the README counts them');
SELECT results_eq($$SELECT pass_result, count(*) FROM plays
                    WHERE game_id = 2018120600 AND source = 'bdb2021' GROUP BY 1 ORDER BY 1$$,
                  $$VALUES ('C', 42::bigint), ('I', 23), ('IN', 1), ('S', 5)$$,
                  'pass results of 2018120600 as the README counts them');

-- Columns each source has or lacks
SELECT results_eq($$SELECT source, count(a), count(o) FROM tracking
                    JOIN (SELECT game_id, play_id, source FROM tracked) s USING (game_id, play_id)
                    WHERE source IS NOT NULL GROUP BY source ORDER BY source$$,
                  $$VALUES ('bdb2019', 0::bigint, 0::bigint), ('bdb2021', 73924, 69114),
                           ('ngs_highlights', 0, 3036723)$$,
                  'a only from bdb2021, o from bdb2021 and ngs_highlights (players only)');
SELECT is((SELECT count(*) FROM tracking WHERE game_id = 2017090700 AND x IS NULL), 27::bigint,
          'the 27 bdb2019 rows without x, y and s are kept');
SELECT is((SELECT count(*) FROM tracking WHERE event = 'None'), 0::bigint,
          'the literal event None is NULL');

-- Roles
SELECT is((SELECT count(*) FROM (SELECT 1 FROM tracking t JOIN tracked USING (game_id, play_id)
                                 WHERE tracked.source IS DISTINCT FROM 'ngs_highlights'
                                 GROUP BY t.game_id, t.play_id, t.frame_id
                                 HAVING count(*) FILTER (WHERE role = 'ball') <> 1) q),
          0::bigint, 'BDB: exactly one ball in every frame');
SELECT is((SELECT count(*) FROM (SELECT 1 FROM tracking
                                 WHERE role = 'ball' AND game_id NOT IN (2017090700, 2018120600)
                                 GROUP BY game_id, play_id, frame_id
                                 HAVING count(DISTINCT (x, y, s)) > 1) q),
          0::bigint, 'ngs_highlights: never two different balls in one frame');
SELECT is((SELECT count(*) FROM (SELECT 1 FROM tracking WHERE nfl_id IS NOT NULL
                                 GROUP BY game_id, play_id, nfl_id
                                 HAVING count(DISTINCT role) > 1) q),
          0::bigint, 'no player changes role within a play');
SELECT is((SELECT count(*) FROM (SELECT 1 FROM tracking WHERE game_id = 2017090700
                                 GROUP BY play_id, frame_id
                                 HAVING count(*) FILTER (WHERE role = 'offense') = 11
                                    AND count(*) FILTER (WHERE role = 'defense') = 11) q),
          13679::bigint, 'bdb2019: 11 offense and 11 defense in all frames but the 64 with 22 entities');
SELECT is((SELECT count(*) FROM tracking
           WHERE game_id = 2018120600 AND play_id IN (SELECT play_id FROM tracked
                                                      WHERE source IS DISTINCT FROM 'ngs_highlights')
             AND (role = 'offense') <> (position IN ('QB', 'RB', 'FB', 'WR', 'TE', 'C', 'G', 'T', 'OT'))),
          0::bigint, 'bdb2021: offense rows have offensive positions, defense rows defensive ones');
SELECT is((SELECT count(*) FROM tracking t JOIN plays p USING (game_id, play_id)
           WHERE p.source = 'bdb2021' AND t.position = 'QB' AND t.role <> 'offense'),
          0::bigint, 'bdb2021: quarterbacks are on offense');

-- Direction
CREATE TEMP TABLE directions ON COMMIT DROP AS
SELECT d.game_id, d.play_id, p.source, d.play_direction AS derived, p.play_direction AS given
FROM (VALUES ('bdb2021'), ('ngs_highlights')) s(source), loader.offense_direction(s.source) d
JOIN plays p USING (game_id, play_id);

SELECT is((SELECT count(*) FROM directions WHERE derived = given),
          480::bigint, 'the 2019 rule reproduces all 480 given directions (bdb2021 and highlights)');
SELECT is((SELECT count(*) FROM directions WHERE derived IS NULL), 1::bigint,
          'the rule is undefined only for bdb2021 play 1343 (no offense tracked)');
SELECT is((SELECT count(*) FROM plays WHERE source = 'bdb2019' AND game_id = 2017090700
           AND play_direction IS NULL), 0::bigint, 'every tracked bdb2019 play has a direction');
SELECT is((SELECT count(*) FROM (SELECT quarter FROM plays WHERE game_id = 2017090700
                                 GROUP BY quarter
                                 HAVING count(DISTINCT play_direction) = 2
                                    AND count(DISTINCT (possession_team, play_direction)) = 2) q),
          4::bigint, 'bdb2019: in every quarter each team attacks one end, the teams opposite ends');
SELECT is((SELECT count(*) FILTER (WHERE sign(x1 - x0) * CASE play_direction WHEN 'right' THEN 1 ELSE -1 END
                                         = sign(yards))::float8 / count(*)
           FROM (SELECT p.play_direction, p.yards,
                        (SELECT x FROM tracking t WHERE t.game_id = p.game_id AND t.play_id = p.play_id
                         AND t.role = 'ball' AND t.frame_id = p.snap_frame) AS x0,
                        (SELECT x FROM tracking t WHERE t.game_id = p.game_id AND t.play_id = p.play_id
                         AND t.role = 'ball' AND t.x IS NOT NULL ORDER BY t.frame_id DESC LIMIT 1) AS x1
                 FROM plays p
                 WHERE p.game_id = 2017090700 AND abs(p.yards) >= 3 AND p.snap_frame IS NOT NULL) q),
          1::float8, 'bdb2019: the ball moves along the derived direction by the sign of the yards');

-- Line of scrimmage, scores
SELECT results_eq($$SELECT p.source, (count(*) FILTER (WHERE abs(b.x - CASE p.play_direction
                        WHEN 'right' THEN 110 - p.yards_to_goal ELSE 10 + p.yards_to_goal END) <= 3)
                        >= 0.97 * count(*))
                    FROM plays p
                    JOIN LATERAL (SELECT avg(t.x) AS x FROM tracking t
                                  WHERE t.game_id = p.game_id AND t.play_id = p.play_id
                                    AND t.frame_id = p.snap_frame AND t.role = 'ball') b ON true
                    WHERE p.snap_frame IS NOT NULL GROUP BY p.source ORDER BY p.source$$,
                  $$VALUES ('bdb2019', true), ('bdb2021', true), ('ngs_highlights', true)$$,
                  'the ball at the snap is within 3 yd of the line of scrimmage on 97% of each source''s plays');
SELECT is((SELECT count(*) FROM plays WHERE yards_to_goal NOT BETWEEN 1 AND 99), 0::bigint,
          'yards_to_goal is between 1 and 99');
SELECT results_eq($$SELECT possession_team, max(offense_score) FROM plays
                    WHERE game_id = 2017090700 GROUP BY 1 ORDER BY 1$$,
                  $$VALUES ('KC', 42), ('NE', 27)$$,
                  'bdb2019: the scores reach the final NE 27, KC 42 on the right teams');
SELECT is((SELECT count(*) FROM plays WHERE source = 'bdb2021' AND offense_score IS NULL),
          0::bigint, 'bdb2021: every game''s home team is inferred');
SELECT is((SELECT count(*)
           FROM (SELECT p.source, lag(p.source) OVER w AS prev_source,
                        CASE WHEN p.possession_team = t.team THEN p.offense_score ELSE p.defense_score END
                            - lag(CASE WHEN p.possession_team = t.team THEN p.offense_score
                                       ELSE p.defense_score END) OVER w AS change
                 FROM (SELECT DISTINCT game_id, possession_team AS team FROM plays
                       WHERE source = 'ngs_highlights') t
                 JOIN plays p ON p.game_id = t.game_id
                 WHERE p.source IN ('bdb2021', 'ngs_highlights')
                 WINDOW w AS (PARTITION BY p.game_id, t.team ORDER BY p.play_id)) q
           WHERE prev_source <> source AND change < 0),
          0::bigint, 'bdb2021 scores (inferred home team) never fall back against the highlights of the same game');

-- Event frames
SELECT results_eq($$SELECT count(*), count(*) FILTER (WHERE description ~ ' kicks ') FROM plays
                    WHERE game_id = 2017090700 AND snap_frame IS NULL$$,
                  $$VALUES (13::bigint, 13::bigint)$$,
                  'bdb2019: only the 13 kickoffs have no snap frame (the direct snap counts)');
SELECT is((SELECT count(*) FROM plays WHERE release_frame <= snap_frame OR arrival_frame <= release_frame),
          0::bigint, 'snap < release < arrival');
SELECT is((SELECT count(*) FROM plays WHERE game_id = 2017090700 AND pass_result IN ('C', 'I', 'IN')
           AND release_frame IS NULL), 0::bigint, 'bdb2019: every pass has a release frame');

-- Description parser
SELECT results_eq(
    $$SELECT d.* FROM (VALUES
        (1, '(2:29) (Shotgun) A.Rodgers pass short middle to R.Cobb for 75 yards, TOUCHDOWN.'),
        (2, '(9:59) (Shotgun) B.Roethlisberger pass short right to J.Smith-Schuster pushed ob at CLV 7 for 67 yards (D.Randall).'),
        (3, '(11:29) (Shotgun) M.Stafford pass short middle intended for G.Tate INTERCEPTED by J.Bethel at ARZ 18. J.Bethel for 82 yards, TOUCHDOWN.'),
        (4, '(14:25) K.Cousins pass short right INTERCEPTED by T.Boston at MIN 47. T.Boston to MIN 47 for no gain (S.Diggs).'),
        (5, '(12:17) N.Solder reported in as eligible.  T.Brady pass incomplete short right to R.Gronkowski.'),
        (6, '(3:56) (Shotgun) A.Smith pass incomplete short right. thrown away from outside the pocket'),
        (7, '(2:52) (Shotgun) J.Flacco sacked at BLT 20 for -5 yards (S.Williams).'),
        (8, '(2:00) (Shotgun) M.Mariota sacked at TEN 13 for 0 yards (M.Jack).'),
        (9, '(4:47) (Shotgun) A.Luck pass short left to M.Mack to TEN 20 for -1 yards (J.Brown).'),
        (10, '(9:34) M.Gillislee up the middle to KC 10 for no gain (A.Bailey, B.Logan).'),
        (11, '(10:34) R.Burkhead left guard to KC 20 for -1 yards (E.Berry, B.Logan).'),
        (12, '(1:30) (Shotgun) A.Smith scrambles up the middle to NE 46 for 7 yards (M.Brown).'),
        (13, '(:07) K.Cousins spiked the ball to stop the clock.'),
        (14, 'C.Santos kicks 64 yards from KC 35 to NE 1. D.Lewis to NE 27 for 26 yards (K.Pierre-Louis, D.Harris).'),
        (15, 'TWO-POINT CONVERSION ATTEMPT. T.Brady pass to B.Cooks is complete. ATTEMPT SUCCEEDS.'),
        (16, '(2:35) (Shotgun) J.McCown pass short right to A.Stewart for 9 yards, TOUCHDOWN. The Replay Official reviewed the runner broke the plane ruling, and the play was REVERSED. (Shotgun) J.McCown pass short right to A.Stewart pushed ob at BUF 1 for 8 yards (L.Johnson).'),
        (17, '(8:16) T.Siemian pass short left to D. Thomas to DEN 34 for 14 yards (C.Hayward) [D.Philon].'),
        (18, '(5:00) B.Bortles pass short left to A.Robinson II to JAX 40 for 1 yard.'),
        (19, '(1:00) A.Rodgers pass deep left to E.St. Brown to GB 45 for 20 yards.'),
        (20, '(10:00) (Punt formation) K.Byard pass deep right to D.Cruikshank for 66 yards, TOUCHDOWN.'),
        (21, '(5:41) D.Henry right end for 54 yards, TOUCHDOWN.'),
        (22, '(12:10) (Punt formation) PENALTY on GB-M.Evans, False Start, 5 yards, enforced at GB 40 - No Play.'),
        (23, '(:50) B.Roethlisberger kneels to MIN 40 for -1 yards.')
      ) AS e(n, description), ngs.parse_play_description(e.description) d ORDER BY e.n$$,
    $$VALUES ('C', 75, 'R.Cobb'), ('C', 67, 'J.Smith-Schuster'), ('IN', 0, 'G.Tate'),
             ('IN', 0, NULL), ('I', 0, 'R.Gronkowski'), ('I', 0, NULL), ('S', -5, NULL),
             ('S', 0, NULL), ('C', -1, 'M.Mack'), (NULL, 0, NULL), (NULL, -1, NULL),
             ('R', 7, NULL), ('I', 0, NULL), (NULL, NULL, NULL), (NULL, NULL, 'B.Cooks'),
             ('C', 8, 'A.Stewart'), ('C', 14, 'D. Thomas'), ('C', 1, 'A.Robinson II'),
             ('C', 20, 'E.St. Brown'), ('C', 66, 'D.Cruikshank'), (NULL, 54, NULL),
             (NULL, NULL, NULL), (NULL, -1, NULL)$$,
    'the parser on literal descriptions');
SELECT is((SELECT count(*) FROM plays, ngs.parse_play_description(description) d
           WHERE source = 'bdb2021' AND d.pass_result IS DISTINCT FROM plays.pass_result),
          0::bigint, 'the parser reproduces every bdb2021 passResult');
SELECT cmp_ok((SELECT avg((d.yards = plays.yards)::int) FROM plays, ngs.parse_play_description(description) d
               WHERE source = 'bdb2021')::float8, '>=', 0.99::float8,
              'the parser reproduces bdb2021 offensePlayResult on at least 99% of plays');
SELECT is((SELECT count(*) FROM plays, ngs.parse_play_description(description) d
           WHERE source = 'bdb2019' AND d.pass_result IS DISTINCT FROM plays.pass_result),
          2::bigint, 'the parser reproduces bdb2019 PassResult but on 2 designed runs BDB marks R');
SELECT is((SELECT count(*) FROM plays WHERE source = 'ngs_highlights' AND description ~ ' pass '
           AND description !~ 'TWO-POINT' AND pass_result IS NULL), 0::bigint,
          'every highlight pass gets a pass result');

-- Receiver matching
CREATE TEMP TABLE named ON COMMIT DROP AS
SELECT p.source, p.game_id, p.play_id, p.target_nfl_id, d.receiver,
       loader.match_receiver(p.game_id, p.play_id, d.receiver) AS matched
FROM plays p, ngs.parse_play_description(p.description) d
WHERE d.receiver IS NOT NULL
  AND EXISTS (SELECT FROM tracking t WHERE t.game_id = p.game_id AND t.play_id = p.play_id);

SELECT cmp_ok((SELECT avg((target_nfl_id IS NOT NULL)::int) FROM named
               WHERE source IN ('bdb2019', 'ngs_highlights'))::float8, '>=', 0.95::float8,
              'at least 95% of the receivers named in tracked bdb2019 and highlight plays are matched');
SELECT results_eq($$SELECT count(*) FILTER (WHERE matched = target_nfl_id),
                           count(*) FILTER (WHERE matched <> target_nfl_id)
                    FROM named WHERE source = 'bdb2021'$$,
                  $$VALUES (63::bigint, 0::bigint)$$,
                  'bdb2021: the matcher finds the official targetNflId for 63 named receivers, never another');
SELECT is(loader.match_receiver(2017090700, 938, 'D.Harris'),
          (SELECT nfl_id FROM players WHERE name = 'Demetrius Harris'),
          'D.Harris in 2017090700/938 is Demetrius Harris');
SELECT is(loader.match_receiver(2017090700, 938, 'A.Smith'),
          (SELECT nfl_id FROM players WHERE name = 'Alex Smith'),
          'a first-name prefix matches the display name (A.Smith: Alex Smith)');
SELECT is(loader.match_receiver(2017090700, 938, 'D.Nobody'), NULL,
          'an unknown name matches nobody');
SELECT ok(EXISTS (SELECT FROM tracking t JOIN players p USING (nfl_id)
                  WHERE t.game_id = 2017090700 AND t.play_id = 938 AND t.role = 'defense'
                    AND p.name = 'Stephon Gilmore')
          AND loader.match_receiver(2017090700, 938, 'S.Gilmore') IS NULL,
          'a defender of the play (S.Gilmore) is not matched');

-- Players
SELECT is((SELECT count(*) FROM (SELECT DISTINCT nfl_id FROM tracking WHERE nfl_id IS NOT NULL) t
           LEFT JOIN players p USING (nfl_id) WHERE p.name IS NULL), 0::bigint,
          'every tracked player has a name');

SELECT * FROM finish();
ROLLBACK;
