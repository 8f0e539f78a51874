-- play tensor events on random plays: the tensor does not depend on the order of its rows,
-- text and binary forms round-trip, slices by event agree with event_frame, the pass
-- window is idempotent, and the duplicate rule's thresholds sit where the documentation says.
BEGIN;
SELECT plan(12);
SELECT setseed(0.31);

-- 40 random plays of 20 to 60 frames, 4 players and the ball; about one frame in four has
-- an event from the snap and release spellings and a few others, on every row of the frame
CREATE TEMP TABLE random_rows AS
WITH plays AS (SELECT p, 20 + (random() * 40)::int AS frames FROM generate_series(1, 40) p),
     frame_events AS (
         SELECT p, f, (ARRAY['ball_snap', 'autoevent_ballsnap', 'snap_direct', 'pass_forward', 'pass_shovel',
                             'autoevent_passforward', 'line_set', 'tackle', 'pass_arrived'])[1 + (random() * 8)::int] AS event
         FROM plays, generate_series(1, frames) f
         WHERE random() < 0.25)
SELECT p, f AS frame_id, e.id AS nfl_id, e.role, (random() * 100)::real AS x, (random() * 50)::real AS y,
       (SELECT fe.event FROM frame_events fe WHERE fe.p = plays.p AND fe.f = frames.f) AS event
FROM plays, generate_series(1, frames) AS frames(f),
     (VALUES (1, 'offense'), (2, 'offense'), (3, 'defense'), (4, 'defense'), (NULL, 'ball')) e(id, role);
CREATE TEMP TABLE event_rows AS SELECT * FROM random_rows;

CREATE TEMP TABLE ordered AS
SELECT p, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event ORDER BY frame_id, nfl_id) AS pt
FROM event_rows GROUP BY p;
CREATE TEMP TABLE shuffled AS
SELECT p, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event ORDER BY random()) AS pt
FROM event_rows GROUP BY p;

SELECT is((SELECT count(*) FROM ordered o JOIN shuffled s USING (p) WHERE o.pt::text = s.pt::text), 40::bigint,
    'a tensor with events does not depend on the order its rows arrive in');
SELECT is((SELECT count(*) FROM ordered o, ngs.events(o.pt) e), (SELECT count(DISTINCT (p, frame_id, event)) FROM event_rows WHERE event IS NOT NULL),
    'every (frame, event) of the rows is in the tensor once');
SELECT is((SELECT count(*) FROM ordered WHERE pt::text::ngs.play_tensor::text = pt::text
                                           AND ngs.play_tensor_send(pt::text::ngs.play_tensor) = ngs.play_tensor_send(pt)), 40::bigint,
    'the text form round-trips every tensor with events, to the same binary form');
SELECT is((SELECT count(*) FROM ordered o JOIN (SELECT p, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL) AS pt
                                               FROM event_rows GROUP BY p) v USING (p)
           WHERE regexp_replace(o.pt::text, '^\{"version":2,(.*),"events":\[.*\]\}$', '{"version":1,\1}') = v.pt::text), 40::bigint,
    'with events or without, the rest of the tensor is the same');

-- slices by event and the pass window
SELECT is((SELECT count(*) FROM ordered o, ngs.events(o.pt) a, ngs.events(o.pt) b
           WHERE ngs.slice(o.pt, a.event, b.event, missing_ok => true) IS NOT NULL
             AND ((ngs.frame_ids(ngs.slice(o.pt, a.event, b.event)))[1] <> ngs.event_frame(o.pt, a.event)
                  OR NOT b.event = ANY (SELECT e.event FROM ngs.events(ngs.slice(o.pt, a.event, b.event)) e
                                       WHERE e.frame_id = (ngs.frame_ids(ngs.slice(o.pt, a.event, b.event)))[ngs.frames(ngs.slice(o.pt, a.event, b.event))]))),
    0::bigint, 'a slice between two events starts at the first one and ends on the second');
SELECT ok((SELECT count(*) FROM ordered WHERE ngs.pass_window(pt, true) IS NOT NULL) >= 10, 'at least 10 random plays have a pass window');
SELECT is((SELECT count(*) FROM ordered WHERE ngs.pass_window(pt, true) IS NOT NULL
                                        AND ngs.pass_window(ngs.pass_window(pt))::text <> ngs.pass_window(pt)::text), 0::bigint,
    'the pass window of a pass window is itself');
SELECT is((SELECT count(*) FROM ordered w, LATERAL (SELECT ngs.pass_window(w.pt, true) AS win) x
           WHERE x.win IS NOT NULL
             AND (ngs.frame_ids(x.win))[1] <> (SELECT min(e.frame_id) FROM ngs.events(w.pt) e
                                               WHERE e.event IN ('ball_snap', 'autoevent_ballsnap', 'snap_direct'))), 0::bigint,
    'every pass window starts at the first snap, whatever its spelling');

-- the duplicate rule: a play of 100 frames x 4 entities (400 samples)
CREATE TEMP TABLE base AS
SELECT f AS frame_id, e AS nfl_id, CASE WHEN e <= 2 THEN 'offense' ELSE 'defense' END AS role, (f + e)::real AS x, 20::real AS y
FROM generate_series(1, 100) f, generate_series(1, 4) e;
CREATE FUNCTION pg_temp.build(moved int, same int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL)
    FROM (SELECT * FROM base
          UNION ALL SELECT frame_id, nfl_id, role, x + 1, y FROM base WHERE nfl_id = 1 AND frame_id <= moved
          UNION ALL SELECT * FROM base WHERE nfl_id = 2 AND frame_id <= same) r;
    RETURN 'built';
EXCEPTION WHEN cardinality_violation THEN
    RETURN 'refused';
END $$;
SELECT is(pg_temp.build(3, 0) || ' ' || pg_temp.build(4, 0), 'built refused',
    'three duplicates at another position are allowed, four are refused');
SELECT is(pg_temp.build(0, 4) || ' ' || pg_temp.build(0, 5), 'built refused',
    'exact duplicates: 4 of 400 samples (1%) are allowed, 5 are refused');
SELECT is(pg_temp.build(3, 1), 'built', 'three moved and one exact duplicate (4 of 400) are allowed');
SET LOCAL ngs.strict_duplicates = on;
SELECT throws_ok($$SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, NULL, false)
                   FROM (SELECT * FROM base UNION ALL SELECT * FROM base WHERE frame_id = 1 AND nfl_id = 1) r$$,
    '23505', NULL, 'the session setting makes a call strict even when the call says false');

SELECT * FROM finish();
ROLLBACK;
