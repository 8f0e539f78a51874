-- play_tensor events (version 2), the input types play_tensor_agg accepts, and the silent
-- wrong answers of 1.1 that are now errors.  Rejected inputs are listed one per line.
\set VERBOSITY default
SET client_min_messages = warning;

-- a play: player 10 (offense) runs toward +x, player 20 (defense) stands, the ball;
-- every row of a frame carries its event, as the tracking files have it
CREATE TEMP TABLE rows (play int, frame_id int, nfl_id int, role text, x real, y real, event text);
INSERT INTO rows
SELECT 1, f, id, role, CASE role WHEN 'offense' THEN 10 + f WHEN 'defense' THEN 30 ELSE 20 END, 20,
       CASE f WHEN 1 THEN 'line_set' WHEN 2 THEN 'ball_snap' WHEN 3 THEN 'None' WHEN 4 THEN ''
              WHEN 6 THEN 'pass_forward' WHEN 7 THEN 'pass_arrived' END
FROM generate_series(1, 8) f,
     (VALUES (10, 'offense'), (20, 'defense'), (NULL, 'ball')) e(id, role);
-- frame 2 also carries man_in_motion (two events in a frame); one stray row of frame 1
-- carries pass_forward, which the frames where all rows carry it outweigh
UPDATE rows SET event = 'man_in_motion' WHERE frame_id = 2 AND role = 'offense';
INSERT INTO rows VALUES (1, 2, 20, 'defense', 30, 20, 'man_in_motion');
UPDATE rows SET event = 'pass_forward' WHERE frame_id = 1 AND role = 'ball';
CREATE TEMP TABLE plays AS
SELECT play, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event) AS pt
FROM rows GROUP BY play;

-- the text form has the events (by frame id); text and binary forms round-trip them
SELECT pt FROM plays;
SELECT pt::text::ngs.play_tensor::text = pt::text AS text_round_trip,
       ngs.play_tensor_send(pt::text::ngs.play_tensor) = ngs.play_tensor_send(pt) AS send_after_text FROM plays;
-- binary input (COPY ... FORMAT binary of a file lo_export writes: header, one row, trailer)
CREATE TEMP TABLE copied (pt ngs.play_tensor);
CREATE FUNCTION pg_temp.copy_binary(v bytea) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    file text := current_setting('data_directory') || '/ngs_events_' || pg_backend_pid() || '.bin';
    o oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
                              || '\x0001'::bytea || int4send(length(v)) || v || '\xffff'::bytea);
BEGIN
    PERFORM lo_export(o, file);
    PERFORM lo_unlink(o);
    TRUNCATE copied;
    EXECUTE format('COPY copied FROM %L WITH (FORMAT binary)', file);
END $$;
SELECT pg_temp.copy_binary(ngs.play_tensor_send(pt)) FROM plays;
SELECT c.pt::text = p.pt::text AS binary_round_trip FROM copied c, plays p;

-- accessors
SELECT ngs.has_events(pt) FROM plays;
SELECT e.* FROM plays, ngs.events(pt) e;
SELECT ngs.event_frame(pt, 'ball_snap') AS snap, ngs.event_frame(pt, 'pass_forward') AS release,
       ngs.event_frame(pt, 'touchdown') AS absent FROM plays;
SELECT ngs.frame_ids(ngs.slice(pt, 'ball_snap', 'pass_arrived')) AS snap_to_arrival,
       ngs.frame_ids(ngs.pass_window(pt)) AS pass_window,
       (SELECT array_agg(e.frame_id || ' ' || e.event) FROM ngs.events(ngs.pass_window(pt)) e) AS window_events,
       ngs.slice(pt, 'ball_snap', 'touchdown', missing_ok => true) IS NULL AS missing_ok,
       ngs.offense_direction(pt) AS direction FROM plays;
-- slices, standardize and clean keep the events of their frames
SELECT ngs.frame_ids(s), (SELECT array_agg(e.frame_id || ' ' || e.event) FROM ngs.events(s) e)
FROM plays, LATERAL (VALUES (ngs.slice(pt, 5, 7)), (ngs.standardize(pt, 'left')), (ngs.clean(pt))) v(s);
SELECT ngs.offense_direction(ngs.standardize(pt, 'left')) AS standardized_direction FROM plays;

-- every spelling of the snap and the release; the first snap, then the first release after
-- it (a release before the snap does not count)
SELECT snap, release, ngs.frame_ids(ngs.pass_window(t)) AS pass_window
FROM (VALUES ('ball_snap', 'pass_forward'), ('autoevent_ballsnap', 'autoevent_passforward'),
             ('snap_direct', 'pass_shovel')) s(snap, release),
     LATERAL (SELECT ngs.play_tensor_agg(f, NULL, 'ball', f, 20, NULL, NULL, NULL, NULL,
                                         CASE f WHEN 2 THEN release WHEN 3 THEN snap WHEN 5 THEN snap
                                                WHEN 6 THEN release WHEN 8 THEN release END) AS t
              FROM generate_series(1, 9) f) p;

-- the offense's direction: right when the mean x of the offense and the ball is below the
-- defense's at the snap (the first frame without one)
SELECT ngs.offense_direction(ngs.play_tensor_agg(f, id, role, x, 20, NULL, NULL, NULL, NULL, CASE f WHEN 2 THEN 'ball_snap' END)) AS dir
FROM (VALUES (1, 10, 'offense', 50), (1, 20, 'defense', 40), (2, 10, 'offense', 30), (2, 20, 'defense', 40),
             (2, NULL, 'ball', 35)) v(f, id, role, x);
SELECT ngs.offense_direction(ngs.play_tensor_agg(f, id, role, x, 20, NULL, NULL, NULL, NULL)) AS dir_first_frame
FROM (VALUES (1, 10, 'offense', 50), (1, 20, 'defense', 40), (2, 10, 'offense', 30), (2, 20, 'defense', 40)) v(f, id, role, x);

-- a version-1 tensor (stored by 1.0 and 1.1; this text and these bytes are 1.1's output)
-- reads as before, and knows no events
CREATE TEMP TABLE v1 AS SELECT '{"version":1,"standardized":false,"frame_ids":[1,2,3],"nfl_ids":[10,20,null],"roles":["offense","defense","ball"],"duplicates":[[1,1]],"data":[[[10,20,1,0,0,0,90,45],[30,5,0,5,0,0,0,null],[11,21,0,0,0,0,null,null]],[[10.1,20,1,0,0,0,90,45],[30,5.5,0,5,0,0,0,null],[null,null,null,null,null,null,null,null]],[[10.2,20,1,0,0,0,90,45],[30,6.5,0,10,0,10,0,null],[60,21,20,0,0,0,null,null]]]}'::ngs.play_tensor AS pt;
SELECT pt FROM v1;
SELECT ngs.play_tensor_send(pt) = (
    '\x0100000300000003000000010000000a000000140000000001020300000001000000020000000300000001000000014120000041a000003f800000'
    '00000000000000000000000042b400004234000041f0000040a000000000000040a000000000000000000000000000007fc000004130000041a80000'
    '000000000000000000000000000000007fc000007fc000004121999a41a000003f80000000000000000000000000000042b400004234000041f00000'
    '40b000000000000040a000000000000000000000000000007fc000007fc000007fc000007fc000007fc000007fc000007fc000007fc000007fc00000'
    '4123333341a000003f80000000000000000000000000000042b400004234000041f0000040d000000000000041200000000000004120000000000000'
    '7fc000004270000041a8000041a000000000000000000000000000007fc000007fc00000')::bytea AS v1_send_unchanged FROM v1;
SELECT pg_temp.copy_binary((
    '\x0100000300000003000000010000000a000000140000000001020300000001000000020000000300000001000000014120000041a000003f800000'
    '00000000000000000000000042b400004234000041f0000040a000000000000040a000000000000000000000000000007fc000004130000041a80000'
    '000000000000000000000000000000007fc000007fc000004121999a41a000003f80000000000000000000000000000042b400004234000041f00000'
    '40b000000000000040a000000000000000000000000000007fc000007fc000007fc000007fc000007fc000007fc000007fc000007fc000007fc00000'
    '4123333341a000003f80000000000000000000000000000042b400004234000041f0000040d000000000000041200000000000004120000000000000'
    '7fc000004270000041a8000041a000000000000000000000000000007fc000007fc00000')::bytea);
SELECT c.pt::text = v1.pt::text AS v1_binary_reads_the_same, ngs.has_events(c.pt) AS has_events FROM copied c, v1;
SELECT ngs.frames(pt), ngs.nfl_ids(pt), ngs.frame_ids(pt), ngs.feature(pt, 20, 'y'), ngs.frame_ids(ngs.slice(pt, 2, 3)),
       ngs.slice(pt, 2, 3)::text LIKE '{"version":1,%' AS slice_stays_v1, ngs.offense_direction(pt),
       ngs.standardize(pt, 'left')::text LIKE '{"version":1,%' AS standardized_stays_v1 FROM v1;

-- the accepted text forms of version 2, one per line (events in any order, each once)
SELECT input::ngs.play_tensor FROM (VALUES
    ('{"version":2,"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"events":[[7,"b"],[5,"z"],[5,"a"],[7,"b"]],"version":2,"standardized":false,"frame_ids":[5,7],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]],[[1,2,3,4,5,6,7,8]]]}')
) v(input);

-- rejected text forms, one per line
SELECT input, try(format('SELECT %L::ngs.play_tensor', input)) FROM (VALUES
    ('{"version":1,"events":[],"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":2,"events":[[6,"ball_snap"]],"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":2,"events":[[5,""]],"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":2,"events":[[5,"a\"b"]],"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":2,"events":[[5,"' || repeat('e', 64) || '"]],"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":2,"events":[5,"x"],"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":2,"events":[[5,"x"]],"events":[],"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}')
) v(input);

-- types people have: a pandas-like table (bigint ids, double precision values, 'None'
-- for no event) builds the same tensor as real/int columns, without casts
CREATE TEMP TABLE frame_rows (game_id bigint, play_id bigint, frame_id bigint, nfl_id bigint, role text,
                              x float8, y float8, s float8, a float8, dir float8, o float8, event text);
INSERT INTO frame_rows SELECT 2018090600, play, frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, coalesce(event, 'None') FROM rows;
SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o, event)::text = (SELECT pt::text FROM plays) AS wide_same,
       ngs.play_tensor_agg(frame_id, nfl_id, role, x::float8, y, s, a, dir, o)::text
         = (SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL)::text FROM rows) AS wide_same_without_events
FROM frame_rows GROUP BY game_id, play_id;
-- mixed columns and literals resolve without casts
SELECT ngs.frames(ngs.play_tensor_agg(frame_id::int, nfl_id, role, x::real, y, s, a, dir, o)) AS int_and_bigint_real_and_double,
       ngs.frames(ngs.play_tensor_agg(frame_id, nfl_id::int, role, x::real, y::real, s::real, a::real, dir::real, o::real, event)) AS bigint_frame_real_values
FROM frame_rows;
SELECT ngs.play_tensor_agg(f, NULL, 'ball', 1.5, 2, NULL, NULL, NULL, NULL)::text AS literals,
       ngs.has_events(ngs.play_tensor_agg(f, NULL, 'ball', 1.5, 2, NULL, NULL, NULL, NULL, NULL)) AS literals_no_event,
       ngs.has_events(ngs.play_tensor_agg(f, NULL, 'ball', 1.5, 2, NULL, NULL, NULL, NULL, NULL, NULL)) AS literals_no_strictness
FROM generate_series(1, 2) f;
SELECT p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments FROM pg_catalog.pg_proc p
WHERE p.pronamespace = 'ngs'::regnamespace AND p.proname = 'play_tensor_agg' ORDER BY 2;
-- values the tensor cannot store are errors naming the column
SELECT input, try(input) FROM (VALUES
    ('SELECT ngs.play_tensor_agg(3000000000::bigint, 1, ''offense'', 1, 1, NULL, NULL, NULL, NULL)'),
    ('SELECT ngs.play_tensor_agg(1, 3000000000::bigint, ''offense'', 1, 1, NULL, NULL, NULL, NULL)'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1e40::float8, 1, NULL, NULL, NULL, NULL)'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1, 2e6::float8, NULL, NULL, NULL, NULL)'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1, 1, ''NaN''::float8, NULL, NULL, NULL)'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1, 1, NULL, NULL, ''-Infinity''::float8, NULL)'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1, 1, NULL, NULL, NULL, NULL, ''bad"name'')'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1, 1, NULL, NULL, NULL, NULL, repeat(''e'', 64))'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1, 1, NULL, NULL, NULL, NULL, E''tab\there'')'),
    ('SELECT ngs.play_tensor_agg(1, 5, ''offense'', 1, 1, NULL, NULL, NULL, NULL, ''é'')'),
    ('SELECT ngs.play_tensor_agg(1, 0::bigint, ''offense'', 1, 1, NULL, NULL, NULL, NULL)')
) v(input);

-- silent wrong answer 1 of 1.1: a slice outside the play gave NULL
SELECT input, try(input) FROM (VALUES
    ('SELECT ngs.slice(pt, 20, 30) FROM plays'),
    ('SELECT ngs.slice(pt, -5, 0) FROM plays'),
    ('SELECT ngs.slice(pt, ''ball_snap'', ''touchdown'') FROM plays'),
    ('SELECT ngs.slice(pt, ''touchdown'', ''pass_forward'') FROM plays'),
    ('SELECT ngs.slice(pt, ''pass_arrived'', ''ball_snap'') FROM plays'),
    ('SELECT ngs.pass_window(ngs.slice(pt, 3, 8)) FROM plays'),
    ('SELECT ngs.pass_window(ngs.slice(pt, 1, 5)) FROM plays'),
    ('SELECT ngs.events(pt) FROM v1'),
    ('SELECT ngs.event_frame(pt, ''ball_snap'') FROM v1'),
    ('SELECT ngs.pass_window(pt) FROM v1'),
    ('SELECT ngs.slice(pt, ''ball_snap'', ''pass_forward'') FROM v1'),
    ('SELECT ngs.offense_direction(ngs.play_tensor_agg(1, 5, ''offense'', 1, 1, NULL, NULL, NULL, NULL))')
) v(input);
SELECT ngs.slice(pt, 20, 30, missing_ok => true) IS NULL AS frames_missing_ok,
       ngs.pass_window(ngs.slice(pt, 3, 8), missing_ok => true) IS NULL AS window_missing_ok FROM plays;

-- silent wrong answer 3 of 1.1: GROUP BY without the play id built one tensor of several
-- plays; a few exact duplicates (as real tracking has) still load and are recorded
INSERT INTO rows SELECT 2, frame_id, nfl_id, role, x + 5, y, event FROM rows WHERE play = 1;
INSERT INTO rows SELECT 3, frame_id, nfl_id, role, x, y, event FROM rows WHERE play = 1 AND frame_id = 4 AND role <> 'ball';
INSERT INTO rows SELECT 4, frame_id, nfl_id, role, x, y, event FROM rows WHERE play = 1;
SELECT try('SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event) FROM rows WHERE play IN (1, 2)') AS group_by_without_play_id;
SELECT try('SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL) FROM rows WHERE play IN (1, 2)') AS without_events_too;
SELECT try('SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL) FROM rows WHERE play IN (1, 4)') AS every_row_twice;
SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event)::text ~ '"duplicates":\[\[1,1\],\[3,0\],\[3,1\]\]' AS exact_duplicates_recorded
FROM rows WHERE play IN (1, 3);
-- strictness per call (Citus workers do not see the session's ngs.strict_duplicates)
SELECT try('SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event, true) FROM rows WHERE play IN (1, 3)') AS strict_call;
SELECT try('SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event, false) FROM rows WHERE play IN (1, 3)') AS lenient_call;
SELECT try('SELECT ngs.play_tensor_agg(frame_id::bigint, nfl_id, role, x::float8, y, NULL, NULL, NULL, NULL, event, true) FROM rows WHERE play = 1') AS strict_wide_call;
SET ngs.strict_duplicates = on;
SELECT try('SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL, event, false) FROM rows WHERE play IN (1, 3)') AS session_strict;
RESET ngs.strict_duplicates;

-- silent wrong answer 2 of 1.1: the whole play scored instead of snap to release; a NULL
-- context or direction gave NULL
\set ECHO none
\i test/fixtures/weight_files.psql
\set ECHO all
SELECT ngs.import_model('events_zero', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:4,176,2:0', 'tcn.0.conv2.weight:4,4,2:0',
                                                      'tcn.0.downsample.weight:4,176,1:0', 'mlp.0.weight:6,4:0')) > 0 AS imported;
SELECT round(ngs.pass_score(ngs.standardize(ngs.pass_window(pt), ngs.offense_direction(pt)), '{}', 15, 'events_zero')::numeric, 7) AS window_scores,
       ngs.pass_score(ngs.standardize(ngs.slice(pt, 1, 6), 'right'), '{}', 15, 'events_zero')
         = ngs.pass_score(ngs.standardize(ngs.pass_window(pt), 'right'), '{}', 15, 'events_zero') AS ending_at_release_scores,
       ngs.pass_score(NULL, '{}', 15, 'events_zero') IS NULL AS null_tensor,
       ngs.pass_score(ngs.standardize(ngs.pass_window(pt), 'right'), '{}', NULL, 'events_zero') IS NULL AS null_yards,
       ngs.standardize(NULL, 'left') IS NULL AS null_tensor_standardized
FROM plays;
-- a version-1 tensor does not know its events: the whole play scores, as in 1.1
SELECT round(ngs.pass_score(ngs.standardize(ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, NULL, NULL, NULL, NULL), 'right'),
                            '{}', 15, 'events_zero')::numeric, 7) AS v1_whole_play_scores
FROM rows WHERE play = 1;
SELECT s AS statement, try(s) FROM (VALUES
    ($$SELECT ngs.pass_score(ngs.standardize(pt, 'right'), '{}', 15, 'events_zero') FROM plays$$),
    ($$SELECT ngs.pass_distribution(ngs.standardize(pt, 'right'), '{}', 'events_zero') FROM plays$$),
    ($$SELECT ngs.pass_network_output(ngs.standardize(pt, 'right'), '{}', 'events_zero') FROM plays$$),
    ($$SELECT ngs.model_input(ngs.standardize(pt, 'right')) FROM plays$$),
    ($$SELECT ngs.pass_score(ngs.standardize(ngs.pass_window(pt), 'right'), NULL, 15, 'events_zero') FROM plays$$),
    ($$SELECT ngs.pass_distribution(ngs.standardize(ngs.pass_window(pt), 'right'), NULL, 'events_zero') FROM plays$$),
    ($$SELECT ngs.pass_network_output(ngs.standardize(ngs.pass_window(pt), 'right'), NULL, 'events_zero') FROM plays$$),
    ($$SELECT ngs.pass_score(ngs.standardize(ngs.pass_window(pt), 'right'), '{}', 15, NULL) FROM plays$$),
    ($$SELECT ngs.standardize(pt, NULL) FROM plays$$),
    ($$SELECT ngs.pass_score(ngs.standardize(pt, NULL), '{}', 15, 'events_zero') FROM plays$$)
) v(s);
SELECT ngs.drop_model('events_zero') AS dropped;
