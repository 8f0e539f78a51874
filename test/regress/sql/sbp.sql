-- ngs.sbp: the spliced binned-Pareto distribution (shared/design/sbp.md)
SET extra_float_digits = 0;
\set pub 'ngs.sbp(0, 10, array_fill(0::float8, array[10]), 0.25, 2, 0.25, 2)'

-- the public hand-checkable case: L = 0, U = 10, n = 10, equal logits, alpha = 0.05,
-- both tails xi = 0.25, beta = 2; values to 1e-10
SELECT ngs.sbp_tau_lo(:pub) AS tau_lo, ngs.sbp_tau_hi(:pub) AS tau_hi,
       ngs.sbp_median(:pub) AS median, ngs.sbp_mean(:pub) AS mean;
SELECT x, round(ngs.sbp_cdf(:pub, x)::numeric, 10) AS cdf
FROM unnest('{0, -2, 0.25, 3.3, 10, 20, 100}'::float8[]) AS x;
SELECT q, round(ngs.sbp_quantile(:pub, q)::numeric, 10) AS quantile
FROM unnest('{0.01, 0.025, 0.975, 0.99, 0.999}'::float8[]) AS q;
-- the same distribution from masses, and its text form
SELECT max(abs(a - b)) < 1e-15 AS same_from_masses
FROM unnest(ngs.sbp_masses(ngs.sbp_from_masses(0, 10, array_fill(0.1::float8, array[10]), 0.25, 2, 0.25, 2)),
            ngs.sbp_masses(:pub)) AS m(a, b);
SELECT :pub;

-- accessors
SELECT ngs.sbp_lower(:pub), ngs.sbp_upper(:pub), ngs.sbp_bins(:pub), ngs.sbp_alpha(:pub),
       ngs.sbp_xi_lo(:pub), ngs.sbp_beta_lo(:pub), ngs.sbp_xi_hi(:pub), ngs.sbp_beta_hi(:pub);
SELECT ngs.sbp_masses(ngs.sbp_from_masses(-1, 1, '{0.25, 0.75}', 0, 1, 0, 1, 0.1));
SELECT ngs.sbp_logits(ngs.sbp_from_masses(-1, 1, '{0, 0.25, 0.75}', 0, 1, 0, 1, 0.1));
-- the logits of a distribution give back its masses, to rounding
SELECT max(abs(a - b)) < 1e-15 AS logits_round_trip
FROM (SELECT ngs.sbp(-1, 1, '{0.3, -1.2, 2.5, 0}', 0, 1, 0, 1) AS d) s,
     unnest(ngs.sbp_masses(d), ngs.sbp_masses(ngs.sbp(-1, 1, ngs.sbp_logits(d), 0, 1, 0, 1))) AS m(a, b);

-- text form: exact round trip, keys in any order, white space
SELECT d::text::ngs.sbp::text = d::text AS text_round_trip
FROM (SELECT ngs.sbp(-3.7, 41.3, array[0.1, -2, 3.3, 1e-3, 0.7], -0.2, 1.1, 0.6, 2.9, 0.07) AS d) s;
SELECT ' { "mass" : [0.5, 0.5], "beta_hi":1, "xi_hi":0, "beta_lo":1, "xi_lo":0, "alpha":0.1, "upper":1, "lower":0, "version":1 } '::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.3333333333,0.6666666667]}'::ngs.sbp;

-- binary form: a COPY BINARY file holding one value, so the receive function sees the bytes
CREATE TEMP TABLE sbp_recv_target (d ngs.sbp);
CREATE FUNCTION sbp_recv_bytes(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    file bytea := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
        || '\x0001'::bytea || int4send(length(payload)) || payload || '\xffff'::bytea;
    result text;
BEGIN
    TRUNCATE sbp_recv_target;
    EXECUTE format('COPY sbp_recv_target FROM PROGRAM %L (FORMAT binary)',
                   format('echo %s | base64 -d', translate(encode(file, 'base64'), E'\n', '')));
    SELECT d::text INTO result FROM sbp_recv_target;
    RETURN result;
END $$;
SELECT ngs.sbp_send(ngs.sbp_from_masses(0, 1, '{0.5, 0.5}', 0, 1, 0, 1));
SELECT sbp_recv_bytes(ngs.sbp_send(d)) = d::text AS binary_round_trip
FROM (SELECT ngs.sbp(-3.7, 41.3, array[0.1, -2, 3.3, 1e-3, 0.7], -0.2, 1.1, 0.6, 2.9, 0.07) AS d) s;

-- the exponential limit (xi = 0): tau_lo = 0.5, so F(-2) = 0.05 exp(-2.5/2); a tiny xi evaluates alike
SELECT round(ngs.sbp_cdf(ngs.sbp(0, 10, '{0, 0}', 0, 2, 0, 2), -2)::numeric, 12) AS xi_zero,
       round(0.05 * exp(-1.25::numeric), 12) AS expected,
       ngs.sbp_cdf(ngs.sbp(0, 10, '{0, 0}', 1e-20, 2, 1e-20, 2), -2) = ngs.sbp_cdf(ngs.sbp(0, 10, '{0, 0}', 0, 2, 0, 2), -2) AS tiny_xi_same;

-- finite tails (xi < 0): support [tau_lo + beta/xi, tau_hi - beta/xi], so here [-3.5, 13.5]
\set fin 'ngs.sbp(0, 10, array_fill(0::float8, array[10]), -0.5, 2, -0.5, 2)'
SELECT ngs.sbp_quantile(:fin, 0) AS q0, ngs.sbp_quantile(:fin, 1) AS q1,
       ngs.sbp_cdf(:fin, -3.5) AS f_start, ngs.sbp_cdf(:fin, -4) AS f_below, ngs.sbp_cdf(:fin, 13.5) AS f_end,
       ngs.sbp_pdf(:fin, -4) AS pdf_outside, ngs.sbp_logpdf(:fin, 14) AS logpdf_outside,
       ngs.sbp_pdf(:fin, 13.5) AS pdf_at_end, round(ngs.sbp_mean(:fin)::numeric, 10) AS mean;

-- q = 0 and 1 for unbounded tails, the median
SELECT ngs.sbp_quantile(:pub, 0) AS q0, ngs.sbp_quantile(:pub, 1) AS q1, ngs.sbp_quantile(:pub, 0.5) AS q_half;

-- bin edges: the density is right-continuous and jumps at an edge, the CDF is continuous
\set two 'ngs.sbp_from_masses(0, 2, ''{0.2, 0.8}'', 0, 1, 0, 1, 0.01)'
SELECT x, ngs.sbp_pdf(:two, x) AS pdf, round(ngs.sbp_cdf(:two, x)::numeric, 12) AS cdf
FROM unnest('{0.999999999, 1, 1.000000001}'::float8[]) AS x;
-- at the splice points the CDF is alpha and 1 - alpha, the density the body's
SELECT ngs.sbp_cdf(:pub, 0.5) AS f_tau_lo, ngs.sbp_cdf(:pub, 9.5) AS f_tau_hi,
       ngs.sbp_pdf(:pub, 0.5) AS pdf_tau_lo, round(ngs.sbp_pdf(:pub, 0.4999999)::numeric, 6) AS pdf_below;

-- outside [L, U] the tails continue; infinities, NaN, huge and tiny values
SELECT x, ngs.sbp_cdf(:pub, x) AS cdf, ngs.sbp_pdf(:pub, x) AS pdf, ngs.sbp_logpdf(:pub, x) AS logpdf
FROM unnest('{-Infinity, -1e300, 1e300, Infinity, NaN}'::float8[]) AS x;
SELECT round(ngs.sbp_logpdf(:pub, 1e300)::numeric, 6) AS logpdf_far, ngs.sbp_quantile(:pub, 1e-300) AS q_tiny,
       ngs.sbp_crps(:pub, 1e300) AS crps_far, ngs.sbp_crps(:pub, 'Infinity') AS crps_inf,
       ngs.sbp_crps(:pub, 'NaN') AS crps_nan;
SELECT ngs.sbp_cdf(d, 5e-301) AS mid, ngs.sbp_quantile(d, 0.5) AS median, ngs.sbp_pdf(d, 5e-301) AS density
FROM (SELECT ngs.sbp(0, 1e-300, '{0, 0}', 0, 1e-300, 0, 1e-300) AS d) s;
SELECT round(ngs.sbp_cdf(d, 1e9 + 5)::numeric, 12) AS mid, ngs.sbp_median(d) AS median
FROM (SELECT ngs.sbp(1e9, 1e9 + 10, '{0, 0, 0, 0, 0}', 0.1, 1, 0.1, 1) AS d) s;

-- the mean without a finite tail mean (xi >= 1): -Infinity, +Infinity, NULL
SELECT ngs.sbp_mean(ngs.sbp(0, 1, '{0, 0}', 1, 1, 0, 1)) AS lower_heavy,
       ngs.sbp_mean(ngs.sbp(0, 1, '{0, 0}', 0, 1, 1.5, 1)) AS upper_heavy,
       ngs.sbp_mean(ngs.sbp(0, 1, '{0, 0}', 1, 1, 1, 1)) IS NULL AS both_null;

-- CRPS: closed form at the public case; Infinity when a tail has xi >= 2; finite for 1 <= xi < 2
SELECT y, round(ngs.sbp_crps(:pub, y)::numeric, 10) AS crps FROM unnest('{5, 0, -3, 9.5, 30}'::float8[]) AS y;
SELECT ngs.sbp_crps(ngs.sbp(0, 1, '{0, 0}', 2, 1, 0, 1), 0.5) AS xi_two,
       round(ngs.sbp_crps(ngs.sbp(0, 1, '{0, 0}', 1.5, 1, 1, 1), 0.5)::numeric, 10) AS xi_between_1_and_2;

-- sampling: deterministic for a seed, n = 0 is empty
SELECT round(x::numeric, 10) FROM ngs.sbp_sample(:pub, 3, 42) AS x;
SELECT (SELECT array_agg(x) FROM ngs.sbp_sample(:pub, 5, 7) x) = (SELECT array_agg(x) FROM ngs.sbp_sample(:pub, 5, 7) x) AS same_seed,
       (SELECT array_agg(x) FROM ngs.sbp_sample(:pub, 5, 7) x) <> (SELECT array_agg(x) FROM ngs.sbp_sample(:pub, 5, 8) x) AS other_seed,
       (SELECT count(*) FROM ngs.sbp_sample(:pub, 0, 1)) AS empty;

-- sbp_fit: NULL without values; a fit with fixed bins; defaults from the sample
SELECT ngs.sbp_fit(y) IS NULL AS no_rows FROM generate_series(1, 0) AS y;
SELECT ngs.sbp_fit(NULL::float8) IS NULL AS only_nulls FROM generate_series(1, 20);
SELECT ngs.sbp_bins(d), ngs.sbp_lower(d), ngs.sbp_upper(d), ngs.sbp_alpha(d), ngs.sbp_masses(d)
FROM (SELECT ngs.sbp_fit(y, '{"lower": 0, "upper": 100, "bins": 4, "alpha": 0.1, "prior": 0}') AS d
      FROM generate_series(1, 100) AS y) s;
SELECT ngs.sbp_bins(d), round(ngs.sbp_lower(d)::numeric, 6) AS lower, round(ngs.sbp_upper(d)::numeric, 6) AS upper
FROM (SELECT ngs.sbp_fit(y) AS d FROM generate_series(1, 1000) AS y) s;

-- rejected inputs, one per line
SELECT ngs.sbp(1, 1, '{0, 0}', 0, 1, 0, 1);
SELECT ngs.sbp(2, 1, '{0, 0}', 0, 1, 0, 1);
SELECT ngs.sbp('NaN', 1, '{0, 0}', 0, 1, 0, 1);
SELECT ngs.sbp(0, 'Infinity', '{0, 0}', 0, 1, 0, 1);
SELECT ngs.sbp(-1e308, 1e308, '{0, 0}', 0, 1, 0, 1);
SELECT ngs.sbp(1e15, 1e15 + 1, '{0, 0}', 0, 1, 0, 1);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 0, 0, 1);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, -1);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 'NaN', 0, 1);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 'Infinity', 0, 1);
SELECT ngs.sbp(0, 1, '{0, 0}', 'NaN', 1, 0, 1);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 1, '-Infinity', 1);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1, 0);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1, 0.5);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1, -0.1);
SELECT ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1, 'NaN');
SELECT ngs.sbp(0, 1, '{}', 0, 1, 0, 1);
SELECT ngs.sbp(0, 1, '{0}', 0, 1, 0, 1);
SELECT ngs.sbp(0, 1, array_fill(0::float8, array[1001]), 0, 1, 0, 1);
SELECT ngs.sbp(0, 1, '{{0, 0}, {0, 0}}', 0, 1, 0, 1);
SELECT ngs.sbp(0, 1, '{0, NULL}', 0, 1, 0, 1);
SELECT ngs.sbp(0, 1, '{0, NaN}', 0, 1, 0, 1);
SELECT ngs.sbp(0, 1, '{0, -Infinity}', 0, 1, 0, 1);
SELECT ngs.sbp_from_masses(0, 1, '{0.5, 0.6}', 0, 1, 0, 1);
SELECT ngs.sbp_from_masses(0, 1, '{1.5, -0.5}', 0, 1, 0, 1);
SELECT ngs.sbp_from_masses(0, 1, '{0.5, NaN}', 0, 1, 0, 1);
SELECT ngs.sbp_from_masses(0, 1, '{0, 0}', 0, 1, 0, 1);
SELECT ngs.sbp_quantile(:pub, -0.1);
SELECT ngs.sbp_quantile(:pub, 1.1);
SELECT ngs.sbp_quantile(:pub, 'NaN');
SELECT count(*) FROM ngs.sbp_sample(:pub, -1, 1);
SELECT 'not json'::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1}'::ngs.sbp;
SELECT '{"version":1,"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.5,0.5]}'::ngs.sbp;
SELECT '{"version":1,"bins":2,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.5,0.5]}'::ngs.sbp;
SELECT '{"version":2,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.5,0.5]}'::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.5,0.5]} x'::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.5,NaN]}'::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.5,1e999]}'::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":0,"xi_hi":0,"beta_hi":1,"mass":[0.5,0.5]}'::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[0.5,0.4]}'::ngs.sbp;
SELECT '{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":[1]}'::ngs.sbp;
SELECT ('{"version":1,"lower":0,"upper":1,"alpha":0.1,"xi_lo":0,"beta_lo":1,"xi_hi":0,"beta_hi":1,"mass":['
        || array_to_string(array_fill(0.001::float8, array[1001]), ',') || ']}')::ngs.sbp;
SELECT sbp_recv_bytes('\x0200000200000000000000003ff0000000000000'::bytea);
SELECT sbp_recv_bytes('\x01000002'::bytea || substring(ngs.sbp_send(ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1)) from 5 for 20));
SELECT sbp_recv_bytes(ngs.sbp_send(ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1)) || '\x00'::bytea);
SELECT sbp_recv_bytes('\x010003e9'::bytea);
SELECT sbp_recv_bytes('\x01000001'::bytea);
SELECT sbp_recv_bytes('\x01'::bytea);
SELECT sbp_recv_bytes(overlay(ngs.sbp_send(ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1)) placing '\x01'::bytea from 2));
SELECT sbp_recv_bytes(overlay(ngs.sbp_send(ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1)) placing float8send(-1) from 37));
SELECT sbp_recv_bytes(overlay(ngs.sbp_send(ngs.sbp(0, 1, '{0, 0}', 0, 1, 0, 1)) placing float8send('NaN') from 61));
SELECT ngs.sbp_fit(y) FROM unnest('{1, 2, NaN}'::float8[]) AS y;
SELECT ngs.sbp_fit(y) FROM generate_series(1, 5) AS y;
SELECT ngs.sbp_fit(7) FROM generate_series(1, 50);
SELECT ngs.sbp_fit(y, '{"bins": 1}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"bins": 2.5}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"bins": 2.0000000000000000001}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"bins": 1e1000}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"alpha": 0.5}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"alpha": 1e1000}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"prior": -1}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"prior": 1e1000}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"lower": 10, "upper": 0}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"lower": 100}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"lower": "0"}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"lower": -1e1000}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '{"width": 1}') FROM generate_series(1, 50) AS y;
SELECT ngs.sbp_fit(y, '[1, 2]') FROM generate_series(1, 50) AS y;

DROP FUNCTION sbp_recv_bytes(bytea);

-- extreme accepted parameters: a tail with xi >= 2 has an infinite CRPS however small
-- alpha^2 is; a mean that overflows a double is an error, not NULL or Infinity
SELECT ngs.sbp_crps(ngs.sbp(0, 1, '{0,0}', 3, 1, 0, 1, 1e-200), 0.5) AS crps_tiny_alpha;
SELECT ngs.sbp_mean(ngs.sbp(0, 1, '{0,0}', 0.5, 1e308, 0.5, 1e308));
SELECT ngs.sbp_mean(ngs.sbp(0, 1, '{0,0}', 0, 1, 0.5, 1e308));
