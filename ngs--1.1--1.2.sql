-- ngs 1.1 -> 1.2 (ALTER EXTENSION ngs UPDATE; CREATE EXTENSION also runs it after ngs--1.0.sql
-- and ngs--1.0--1.1.sql). Every stored value of 1.0 and 1.1 stays readable.
\echo Use "ALTER EXTENSION ngs UPDATE" to load this file. \quit

-- ---------------------------------------------------------------------------------------
-- Play tensors: events, more input types, slices by event, no silent wrong answers
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Loader rules: yards to goal, roles, play descriptions
-- ---------------------------------------------------------------------------------------


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


-- ---------------------------------------------------------------------------------------
-- Evaluation aggregates with sendable states
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Training checks before the first epoch
-- ---------------------------------------------------------------------------------------

