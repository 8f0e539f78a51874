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
