-- ngs 1.1 -> 1.2 (ALTER EXTENSION ngs UPDATE; CREATE EXTENSION also runs it after ngs--1.0.sql
-- and ngs--1.0--1.1.sql). Every stored value of 1.0 and 1.1 stays readable.
\echo Use "ALTER EXTENSION ngs UPDATE" to load this file. \quit

-- ---------------------------------------------------------------------------------------
-- Play tensors: events, more input types, slices by event, no silent wrong answers
-- ---------------------------------------------------------------------------------------

-- Version-2 tensors carry each frame's events (version-1 values of 1.0 and 1.1 read as
-- before). play_tensor_agg gains overloads: a trailing event (NULL, '' and 'None' = none),
-- then strict_duplicates (true: any duplicate row is an error in this call, as
-- SET ngs.strict_duplicates = on does for a session); and bigint ids with double precision
-- values, which a table of any mix of int/bigint and real/double resolves to without casts.

CREATE FUNCTION ngs.play_tensor_agg_transfn(internal, int, int, text, real, real, real, real, real, real, text) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.play_tensor_agg_transfn(internal, int, int, text, real, real, real, real, real, real, text, bool) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.play_tensor_agg_transfn(internal, bigint, bigint, text, float8, float8, float8, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'play_tensor_agg_transfn_wide' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.play_tensor_agg_transfn(internal, bigint, bigint, text, float8, float8, float8, float8, float8, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'play_tensor_agg_transfn_wide' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.play_tensor_agg_transfn(internal, bigint, bigint, text, float8, float8, float8, float8, float8, float8, text, bool) RETURNS internal
    AS 'MODULE_PATHNAME', 'play_tensor_agg_transfn_wide' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION ngs.play_tensor_agg_transfn(internal, int, int, text, real, real, real, real, real, real, text) IS 'play_tensor_agg transition: appends one tracking row and its event';
COMMENT ON FUNCTION ngs.play_tensor_agg_transfn(internal, int, int, text, real, real, real, real, real, real, text, bool) IS 'play_tensor_agg transition: appends one tracking row and its event, strict about duplicates when asked';
COMMENT ON FUNCTION ngs.play_tensor_agg_transfn(internal, bigint, bigint, text, float8, float8, float8, float8, float8, float8) IS 'play_tensor_agg transition for bigint ids and double precision values: appends one tracking row';
COMMENT ON FUNCTION ngs.play_tensor_agg_transfn(internal, bigint, bigint, text, float8, float8, float8, float8, float8, float8, text) IS 'play_tensor_agg transition for bigint ids and double precision values: appends one tracking row and its event';
COMMENT ON FUNCTION ngs.play_tensor_agg_transfn(internal, bigint, bigint, text, float8, float8, float8, float8, float8, float8, text, bool) IS 'play_tensor_agg transition for bigint ids and double precision values: appends one tracking row and its event, strict about duplicates when asked';

CREATE AGGREGATE ngs.play_tensor_agg(frame_id int, nfl_id int, role text, x real, y real, s real, a real, dir real, o real, event text) (
    SFUNC = ngs.play_tensor_agg_transfn, STYPE = internal, FINALFUNC = ngs.play_tensor_agg_finalfn,
    COMBINEFUNC = ngs.play_tensor_agg_combinefn, SERIALFUNC = ngs.play_tensor_agg_serialfn,
    DESERIALFUNC = ngs.play_tensor_agg_deserialfn, PARALLEL = SAFE
);
CREATE AGGREGATE ngs.play_tensor_agg(frame_id int, nfl_id int, role text, x real, y real, s real, a real, dir real, o real, event text, strict_duplicates bool) (
    SFUNC = ngs.play_tensor_agg_transfn, STYPE = internal, FINALFUNC = ngs.play_tensor_agg_finalfn,
    COMBINEFUNC = ngs.play_tensor_agg_combinefn, SERIALFUNC = ngs.play_tensor_agg_serialfn,
    DESERIALFUNC = ngs.play_tensor_agg_deserialfn, PARALLEL = SAFE
);
CREATE AGGREGATE ngs.play_tensor_agg(frame_id bigint, nfl_id bigint, role text, x float8, y float8, s float8, a float8, dir float8, o float8) (
    SFUNC = ngs.play_tensor_agg_transfn, STYPE = internal, FINALFUNC = ngs.play_tensor_agg_finalfn,
    COMBINEFUNC = ngs.play_tensor_agg_combinefn, SERIALFUNC = ngs.play_tensor_agg_serialfn,
    DESERIALFUNC = ngs.play_tensor_agg_deserialfn, PARALLEL = SAFE
);
CREATE AGGREGATE ngs.play_tensor_agg(frame_id bigint, nfl_id bigint, role text, x float8, y float8, s float8, a float8, dir float8, o float8, event text) (
    SFUNC = ngs.play_tensor_agg_transfn, STYPE = internal, FINALFUNC = ngs.play_tensor_agg_finalfn,
    COMBINEFUNC = ngs.play_tensor_agg_combinefn, SERIALFUNC = ngs.play_tensor_agg_serialfn,
    DESERIALFUNC = ngs.play_tensor_agg_deserialfn, PARALLEL = SAFE
);
CREATE AGGREGATE ngs.play_tensor_agg(frame_id bigint, nfl_id bigint, role text, x float8, y float8, s float8, a float8, dir float8, o float8, event text, strict_duplicates bool) (
    SFUNC = ngs.play_tensor_agg_transfn, STYPE = internal, FINALFUNC = ngs.play_tensor_agg_finalfn,
    COMBINEFUNC = ngs.play_tensor_agg_combinefn, SERIALFUNC = ngs.play_tensor_agg_serialfn,
    DESERIALFUNC = ngs.play_tensor_agg_deserialfn, PARALLEL = SAFE
);
COMMENT ON AGGREGATE ngs.play_tensor_agg(int, int, text, real, real, real, real, real, real, text) IS 'builds one play''s tensor with each frame''s events (GROUP BY game_id, play_id); NULL, empty or ''None'' event = none';
COMMENT ON AGGREGATE ngs.play_tensor_agg(int, int, text, real, real, real, real, real, real, text, bool) IS 'builds one play''s tensor with its events; strict_duplicates => true makes any duplicate (frame, player) row an error';
COMMENT ON AGGREGATE ngs.play_tensor_agg(bigint, bigint, text, float8, float8, float8, float8, float8, float8) IS 'builds one play''s tensor from rows with bigint ids or double precision values (stored as int and real; out-of-range values are errors)';
COMMENT ON AGGREGATE ngs.play_tensor_agg(bigint, bigint, text, float8, float8, float8, float8, float8, float8, text) IS 'builds one play''s tensor with its events from rows with bigint ids or double precision values';
COMMENT ON AGGREGATE ngs.play_tensor_agg(bigint, bigint, text, float8, float8, float8, float8, float8, float8, text, bool) IS 'builds one play''s tensor with its events from rows with bigint ids or double precision values; strict_duplicates => true makes any duplicate row an error';

-- events, slices by event, the pass window, the offense's direction

CREATE FUNCTION ngs.has_events(ngs.play_tensor) RETURNS bool
    AS 'MODULE_PATHNAME', 'play_tensor_has_events' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.events(pt ngs.play_tensor) RETURNS TABLE (frame_id int, event text)
    AS 'MODULE_PATHNAME', 'play_tensor_events' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5 ROWS 10;
CREATE FUNCTION ngs.event_frame(pt ngs.play_tensor, event text) RETURNS int
    AS 'MODULE_PATHNAME', 'play_tensor_event_frame' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.slice(pt ngs.play_tensor, from_frame int, to_frame int, missing_ok bool) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME', 'play_tensor_slice' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.slice(pt ngs.play_tensor, from_event text, to_event text, missing_ok bool DEFAULT false) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME', 'play_tensor_slice_events' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.pass_window(pt ngs.play_tensor, missing_ok bool DEFAULT false) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME', 'play_tensor_pass_window' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.offense_direction(pt ngs.play_tensor) RETURNS text
    AS 'MODULE_PATHNAME', 'play_tensor_offense_direction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
COMMENT ON FUNCTION ngs.has_events(ngs.play_tensor) IS 'whether the tensor knows its events (version 2, built with the event argument), even if it has none';
COMMENT ON FUNCTION ngs.events(ngs.play_tensor) IS 'one row per (frame, event), by frame then name; an error for a version-1 tensor, which does not know its events';
COMMENT ON FUNCTION ngs.event_frame(ngs.play_tensor, text) IS 'the id of the first frame with the event, NULL if the play does not have it';
COMMENT ON FUNCTION ngs.slice(ngs.play_tensor, int, int, bool) IS 'the frames whose ids lie between from_frame and to_frame (inclusive); NULL when there are none and missing_ok, else an error';
COMMENT ON FUNCTION ngs.slice(ngs.play_tensor, text, text, bool) IS 'the frames from the first from_event to the first to_event at or after it; an error if either is missing (NULL with missing_ok)';
COMMENT ON FUNCTION ngs.pass_window(ngs.play_tensor, bool) IS 'the frames from the snap (first ball_snap, autoevent_ballsnap or snap_direct) to the release (first pass_forward, pass_shovel or autoevent_passforward after it): what ngs.pass_score reads';
COMMENT ON FUNCTION ngs.offense_direction(ngs.play_tensor) IS 'left or right, the way the offense moves: right when the mean x of the offense and the ball is below the defense''s at the snap (the first frame without a known snap)';

-- what changes for existing functions: a slice with no frames is an error (1.1: NULL;
-- ngs.slice(pt, from, to, missing_ok => true) keeps NULL); a NULL play direction or
-- context is an error (1.1: a silent NULL); a NULL tensor still gives NULL.

COMMENT ON FUNCTION ngs.slice(ngs.play_tensor, int, int) IS 'the frames whose ids lie between from_frame and to_frame (inclusive); an error if there are none (see the missing_ok variant)';
ALTER FUNCTION ngs.standardize(ngs.play_tensor, text) CALLED ON NULL INPUT;
ALTER FUNCTION ngs.pass_network_output(ngs.play_tensor, real[], text) CALLED ON NULL INPUT;
ALTER FUNCTION ngs.pass_distribution(ngs.play_tensor, real[], text) CALLED ON NULL INPUT;
ALTER FUNCTION ngs.pass_score(ngs.play_tensor, real[], float8, text) CALLED ON NULL INPUT;
COMMENT ON FUNCTION ngs.standardize(ngs.play_tensor, text) IS 'the play turned so the offense moves toward +x (''left'' mirrors, ''right'' marks); idempotent; NULL tensor gives NULL, NULL direction is an error';
COMMENT ON FUNCTION ngs.pass_distribution(ngs.play_tensor, real[], text) IS 'the predicted SBP of yards gained by a pass, from the play (standardized, snap to release: ngs.pass_window) and its context; NULL tensor gives NULL, NULL context or model is an error';
COMMENT ON FUNCTION ngs.pass_network_output(ngs.play_tensor, real[], text) IS 'the pass model''s raw outputs: bin logits, then the pre-activations of xi_lo, beta_lo, xi_hi, beta_hi; NULL tensor gives NULL, NULL context or model is an error';
COMMENT ON FUNCTION ngs.model_input(ngs.play_tensor) IS 'the frames x 176 matrix the pass model reads: 11 offense then 11 defense slots by first y, 8 features each, NaN where missing; an error for a tensor that knows its events and runs past the release';
COMMENT ON FUNCTION ngs.pass_score(ngs.play_tensor, real[], float8, text) IS 'the play''s passing score: the predicted CDF at the yards gained; NULL for a NULL tensor or NULL yards, an error for a NULL context or model or a tensor past the release';


-- ---------------------------------------------------------------------------------------
-- Loader rules: yards to goal, roles, play descriptions
-- ---------------------------------------------------------------------------------------
-- The rules that turn the columns of the public tracking layouts into the loaded schema
-- (docs: ngs-load). ngs-load and tools/load use these, so that there is one implementation.

-- Yards from the line of scrimmage to the opponent's goal line, from the play-by-play yard
-- line: on the possession team's own side when yardline_side is its code, at midfield when
-- yardline_side is NULL (the 50 has no side).
CREATE FUNCTION ngs.yards_to_goal(possession_team text, yardline_side text, yardline_number int)
RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
RETURN CASE
    WHEN yardline_side IS NULL THEN 50
    WHEN yardline_side = possession_team THEN 100 - yardline_number
    ELSE yardline_number
END;
COMMENT ON FUNCTION ngs.yards_to_goal(text, text, int) IS
    'yards from the line of scrimmage to the opponent''s goal line, from the possession team and the yard line (side, number); 50 when the side is NULL';

-- The same from the line of scrimmage on the tracking's 0-120 x scale and the direction the
-- offense moves: its goal line is x = 110 when it moves right, x = 10 when it moves left.
CREATE FUNCTION ngs.yards_to_goal(absolute_yardline double precision, play_direction text)
RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1
RETURN round(CASE play_direction
    WHEN 'right' THEN 110 - absolute_yardline
    WHEN 'left' THEN absolute_yardline - 10
END)::int;
COMMENT ON FUNCTION ngs.yards_to_goal(double precision, text) IS
    'yards from the line of scrimmage to the opponent''s goal line, from the absolute yard line (tracking x, 0-120) and the offense''s direction (left or right)';

-- The role of a tracked entity: 'ball' for the football; 'offense' for the possession team's
-- players and 'defense' for the other team's. team is a club code (BDB 2023-2025, NGS), a
-- side 'home'/'away' (BDB 2019-2022, with the game's home and visitor clubs), 'Offense' or
-- 'Defense' (BDB 2026's player_side), or 'football'/'ball'. NULL when the team is unknown.
CREATE FUNCTION ngs.tracking_role(team text, possession_team text,
                                  home_team text DEFAULT NULL, visitor_team text DEFAULT NULL)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
RETURN CASE
    WHEN team IN ('football', 'ball', 'Football') THEN 'ball'
    WHEN team IN ('Offense', 'Defense', 'offense', 'defense') THEN lower(team)
    WHEN team = possession_team
      OR (team = 'home' AND possession_team = home_team)
      OR (team = 'away' AND possession_team = visitor_team) THEN 'offense'
    WHEN possession_team IS NULL THEN NULL
    WHEN team IN ('home', 'away', home_team, visitor_team) THEN 'defense'
END;
COMMENT ON FUNCTION ngs.tracking_role(text, text, text, text) IS
    'offense, defense or ball for a tracked entity''s team (club code, home/away with the game''s clubs, Offense/Defense, or football) and the possession team; NULL when unknown';

-- Pass result, yards gained and named receiver of an official play-by-play description.
-- After a reversed ruling the description goes on with the play as finally ruled. Pass
-- result: C complete, I incomplete (also spikes), IN intercepted, S sack, R scramble, NULL
-- for other plays and two-point tries; yards: the first "for N yards" (0 for "no gain" and
-- for incomplete or intercepted passes; NULL for kicks and two-point tries); receiver: the
-- "F.Last" name after "pass ... to" or "intended for". PL/pgSQL, not SQL: it cannot be
-- inlined, and PL/pgSQL's cached plans make it five times faster than a SQL body.
CREATE FUNCTION ngs.parse_play_description(description text,
    OUT pass_result text, OUT yards int, OUT receiver text)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 200 AS $$
DECLARE
    t text := regexp_replace(description, '^.*REVERSED\.', '');
    action text;
    rest text;
    gain text[];
BEGIN
    action := substring(t FROM '(sacked|scrambles|spiked|pass incomplete'
        '|pass(?: (?:short|deep))?(?: (?:left|middle|right))? (?:to|intended for|INTERCEPTED)'
        '|kneels|punts|kicks|field goal|extra point|(?:left|right) (?:end|tackle|guard)|up the middle)');
    IF action IS NULL THEN
        RETURN;
    END IF;
    rest := substr(t, strpos(t, action));
    receiver := substring(rest FROM '^pass[a-z ]* (?:to|intended for) '
        '([A-Z][A-Za-z]*\. ?(?:St\. )?[A-Z][A-Za-z''-]+(?: (?:II|III|IV|V|Jr\.|Sr\.)(?=[ .,]|$))?)');
    gain := regexp_match(rest, 'for (-?\d+) yards?|for (no gain)');
    yards := CASE WHEN gain[2] IS NOT NULL THEN 0 ELSE gain[1]::int END;
    pass_result := CASE
        WHEN action = 'sacked' THEN 'S'
        WHEN action = 'scrambles' THEN 'R'
        WHEN action IN ('spiked', 'pass incomplete') THEN 'I'
        WHEN action LIKE 'pass%' AND rest ~ 'INTERCEPTED' THEN 'IN'
        WHEN action LIKE 'pass%' THEN 'C'
    END;
    IF t ~ 'TWO-POINT CONVERSION ATTEMPT' THEN
        pass_result := NULL;
        yards := NULL;
    ELSIF pass_result IN ('I', 'IN') THEN
        yards := 0;
    ELSIF action IN ('punts', 'kicks', 'field goal', 'extra point') THEN
        yards := NULL;
    END IF;
END
$$;
COMMENT ON FUNCTION ngs.parse_play_description(text) IS
    'pass result (C, I, IN, S, R), offense yards and named receiver ("F.Last") of an official play-by-play description; NULLs where it names none';

-- Whether an abbreviated play-by-play name ("F.Last", "Fi.Last Jr.") denotes a player's full
-- display name: same last name (letters only, suffix dropped) and a first name that starts
-- with the given letters. Loaders take the one offensive player of the play that matches.
CREATE FUNCTION ngs.receiver_name_matches(receiver text, display_name text)
RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 20
RETURN (SELECT regexp_replace(lower(substr(r, strpos(r, '.') + 1)), '[^a-z]', '', 'g')
                   = regexp_replace(lower(substr(d, strpos(d, ' ') + 1)), '[^a-z]', '', 'g')
               AND starts_with(regexp_replace(lower(split_part(d, ' ', 1)), '[^a-z]', '', 'g'),
                               lower(split_part(r, '.', 1)))
        FROM regexp_replace(receiver, ' (II|III|IV|V|Jr\.|Sr\.)$', '') AS r,
             regexp_replace(display_name, ' (II|III|IV|V|Jr\.|Sr\.)$', '') AS d);
COMMENT ON FUNCTION ngs.receiver_name_matches(text, text) IS
    'whether an abbreviated "F.Last" play-by-play name denotes a player''s display name (same last name, first name starting with the given letters)';


-- ---------------------------------------------------------------------------------------
-- BI-friendly outputs: samples, path points, quantiles
-- ---------------------------------------------------------------------------------------

-- A play tensor as plain rows. A later column (the per-frame event) is added at the end,
-- after s, by dropping and re-creating this function with one more OUT column; the C
-- side (src/play_tensor/samples.c, SampleColumn) checks that the two agree.
CREATE FUNCTION ngs.samples(pt ngs.play_tensor,
        OUT frame_id int, OUT nfl_id int, OUT role text,
        OUT x real, OUT y real, OUT vx real, OUT vy real, OUT ax real, OUT ay real,
        OUT dir real, OUT o real, OUT s real) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'play_tensor_samples' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1 ROWS 5000;
COMMENT ON FUNCTION ngs.samples(ngs.play_tensor) IS 'one row per (frame, entity) present, in frame then entity order: frame_id, nfl_id (NULL for the ball), role, x, y, vx, vy, ax, ay, dir, o and the speed s = |(vx, vy)|; a missing value is NULL';

CREATE FUNCTION ngs.path_points(p path, OUT ordinal int, OUT x float8, OUT y float8) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'ngs_path_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1 ROWS 50;
COMMENT ON FUNCTION ngs.path_points(path) IS 'the points of a path, open or closed, as rows (ordinal from 1, x, y); a closed path''s first point is not repeated at its end';

CREATE FUNCTION ngs.sbp_quantiles(d ngs.sbp, q float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION ngs.sbp_quantiles(ngs.sbp, float8[]) IS 'ngs.sbp_quantile at every level of q, in the shape of q (NULL for a NULL level); an error for a level outside [0, 1]';


-- ---------------------------------------------------------------------------------------
-- Model catalog: identity by content, kinds when dropping, syncing models to other servers
-- ---------------------------------------------------------------------------------------

-- Identity. A model's content (the sha256 of its weight file) is its identity on every node;
-- version ids are numbered per node. A model argument may pin the content: 'name@<sha256
-- prefix>' (8 to 64 hex digits) names the latest version of name with that content, and a
-- node without one fails with an error that names the node. Names may no longer hold "@".

CREATE FUNCTION ngs.model_sha256(model text, kind text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION ngs.model_sha256(text, text) IS 'the hex SHA-256 of the version of kind a model argument names (a name: its latest version): the model''s identity on every node; pin it with model => name || ''@'' || sha256';

CREATE FUNCTION ngs.model_id(model text, kind text) RETURNS bigint
    AS 'MODULE_PATHNAME', 'model_id_of_kind' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION ngs.model_id(text, text) IS 'the version id a model argument names for a kind: a name (its latest version of kind), name@sha256 or an id (which must be of kind)';

CREATE VIEW ngs.model_identity AS
    SELECT m.id, m.name, m.kind, pg_catalog.encode(m.sha256, 'hex') AS sha256,
           pg_catalog.sha256(m.weights) OPERATOR(pg_catalog.=) m.sha256 AS intact, m.shipped,
           m.id = pg_catalog.max(m.id) OVER (PARTITION BY m.name, m.kind) AS latest
    FROM ngs.model m;
GRANT SELECT ON ngs.model_identity TO PUBLIC;
COMMENT ON VIEW ngs.model_identity IS 'every model version''s identity: name, kind, hex sha256, whether its weights still hash to it (intact), whether its name resolves to it (latest); what ngs.check_models compares across nodes';

-- Dropping names the kind; dropped shipped models stay dropped. ngs.drop_model records each
-- shipped (name, kind) it deletes in ngs.dropped_shipped_model, which pg_dump dumps; when a
-- restore loads those rows (after its CREATE EXTENSION imported the shipped models again),
-- a trigger deletes the shipped rows again. pg_upgrade copies ngs.model itself.

CREATE TABLE ngs.dropped_shipped_model (
    name text NOT NULL,
    kind text NOT NULL,
    dropped timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (name, kind)
);
REVOKE ALL ON ngs.dropped_shipped_model FROM PUBLIC;
GRANT SELECT ON ngs.dropped_shipped_model TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('ngs.dropped_shipped_model', '');
COMMENT ON TABLE ngs.dropped_shipped_model IS 'shipped models (name, kind) that ngs.drop_model deleted; a restore that loads a row deletes the shipped model its CREATE EXTENSION imported again';

CREATE FUNCTION ngs.dropped_shipped_model_applies() RETURNS trigger
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    DELETE FROM ngs.model m WHERE m.shipped AND m.name = NEW.name AND m.kind = NEW.kind;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION ngs.dropped_shipped_model_applies() FROM PUBLIC;
CREATE TRIGGER dropped_shipped_model_applies AFTER INSERT ON ngs.dropped_shipped_model
    FOR EACH ROW EXECUTE FUNCTION ngs.dropped_shipped_model_applies();
COMMENT ON FUNCTION ngs.dropped_shipped_model_applies() IS 'trigger: a row loaded into ngs.dropped_shipped_model (by a restore) deletes the shipped model it names';

CREATE FUNCTION ngs.drop_model(model text, kind text, all_versions boolean DEFAULT false) RETURNS integer
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 100
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_variable
DECLARE
    target_id bigint;
    target ngs.model%ROWTYPE;
    other text;
    dropped integer;
BEGIN
    IF model IS NULL OR all_versions IS NULL THEN
        RETURN NULL;
    END IF;
    target_id := CASE WHEN kind IS NULL THEN ngs.model_id(model) ELSE ngs.model_id(model, kind) END;
    SELECT * INTO target FROM ngs.model m WHERE m.id = target_id;
    IF kind IS NULL AND model = target.name THEN
        SELECT m.kind INTO other FROM ngs.model m WHERE m.name = target.name AND m.kind <> target.kind LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'model "%" names a % model and a % model', model, target.kind, other
                USING ERRCODE = 'ambiguous_parameter',
                      HINT = format('Say which kind: ngs.drop_model(%L, %L) or ngs.drop_model(%L, %L).',
                                    model, target.kind, model, other);
        END IF;
    END IF;
    WITH gone AS (
        DELETE FROM ngs.model m
        WHERE m.id = target.id OR (all_versions AND m.name = target.name AND m.kind = target.kind)
        RETURNING m.name, m.kind, m.shipped
    ), remembered AS (
        INSERT INTO ngs.dropped_shipped_model (name, kind)
        SELECT DISTINCT g.name, g.kind FROM gone g WHERE g.shipped
        ON CONFLICT DO NOTHING
    )
    SELECT count(*) INTO dropped FROM gone;
    RETURN dropped;
END
$$;
REVOKE EXECUTE ON FUNCTION ngs.drop_model(text, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION ngs.drop_model(text, text, boolean) IS 'deletes the version of kind a model argument names (with all_versions, every version of its name and kind); a dropped shipped model stays dropped through pg_dump/pg_restore; returns the rows deleted';

-- the 1.0 signature: now an error when the name has a model of each kind
CREATE OR REPLACE FUNCTION ngs.drop_model(model text, all_versions boolean DEFAULT false) RETURNS integer
    LANGUAGE sql VOLATILE STRICT PARALLEL UNSAFE COST 100
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN ngs.drop_model(model, NULL::text, all_versions);
COMMENT ON FUNCTION ngs.drop_model(text, boolean) IS 'deletes the version a model argument names (with all_versions, every version of its name and kind); an error when the name has a model of each kind (then use ngs.drop_model(model, kind)); returns the rows deleted';

-- Models on several nodes, through postgres_fdw. Each node offers ngs.model_inbox, a view
-- whose INSERT imports a model with the inserting role's rights (EXECUTE on
-- ngs.import_model); the coordinator reaches it and ngs.model_identity through foreign
-- tables it makes in pg_temp, so a sync needs no superuser on any node, only the user
-- mapping postgres_fdw needs anyway. A node's inserts commit with the coordinator's
-- transaction (postgres_fdw's remote transaction), so a node gets a whole model or none.

CREATE VIEW ngs.model_inbox AS
    SELECT m.name, m.kind, m.weights, pg_catalog.encode(m.sha256, 'hex') AS sha256 FROM ngs.model m WHERE false;
COMMENT ON VIEW ngs.model_inbox IS 'INSERT (name, kind, weights, sha256) imports a model with ngs.import_model after checking the sha256; what ngs.sync_models writes on other nodes';

CREATE FUNCTION ngs.model_inbox_import() RETURNS trigger
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF NEW.sha256 IS NULL OR pg_catalog.encode(pg_catalog.sha256(NEW.weights), 'hex') <> lower(NEW.sha256) THEN
        RAISE EXCEPTION 'model "%" (%) arrived with weights whose sha256 is not %', NEW.name, NEW.kind, NEW.sha256
            USING ERRCODE = 'data_corrupted',
                  HINT = 'Run ngs.sync_models again on the node that sent it.';
    END IF;
    PERFORM ngs.import_model(NEW.name, NEW.kind, NEW.weights);
    RETURN NEW;
END
$$;
CREATE TRIGGER model_inbox_import INSTEAD OF INSERT ON ngs.model_inbox
    FOR EACH ROW EXECUTE FUNCTION ngs.model_inbox_import();
GRANT INSERT ON ngs.model_inbox TO PUBLIC;
COMMENT ON FUNCTION ngs.model_inbox_import() IS 'trigger: imports a model inserted into ngs.model_inbox, as the inserting role (which needs EXECUTE on ngs.import_model)';

CREATE FUNCTION ngs.remote_catalog(server name) RETURNS text
    LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 100
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    base text := 'ngs_' || (SELECT s.oid FROM pg_foreign_server s WHERE s.srvname = server);
BEGIN
    IF base IS NULL THEN
        RAISE EXCEPTION 'foreign server "%" does not exist', server
            USING ERRCODE = 'undefined_object',
                  HINT = 'Create it with CREATE SERVER ... FOREIGN DATA WRAPPER postgres_fdw and a user mapping; see docs "Running on several servers".';
    END IF;
    IF pg_catalog.to_regclass(pg_catalog.format('pg_temp.%I', base || '_identity')) IS NULL THEN
        EXECUTE format('CREATE FOREIGN TABLE pg_temp.%I (id bigint, name text, kind text, sha256 text, intact boolean, '
                       'shipped boolean, latest boolean) SERVER %I OPTIONS (schema_name ''ngs'', table_name ''model_identity'')',
                       base || '_identity', server);
        EXECUTE format('CREATE FOREIGN TABLE pg_temp.%I (name text, kind text, weights bytea, sha256 text) '
                       'SERVER %I OPTIONS (schema_name ''ngs'', table_name ''model_inbox'')', base || '_inbox', server);
    END IF;
    RETURN base;
END
$$;
COMMENT ON FUNCTION ngs.remote_catalog(name) IS 'makes (once per session) the temporary foreign tables pg_temp.ngs_<server oid>_identity and _inbox onto a postgres_fdw server''s ngs.model_identity and ngs.model_inbox; returns their prefix';

CREATE FUNCTION ngs.require_models(models text[]) RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    missing text;
BEGIN
    SELECT string_agg(n, ', ') INTO missing
    FROM unnest(models) u(n) WHERE NOT EXISTS (SELECT FROM ngs.model m WHERE m.name = u.n);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'model "%" does not exist', missing
            USING ERRCODE = 'undefined_object', HINT = 'ngs.list_models() lists the models there are on this node.';
    END IF;
END
$$;
COMMENT ON FUNCTION ngs.require_models(text[]) IS 'an error naming the models of the list that do not exist here (NULL: none asked for): the name check of ngs.sync_models and ngs.sync_models_to_workers';

CREATE FUNCTION ngs.require_fdw_servers(servers name[]) RETURNS name[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    found name[] := coalesce(servers, ngs.fdw_servers());
BEGIN
    IF cardinality(found) = 0 THEN
        RAISE EXCEPTION 'there is no postgres_fdw server to check or sync models with'
            USING ERRCODE = 'undefined_object',
                  HINT = 'Create a foreign server and a user mapping for it (docs/cluster.md); on a Citus coordinator use ngs.sync_models_to_workers() and ngs.check_models_on_workers().';
    END IF;
    RETURN found;
END
$$;
COMMENT ON FUNCTION ngs.require_fdw_servers(name[]) IS 'the servers given, or every postgres_fdw server with a user mapping (ngs.fdw_servers()) when NULL; an error when that is none';

CREATE FUNCTION ngs.check_models(servers name[] DEFAULT NULL,
        OUT server name, OUT name text, OUT kind text, OUT local_sha256 text, OUT remote_sha256 text, OUT status text)
        RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 10
    SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_variable
DECLARE
    base text;
BEGIN
    FOREACH server IN ARRAY ngs.require_fdw_servers(servers) LOOP
        base := ngs.remote_catalog(server);
        RETURN QUERY EXECUTE format(
            'SELECT $1, coalesce(l.name, r.name), coalesce(l.kind, r.kind), l.sha256, r.sha256,
                    CASE WHEN r.name IS NULL THEN ''missing''
                         WHEN l.name IS NULL THEN ''only there''
                         WHEN NOT r.intact THEN ''corrupt''
                         WHEN l.sha256 <> r.sha256 THEN ''differs''
                         ELSE ''same'' END
             FROM (SELECT * FROM ngs.model_identity WHERE latest) l
             FULL JOIN (SELECT * FROM pg_temp.%I WHERE latest) r ON r.name = l.name AND r.kind = l.kind
             ORDER BY 2, 3', base || '_identity') USING server;
    END LOOP;
END
$$;
COMMENT ON FUNCTION ngs.check_models(name[]) IS 'compares each model name''s latest version here with each postgres_fdw server''s (NULL: every server with a user mapping): same, differs, missing (not there), only there, corrupt (its weights no longer hash to its sha256)';

CREATE FUNCTION ngs.fdw_servers() RETURNS name[]
    LANGUAGE sql STABLE PARALLEL SAFE COST 10
    BEGIN ATOMIC
        SELECT coalesce(array_agg(u.srvname ORDER BY u.srvname), '{}')
        FROM pg_catalog.pg_user_mappings u
        JOIN pg_catalog.pg_foreign_server s ON s.oid = u.srvid
        JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
        WHERE w.fdwname = 'postgres_fdw' AND u.usename IN ('public', CURRENT_USER);
    END;
COMMENT ON FUNCTION ngs.fdw_servers() IS 'the postgres_fdw servers the current role has a user mapping for (its own or PUBLIC): what ngs.check_models and ngs.sync_models mean by NULL servers';

CREATE FUNCTION ngs.sync_models(servers name[] DEFAULT NULL, models text[] DEFAULT NULL,
        OUT server name, OUT name text, OUT kind text, OUT sha256 text, OUT action text)
        RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 100000 ROWS 10
    SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_variable
DECLARE
    base text;
    there text;
    missing text;
BEGIN
    PERFORM ngs.require_models(models);
    FOREACH server IN ARRAY ngs.require_fdw_servers(servers) LOOP
        base := ngs.remote_catalog(server);
        FOR name, kind, sha256 IN
            SELECT i.name, i.kind, i.sha256 FROM ngs.model_identity i
            WHERE i.latest AND (models IS NULL OR i.name = ANY (models)) ORDER BY i.name, i.kind
        LOOP
            EXECUTE format('SELECT r.sha256 FROM pg_temp.%I r WHERE r.name = $1 AND r.kind = $2 AND r.latest AND r.intact',
                           base || '_identity') INTO there USING name, kind;
            action := 'already there';
            IF there IS DISTINCT FROM sha256 THEN
                EXECUTE format('INSERT INTO pg_temp.%I (name, kind, weights, sha256) SELECT m.name, m.kind, m.weights, $2 '
                               'FROM ngs.model m WHERE m.id = ngs.model_id($1, $3)', base || '_inbox')
                    USING name || '@' || sha256, sha256, kind;
                EXECUTE format('SELECT r.sha256 FROM pg_temp.%I r WHERE r.name = $1 AND r.kind = $2 AND r.latest AND r.intact',
                               base || '_identity') INTO there USING name, kind;
                IF there IS DISTINCT FROM sha256 THEN
                    RAISE EXCEPTION 'after copying model "%" (%) to server "%", its latest version there has sha256 %, not %',
                                    name, kind, server, coalesce(there, '(none)'), sha256
                        USING ERRCODE = 'data_corrupted', HINT = 'Nothing was copied to any server; run ngs.check_models to look.';
                END IF;
                action := 'copied';
            END IF;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END
$$;
COMMENT ON FUNCTION ngs.sync_models(name[], text[]) IS 'copies the latest version of each model (of the names in models; NULL: all) to each postgres_fdw server (NULL: every server with a user mapping) whose latest differs, checks the sha256 there afterwards; all or nothing: the copies commit with the calling transaction';

-- Models on Citus workers (only when the citus extension is installed here: ngs neither
-- needs nor detects Citus at build or install time). ngs.model stays a local table on every
-- node (Citus cannot distribute a table with triggers); these push models with
-- run_command_on_workers, one statement (so all or nothing) per worker.

CREATE FUNCTION ngs.require_citus() RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10
    AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'citus is not installed in this database'
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'This function is for a Citus coordinator; between postgres_fdw servers use ngs.sync_models(servers) and ngs.check_models(servers).';
    END IF;
END
$$;
COMMENT ON FUNCTION ngs.require_citus() IS 'an error unless the citus extension is installed in this database';

CREATE FUNCTION ngs.check_models_on_workers(OUT node text, OUT name text, OUT kind text, OUT local_sha256 text,
        OUT remote_sha256 text, OUT status text) RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000 ROWS 10
    SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_variable
DECLARE
    ok boolean;
    result text;
BEGIN
    PERFORM ngs.require_citus();
    FOR name, kind, local_sha256 IN SELECT i.name, i.kind, i.sha256 FROM ngs.model_identity i WHERE i.latest ORDER BY 1, 2 LOOP
        FOR node, ok, result IN EXECUTE
            'SELECT w.nodename || '':'' || w.nodeport, w.success, w.result FROM run_command_on_workers($1) w ORDER BY 1'
            USING format('SELECT coalesce((SELECT i.sha256 || CASE WHEN i.intact THEN '''' ELSE '' corrupt'' END '
                         'FROM ngs.model_identity i WHERE i.name = %L AND i.kind = %L AND i.latest), ''missing'')', name, kind)
        LOOP
            remote_sha256 := CASE WHEN ok AND result ~ '^[0-9a-f]{64}' THEN left(result, 64) END;
            status := CASE WHEN NOT ok THEN 'error: ' || result
                           WHEN result = 'missing' THEN 'missing'
                           WHEN result LIKE '% corrupt' THEN 'corrupt'
                           WHEN remote_sha256 <> local_sha256 THEN 'differs'
                           ELSE 'same' END;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END
$$;
COMMENT ON FUNCTION ngs.check_models_on_workers() IS 'Citus only: compares each model name''s latest version here with every worker''s (same, differs, missing, corrupt, or the worker''s error); an error when citus is not installed';

CREATE FUNCTION ngs.sync_models_to_workers(models text[] DEFAULT NULL,
        OUT node text, OUT name text, OUT kind text, OUT sha256 text, OUT action text) RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 100000 ROWS 10
    SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_variable
DECLARE
    ok boolean;
    result text;
    bad text;
BEGIN
    PERFORM ngs.require_citus();
    PERFORM ngs.require_models(models);
    FOR name, kind, sha256 IN SELECT i.name, i.kind, i.sha256 FROM ngs.model_identity i
                              WHERE i.latest AND (models IS NULL OR i.name = ANY (models)) ORDER BY 1, 2 LOOP
        FOR node, ok, result IN EXECUTE
            'SELECT w.nodename || '':'' || w.nodeport, w.success, w.result FROM run_command_on_workers($1) w ORDER BY 1'
            USING format('SELECT coalesce((SELECT ''already there'' FROM ngs.model_identity i WHERE i.name = %L AND i.kind = %L '
                         'AND i.latest AND i.intact AND i.sha256 = %L), ''copied as version '' || ngs.import_model(%L, %L, %L::bytea))',
                         name, kind, sha256, name, kind, ngs.export_model(ngs.model_id(name || '@' || sha256, kind)::text))
        LOOP
            IF NOT ok THEN
                RAISE EXCEPTION 'could not copy model "%" (%) to worker %: %', name, kind, node, result
                    USING ERRCODE = 'external_routine_exception',
                          HINT = 'Workers that succeeded keep their copy (each is one transaction); fix the worker and run ngs.sync_models_to_workers again.';
            END IF;
            action := result;
            RETURN NEXT;
        END LOOP;
    END LOOP;
    SELECT string_agg(format('%s %s (%s): %s', c.node, c.name, c.kind, c.status), '; ') INTO bad
    FROM ngs.check_models_on_workers() c WHERE c.status <> 'same' AND (models IS NULL OR c.name = ANY (models));
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'after the sync the workers still differ: %', bad USING ERRCODE = 'data_corrupted';
    END IF;
END
$$;
COMMENT ON FUNCTION ngs.sync_models_to_workers(text[]) IS 'Citus only: copies the latest version of each model (of the names in models; NULL: all) to every worker whose latest differs, one statement per worker, and checks every worker''s sha256 afterwards; an error when citus is not installed';


-- ---------------------------------------------------------------------------------------
-- Evaluation aggregates with sendable states
-- ---------------------------------------------------------------------------------------

-- One sendable state type for ngs.brier, ngs.log_loss, ngs.pit_histogram and
-- ngs.reliability (metric_state.h): the aggregates can run partially on other servers
-- (Citus) and their states can be stored, sent and merged exactly.
CREATE TYPE ngs.metric_state;
CREATE FUNCTION ngs.metric_state_in(cstring) RETURNS ngs.metric_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 20;
CREATE FUNCTION ngs.metric_state_out(ngs.metric_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 20;
CREATE FUNCTION ngs.metric_state_recv(internal) RETURNS ngs.metric_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.metric_state_send(ngs.metric_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE TYPE ngs.metric_state (
    INPUT = ngs.metric_state_in,
    OUTPUT = ngs.metric_state_out,
    RECEIVE = ngs.metric_state_recv,
    SEND = ngs.metric_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE ngs.metric_state IS 'partial state of ngs.brier, ngs.log_loss, ngs.pit_histogram or ngs.reliability: per bin a row count, true labels (reliability) and an exact sum; merges exactly in any order';
COMMENT ON FUNCTION ngs.metric_state_in(cstring) IS 'metric_state text input: kind(bin,...), a bin count[:positives][:sum] with the sum an exact hexadecimal 0x<integer>[.<fraction>]';
COMMENT ON FUNCTION ngs.metric_state_out(ngs.metric_state) IS 'metric_state text output: kind(bin,...), exact';
COMMENT ON FUNCTION ngs.metric_state_recv(internal) IS 'metric_state binary input (version 1)';
COMMENT ON FUNCTION ngs.metric_state_send(ngs.metric_state) IS 'metric_state binary output (version 1)';

CREATE FUNCTION ngs.metric_state_combine(ngs.metric_state, ngs.metric_state) RETURNS ngs.metric_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION ngs.metric_state_combine(ngs.metric_state, ngs.metric_state) IS 'metric aggregates combine (and merge transition): adds two states of one aggregate bin by bin, exactly';

-- transition functions on the new state (same C functions as the internal-state ones)
CREATE FUNCTION ngs.brier_accum(ngs.metric_state, float8, bool) RETURNS ngs.metric_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.log_loss_accum(ngs.metric_state, float8, bool) RETURNS ngs.metric_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.pit_histogram_accum(ngs.metric_state, float8, int) RETURNS ngs.metric_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.reliability_accum(ngs.metric_state, float8, bool, int) RETURNS ngs.metric_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION ngs.brier_accum(ngs.metric_state, float8, bool) IS 'ngs.brier transition: adds (p - label)^2 exactly; skips rows with a NULL';
COMMENT ON FUNCTION ngs.log_loss_accum(ngs.metric_state, float8, bool) IS 'ngs.log_loss transition: adds -ln of the clipped probability of the outcome exactly; skips rows with a NULL';
COMMENT ON FUNCTION ngs.pit_histogram_accum(ngs.metric_state, float8, int) IS 'ngs.pit_histogram transition: counts u in its bin; skips rows with a NULL';
COMMENT ON FUNCTION ngs.reliability_accum(ngs.metric_state, float8, bool, int) IS 'ngs.reliability transition: counts p, its label and (exactly) its value in its bin; skips rows with a NULL';

-- final functions: the metric of a state, NULL for a state without rows
CREATE FUNCTION ngs.brier_final(ngs.metric_state) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.log_loss_final(ngs.metric_state) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.pit_histogram_final(ngs.metric_state) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.reliability_final(ngs.metric_state) RETURNS ngs.reliability_curve
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION ngs.brier_final(ngs.metric_state) IS 'the Brier score of a (merged) brier state; NULL without rows';
COMMENT ON FUNCTION ngs.log_loss_final(ngs.metric_state) IS 'the log loss of a (merged) log_loss state; NULL without rows';
COMMENT ON FUNCTION ngs.pit_histogram_final(ngs.metric_state) IS 'the counts per bin of a (merged) pit_histogram state; NULL without rows';
COMMENT ON FUNCTION ngs.reliability_final(ngs.metric_state) IS 'the reliability curve of a (merged) reliability state; NULL without rows';

-- The 1.1 aggregates kept an internal state: replace them (same names, arguments and
-- results).  ALTER AGGREGATE cannot change a state type, so each is dropped and created
-- again; one that a user's object (a view, a function body in SQL standard form) depends
-- on is not dropped but renamed to <name>_1_1, which those objects keep using with the same
-- results, and a WARNING names them.  The 1.1 support functions go with the last
-- aggregate that used them.
DO $$
DECLARE
    agg text;
    users text;
BEGIN
    FOREACH agg IN ARRAY ARRAY['brier(float8, bool)', 'log_loss(float8, bool)',
                               'pit_histogram(float8, int)', 'reliability(float8, bool, int)'] LOOP
        SELECT string_agg(DISTINCT coalesce((SELECT 'view ' || r.ev_class::regclass FROM pg_rewrite r
                                              WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid),
                                             pg_describe_object(d.classid, d.objid, d.objsubid)), ', ')
          INTO users
          FROM pg_depend d
         WHERE d.refclassid = 'pg_proc'::regclass AND d.refobjid = ('ngs.' || agg)::regprocedure
           AND d.deptype = 'n';
        IF users IS NULL THEN
            EXECUTE 'DROP AGGREGATE ngs.' || agg;
        ELSE
            EXECUTE format('ALTER AGGREGATE ngs.%s RENAME TO %I', agg, split_part(agg, '(', 1) || '_1_1');
            RAISE WARNING 'ngs.% is kept as ngs.%_1_1 for what uses it: %', agg, split_part(agg, '(', 1), users
                USING DETAIL = 'The new ngs.' || split_part(agg, '(', 1) || ' keeps a sendable ngs.metric_state; the old one gives the same results with an internal state.',
                      HINT = 'Recreate those objects over ngs.' || split_part(agg, '(', 1) || ' to run it partially on other servers.';
        END IF;
    END LOOP;
    FOREACH agg IN ARRAY ARRAY['brier_accum(internal, float8, bool)', 'log_loss_accum(internal, float8, bool)',
                               'mean_loss_combine(internal, internal)', 'mean_loss_serialize(internal)',
                               'mean_loss_deserialize(bytea, internal)', 'mean_loss_final(internal)',
                               'pit_histogram_accum(internal, float8, int)',
                               'reliability_accum(internal, float8, bool, int)',
                               'binned_combine(internal, internal)', 'binned_serialize(internal)',
                               'binned_deserialize(bytea, internal)', 'pit_histogram_final(internal)',
                               'reliability_final(internal)'] LOOP
        IF NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.refclassid = 'pg_proc'::regclass
                          AND d.refobjid = ('ngs.' || agg)::regprocedure AND d.deptype = 'n') THEN
            EXECUTE 'DROP FUNCTION ngs.' || agg;
        END IF;
    END LOOP;
END $$;

CREATE AGGREGATE ngs.brier(p float8, label bool) (
    SFUNC = ngs.brier_accum,
    STYPE = ngs.metric_state,
    COMBINEFUNC = ngs.metric_state_combine,
    FINALFUNC = ngs.brier_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.log_loss(p float8, label bool) (
    SFUNC = ngs.log_loss_accum,
    STYPE = ngs.metric_state,
    COMBINEFUNC = ngs.metric_state_combine,
    FINALFUNC = ngs.log_loss_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.pit_histogram(u float8, bins int) (
    SFUNC = ngs.pit_histogram_accum,
    STYPE = ngs.metric_state,
    COMBINEFUNC = ngs.metric_state_combine,
    FINALFUNC = ngs.pit_histogram_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.reliability(p float8, label bool, bins int) (
    SFUNC = ngs.reliability_accum,
    STYPE = ngs.metric_state,
    COMBINEFUNC = ngs.metric_state_combine,
    FINALFUNC = ngs.reliability_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ngs.brier(float8, bool) IS 'Brier score: mean of (p - label)^2, p in [0, 1]; NULL rows skipped, NULL without rows; exact, parallel and shardable (ngs.metric_state)';
COMMENT ON AGGREGATE ngs.log_loss(float8, bool) IS 'log loss: mean of -ln(probability of the outcome), p clipped to [2^-52, 1 - 2^-52] as scikit-learn; NULL rows skipped, NULL without rows; exact, parallel and shardable (ngs.metric_state)';
COMMENT ON AGGREGATE ngs.pit_histogram(float8, int) IS 'histogram of PIT values u in [0, 1]: bigint[] of counts over bins [i/n, (i+1)/n), the last closed, as numpy.histogram; NULL rows skipped, NULL without rows; shardable (ngs.metric_state)';
COMMENT ON AGGREGATE ngs.reliability(float8, bool, int) IS 'reliability curve of probabilities p over bins (i/n, (i+1)/n], the first closed, as scikit-learn''s calibration_curve; NULL rows skipped, NULL without rows; shardable (ngs.metric_state)';

-- the two-level pattern for sharding: <metric>_state on each shard, <metric>_merge over
-- the states, <metric>_final on the merged state
CREATE AGGREGATE ngs.brier_state(p float8, label bool) (
    SFUNC = ngs.brier_accum, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE ngs.log_loss_state(p float8, label bool) (
    SFUNC = ngs.log_loss_accum, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE ngs.pit_histogram_state(u float8, bins int) (
    SFUNC = ngs.pit_histogram_accum, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE ngs.reliability_state(p float8, label bool, bins int) (
    SFUNC = ngs.reliability_accum, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE ngs.brier_merge(state ngs.metric_state) (
    SFUNC = ngs.metric_state_combine, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE ngs.log_loss_merge(state ngs.metric_state) (
    SFUNC = ngs.metric_state_combine, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE ngs.pit_histogram_merge(state ngs.metric_state) (
    SFUNC = ngs.metric_state_combine, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
CREATE AGGREGATE ngs.reliability_merge(state ngs.metric_state) (
    SFUNC = ngs.metric_state_combine, STYPE = ngs.metric_state, COMBINEFUNC = ngs.metric_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE ngs.brier_state(float8, bool) IS 'partial Brier score, to merge across shards with ngs.brier_merge; finish with ngs.brier_final';
COMMENT ON AGGREGATE ngs.log_loss_state(float8, bool) IS 'partial log loss, to merge across shards with ngs.log_loss_merge; finish with ngs.log_loss_final';
COMMENT ON AGGREGATE ngs.pit_histogram_state(float8, int) IS 'partial PIT histogram, to merge across shards with ngs.pit_histogram_merge; finish with ngs.pit_histogram_final';
COMMENT ON AGGREGATE ngs.reliability_state(float8, bool, int) IS 'partial reliability curve, to merge across shards with ngs.reliability_merge; finish with ngs.reliability_final';
COMMENT ON AGGREGATE ngs.brier_merge(ngs.metric_state) IS 'merges partial Brier scores exactly; finish with ngs.brier_final';
COMMENT ON AGGREGATE ngs.log_loss_merge(ngs.metric_state) IS 'merges partial log losses exactly; finish with ngs.log_loss_final';
COMMENT ON AGGREGATE ngs.pit_histogram_merge(ngs.metric_state) IS 'merges partial PIT histograms (same bins); finish with ngs.pit_histogram_final';
COMMENT ON AGGREGATE ngs.reliability_merge(ngs.metric_state) IS 'merges partial reliability curves exactly (same bins); finish with ngs.reliability_final';


-- ---------------------------------------------------------------------------------------
-- Training checks before the first epoch
-- ---------------------------------------------------------------------------------------

