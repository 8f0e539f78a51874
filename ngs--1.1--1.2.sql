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


-- ---------------------------------------------------------------------------------------
-- BI-friendly outputs: samples, path points, quantiles
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Model catalog: identity by content, kinds when dropping, syncing models to other servers
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Evaluation aggregates with sendable states
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Training checks before the first epoch
-- ---------------------------------------------------------------------------------------

