-- ngs 1.0: NFL Next Gen Stats-style tracking models inside PostgreSQL.
-- The catalogue, one section per concept; every object carries a COMMENT.

\echo Use "CREATE EXTENSION ngs" to load this file. \quit

-------------------------------------------------------------------------------
-- play_tensor: one play's tracking, frames x entities x 8 features
-------------------------------------------------------------------------------

CREATE TYPE ngs.play_tensor;

CREATE FUNCTION ngs.play_tensor_in(cstring) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.play_tensor_out(ngs.play_tensor) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.play_tensor_recv(internal) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.play_tensor_send(ngs.play_tensor) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ngs.play_tensor (
    INPUT = ngs.play_tensor_in,
    OUTPUT = ngs.play_tensor_out,
    RECEIVE = ngs.play_tensor_recv,
    SEND = ngs.play_tensor_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE ngs.play_tensor IS 'one play''s tracking: frames x entities x (x, y, vx, vy, ax, ay, dir, o), with NFL ids, roles and frame ids';
COMMENT ON FUNCTION ngs.play_tensor_in(cstring) IS 'play_tensor text input (the JSON form play_tensor_out writes)';
COMMENT ON FUNCTION ngs.play_tensor_out(ngs.play_tensor) IS 'play_tensor text output: JSON that round-trips exactly, null for missing values';
COMMENT ON FUNCTION ngs.play_tensor_recv(internal) IS 'play_tensor binary input';
COMMENT ON FUNCTION ngs.play_tensor_send(ngs.play_tensor) IS 'play_tensor binary output';

-- building a tensor from tracking rows

CREATE FUNCTION ngs.play_tensor_agg_transfn(internal, int, int, text, real, real, real, real, real, real) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.play_tensor_agg_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ngs.play_tensor_agg_serialfn(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.play_tensor_agg_deserialfn(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.play_tensor_agg_finalfn(internal) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;

CREATE AGGREGATE ngs.play_tensor_agg(frame_id int, nfl_id int, role text, x real, y real, s real, a real, dir real, o real) (
    SFUNC = ngs.play_tensor_agg_transfn,
    STYPE = internal,
    FINALFUNC = ngs.play_tensor_agg_finalfn,
    COMBINEFUNC = ngs.play_tensor_agg_combinefn,
    SERIALFUNC = ngs.play_tensor_agg_serialfn,
    DESERIALFUNC = ngs.play_tensor_agg_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ngs.play_tensor_agg(int, int, text, real, real, real, real, real, real) IS 'builds one play''s tensor from its tracking rows (GROUP BY game and play); NULL s, a, dir are derived from positions';
COMMENT ON FUNCTION ngs.play_tensor_agg_transfn(internal, int, int, text, real, real, real, real, real, real) IS 'play_tensor_agg transition: appends one tracking row';
COMMENT ON FUNCTION ngs.play_tensor_agg_combinefn(internal, internal) IS 'play_tensor_agg combine: merges two partial states';
COMMENT ON FUNCTION ngs.play_tensor_agg_serialfn(internal) IS 'play_tensor_agg state serialisation for parallel workers';
COMMENT ON FUNCTION ngs.play_tensor_agg_deserialfn(bytea, internal) IS 'play_tensor_agg state deserialisation for parallel workers';
COMMENT ON FUNCTION ngs.play_tensor_agg_finalfn(internal) IS 'play_tensor_agg final: lays out frames and entities and derives the features';

CREATE FUNCTION ngs.play_tensor(data real[], frame_ids int[], nfl_ids int[], roles text[], standardized bool DEFAULT false) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME', 'play_tensor_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION ngs.play_tensor(real[], int[], int[], text[], bool) IS 'a tensor from a frames x entities x 8 real[] (NaN = missing), frame ids, NFL ids (NULL = ball) and roles';

-- reading a tensor

CREATE FUNCTION ngs.frames(ngs.play_tensor) RETURNS int
    AS 'MODULE_PATHNAME', 'play_tensor_frames' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.entities(ngs.play_tensor) RETURNS int
    AS 'MODULE_PATHNAME', 'play_tensor_entities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.is_standardized(ngs.play_tensor) RETURNS bool
    AS 'MODULE_PATHNAME', 'play_tensor_is_standardized' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.nfl_ids(ngs.play_tensor) RETURNS int[]
    AS 'MODULE_PATHNAME', 'play_tensor_nfl_ids' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.roles(ngs.play_tensor) RETURNS text[]
    AS 'MODULE_PATHNAME', 'play_tensor_roles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.frame_ids(ngs.play_tensor) RETURNS int[]
    AS 'MODULE_PATHNAME', 'play_tensor_frame_ids' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.track(pt ngs.play_tensor, nfl_id int) RETURNS path
    AS 'MODULE_PATHNAME', 'play_tensor_track' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.feature(pt ngs.play_tensor, nfl_id int, feature text) RETURNS real[]
    AS 'MODULE_PATHNAME', 'play_tensor_feature' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.slice(pt ngs.play_tensor, from_frame int, to_frame int) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME', 'play_tensor_slice' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.to_array(ngs.play_tensor) RETURNS real[]
    AS 'MODULE_PATHNAME', 'play_tensor_to_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.standardize(pt ngs.play_tensor, play_direction text) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME', 'play_tensor_standardize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
COMMENT ON FUNCTION ngs.frames(ngs.play_tensor) IS 'number of frames in the play';
COMMENT ON FUNCTION ngs.entities(ngs.play_tensor) IS 'number of entities (players and ball) in the play';
COMMENT ON FUNCTION ngs.is_standardized(ngs.play_tensor) IS 'whether the play has been standardized so the offense moves toward +x';
COMMENT ON FUNCTION ngs.nfl_ids(ngs.play_tensor) IS 'each entity''s NFL id in entity order (offense, defense, ball; NULL for the ball)';
COMMENT ON FUNCTION ngs.roles(ngs.play_tensor) IS 'each entity''s role in entity order: offense, defense or ball';
COMMENT ON FUNCTION ngs.frame_ids(ngs.play_tensor) IS 'each frame''s id, increasing';
COMMENT ON FUNCTION ngs.track(ngs.play_tensor, int) IS 'one player''s positions as an open path (NULL nfl_id: the ball), skipping frames without a position';
COMMENT ON FUNCTION ngs.feature(ngs.play_tensor, int, text) IS 'one player''s series of one feature (x, y, vx, vy, ax, ay, dir, o, s, a), NULL where missing';
COMMENT ON FUNCTION ngs.slice(ngs.play_tensor, int, int) IS 'the frames whose ids lie between from_frame and to_frame (inclusive), or NULL if none';
COMMENT ON FUNCTION ngs.to_array(ngs.play_tensor) IS 'the features as a frames x entities x 8 real[], NaN where missing';
COMMENT ON FUNCTION ngs.standardize(ngs.play_tensor, text) IS 'the play turned so the offense moves toward +x (''left'' mirrors, ''right'' marks); idempotent';

-- data quality

CREATE FUNCTION ngs.tracking_anomalies(pt ngs.play_tensor, max_speed float8 DEFAULT 12.5, field_margin float8 DEFAULT 0,
        OUT frame_id int, OUT nfl_id int, OUT role text, OUT kind text, OUT value float8) RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 20;
CREATE FUNCTION ngs.clean(pt ngs.play_tensor, max_speed float8 DEFAULT 12.5, field_margin float8 DEFAULT 0, max_gap int DEFAULT 3) RETURNS ngs.play_tensor
    AS 'MODULE_PATHNAME', 'play_tensor_clean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION ngs.tracking_anomalies(ngs.play_tensor, float8, float8) IS 'one row per anomalous sample: speed over max_speed (players), off the field, jumps, gaps, duplicates, frame gaps';
COMMENT ON FUNCTION ngs.clean(ngs.play_tensor, float8, float8, int) IS 'the play with speed, off-field and jump anomalies masked and gaps of up to max_gap frames interpolated';
