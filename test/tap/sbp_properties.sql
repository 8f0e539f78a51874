-- Properties of ngs.sbp that need no oracle (shared/design/sbp.md), on 200 random
-- parameter sets: F(Q(q)) = q, monotone and continuous F, integral of f = 1 by quadrature,
-- mirror symmetry, CRPS against quadrature, the pinball form and a large sample.
BEGIN;
SELECT plan(22);
SELECT setseed(0.2718);

-- 200 random distributions: 2..61 bins, shapes in [-0.5, 0.8] with exact zeros, scales
-- from 0.1 to 20, alpha from 0.005 to 0.45
CREATE TEMP TABLE dist AS
SELECT i, ngs.sbp(lower, lower + span, logits, xi_lo, beta_lo, xi_hi, beta_hi, alpha) AS d,
       lower, span, xi_lo, beta_lo, xi_hi, beta_hi, alpha
FROM (SELECT i, random() * 60 - 30 AS lower, exp(random() * 5 - 1) AS span,
             2 + floor(random() * 60)::int AS bins,
             CASE WHEN i % 4 = 0 THEN 0 ELSE random() * 1.3 - 0.5 END AS xi_lo,
             CASE WHEN i % 5 = 0 THEN 0 ELSE random() * 1.3 - 0.5 END AS xi_hi,
             exp(random() * 5.3 - 2.3) AS beta_lo, exp(random() * 5.3 - 2.3) AS beta_hi,
             0.005 + random() * 0.445 AS alpha
      FROM generate_series(1, 200) AS i) p,
     LATERAL (SELECT array_agg(random() * 8 - 4) AS logits FROM generate_series(1, p.bins)) l;
ALTER TABLE dist ADD COLUMN tau_lo float8, ADD COLUMN tau_hi float8, ADD COLUMN body_density float8;
UPDATE dist SET tau_lo = ngs.sbp_tau_lo(d), tau_hi = ngs.sbp_tau_hi(d),
    body_density = (SELECT max(m) FROM unnest(ngs.sbp_masses(d)) m) * ngs.sbp_bins(d) / span;

-- quantile levels: a fine grid, the splice levels, and deep tails
CREATE TEMP TABLE level AS
SELECT q FROM generate_series(0.0005, 0.9995, 0.001) AS q
UNION ALL SELECT unnest('{1e-300, 1e-12, 1e-6, 0.999999, 0.999999999999}'::float8[]);

-- F(Q(q)) = q, relative to min(q, 1 - q) (near the end of a finite tail F is ill-conditioned,
-- hence the absolute floor 1e-15)
SELECT ok(bool_and(abs(ngs.sbp_cdf(d, ngs.sbp_quantile(d, q)) - q) <= 1e-9 * least(q, 1 - q) + 1e-15),
          format('F(Q(q)) = q to 1e-9 relative, 200 distributions x 1005 levels (largest relative error %s)',
                 max(abs(ngs.sbp_cdf(d, ngs.sbp_quantile(d, q)) - q) / least(q, 1 - q)) FILTER (WHERE q > 1e-300)))
FROM dist, level;
-- (to the rounding of tau itself: 1e-15 |tau| times the density)
SELECT ok(bool_and(abs(ngs.sbp_cdf(d, tau_lo) - alpha) <= 1e-14 + 1e-15 * abs(tau_lo) * body_density
                   AND abs(ngs.sbp_cdf(d, tau_hi) - (1 - alpha)) <= 1e-14 + 1e-15 * abs(tau_hi) * body_density),
          'F(tau_lo) = alpha and F(tau_hi) = 1 - alpha')
FROM dist;

-- Q non-decreasing, and F non-decreasing on a grid through both tails, edges and splice points
SELECT ok(bool_and(x >= prev), 'Q is non-decreasing on 1005 levels')
FROM (SELECT ngs.sbp_quantile(d, q) AS x, lag(ngs.sbp_quantile(d, q)) OVER (PARTITION BY i ORDER BY q) AS prev
      FROM dist, level) s WHERE prev IS NOT NULL;
CREATE TEMP TABLE grid AS
SELECT i, x FROM dist, LATERAL (
    SELECT ngs.sbp_quantile(d, 1e-9) + k * (ngs.sbp_quantile(d, 1 - 1e-9) - ngs.sbp_quantile(d, 1e-9)) / 2000 AS x
    FROM generate_series(0, 2000) k
    UNION ALL SELECT lower + k * span / ngs.sbp_bins(d) FROM generate_series(0, ngs.sbp_bins(d)) k
    UNION ALL SELECT unnest(array[tau_lo, tau_hi, lower - span, lower + 2 * span, -1e300, 1e300])) g;
SELECT ok(bool_and(f >= prev) AND bool_and(f BETWEEN 0 AND 1),
          format('F is non-decreasing and in [0, 1] at %s points', count(*)))
FROM (SELECT ngs.sbp_cdf(d, x) AS f, lag(ngs.sbp_cdf(d, x)) OVER (PARTITION BY i ORDER BY x) AS prev
      FROM grid JOIN dist USING (i)) s WHERE prev IS NOT NULL;

-- continuity at the splice points: |F(tau + h) - F(tau - h)| <= 2h * (largest density nearby)
SELECT ok(bool_and(abs(ngs.sbp_cdf(d, t + h) - ngs.sbp_cdf(d, t - h)) <= 2 * h * dens * (1 + 1e-6) + 1e-15),
          'F is continuous at tau_lo and tau_hi (h = 1e-9 of the range)')
FROM (SELECT d, tau_lo AS t, span * 1e-9 AS h, greatest(alpha / beta_lo, body_density) AS dens FROM dist
      UNION ALL
      SELECT d, tau_hi, span * 1e-9, greatest(alpha / beta_hi, body_density) FROM dist) s;

-- log density = log of the density
SELECT ok(bool_and(abs(ngs.sbp_logpdf(d, x) - ln(ngs.sbp_pdf(d, x))) <= 1e-12 * greatest(1, abs(ngs.sbp_logpdf(d, x)))),
          'logpdf = ln(pdf) wherever the density is positive')
FROM grid JOIN dist USING (i) WHERE ngs.sbp_pdf(d, x) > 1e-300;

-- quadrature nodes on [0, inf) (exp-sinh) and on [0, 1] (tanh-sinh), step 0.02
CREATE TEMP TABLE node AS
SELECT exp(pi() / 2 * sinh(t)) AS es_x, 0.02 * pi() / 2 * cosh(t) * exp(pi() / 2 * sinh(t)) AS es_w,
       (1 + tanh(pi() / 2 * sinh(t))) / 2 AS ts_x, 0.02 * pi() / 4 * cosh(t) / cosh(pi() / 2 * sinh(t)) ^ 2 AS ts_w
FROM generate_series(-4, 4, 0.02) AS t;

-- the integral over z in [0, len] of h(start + dir * z), h = the density (c NULL) or
-- (F - c)^2; len = Infinity uses exp-sinh with the given scale.  Values below 1e-100 are
-- dropped (SQL float arithmetic refuses to underflow).
CREATE FUNCTION pg_temp.line(d ngs.sbp, start float8, dir float8, len float8, scale float8, c float8)
RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT sum(CASE WHEN h < 1e-100 THEN 0 WHEN c IS NULL THEN w * h ELSE w * h * h END)
    FROM (SELECT w, CASE WHEN c IS NULL THEN ngs.sbp_pdf(d, start + dir * z)
                         ELSE abs(ngs.sbp_cdf(d, start + dir * z) - c) END AS h
          FROM (SELECT CASE WHEN len = 'Infinity' THEN es_x * scale ELSE ts_x * len END AS z,
                       CASE WHEN len = 'Infinity' THEN es_w * scale ELSE ts_w * len END AS w
                FROM pg_temp.node) n) v
$$;
-- the length of a tail's support past its splice point
CREATE FUNCTION pg_temp.reach(xi float8, beta float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN xi < 0 THEN -beta / xi ELSE 'Infinity' END
$$;
-- body pieces: the bins clipped to [tau_lo, tau_hi] and split at y
CREATE FUNCTION pg_temp.pieces(d ngs.sbp, y float8) RETURNS TABLE (a float8, b float8)
LANGUAGE sql STABLE AS $$
    WITH cut AS (
        SELECT DISTINCT x FROM (
            SELECT ngs.sbp_tau_lo(d) AS x UNION ALL SELECT ngs.sbp_tau_hi(d)
            UNION ALL SELECT y WHERE y > ngs.sbp_tau_lo(d) AND y < ngs.sbp_tau_hi(d)
            UNION ALL SELECT e FROM (SELECT ngs.sbp_lower(d) + k * (ngs.sbp_upper(d) - ngs.sbp_lower(d)) / ngs.sbp_bins(d) AS e
                                     FROM generate_series(1, ngs.sbp_bins(d) - 1) k) edge
                      WHERE e > ngs.sbp_tau_lo(d) AND e < ngs.sbp_tau_hi(d)) c)
    SELECT x, lead(x) OVER (ORDER BY x) FROM cut
$$;

-- integral of f = 1: each tail alpha, the body 1 - 2 alpha (f constant on each piece)
CREATE TEMP TABLE mass AS
SELECT i, alpha,
       pg_temp.line(d, tau_lo, -1, pg_temp.reach(xi_lo, beta_lo), beta_lo, NULL) AS lower_tail,
       pg_temp.line(d, tau_hi, 1, pg_temp.reach(xi_hi, beta_hi), beta_hi, NULL) AS upper_tail,
       (SELECT sum((b - a) * ngs.sbp_pdf(d, (a + b) / 2)) FROM pg_temp.pieces(d, tau_lo) WHERE b IS NOT NULL) AS body
FROM dist;
SELECT ok(max(abs(lower_tail - alpha) / alpha) <= 1e-8 AND max(abs(upper_tail - alpha) / alpha) <= 1e-8,
          format('each tail integrates to alpha by quadrature (largest relative error %s)',
                 greatest(max(abs(lower_tail - alpha) / alpha), max(abs(upper_tail - alpha) / alpha))))
FROM mass;
SELECT ok(max(abs(body - (1 - 2 * alpha))) <= 1e-12, 'the body integrates to 1 - 2 alpha') FROM mass;
SELECT ok(max(abs(lower_tail + body + upper_tail - 1)) <= 1e-8,
          format('the density integrates to 1 (largest error %s)', max(abs(lower_tail + body + upper_tail - 1))))
FROM mass;

-- mirror: L' = -U, U' = -L, masses reversed, tails swapped gives F'(-x) = 1 - F(x)
CREATE TEMP TABLE mirror AS
SELECT i, d, ngs.sbp_from_masses(-(lower + span), -lower,
           (SELECT array_agg(m ORDER BY k DESC) FROM unnest(ngs.sbp_masses(d)) WITH ORDINALITY AS u(m, k)),
           xi_hi, beta_hi, xi_lo, beta_lo, alpha) AS m
FROM dist;
SELECT ok(max(abs(ngs.sbp_cdf(m, -x) - (1 - ngs.sbp_cdf(d, x)))) <= 1e-13,
          'the mirrored distribution has F''(-x) = 1 - F(x)')
FROM grid JOIN mirror USING (i);
SELECT ok(max(abs(ngs.sbp_quantile(m, q) + ngs.sbp_quantile(d, 1 - q)) / greatest(1, abs(ngs.sbp_quantile(d, 1 - q)))) <= 1e-11,
          'the mirrored distribution has Q''(q) = -Q(1 - q) (at dyadic levels, where 1 - q is exact)')
FROM mirror, (SELECT k / 4096.0 AS q FROM generate_series(1, 4095) k UNION ALL SELECT 2 ^ -40) l;
SELECT ok(max(abs(ngs.sbp_crps(m, -x) - ngs.sbp_crps(d, x)) / ngs.sbp_crps(d, x)) <= 1e-11,
          'the mirrored distribution has CRPS''(-y) = CRPS(y)')
FROM (SELECT i, x FROM grid WHERE abs(x) < 1e6) g JOIN mirror USING (i);

-- a mirror-sym parameter set (palindromic masses, equal tails) around c = (L + U)/2
CREATE TEMP TABLE sym AS
SELECT i, ngs.sbp(lower, lower + span, logits || (SELECT array_agg(v ORDER BY k DESC) FROM unnest(logits) WITH ORDINALITY u(v, k)),
                  xi_lo, beta_lo, xi_lo, beta_lo, alpha) AS d, lower + span / 2 AS c, span, xi_lo
FROM (SELECT i, lower, span, xi_lo, beta_lo, alpha, (ngs.sbp_logits(d))[1:(ngs.sbp_bins(d) + 1) / 2] AS logits
      FROM dist WHERE i <= 100) s;
SELECT ok(max(abs(ngs.sbp_cdf(d, c - t) - (1 - ngs.sbp_cdf(d, c + t)))) <= 1e-13,
          'a symmetric parameter set has F(c - t) = 1 - F(c + t)')
FROM sym, LATERAL (SELECT span * (k / 50.0) ^ 2 AS t FROM generate_series(0, 200) k) g;
SELECT ok(max(abs(ngs.sbp_mean(d) - c)) <= 1e-12 * max(span + abs(c)), 'a symmetric parameter set has mean c')
FROM sym WHERE xi_lo < 1;

-- CRPS against quadrature of its definition, outcomes across the support
CREATE TEMP TABLE outcome AS
SELECT i, d, y, tau_lo, tau_hi, xi_lo, beta_lo, xi_hi, beta_hi
FROM dist, LATERAL (SELECT ngs.sbp_quantile(d, u) AS y FROM unnest('{0.003, 0.3, 0.77, 0.999}'::float8[]) u) o
WHERE i <= 60;
CREATE TEMP TABLE crps AS
SELECT i, y, ngs.sbp_crps(d, y) AS closed,
       -- lower tail: F^2 left of y, (1 - F)^2 right of it
       CASE WHEN y >= tau_lo THEN pg_temp.line(d, tau_lo, -1, pg_temp.reach(xi_lo, beta_lo), beta_lo, 0)
            ELSE pg_temp.line(d, tau_lo, -1, tau_lo - y, NULL, 1)
                 + pg_temp.line(d, y, -1, pg_temp.reach(xi_lo, beta_lo) - (tau_lo - y), beta_lo, 0) END
       -- the body, Simpson's rule on each piece (exact: F is linear there)
       + (SELECT sum((b - a) / 6 * ((ngs.sbp_cdf(d, a) - c) ^ 2 + 4 * (ngs.sbp_cdf(d, (a + b) / 2) - c) ^ 2
                                    + (ngs.sbp_cdf(d, b) - c) ^ 2))
          FROM (SELECT a, b, CASE WHEN b <= y THEN 0 ELSE 1 END AS c FROM pg_temp.pieces(d, y) WHERE b IS NOT NULL) p)
       -- upper tail
       + CASE WHEN y <= tau_hi THEN pg_temp.line(d, tau_hi, 1, pg_temp.reach(xi_hi, beta_hi), beta_hi, 1)
              ELSE pg_temp.line(d, tau_hi, 1, y - tau_hi, NULL, 0)
                   + pg_temp.line(d, y, 1, pg_temp.reach(xi_hi, beta_hi) - (y - tau_hi), beta_hi, 1) END AS quadrature
FROM outcome;
SELECT ok(max(abs(closed - quadrature) / closed) <= 1e-8,
          format('closed-form CRPS = quadrature for %s outcomes (largest relative difference %s)',
                 count(*), max(abs(closed - quadrature) / closed)))
FROM crps;

-- CRPS against the quantile form 2 * integral of the pinball loss, midpoint rule on 20000 levels
SELECT ok(max(abs(closed - pinball) / closed) <= 1e-4,
          format('closed-form CRPS = 2 x integral of the pinball loss for %s outcomes with xi < 0.5 (largest relative difference %s)',
                 count(*), max(abs(closed - pinball) / closed)))
FROM (SELECT ngs.sbp_crps(d, y) AS closed,
             2 * (SELECT avg((y - x) * (q - CASE WHEN y < x THEN 1 ELSE 0 END))
                  FROM (SELECT q, ngs.sbp_quantile(d, q) AS x FROM (SELECT (k + 0.5) / 20000 AS q FROM generate_series(0, 19999) k) l) z) AS pinball
      FROM outcome WHERE i <= 15 AND xi_lo < 0.5 AND xi_hi < 0.5) s;

-- CRPS against a large sample: mean |X - y| - mean |X - X'|/2 over 100000 draws, within four
-- standard errors (from the estimator's influence terms |x - y| - mean |x - X'|)
CREATE TEMP TABLE draw AS
SELECT i, x, row_number() OVER (PARTITION BY i ORDER BY x) AS r, count(*) OVER (PARTITION BY i) AS n,
       sum(x) OVER (PARTITION BY i ORDER BY x) AS below, sum(x) OVER (PARTITION BY i) AS total
FROM (SELECT i, d FROM dist WHERE xi_lo < 0.3 AND xi_hi < 0.3 AND i <= 12) o,
     ngs.sbp_sample(o.d, 100000, o.i) AS x;
SELECT ok(bool_and(abs(closed - sampled) <= 4 * se),
          format('closed-form CRPS = large-sample estimate for %s outcomes (largest difference %s standard errors)',
                 count(*), round(max(abs(closed - sampled) / se)::numeric, 2)))
FROM (SELECT min(ngs.sbp_crps(o.d, o.y)) AS closed,
             avg(abs(x - o.y)) - avg(spread) / 2 * n / (n - 1) AS sampled,
             stddev(abs(x - o.y) - spread) / sqrt(n) AS se
      FROM outcome o
      JOIN (SELECT i, x, n, (x * r - below + (total - below) - x * (n - r)) / n AS spread FROM draw) s USING (i)
      GROUP BY o.i, o.y, n) c;

-- draws are distributed as F: Kolmogorov-Smirnov distance of F(X) from uniform, 100000 draws
SELECT ok(max(ks) <= 1.63 / sqrt(100000),
          format('sampled F(X) is uniform: KS distance %s <= 1.63/sqrt(n) on 5 distributions', max(ks)))
FROM (SELECT i, max(greatest(r / 100000.0 - u, u - (r - 1) / 100000.0)) AS ks
      FROM (SELECT i, u, row_number() OVER (PARTITION BY i ORDER BY u) AS r
            FROM (SELECT i, ngs.sbp_cdf(d, x) AS u FROM dist, ngs.sbp_sample(d, 100000, 1000 + i) AS x WHERE i <= 5) s) t
      GROUP BY i) k;

-- sbp_fit recovers known parameters from 200000 draws
CREATE TABLE sbp_fit_sample AS
SELECT x FROM ngs.sbp_sample(ngs.sbp(-5, 25, '{0.5, 1, 1.5, 1.2, 1, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0, -0.2, -0.4, -0.6}',
                                     0.1, 1.5, 0.3, 3, 0.05), 200000, 2024) AS x;
CREATE TEMP TABLE fit AS
SELECT ngs.sbp(-5, 25, '{0.5, 1, 1.5, 1.2, 1, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0, -0.2, -0.4, -0.6}', 0.1, 1.5, 0.3, 3, 0.05) AS truth,
       (SELECT ngs.sbp_fit(x, '{"lower": -5, "upper": 25, "bins": 15, "alpha": 0.05}') FROM sbp_fit_sample) AS fixed,
       (SELECT ngs.sbp_fit(x) FROM sbp_fit_sample) AS auto;
SELECT ok(abs(ngs.sbp_xi_lo(fixed) - 0.1) <= 0.06 AND abs(ngs.sbp_xi_hi(fixed) - 0.3) <= 0.06
          AND abs(ngs.sbp_beta_lo(fixed) / 1.5 - 1) <= 0.08 AND abs(ngs.sbp_beta_hi(fixed) / 3 - 1) <= 0.08
          AND (SELECT max(abs(a - b)) FROM unnest(ngs.sbp_masses(fixed), ngs.sbp_masses(truth)) m(a, b)) <= 0.005,
          format('sbp_fit recovers xi within 0.06, beta within 8%%, masses within 0.005 (xi %s/%s, beta %s/%s)',
                 round(ngs.sbp_xi_lo(fixed)::numeric, 3), round(ngs.sbp_xi_hi(fixed)::numeric, 3),
                 round(ngs.sbp_beta_lo(fixed)::numeric, 3), round(ngs.sbp_beta_hi(fixed)::numeric, 3)))
FROM fit;
SELECT ok(max(abs(ngs.sbp_cdf(fixed, x) - ngs.sbp_cdf(truth, x))) <= 0.005 AND max(abs(ngs.sbp_cdf(auto, x) - ngs.sbp_cdf(truth, x))) <= 0.005,
          'the fitted CDFs (given bins and default bins) are within 0.005 of the true one')
FROM fit, generate_series(-40, 80, 0.25) AS x;

-- sbp_fit in a parallel plan gives the serial plan's result
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
SELECT ok(pg_temp.plan('SELECT ngs.sbp_fit(x, ''{"bins": 15}'') FROM sbp_fit_sample') ~ '(?s)Workers Launched: [1-9].*Partial Aggregate',
          'sbp_fit runs as a parallel partial aggregate');
CREATE TEMP TABLE parallel_fit AS SELECT ngs.sbp_fit(x)::text AS t FROM sbp_fit_sample;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT is((SELECT t FROM parallel_fit), (SELECT ngs.sbp_fit(x)::text FROM sbp_fit_sample),
          'sbp_fit gives the same distribution in parallel and serial plans');

SELECT * FROM finish();
ROLLBACK;
