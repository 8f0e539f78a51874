-- ngs.sbp against an independent float64 implementation (tools/sbp_reference.py: scipy's
-- genpareto for the tails, adaptive quadrature for the CRPS) on 50 configurations the other
-- tests do not use.  Values near zero are compared relative to the bin range U - L.
BEGIN;
SELECT plan(9);

\ir ../fixtures/sbp_reference.sql

CREATE TEMP TABLE got AS
SELECT v.fn, v.arg, v.expected, d.upper - d.lower AS span,
       CASE v.fn
           WHEN 'cdf' THEN ngs.sbp_cdf(d.s, v.arg)
           WHEN 'pdf' THEN ngs.sbp_pdf(d.s, v.arg)
           WHEN 'logpdf' THEN ngs.sbp_logpdf(d.s, v.arg)
           WHEN 'quantile' THEN ngs.sbp_quantile(d.s, v.arg)
           WHEN 'crps' THEN ngs.sbp_crps(d.s, v.arg)
           WHEN 'mean' THEN ngs.sbp_mean(d.s)
           WHEN 'median' THEN ngs.sbp_median(d.s)
           WHEN 'tau_lo' THEN ngs.sbp_tau_lo(d.s)
           WHEN 'tau_hi' THEN ngs.sbp_tau_hi(d.s)
       END AS actual
FROM ref_value v
JOIN (SELECT id, lower, upper, ngs.sbp(lower, upper, logits, xi_lo, beta_lo, xi_hi, beta_hi, alpha) AS s
      FROM ref_dist) d USING (id);

-- absolute and relative errors; equal values (infinities, NULL means) count as exact
CREATE TEMP TABLE err AS
SELECT fn, count(*) AS n,
       max(CASE WHEN actual = expected OR (actual IS NULL AND expected IS NULL) THEN 0
                ELSE abs(actual - expected) END) AS abs_err,
       max(CASE WHEN actual = expected OR (actual IS NULL AND expected IS NULL) THEN 0
                ELSE abs(actual - expected) / greatest(abs(expected), span) END) AS rel_err
FROM got GROUP BY fn;

SELECT ok(abs_err <= 1e-9, format('cdf agrees to 1e-9 at %s points (largest difference %s)', n, abs_err))
FROM err WHERE fn = 'cdf';
SELECT ok(rel_err <= 1e-7, format('quantile agrees to 1e-7 relative at %s levels, 0 and 1 included (largest %s)', n, rel_err))
FROM err WHERE fn = 'quantile';
SELECT ok(rel_err <= 1e-6, format('crps agrees to 1e-6 relative with quadrature for %s outcomes (largest %s)', n, rel_err))
FROM err WHERE fn = 'crps';
SELECT ok(rel_err <= 1e-9, format('pdf agrees to 1e-9 relative at %s points off the splice points (largest %s)', n, rel_err))
FROM err WHERE fn = 'pdf';
SELECT ok(abs_err <= 1e-9, format('logpdf agrees to 1e-9 at %s points, -Infinity outside finite tails (largest %s)', n, abs_err))
FROM err WHERE fn = 'logpdf';
SELECT ok(rel_err <= 1e-9, format('mean agrees to 1e-9 relative for %s distributions, NULL when both tails have xi >= 1 (largest %s)', n, rel_err))
FROM err WHERE fn = 'mean';
SELECT ok(rel_err <= 1e-12, format('median agrees for %s distributions (largest %s)', n, rel_err))
FROM err WHERE fn = 'median';
SELECT ok(max(rel_err) <= 1e-14, format('splice points agree for %s distributions (largest %s)', sum(n), max(rel_err)))
FROM err WHERE fn IN ('tau_lo', 'tau_hi');
SELECT is((SELECT count(*) FROM got WHERE fn <> 'mean' AND actual IS NULL), 0::bigint,
          'every reference value was computed');

SELECT * FROM finish();
ROLLBACK;
