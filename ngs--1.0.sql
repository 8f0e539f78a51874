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

-------------------------------------------------------------------------------
-- passing_score: game, season and split scores (50-99) from play scores
-------------------------------------------------------------------------------

CREATE TYPE ngs.passing_score_state;

CREATE FUNCTION ngs.passing_score_state_in(cstring) RETURNS ngs.passing_score_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.passing_score_state_out(ngs.passing_score_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.passing_score_state_recv(internal) RETURNS ngs.passing_score_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ngs.passing_score_state_send(ngs.passing_score_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ngs.passing_score_state (
    INPUT = ngs.passing_score_state_in,
    OUTPUT = ngs.passing_score_state_out,
    RECEIVE = ngs.passing_score_state_recv,
    SEND = ngs.passing_score_state_send,
    INTERNALLENGTH = 40,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE ngs.passing_score_state IS 'partial passing score: (plays, sum of z, sum of z squared), sums exact in units of 2^-40';
COMMENT ON FUNCTION ngs.passing_score_state_in(cstring) IS 'passing_score_state text input: (plays,sum_z,sum_z2) with exact decimal sums';
COMMENT ON FUNCTION ngs.passing_score_state_out(ngs.passing_score_state) IS 'passing_score_state text output: (plays,sum_z,sum_z2), exact';
COMMENT ON FUNCTION ngs.passing_score_state_recv(internal) IS 'passing_score_state binary input';
COMMENT ON FUNCTION ngs.passing_score_state_send(ngs.passing_score_state) IS 'passing_score_state binary output';

CREATE FUNCTION ngs.passing_score_transfn(ngs.passing_score_state, float8) RETURNS ngs.passing_score_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.passing_score_combine(ngs.passing_score_state, ngs.passing_score_state) RETURNS ngs.passing_score_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.passing_score_final(ngs.passing_score_state) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.passing_score_plays(ngs.passing_score_state) RETURNS bigint
    AS 'MODULE_PATHNAME', 'passing_score_state_plays' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.passing_score_mean_z(ngs.passing_score_state) RETURNS float8
    AS 'MODULE_PATHNAME', 'passing_score_state_mean_z' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION ngs.passing_score_transfn(ngs.passing_score_state, float8) IS 'passing score transition: adds one play''s score u';
COMMENT ON FUNCTION ngs.passing_score_combine(ngs.passing_score_state, ngs.passing_score_state) IS 'merges two partial passing scores exactly';
COMMENT ON FUNCTION ngs.passing_score_final(ngs.passing_score_state) IS 'the 50-99 passing score of a (merged) state: 50 + 49 Phi(sum z / (n + 20) / 0.25)';
COMMENT ON FUNCTION ngs.passing_score_plays(ngs.passing_score_state) IS 'number of plays in a passing score state';
COMMENT ON FUNCTION ngs.passing_score_mean_z(ngs.passing_score_state) IS 'mean z of a passing score state''s plays, before shrinkage';

CREATE AGGREGATE ngs.passing_score(u float8) (
    SFUNC = ngs.passing_score_transfn,
    STYPE = ngs.passing_score_state,
    FINALFUNC = ngs.passing_score_final,
    COMBINEFUNC = ngs.passing_score_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.passing_score_state(u float8) (
    SFUNC = ngs.passing_score_transfn,
    STYPE = ngs.passing_score_state,
    COMBINEFUNC = ngs.passing_score_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.passing_score_merge(state ngs.passing_score_state) (
    SFUNC = ngs.passing_score_combine,
    STYPE = ngs.passing_score_state,
    COMBINEFUNC = ngs.passing_score_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ngs.passing_score(float8) IS 'game, season or split passing score (50-99) from play scores u = F(yards); about 74.5 for a league-average passer, NULL for no plays';
COMMENT ON AGGREGATE ngs.passing_score_state(float8) IS 'partial passing score of play scores, to merge across shards with passing_score_merge';
COMMENT ON AGGREGATE ngs.passing_score_merge(ngs.passing_score_state) IS 'merges partial passing scores exactly; finish with ngs.passing_score_final';

-------------------------------------------------------------------------------
-- model: the model catalog, weight files, and the pass model
-------------------------------------------------------------------------------

-- the catalog: one immutable row per model version, readable by all, written only
-- through ngs.import_model and ngs.drop_model (EXECUTE granted by an administrator)

-- everyone may use the extension's schema (CREATE EXTENSION makes it without USAGE for PUBLIC)
GRANT USAGE ON SCHEMA ngs TO PUBLIC;

CREATE TABLE ngs.model (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    created timestamptz NOT NULL DEFAULT pg_catalog.now(),
    weights bytea NOT NULL,
    sha256 bytea NOT NULL,
    options jsonb NOT NULL DEFAULT '{}',
    metrics jsonb NOT NULL DEFAULT '{}'
);
ALTER TABLE ngs.model ALTER COLUMN weights SET STORAGE EXTERNAL;
CREATE INDEX model_name_id ON ngs.model (name, id);
REVOKE ALL ON ngs.model FROM PUBLIC;
GRANT SELECT ON ngs.model TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('ngs.model', '');
SELECT pg_catalog.pg_extension_config_dump('ngs.model_id_seq', '');
COMMENT ON TABLE ngs.model IS 'model catalog: one immutable row per model version; write with ngs.import_model, ngs.drop_model';
COMMENT ON COLUMN ngs.model.weights IS 'the weight file (safetensors), stored uncompressed';
COMMENT ON COLUMN ngs.model.sha256 IS 'SHA-256 of the weight file';
COMMENT ON COLUMN ngs.model.options IS 'how the model was made: the weight file''s metadata, or the training options';
COMMENT ON COLUMN ngs.model.metrics IS 'validation metrics written by training ({} for imported models)';

CREATE FUNCTION ngs.model_immutable() RETURNS trigger
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1
    AS $$
BEGIN
    RAISE EXCEPTION 'ngs.model rows cannot be updated'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'A model version is immutable: import a new version with ngs.import_model.';
END
$$;
CREATE TRIGGER model_immutable BEFORE UPDATE ON ngs.model
    FOR EACH ROW EXECUTE FUNCTION ngs.model_immutable();
COMMENT ON FUNCTION ngs.model_immutable() IS 'trigger that keeps ngs.model rows immutable';

CREATE FUNCTION ngs.import_model(name text, kind text, weights bytea) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 10000
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION ngs.import_model(text, text, bytea) FROM PUBLIC;
COMMENT ON FUNCTION ngs.import_model(text, text, bytea) IS 'checks a weight file (safetensors) and stores it as the newest version of the named model; returns its id';

CREATE FUNCTION ngs.model_id(model text) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION ngs.model_id(text) IS 'the version id a model argument names: a name (its latest version) or an id';

CREATE FUNCTION ngs.export_model(model text) RETURNS bytea
    LANGUAGE sql STABLE STRICT PARALLEL SAFE COST 100
    BEGIN ATOMIC
        SELECT m.weights FROM ngs.model m WHERE m.id = ngs.model_id(model);
    END;
COMMENT ON FUNCTION ngs.export_model(text) IS 'the weight file of a model (a name: its latest version; or an id), byte for byte as imported';

CREATE FUNCTION ngs.drop_model(model text, all_versions boolean DEFAULT false) RETURNS integer
    LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 100
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    target bigint := ngs.model_id(model);
    dropped integer;
BEGIN
    DELETE FROM ngs.model m
    WHERE m.id = target
       OR (all_versions AND m.name = (SELECT v.name FROM ngs.model v WHERE v.id = target));
    GET DIAGNOSTICS dropped = ROW_COUNT;
    RETURN dropped;
END
$$;
REVOKE EXECUTE ON FUNCTION ngs.drop_model(text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION ngs.drop_model(text, boolean) IS 'deletes the model version a model argument names (with all_versions, every version of its name); returns the rows deleted';

CREATE FUNCTION ngs.list_models(OUT id bigint, OUT name text, OUT kind text, OUT created timestamptz,
        OUT bytes integer, OUT sha256 text, OUT latest boolean, OUT options jsonb, OUT metrics jsonb)
        RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE COST 100 ROWS 10
    BEGIN ATOMIC
        SELECT m.id, m.name, m.kind, m.created, pg_catalog.length(m.weights), pg_catalog.encode(m.sha256, 'hex'),
               m.id = pg_catalog.max(m.id) OVER (PARTITION BY m.name), m.options, m.metrics
        FROM ngs.model m
        ORDER BY m.name, m.id;
    END;
COMMENT ON FUNCTION ngs.list_models() IS 'every model version with its size, hash, and whether a name resolves to it (latest)';

-- the pass model

CREATE FUNCTION ngs.model_input(ngs.play_tensor) RETURNS real[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
CREATE FUNCTION ngs.pass_network_output(pt ngs.play_tensor, context real[], model text DEFAULT 'default') RETURNS real[]
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 5000;
CREATE FUNCTION ngs.pass_distribution(pt ngs.play_tensor, context real[], model text DEFAULT 'default') RETURNS ngs.sbp
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 5000;
CREATE FUNCTION ngs.pass_score(pt ngs.play_tensor, context real[], yards float8, model text DEFAULT 'default') RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 5000;
COMMENT ON FUNCTION ngs.model_input(ngs.play_tensor) IS 'the frames x 176 matrix the pass model reads: 11 offense then 11 defense slots by first y, 8 features each, NaN where missing';
COMMENT ON FUNCTION ngs.pass_network_output(ngs.play_tensor, real[], text) IS 'the pass model''s raw outputs: bin logits, then the pre-activations of xi_lo, beta_lo, xi_hi, beta_hi';
COMMENT ON FUNCTION ngs.pass_distribution(ngs.play_tensor, real[], text) IS 'the predicted SBP of yards gained by a pass, from the play (standardized, snap to release) and its context';
COMMENT ON FUNCTION ngs.pass_score(ngs.play_tensor, real[], float8, text) IS 'the play''s passing score: the predicted CDF at the yards gained';
