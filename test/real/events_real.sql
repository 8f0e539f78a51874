-- requires: real data
-- play tensors with events on the real tracking data: every play builds (its few real
-- duplicates included), the events are the loader's, pass_window is the loader's snap to
-- release, offense_direction is every play's direction, GROUP BY without the game id is
-- refused, and scoring the pass window equals scoring the loader's slice bit for bit.
BEGIN;
SELECT plan(16);

CREATE TEMP TABLE event_tensors AS
SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o, event) AS tensor
FROM tracking GROUP BY game_id, play_id;

SELECT is((SELECT count(*) FROM event_tensors WHERE ngs.has_events(tensor)), (SELECT count(*) FROM play_tensors),
    'every tracked play builds a tensor with events (the real duplicates stay under the threshold)');
SELECT is((SELECT count(*) FROM event_tensors e JOIN play_tensors p USING (game_id, play_id)
           WHERE regexp_replace(e.tensor::text, '^\{"version":2,(.*),"events":\[.*\]\}$', '{"version":1,\1}') <> p.tensor::text),
    0::bigint, 'apart from its version and events, each tensor is the one built without events (duplicates included)');
CREATE TEMP TABLE copied (game_id bigint, play_id int, tensor ngs.play_tensor);
DO $$
DECLARE
    file text := current_setting('data_directory') || '/ngs_event_tensors_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY event_tensors TO %L WITH (FORMAT binary)', file);
    EXECUTE format('COPY copied FROM %L WITH (FORMAT binary)', file);
END $$;
SELECT is((SELECT count(*) FROM event_tensors e JOIN copied c USING (game_id, play_id)
           WHERE e.tensor::text = c.tensor::text AND ngs.play_tensor_send(e.tensor) = ngs.play_tensor_send(c.tensor)),
    (SELECT count(*) FROM event_tensors), 'COPY ... WITH (FORMAT binary) round-trips every tensor with events exactly');
SELECT ok((SELECT count(*) FROM event_tensors, ngs.tracking_anomalies(tensor) a WHERE a.kind = 'duplicate') >= 700,
    'the real duplicated samples (757 rows in all) are still recorded');
SELECT is((SELECT count(*) FROM event_tensors e, ngs.events(e.tensor) v
           WHERE NOT EXISTS (SELECT FROM tracking t WHERE t.game_id = e.game_id AND t.play_id = e.play_id
                                                      AND t.frame_id = v.frame_id AND t.event = v.event)),
    0::bigint, 'every event of a tensor is on a tracking row of its frame');
SELECT is((SELECT array_agg(DISTINCT v.event ORDER BY v.event) FROM event_tensors e, ngs.events(e.tensor) v
           WHERE v.event ~ 'snap|pass_(forward|shovel)'),
    '{ball_snap,pass_forward,pass_shovel,snap_direct}'::text[],
    'the real data spells the snap ball_snap or snap_direct, the release pass_forward or pass_shovel');

-- the pass window is the loader's snap to release (plays.snap_frame, plays.release_frame,
-- the frames most rows tag); a stray row of 2019101306/3030 tags both 80 frames early
SELECT is((SELECT count(*) FROM event_tensors e JOIN plays p USING (game_id, play_id)
           WHERE p.snap_frame IS NOT NULL AND p.release_frame >= p.snap_frame
             AND ngs.frame_ids(ngs.pass_window(e.tensor, missing_ok => true))
                 = ARRAY(SELECT generate_series(p.snap_frame, p.release_frame))),
    (SELECT count(*) FROM plays WHERE snap_frame IS NOT NULL AND release_frame >= snap_frame),
    'pass_window is the snap-to-release slice of every play with a snap and a release (441)');
SELECT is((SELECT count(*) FROM event_tensors e JOIN plays p USING (game_id, play_id)
           WHERE (p.snap_frame IS NULL OR p.release_frame IS NULL) AND ngs.pass_window(e.tensor, true) IS NOT NULL),
    0::bigint, 'plays without a snap or a release have no pass window');
SELECT is((SELECT ngs.event_frame(tensor, 'ball_snap') FROM event_tensors WHERE game_id = 2019101306 AND play_id = 3030),
    128, 'one stray row tagging ball_snap at frame 48 does not move the snap of 2019101306/3030');

-- the offense's direction
SELECT is((SELECT count(*) FROM event_tensors e JOIN plays p USING (game_id, play_id)
           WHERE p.play_direction IS NOT NULL AND ngs.offense_direction(e.tensor) = p.play_direction),
    (SELECT count(*) FROM plays WHERE play_direction IS NOT NULL),
    'offense_direction equals plays.play_direction on every play that has one (658)');
SELECT is((SELECT count(*) FROM plays p JOIN event_tensors e USING (game_id, play_id)
           WHERE p.source <> 'bdb2019' AND p.play_direction IS NOT NULL AND ngs.offense_direction(e.tensor) = p.play_direction),
    481::bigint, 'including the 481 plays whose direction the source files give (not derived by the loader)');

-- GROUP BY without the game id: every play id that repeats across games is refused
CREATE FUNCTION pg_temp.agg_error(p int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o, event) FROM tracking WHERE play_id = p;
    RETURN 'ok';
EXCEPTION WHEN cardinality_violation THEN
    RETURN 'refused';
END $$;
SELECT is((SELECT array_agg(DISTINCT pg_temp.agg_error(play_id))
           FROM (SELECT play_id FROM tracking GROUP BY play_id HAVING count(DISTINCT game_id) > 1) r),
    '{refused}'::text[], 'GROUP BY play_id alone is refused for each of the play ids that repeat across games');

-- a pandas-like copy (bigint ids, double precision values) builds the same tensors
SELECT is((SELECT count(*) FROM (SELECT game_id, play_id,
                                        ngs.play_tensor_agg(frame_id::bigint, nfl_id::bigint, role, x::float8, y::float8, s::float8,
                                                            a::float8, dir::float8, o::float8, coalesce(event, 'None')) AS t
                                 FROM tracking WHERE game_id = 2018120600 GROUP BY game_id, play_id) w
           JOIN event_tensors e USING (game_id, play_id) WHERE w.t::text = e.tensor::text),
    74::bigint, 'bigint ids and double precision values build the same 74 tensors of game 2018120600');

-- partial aggregates (parallel workers) carry the events
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;
SELECT is((SELECT count(*) FROM (SELECT game_id, play_id, ngs.play_tensor_agg(frame_id, nfl_id, role, x, y, s, a, dir, o, event) AS t
                                 FROM tracking WHERE game_id = 2018120600 GROUP BY game_id, play_id) w
           JOIN event_tensors e USING (game_id, play_id) WHERE w.t::text = e.tensor::text),
    74::bigint, 'a parallel build of the 74 plays of game 2018120600 equals the serial one');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;

-- scoring: the pass window scores exactly as the loader's slice did in 1.1; the whole play
-- is refused once the tensor knows its release
SELECT is((SELECT count(*) FROM event_tensors e JOIN play_tensors t USING (game_id, play_id) JOIN plays p USING (game_id, play_id),
                LATERAL (SELECT ARRAY[p.down, p.yards_to_go, p.yards_to_goal, p.quarter, p.offense_score - p.defense_score]::real[] AS context) c
           WHERE p.snap_frame IS NOT NULL AND p.release_frame >= p.snap_frame + 4 AND p.play_direction IS NOT NULL
             AND p.yards IS NOT NULL
             AND ngs.pass_score(ngs.standardize(ngs.pass_window(e.tensor), ngs.offense_direction(e.tensor)), c.context, p.yards)
                 IS DISTINCT FROM ngs.pass_score(ngs.standardize(ngs.slice(t.tensor, p.snap_frame, p.release_frame), p.play_direction),
                                                 c.context, p.yards)),
    0::bigint, 'pass_score of the pass window equals pass_score of the version-1 snap-to-release slice, bit for bit');
CREATE FUNCTION pg_temp.score_error(pt ngs.play_tensor, dir text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ngs.pass_score(ngs.standardize(pt, dir), '{1,10,50,1,0}', 5);
    RETURN 'scored';
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN CASE WHEN SQLERRM = 'play_tensor runs past the release of the pass' THEN 'refused' ELSE SQLERRM END;
END $$;
SELECT is((SELECT array_agg(DISTINCT pg_temp.score_error(e.tensor, p.play_direction))
           FROM event_tensors e JOIN plays p USING (game_id, play_id)
           WHERE p.release_frame IS NOT NULL AND p.play_direction IS NOT NULL
             AND p.release_frame < (ngs.frame_ids(e.tensor))[ngs.frames(e.tensor)]),
    '{refused}'::text[], 'scoring a whole play that runs past its release is refused');

SELECT * FROM finish();
ROLLBACK;
