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
