-- ngs.sbp_cdf against the extension's SQL overhead floor: ngs.sbp_alpha, a trivial C function
-- that takes the same distribution (detoasted the same way) and returns a field. 200,000
-- calls per run over a column of distributions (60 bins, the size of the default model's);
-- times are the best of three serial runs.
SET max_parallel_workers_per_gather = 0;
\o /dev/null
CREATE TEMP TABLE bench_sbp AS
SELECT g AS i, (g % 100) / 10.0 - 5 AS x,
       ngs.sbp(-10, 50, (SELECT array_agg(sin(k * 0.3 + g % 7)) FROM generate_series(1, 60) k), 0.2, 2, 0.3, 5) AS d
FROM generate_series(1, 200000) g;
ANALYZE bench_sbp;
SELECT bench_best_of_three('sbp floor', 'SELECT sum(ngs.sbp_alpha(d) + x) FROM bench_sbp', 'ngs.sbp_alpha(');
SELECT bench_best_of_three('sbp_cdf', 'SELECT sum(ngs.sbp_cdf(d, x)) FROM bench_sbp', 'ngs.sbp_cdf(');
\o
SELECT format('ngs.sbp_cdf, 60 bins (ns/call)|%s|%s|%s|<= 2x the floor',
              round((f.seconds * 5e3)::numeric), round((c.seconds * 5e3)::numeric),
              round((c.seconds / f.seconds)::numeric, 2) || 'x the floor')
FROM bench_timings f, bench_timings c WHERE f.what = 'sbp floor' AND c.what = 'sbp_cdf';
