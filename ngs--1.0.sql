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
