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
-- metrics: evaluation aggregates (exact, parallel) and k-fold assignment
-------------------------------------------------------------------------------

-- brier and log_loss: the mean of a per-row loss, summed exactly
CREATE FUNCTION ngs.brier_accum(internal, float8, bool) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.log_loss_accum(internal, float8, bool) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.mean_loss_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.mean_loss_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.mean_loss_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.mean_loss_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;

CREATE AGGREGATE ngs.brier(p float8, label bool) (
    SFUNC = ngs.brier_accum,
    STYPE = internal,
    COMBINEFUNC = ngs.mean_loss_combine,
    SERIALFUNC = ngs.mean_loss_serialize,
    DESERIALFUNC = ngs.mean_loss_deserialize,
    FINALFUNC = ngs.mean_loss_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.log_loss(p float8, label bool) (
    SFUNC = ngs.log_loss_accum,
    STYPE = internal,
    COMBINEFUNC = ngs.mean_loss_combine,
    SERIALFUNC = ngs.mean_loss_serialize,
    DESERIALFUNC = ngs.mean_loss_deserialize,
    FINALFUNC = ngs.mean_loss_final,
    PARALLEL = SAFE
);

-- roc_auc and average_precision: keep every score, rank them in the final function
CREATE FUNCTION ngs.ranking_accum(internal, float8, bool) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.ranking_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
CREATE FUNCTION ngs.ranking_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION ngs.ranking_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION ngs.roc_auc_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
CREATE FUNCTION ngs.average_precision_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;

CREATE AGGREGATE ngs.roc_auc(score float8, label bool) (
    SFUNC = ngs.ranking_accum,
    STYPE = internal,
    COMBINEFUNC = ngs.ranking_combine,
    SERIALFUNC = ngs.ranking_serialize,
    DESERIALFUNC = ngs.ranking_deserialize,
    FINALFUNC = ngs.roc_auc_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.average_precision(score float8, label bool) (
    SFUNC = ngs.ranking_accum,
    STYPE = internal,
    COMBINEFUNC = ngs.ranking_combine,
    SERIALFUNC = ngs.ranking_serialize,
    DESERIALFUNC = ngs.ranking_deserialize,
    FINALFUNC = ngs.average_precision_final,
    PARALLEL = SAFE
);

-- pit_histogram and reliability: counts (and exact sums) per uniform bin of [0, 1]
CREATE TYPE ngs.reliability_curve AS (
    mean_predicted float8[],
    observed_frequency float8[],
    count bigint[]
);

CREATE FUNCTION ngs.pit_histogram_accum(internal, float8, int) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.reliability_accum(internal, float8, bool, int) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.binned_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.binned_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.binned_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.pit_histogram_final(internal) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.reliability_final(internal) RETURNS ngs.reliability_curve
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 50;

CREATE AGGREGATE ngs.pit_histogram(u float8, bins int) (
    SFUNC = ngs.pit_histogram_accum,
    STYPE = internal,
    COMBINEFUNC = ngs.binned_combine,
    SERIALFUNC = ngs.binned_serialize,
    DESERIALFUNC = ngs.binned_deserialize,
    FINALFUNC = ngs.pit_histogram_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.reliability(p float8, label bool, bins int) (
    SFUNC = ngs.reliability_accum,
    STYPE = internal,
    COMBINEFUNC = ngs.binned_combine,
    SERIALFUNC = ngs.binned_serialize,
    DESERIALFUNC = ngs.binned_deserialize,
    FINALFUNC = ngs.reliability_final,
    PARALLEL = SAFE
);

-- kfold: a fold 0..k-1 from our own platform-independent hash of the key
CREATE FUNCTION ngs.kfold(key bigint, k int, seed int) RETURNS int
    AS 'MODULE_PATHNAME', 'kfold_bigint' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.kfold(key text, k int, seed int) RETURNS int
    AS 'MODULE_PATHNAME', 'kfold_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;

COMMENT ON FUNCTION ngs.brier_accum(internal, float8, bool) IS 'ngs.brier transition: adds (p - label)^2 exactly; skips rows with a NULL';
COMMENT ON FUNCTION ngs.log_loss_accum(internal, float8, bool) IS 'ngs.log_loss transition: adds -ln of the clipped probability of the outcome exactly; skips rows with a NULL';
COMMENT ON FUNCTION ngs.mean_loss_combine(internal, internal) IS 'ngs.brier and ngs.log_loss combine: adds counts and exact sums';
COMMENT ON FUNCTION ngs.mean_loss_serialize(internal) IS 'ngs.brier and ngs.log_loss state serialization (for parallel workers)';
COMMENT ON FUNCTION ngs.mean_loss_deserialize(bytea, internal) IS 'ngs.brier and ngs.log_loss state deserialization (for parallel workers)';
COMMENT ON FUNCTION ngs.mean_loss_final(internal) IS 'ngs.brier and ngs.log_loss final: the mean loss, NULL without rows';
COMMENT ON AGGREGATE ngs.brier(float8, bool) IS 'Brier score: mean of (p - label)^2, p in [0, 1]; NULL rows skipped, NULL without rows; exact and parallel';
COMMENT ON AGGREGATE ngs.log_loss(float8, bool) IS 'log loss: mean of -ln(probability of the outcome), p clipped to [2^-52, 1 - 2^-52] as scikit-learn; NULL rows skipped, NULL without rows; exact and parallel';
COMMENT ON FUNCTION ngs.ranking_accum(internal, float8, bool) IS 'ngs.roc_auc and ngs.average_precision transition: keeps the score by label (8 bytes per row); skips rows with a NULL';
COMMENT ON FUNCTION ngs.ranking_combine(internal, internal) IS 'ngs.roc_auc and ngs.average_precision combine: appends the scores';
COMMENT ON FUNCTION ngs.ranking_serialize(internal) IS 'ngs.roc_auc and ngs.average_precision state serialization (for parallel workers)';
COMMENT ON FUNCTION ngs.ranking_deserialize(bytea, internal) IS 'ngs.roc_auc and ngs.average_precision state deserialization (for parallel workers)';
COMMENT ON FUNCTION ngs.roc_auc_final(internal) IS 'ngs.roc_auc final: the Mann-Whitney statistic from the sorted scores';
COMMENT ON FUNCTION ngs.average_precision_final(internal) IS 'ngs.average_precision final: step-wise average precision from the sorted scores';
COMMENT ON AGGREGATE ngs.roc_auc(float8, bool) IS 'area under the ROC curve, exactly: P(score of a positive > score of a negative), ties counting 1/2; NULL unless both labels occur; keeps 8 bytes per row';
COMMENT ON AGGREGATE ngs.average_precision(float8, bool) IS 'average precision as scikit-learn''s average_precision_score (tied scores form one threshold); NULL without a true label; keeps 8 bytes per row';
COMMENT ON TYPE ngs.reliability_curve IS 'per-bin mean predicted probability and observed frequency of true labels (NULL for empty bins), and row count';
COMMENT ON FUNCTION ngs.pit_histogram_accum(internal, float8, int) IS 'ngs.pit_histogram transition: counts u in its bin; skips rows with a NULL';
COMMENT ON FUNCTION ngs.reliability_accum(internal, float8, bool, int) IS 'ngs.reliability transition: counts p, its label and (exactly) its value in its bin; skips rows with a NULL';
COMMENT ON FUNCTION ngs.binned_combine(internal, internal) IS 'ngs.pit_histogram and ngs.reliability combine: adds bin by bin';
COMMENT ON FUNCTION ngs.binned_serialize(internal) IS 'ngs.pit_histogram and ngs.reliability state serialization (for parallel workers)';
COMMENT ON FUNCTION ngs.binned_deserialize(bytea, internal) IS 'ngs.pit_histogram and ngs.reliability state deserialization (for parallel workers)';
COMMENT ON FUNCTION ngs.pit_histogram_final(internal) IS 'ngs.pit_histogram final: the counts per bin';
COMMENT ON FUNCTION ngs.reliability_final(internal) IS 'ngs.reliability final: the reliability curve';
COMMENT ON AGGREGATE ngs.pit_histogram(float8, int) IS 'histogram of PIT values u in [0, 1]: bigint[] of counts over bins [i/n, (i+1)/n), the last closed, as numpy.histogram; NULL rows skipped, NULL without rows';
COMMENT ON AGGREGATE ngs.reliability(float8, bool, int) IS 'reliability curve of probabilities p over bins (i/n, (i+1)/n], the first closed, as scikit-learn''s calibration_curve; NULL rows skipped, NULL without rows';
COMMENT ON FUNCTION ngs.kfold(bigint, int, int) IS 'fold 0..k-1 of a bigint key for this seed, from a splitmix64 hash of its 8 little-endian bytes; stable across platforms and versions';
COMMENT ON FUNCTION ngs.kfold(text, int, int) IS 'fold 0..k-1 of a text key for this seed, from a splitmix64 hash of its bytes; stable across platforms and versions';

-------------------------------------------------------------------------------
-- closing: the closing metric of a defender's trajectory against a receiver's
-------------------------------------------------------------------------------

CREATE FUNCTION ngs.closing_metric(defender path, receiver path, v_top float8 DEFAULT 11,
                                   v_max float8 DEFAULT 12.5, dt float8 DEFAULT 0.1,
                                   w_closing float8 DEFAULT 1, w_effort float8 DEFAULT 1,
                                   w_superhuman float8 DEFAULT 1) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 20;
CREATE FUNCTION ngs.closing_parts(defender path, receiver path, v_top float8 DEFAULT 11,
                                  v_max float8 DEFAULT 12.5, dt float8 DEFAULT 0.1,
                                  OUT closing float8, OUT effort float8, OUT superhuman float8)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 20;

COMMENT ON FUNCTION ngs.closing_metric(path, path, float8, float8, float8, float8, float8, float8) IS 'closing score of a defender''s open path against a receiver''s (one point per frame): w_closing C + w_effort max(0, E - 1) + w_superhuman P; lower is better coverage';
COMMENT ON FUNCTION ngs.closing_parts(path, path, float8, float8, float8) IS 'the parts of the closing score: closing C = (d_T - d_0) / (v_top T dt), effort E = path length / (v_top T dt), superhuman P = mean excess speed over v_max / v_max';
-------------------------------------------------------------------------------
-- sbp: the spliced binned-Pareto distribution (shared/design/sbp.md)
-------------------------------------------------------------------------------

CREATE TYPE ngs.sbp;

CREATE FUNCTION ngs.sbp_in(cstring) RETURNS ngs.sbp
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.sbp_out(ngs.sbp) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.sbp_recv(internal) RETURNS ngs.sbp
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.sbp_send(ngs.sbp) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;

CREATE TYPE ngs.sbp (
    INPUT = ngs.sbp_in,
    OUTPUT = ngs.sbp_out,
    RECEIVE = ngs.sbp_recv,
    SEND = ngs.sbp_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE ngs.sbp IS 'a spliced binned-Pareto distribution: histogram body on [lower, upper], generalized Pareto tails of mass alpha on each side';
COMMENT ON FUNCTION ngs.sbp_in(cstring) IS 'sbp text input (the JSON object sbp_out writes)';
COMMENT ON FUNCTION ngs.sbp_out(ngs.sbp) IS 'sbp text output: a JSON object that round-trips exactly';
COMMENT ON FUNCTION ngs.sbp_recv(internal) IS 'sbp binary input, validated like text input';
COMMENT ON FUNCTION ngs.sbp_send(ngs.sbp) IS 'sbp binary output';

-- building a distribution

CREATE FUNCTION ngs.sbp(lower float8, upper float8, logits float8[], xi_lo float8, beta_lo float8, xi_hi float8, beta_hi float8, alpha float8 DEFAULT 0.05) RETURNS ngs.sbp
    AS 'MODULE_PATHNAME', 'sbp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.sbp_from_masses(lower float8, upper float8, masses float8[], xi_lo float8, beta_lo float8, xi_hi float8, beta_hi float8, alpha float8 DEFAULT 0.05) RETURNS ngs.sbp
    AS 'MODULE_PATHNAME', 'sbp_from_masses_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION ngs.sbp(float8, float8, float8[], float8, float8, float8, float8, float8) IS 'an sbp with equal bins on [lower, upper], bin masses softmax(logits), GPD tails (xi, beta) and tail mass alpha';
COMMENT ON FUNCTION ngs.sbp_from_masses(float8, float8, float8[], float8, float8, float8, float8, float8) IS 'an sbp from bin masses (non-negative, summing to 1 within 1e-9, renormalised)';

-- reading a distribution's parameters

CREATE FUNCTION ngs.sbp_lower(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_upper(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_bins(ngs.sbp) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_masses(ngs.sbp) RETURNS float8[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.sbp_logits(ngs.sbp) RETURNS float8[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.sbp_alpha(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_xi_lo(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_beta_lo(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_xi_hi(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_beta_hi(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_tau_lo(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
CREATE FUNCTION ngs.sbp_tau_hi(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 2;
COMMENT ON FUNCTION ngs.sbp_lower(ngs.sbp) IS 'the left edge L of the first bin';
COMMENT ON FUNCTION ngs.sbp_upper(ngs.sbp) IS 'the right edge U of the last bin';
COMMENT ON FUNCTION ngs.sbp_bins(ngs.sbp) IS 'the number of equal-width bins';
COMMENT ON FUNCTION ngs.sbp_masses(ngs.sbp) IS 'the bin masses, summing to 1';
COMMENT ON FUNCTION ngs.sbp_logits(ngs.sbp) IS 'logits of the bin masses, log(mass) (-Infinity for an empty bin); their softmax gives the masses back';
COMMENT ON FUNCTION ngs.sbp_alpha(ngs.sbp) IS 'the tail mass alpha on each side';
COMMENT ON FUNCTION ngs.sbp_xi_lo(ngs.sbp) IS 'the lower tail''s GPD shape xi (0 exponential, < 0 finite)';
COMMENT ON FUNCTION ngs.sbp_beta_lo(ngs.sbp) IS 'the lower tail''s GPD scale beta';
COMMENT ON FUNCTION ngs.sbp_xi_hi(ngs.sbp) IS 'the upper tail''s GPD shape xi (0 exponential, < 0 finite)';
COMMENT ON FUNCTION ngs.sbp_beta_hi(ngs.sbp) IS 'the upper tail''s GPD scale beta';
COMMENT ON FUNCTION ngs.sbp_tau_lo(ngs.sbp) IS 'the lower splice point tau_lo, the binned alpha-quantile, where the lower tail begins';
COMMENT ON FUNCTION ngs.sbp_tau_hi(ngs.sbp) IS 'the upper splice point tau_hi, the binned (1 - alpha)-quantile, where the upper tail begins';

-- evaluating a distribution

CREATE FUNCTION ngs.sbp_cdf(ngs.sbp, x float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 3;
CREATE FUNCTION ngs.sbp_pdf(ngs.sbp, x float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 3;
CREATE FUNCTION ngs.sbp_logpdf(ngs.sbp, x float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 3;
CREATE FUNCTION ngs.sbp_quantile(ngs.sbp, q float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 3;
CREATE FUNCTION ngs.sbp_median(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 3;
CREATE FUNCTION ngs.sbp_mean(ngs.sbp) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 5;
CREATE FUNCTION ngs.sbp_crps(ngs.sbp, y float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.sbp_sample(ngs.sbp, n int, seed bigint) RETURNS SETOF float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 3 ROWS 1000;
COMMENT ON FUNCTION ngs.sbp_cdf(ngs.sbp, float8) IS 'the cumulative distribution function P(X <= x); 0 at -Infinity, 1 at +Infinity, NaN for NaN';
COMMENT ON FUNCTION ngs.sbp_pdf(ngs.sbp, float8) IS 'the density at x (right-continuous at bin edges; the body density on [tau_lo, tau_hi])';
COMMENT ON FUNCTION ngs.sbp_logpdf(ngs.sbp, float8) IS 'the log density at x; -Infinity where the density is 0';
COMMENT ON FUNCTION ngs.sbp_quantile(ngs.sbp, float8) IS 'the q-quantile for q in [0, 1]; -/+Infinity at 0 and 1 unless the tail is finite (xi < 0)';
COMMENT ON FUNCTION ngs.sbp_median(ngs.sbp) IS 'the median, the 0.5-quantile';
COMMENT ON FUNCTION ngs.sbp_mean(ngs.sbp) IS 'the mean; -Infinity or +Infinity when one tail has xi >= 1, NULL when both do';
COMMENT ON FUNCTION ngs.sbp_crps(ngs.sbp, float8) IS 'the continuous ranked probability score of outcome y, in closed form; Infinity when a tail has xi >= 2';
COMMENT ON FUNCTION ngs.sbp_sample(ngs.sbp, int, bigint) IS 'n draws from the distribution by inverse CDF with a splitmix64 generator; the same seed gives the same draws';

-- fitting a distribution to a sample

CREATE FUNCTION ngs.sbp_fit_transfn(internal, float8) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_fit_transfn(internal, float8, jsonb) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.sbp_fit_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.sbp_fit_serialfn(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.sbp_fit_deserialfn(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION ngs.sbp_fit_finalfn(internal) RETURNS ngs.sbp
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10000;

CREATE AGGREGATE ngs.sbp_fit(y float8) (
    SFUNC = ngs.sbp_fit_transfn,
    STYPE = internal,
    FINALFUNC = ngs.sbp_fit_finalfn,
    COMBINEFUNC = ngs.sbp_fit_combinefn,
    SERIALFUNC = ngs.sbp_fit_serialfn,
    DESERIALFUNC = ngs.sbp_fit_deserialfn,
    PARALLEL = SAFE
);
CREATE AGGREGATE ngs.sbp_fit(y float8, options jsonb) (
    SFUNC = ngs.sbp_fit_transfn,
    STYPE = internal,
    FINALFUNC = ngs.sbp_fit_finalfn,
    COMBINEFUNC = ngs.sbp_fit_combinefn,
    SERIALFUNC = ngs.sbp_fit_serialfn,
    DESERIALFUNC = ngs.sbp_fit_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ngs.sbp_fit(float8) IS 'the maximum-likelihood sbp of a sample (bins over its 2.5%-97.5% range, 2*N^(1/3) of them), the no-context baseline; NULL without values';
COMMENT ON AGGREGATE ngs.sbp_fit(float8, jsonb) IS 'the maximum-likelihood sbp of a sample with options {"lower", "upper", "bins", "alpha", "prior"} read from the first row';
COMMENT ON FUNCTION ngs.sbp_fit_transfn(internal, float8) IS 'sbp_fit transition: keeps one value';
COMMENT ON FUNCTION ngs.sbp_fit_transfn(internal, float8, jsonb) IS 'sbp_fit transition: keeps one value, reads the options once';
COMMENT ON FUNCTION ngs.sbp_fit_combinefn(internal, internal) IS 'sbp_fit combine: merges two partial states';
COMMENT ON FUNCTION ngs.sbp_fit_serialfn(internal) IS 'sbp_fit state serialisation for parallel workers';
COMMENT ON FUNCTION ngs.sbp_fit_deserialfn(bytea, internal) IS 'sbp_fit state deserialisation for parallel workers';
COMMENT ON FUNCTION ngs.sbp_fit_finalfn(internal) IS 'sbp_fit final: bins from counts, tails by GPD maximum likelihood';

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
    metrics jsonb NOT NULL DEFAULT '{}',
    shipped boolean NOT NULL DEFAULT false
);
ALTER TABLE ngs.model ALTER COLUMN weights SET STORAGE EXTERNAL;
CREATE INDEX model_name_id ON ngs.model (name, id);
REVOKE ALL ON ngs.model FROM PUBLIC;
GRANT SELECT ON ngs.model TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('ngs.model', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('ngs.model_id_seq', '');
COMMENT ON TABLE ngs.model IS 'model catalog: one immutable row per model version; write with ngs.import_model, ngs.drop_model';
COMMENT ON COLUMN ngs.model.weights IS 'the weight file (safetensors), stored uncompressed';
COMMENT ON COLUMN ngs.model.sha256 IS 'SHA-256 of the weight file';
COMMENT ON COLUMN ngs.model.options IS 'how the model was made: the weight file''s metadata, or the training options';
COMMENT ON COLUMN ngs.model.metrics IS 'validation metrics written by training ({} for imported models)';
COMMENT ON COLUMN ngs.model.shipped IS 'imported by CREATE EXTENSION (a default model): pg_dump leaves it out, the restore''s CREATE EXTENSION makes it again';

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
        OUT bytes integer, OUT sha256 text, OUT latest boolean, OUT shipped boolean, OUT options jsonb, OUT metrics jsonb)
        RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE COST 100 ROWS 10
    BEGIN ATOMIC
        SELECT m.id, m.name, m.kind, m.created, pg_catalog.length(m.weights), pg_catalog.encode(m.sha256, 'hex'),
               m.id = pg_catalog.max(m.id) OVER (PARTITION BY m.name, m.kind), m.shipped, m.options, m.metrics
        FROM ngs.model m
        ORDER BY m.name, m.id;
    END;
COMMENT ON FUNCTION ngs.list_models() IS 'every model version with its size, hash, and whether its name resolves to it for its kind (latest)';

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

-------------------------------------------------------------------------------
-- svg: pictures of a play (tracks, ghosts) and of a predicted distribution
-------------------------------------------------------------------------------

CREATE FUNCTION ngs.play_svg(pt ngs.play_tensor, options jsonb DEFAULT '{}', ghosts path[] DEFAULT '{}') RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;

COMMENT ON FUNCTION ngs.play_svg(ngs.play_tensor, jsonb, path[]) IS 'the play drawn to scale as a standalone SVG document: field, every track coloured by role, highlighted and labelled players, ghost paths dashed; options width, from_frame, to_frame, highlight, labels, title, ghost_labels';

CREATE FUNCTION ngs.sbp_svg(d ngs.sbp, actual float8 DEFAULT NULL, options jsonb DEFAULT '{}') RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 500;

COMMENT ON FUNCTION ngs.sbp_svg(ngs.sbp, float8, jsonb) IS 'a predicted distribution of yards as a standalone SVG document: body bins as bars, tails shaded, the median, and the actual outcome with its percentile F(actual) when not NULL; options width, height, title, x_min, x_max';


-------------------------------------------------------------------------------
-- ghosting: predicted defender trajectories ("ghosts") and the closing of real ones
-------------------------------------------------------------------------------

CREATE FUNCTION ngs.ghost_feature_names() RETURNS text[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION ngs.ghost_windows(pt ngs.play_tensor, defenders int[], target int, first_frame int, last_frame int, horizon int DEFAULT 10,
        OUT defender int, OUT at_frame int, OUT features real[], OUT residual real[]) RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 200;
COMMENT ON FUNCTION ngs.ghost_feature_names() IS 'names of the candidate ghosting features, in the order ngs.ghost_windows returns them';
COMMENT ON FUNCTION ngs.ghost_windows(ngs.play_tensor, int[], int, int, int, int) IS 'every ghosting window of a standardized play: defender, at_frame, the candidate features and his real future as displacements from constant velocity in the frame turned toward the target; NULL last_frame = to the end';

CREATE FUNCTION ngs.ghost_trajectory(pt ngs.play_tensor, defender int, target int, at_frame int, horizon int DEFAULT 10, model text DEFAULT 'default') RETURNS path
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 20;
CREATE FUNCTION ngs.ghost_trajectories(pt ngs.play_tensor, target int, at_frame int, horizon int DEFAULT 10, model text DEFAULT 'default', defenders int[] DEFAULT NULL,
        OUT nfl_id int, OUT trajectory path) RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE COST 100 ROWS 7;
COMMENT ON FUNCTION ngs.ghost_trajectory(ngs.play_tensor, int, int, int, int, text) IS 'a defender''s predicted positions in the horizon frames after at_frame had the ball gone to target (any offensive player), as an open path; speed <= 12.5 yd/s, acceleration <= 10 yd/s^2, on the field';
COMMENT ON FUNCTION ngs.ghost_trajectories(ngs.play_tensor, int, int, int, text, int[]) IS 'one predicted trajectory per defender (the listed ones, or every defender with history when NULL) against the same target';

CREATE FUNCTION ngs.train_ghost_model(name text, source_query text, options jsonb DEFAULT '{}') RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 100000000;
COMMENT ON FUNCTION ngs.train_ghost_model(text, text, jsonb) IS 'trains a ghost model on the plays source_query returns (game bigint, tensor, target, first_frame, last_frame, defenders int[]) and stores it as a new version of name; returns the model id';

CREATE FUNCTION ngs.closing_track(pt ngs.play_tensor, defender int, receiver int, from_frame int, to_frame int) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION ngs.closing_track(ngs.play_tensor, int, int, int, int) IS 'the closing metric (default speeds and weights) of a defender''s and a receiver''s real trajectories from from_frame to to_frame';


-------------------------------------------------------------------------------
-- pass_train: training the pass model in the database, and the default model's context
-------------------------------------------------------------------------------

CREATE FUNCTION ngs.train_pass_model(name text, source_query text, options jsonb DEFAULT '{}') RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 100000000;
CREATE FUNCTION ngs.train_pass_gaussian(source_query text, predict_query text, options jsonb DEFAULT '{}',
        OUT key bigint, OUT mean float8, OUT sd float8, OUT crps float8, OUT u float8) RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 100000000 ROWS 100;
CREATE FUNCTION ngs.pass_context(down int, yards_to_go int, yards_to_goal int, quarter int, score_diff int) RETURNS real[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
    RETURN ARRAY[down, yards_to_go, yards_to_goal, quarter, score_diff]::real[];
COMMENT ON FUNCTION ngs.train_pass_model(text, text, jsonb) IS 'trains a pass model (TCN + MLP, SBP head) on the plays source_query returns (tensor, context real[], yards float8 [, game bigint]) and stores it as a new version of name; returns the model id';
COMMENT ON FUNCTION ngs.train_pass_gaussian(text, text, jsonb) IS 'trains the same network with a Gaussian head on source_query''s plays and returns (key, mean, sd, crps, u) for every row of predict_query (key bigint, tensor, context real[], yards float8)';
COMMENT ON FUNCTION ngs.pass_context(int, int, int, int, int) IS 'the default pass model''s context array from named values: down, yards_to_go, yards_to_goal, quarter, score_diff (offense minus defense); NULL = missing';
