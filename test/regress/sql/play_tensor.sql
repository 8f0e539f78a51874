-- play_tensor: text form, building from rows, accessors, standardization, anomalies.
-- Inputs are listed one per line; each shows its result or its error (SQLSTATE, message, hint).

-- a small play: one offensive player, one defender, the ball
CREATE TEMP TABLE rows (frame_id int, nfl_id int, role text, x real, y real, s real, a real, dir real, o real);
INSERT INTO rows VALUES
    (1, 10, 'offense', 10.0, 20.0, 1.0, 0.0, 90, 45),
    (2, 10, 'offense', 10.1, 20.0, 1.0, 0.0, 90, 45),
    (3, 10, 'offense', 10.2, 20.0, NULL, NULL, NULL, NULL),
    (3, 20, 'defense', 30.0, 6.5, NULL, NULL, NULL, NULL),
    (1, 20, 'defense', 30.0, 5.0, NULL, NULL, NULL, NULL),
    (2, 20, 'defense', 30.0, 5.5, NULL, NULL, NULL, NULL),
    (2, 20, 'defense', 99.0, 99.0, NULL, NULL, NULL, NULL),
    (1, NULL, 'ball', 11.0, 21.0, 0.0, 0.0, NULL, NULL),
    (3, NULL, 'ball', 60.0, 21.0, 20.0, NULL, NULL, NULL);
CREATE TEMP TABLE plays AS
    SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) AS pt FROM rows;

-- the text form (velocity and acceleration of player 20 derived from positions;
-- the second row for frame 2 of player 20 is kept out and recorded as a duplicate)
SELECT pt FROM plays;
SELECT pt::text::ngs.play_tensor::text = pt::text AS text_round_trip FROM plays;

-- accessors
SELECT ngs.frames(pt), ngs.entities(pt), ngs.nfl_ids(pt), ngs.roles(pt), ngs.frame_ids(pt), ngs.is_standardized(pt) FROM plays;
SELECT ngs.track(pt, 10) AS offense, ngs.track(pt, 20) AS defense, ngs.track(pt, NULL) AS ball FROM plays;
SELECT f, ngs.feature(pt, 20, f) FROM plays, unnest('{x,y,vx,vy,ax,ay,dir,o,s,a}'::text[]) f;
SELECT ngs.frame_ids(ngs.slice(pt, 2, 3)), ngs.slice(pt, 4, 9, missing_ok => true) IS NULL AS empty_slice FROM plays;
SELECT array_dims(ngs.to_array(pt)) FROM plays;
SELECT ngs.play_tensor(ngs.to_array(pt), ngs.frame_ids(pt), ngs.nfl_ids(pt), ngs.roles(pt))::text
       = (SELECT replace(pt::text, '"duplicates":[[1,1]]', '"duplicates":[]') FROM plays) AS array_round_trip FROM plays;

-- standardization: 'left' mirrors, 'right' only marks, both are idempotent
SELECT ngs.standardize(pt, 'left') FROM plays;
SELECT ngs.standardize(ngs.standardize(pt, 'left'), 'left')::text = ngs.standardize(pt, 'left')::text AS idempotent,
       ngs.to_array(ngs.standardize(pt, 'right')) = ngs.to_array(pt) AS right_unchanged,
       ngs.is_standardized(ngs.standardize(pt, 'right')) AS right_marked FROM plays;

-- anomalies and cleaning
SELECT a.* FROM plays, ngs.tracking_anomalies(pt) a;
SELECT a.* FROM plays, ngs.tracking_anomalies(pt, max_speed => 4, field_margin => 0) a;
SELECT ngs.track(ngs.clean(pt), NULL) AS ball_gap_filled, ngs.track(ngs.clean(pt, max_gap => 0), NULL) AS ball_gap_kept,
       ngs.track(ngs.clean(pt, max_speed => 6), 20) AS fast_samples_masked FROM plays;

-- the aggregate: no rows, parallel-safe pieces, strict duplicates
SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) IS NULL AS no_rows FROM rows WHERE false;
SET ngs.strict_duplicates = on;
SELECT try('SELECT ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o) FROM rows');
RESET ngs.strict_duplicates;

-- rejected rows, one per line
SELECT input, try('SELECT ngs.play_tensor_agg(f, n, r, x, y, s, a, d, o) FROM (VALUES ' || input || ') v(f, n, r, x, y, s, a, d, o)')
FROM (VALUES
    ('(NULL::int, 1, ''offense'', 1::real, 1::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, 1, NULL::text, 1::real, 1::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, 1, ''quarterback'', 1::real, 1::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, NULL::int, ''offense'', 1::real, 1::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, 7, ''ball'', 1::real, 1::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, 0, ''defense'', 1::real, 1::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, 1, ''offense'', ''NaN''::real, 1::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, 1, ''offense'', 1::real, ''Infinity''::real, 1::real, 1::real, 1::real, 1::real)'),
    ('(1, 1, ''offense'', 1::real, 1::real, 2e6::real, 1::real, 1::real, 1::real)')
) v(input);
SELECT try('SELECT ngs.play_tensor_agg(g, g, ''offense'', 1, 1, 1, 1, 1, 1) FROM generate_series(1, 65) g') AS too_many_entities;
SELECT try('SELECT ngs.play_tensor_agg(g, 1, ''offense'', 1, 1, 1, 1, 1, 1) FROM generate_series(1, 4097) g') AS too_many_frames;

-- accepted text forms, one per line (key order free, white space free, duplicates optional)
SELECT input::ngs.play_tensor FROM (VALUES
    ('{"version":1,"standardized":false,"frame_ids":[5],"nfl_ids":[1],"roles":["defense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{ "data" : [ [ [ null,null,null,null,null,null,null,null ] ] ] , "roles":["ball"], "nfl_ids":[null], "frame_ids":[-3], "standardized":true, "version":1 }'),
    ('{"version":1,"standardized":false,"frame_ids":[1,2],"nfl_ids":[3,4],"roles":["offense","defense"],"duplicates":[[0,1],[1,0]],"data":[[[1,1,1,1,1,1,1,1],[2,2,2,2,2,2,2,2]],[[-1.5e-3,9.9999994e8,1e-45,0,-0,1E2,1e+2,12345678],[null,null,null,null,null,null,null,null]]]}')
) v(input);

-- rejected text forms, one per line
SELECT input, try(format('SELECT %L::ngs.play_tensor', input)) FROM (VALUES
    (''),
    ('[]'),
    ('{"version":1}'),
    ('{"version":3,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":0,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]],"extra":1}'),
    ('{"version":1,"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]} trailing'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8,9]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1,2],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1,2],"nfl_ids":[1,2],"roles":["offense","defense"],"data":[[[1,2,3,4,5,6,7,8],[1,2,3,4,5,6,7,8]],[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1,2],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[],"nfl_ids":[],"roles":[],"data":[]}'),
    ('{"version":1,"standardized":false,"frame_ids":[2,1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]],[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["quarterback"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1,1],"roles":["offense","defense"],"data":[[[1,2,3,4,5,6,7,8],[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[null],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[5],"roles":["ball"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[0],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[null,null],"roles":["ball","ball"],"data":[[[1,2,3,4,5,6,7,8],[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[NaN,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[Infinity,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1e39,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[["1",2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[.5,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1.,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1.5],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[9999999999],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"duplicates":[[0,5]],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"duplicates":[[0,0],[0,0]],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["off\"ense"],"data":[[[1,2,3,4,5,6,7,8]]]}'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,8]]]'),
    ('{"version":1,"standardized":false,"frame_ids":[1],"nfl_ids":[1],"roles":["offense"],"data":[[[1,2,3,4,5,6,7,' || repeat('1', 70) || ']]]}')
) v(input);

-- oversize text forms are refused while reading, before the tensor is allocated
SELECT try(format('SELECT %L::ngs.play_tensor', '{"version":1,"standardized":false,"data":[' ||
    (SELECT string_agg('[[1,2,3,4,5,6,7,8]]', ',') FROM generate_series(1, 4097)) || ']}')) AS too_many_frames;
SELECT try(format('SELECT %L::ngs.play_tensor', '{"version":1,"standardized":false,"data":[[' ||
    (SELECT string_agg('[1,2,3,4,5,6,7,8]', ',') FROM generate_series(1, 65)) || ']]}')) AS too_many_entities;

-- rejected arguments, one per line
SELECT input, try(input) FROM (VALUES
    ('SELECT ngs.standardize(pt, ''up'') FROM plays'),
    ('SELECT ngs.standardize(pt, ''LEFT'') FROM plays'),
    ('SELECT ngs.track(pt, 99) FROM plays'),
    ('SELECT ngs.track(ngs.slice(pt, 2, 2), NULL) FROM plays'),
    ('SELECT ngs.feature(pt, 10, ''speed'') FROM plays'),
    ('SELECT ngs.slice(pt, 3, 1) FROM plays'),
    ('SELECT ngs.slice(pt, 4, 9) FROM plays'),
    ('SELECT ngs.tracking_anomalies(pt, 0) FROM plays'),
    ('SELECT ngs.tracking_anomalies(pt, 12.5, -1) FROM plays'),
    ('SELECT ngs.tracking_anomalies(pt, ''NaN'') FROM plays'),
    ('SELECT ngs.clean(pt, 12.5, 0, -1) FROM plays'),
    ('SELECT ngs.play_tensor(''{1,2}''::real[], ''{1}'', ''{1}'', ''{offense}'')'),
    ('SELECT ngs.play_tensor(array_fill(1::real, ''{1,1,8}''), ''{1,2}'', ''{1}'', ''{offense}'')'),
    ('SELECT ngs.play_tensor(array_fill(1::real, ''{1,1,8}''), ''{1}'', ''{1,2}'', ''{offense}'')'),
    ('SELECT ngs.play_tensor(array_fill(1::real, ''{1,1,8}''), ''{1}'', ''{1}'', ''{keeper}'')'),
    ('SELECT ngs.play_tensor(array_fill(1::real, ''{1,1,8}''), ''{NULL}'', ''{1}'', ''{offense}'')'),
    ('SELECT ngs.play_tensor(array_fill(NULL::real, ''{1,1,8}''), ''{1}'', ''{1}'', ''{offense}'')'),
    ('SELECT ngs.play_tensor(array_fill(''Infinity''::real, ''{1,1,8}''), ''{1}'', ''{1}'', ''{offense}'')'),
    ('SELECT ngs.play_tensor(array_fill(3e38::real, ''{1,1,8}''), ''{1}'', ''{1}'', ''{offense}'')'),
    ('SELECT ngs.play_tensor(array_fill(-1.1e9::real, ''{1,1,8}''), ''{1}'', ''{1}'', ''{offense}'')'),
    ('SELECT ngs.standardize(ngs.play_tensor(array_fill(-1e9::real, ''{1,1,8}''), ''{1}'', ''{1}'', ''{offense}''), ''left'')'),
    ('SELECT ngs.play_tensor_agg(f, 5, r, f::real, 1, NULL, NULL, NULL, NULL) FROM generate_series(1, 3) f, unnest(''{offense,defense}''::text[]) r'),
    ('SELECT ngs.play_tensor(array_fill(1::real, ''{1,1,8}''), ''{1}'', ''{NULL}'', ''{defense}'')'),
    ('SELECT ngs.play_tensor(array_fill(1::real, ''{1,1,8}''), ''{1}'', ''{1}'', ''{ball}'')')
) v(input);

-- the largest inputs play_tensor_agg accepts derive values a tensor holds, mirrored too
SELECT ngs.standardize(ngs.play_tensor_agg(f, 1, 'offense', (CASE WHEN f % 2 = 0 THEN 1e6 ELSE -1e6 END)::real, 0, NULL, NULL, NULL, NULL), 'left') IS NOT NULL AS extreme_play_builds
FROM generate_series(1, 3) f;

-- standardize keeps angles in [0, 360) whatever they were tracked as; clean interpolates
-- along the shorter arc into [0, 360) and counts a gap in frame ids, not in rows
SELECT ngs.feature(ngs.standardize(ngs.play_tensor(ARRAY[[[1, 1, 0, 0, 0, 0, -200, 540]], [[1, 1, 0, 0, 0, 0, 179.99999, 0]]]::real[],
                                                  '{1,2}', '{1}', '{offense}'), 'left'), 1, 'dir') AS dir,
       ngs.feature(ngs.standardize(ngs.play_tensor(ARRAY[[[1, 1, 0, 0, 0, 0, -200, 540]], [[1, 1, 0, 0, 0, 0, 179.99999, 0]]]::real[],
                                                  '{1,2}', '{1}', '{offense}'), 'left'), 1, 'o') AS o;
SELECT ngs.feature(ngs.clean(ngs.play_tensor(ARRAY[[[10, 20, 0, 0, 0, 0, 350, -30]], [['NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN']],
                                                  [[12, 20, 0, 0, 0, 0, 10, 30]]]::real[], '{1,2,3}', '{7}', '{offense}'), max_gap => 1), 7, 'dir') AS dir_across_north,
       ngs.feature(ngs.clean(ngs.play_tensor(ARRAY[[[10, 20, 0, 0, 0, 0, 350, -30]], [['NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN']],
                                                  [[12, 20, 0, 0, 0, 0, 10, 30]]]::real[], '{1,2,100}', '{7}', '{offense}'), max_gap => 1), 7, 'x') AS x_not_across_99_frames;

-- a missing value is stored as the one NaN the text form reads back, however it was made
-- (negated by standardize, or another NaN payload in binary input), so dump and restore
-- through text keep every byte
SELECT ngs.play_tensor_send(t) = ngs.play_tensor_send(t::text::ngs.play_tensor) AS text_keeps_every_byte
FROM (SELECT ngs.standardize(ngs.play_tensor(ARRAY[[[10, 20, 'NaN', 0, 0, 0, 90, 45]]]::real[],
                                             '{1}', '{2495454}', '{offense}'), 'left') AS t) s;
SELECT ngs.play_tensor_send(ngs.play_tensor(ARRAY[[[1, 2, -('NaN'::real), 0, 0, 0, 90, 45]]]::real[], '{1}', '{7}', '{offense}'))
     = ngs.play_tensor_send(ngs.play_tensor(ARRAY[[[1, 2, 'NaN', 0, 0, 0, 90, 45]]]::real[], '{1}', '{7}', '{offense}')) AS negative_nan_stored_canonical;
