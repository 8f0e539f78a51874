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


-- ---------------------------------------------------------------------------------------
-- Model catalog: identity by content, kinds when dropping, syncing models to other servers
-- ---------------------------------------------------------------------------------------


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

