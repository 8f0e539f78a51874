-- Evaluation aggregates and ngs.kfold: golden values from scikit-learn and numpy
-- (tools/make-metric-fixtures), random data against plain-SQL references, edge cases.
BEGIN;
SELECT plan(25);

CREATE TABLE metric_rows (case_id int, score float8, label bool, p float8, u float8);
\copy metric_rows FROM 'test/fixtures/metrics_rows.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE metric_expected (
    case_id int, roc_auc float8, average_precision float8, brier float8, log_loss float8,
    pit_bins int, pit_counts bigint[], rel_bins int, rel_mean_predicted float8[],
    rel_observed_frequency float8[], rel_count bigint[]);
\copy metric_expected FROM 'test/fixtures/metrics_expected.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE metric_kfold (key_type text, key text, k int, seed int, fold int);
\copy metric_kfold FROM 'test/fixtures/metrics_kfold.csv' WITH (FORMAT csv, HEADER)

-- a and b agree to 1e-12 (relative above 1), or are both NULL
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS bool
    AS $$ SELECT a IS NOT DISTINCT FROM b OR abs(a - b) <= 1e-12 * greatest(1, abs(b)) $$
    LANGUAGE sql IMMUTABLE;

CREATE TABLE metric_got AS
SELECT case_id,
       ngs.roc_auc(score, label) AS roc_auc,
       ngs.average_precision(score, label) AS average_precision,
       ngs.brier(p, label) AS brier,
       ngs.log_loss(p, label) AS log_loss,
       ngs.pit_histogram(u, e.pit_bins) AS pit_counts,
       ngs.reliability(p, label, e.rel_bins) AS rel
FROM metric_rows JOIN metric_expected e USING (case_id)
GROUP BY case_id;

-- the reliability curve without its empty bins, as scikit-learn reports it
CREATE TABLE metric_got_rel AS
SELECT case_id,
       array_agg(m ORDER BY i) FILTER (WHERE c > 0) AS mean_predicted,
       array_agg(o ORDER BY i) FILTER (WHERE c > 0) AS observed_frequency,
       array_agg(c ORDER BY i) FILTER (WHERE c > 0) AS count
FROM metric_got, unnest((rel).mean_predicted, (rel).observed_frequency, (rel).count)
     WITH ORDINALITY AS b(m, o, c, i)
GROUP BY case_id;

SELECT is((SELECT count(*) FROM metric_got), 8::bigint, 'the 8 golden cases are loaded');
SELECT is((SELECT count(*) FROM metric_rows), 9759::bigint, 'the 9759 golden rows are loaded');

SELECT is_empty($$
    SELECT case_id, g.roc_auc, e.roc_auc FROM metric_got g JOIN metric_expected e USING (case_id)
    WHERE NOT pg_temp.close(g.roc_auc, e.roc_auc) $$,
    'roc_auc agrees with sklearn.metrics.roc_auc_score to 1e-12');
SELECT is_empty($$
    SELECT case_id, g.average_precision, e.average_precision
    FROM metric_got g JOIN metric_expected e USING (case_id)
    WHERE NOT pg_temp.close(g.average_precision, e.average_precision) $$,
    'average_precision agrees with sklearn.metrics.average_precision_score to 1e-12');
SELECT is_empty($$
    SELECT case_id, g.brier, e.brier FROM metric_got g JOIN metric_expected e USING (case_id)
    WHERE NOT pg_temp.close(g.brier, e.brier) $$,
    'brier agrees with sklearn.metrics.brier_score_loss to 1e-12');
SELECT is_empty($$
    SELECT case_id, g.log_loss, e.log_loss FROM metric_got g JOIN metric_expected e USING (case_id)
    WHERE NOT pg_temp.close(g.log_loss, e.log_loss) $$,
    'log_loss agrees with sklearn.metrics.log_loss (eps clipping included) to 1e-12');
SELECT is_empty($$
    SELECT case_id, g.pit_counts, e.pit_counts FROM metric_got g JOIN metric_expected e USING (case_id)
    WHERE g.pit_counts <> e.pit_counts $$,
    'pit_histogram counts equal numpy.histogram(u, bins, range=(0, 1)), values on edges included');
SELECT is_empty($$
    SELECT case_id, g.count, e.rel_count FROM metric_got_rel g JOIN metric_expected e USING (case_id)
    WHERE g.count <> e.rel_count $$,
    'reliability bin counts equal sklearn calibration_curve''s bins, values on edges included');
SELECT is_empty($$
    SELECT case_id, i, m, em, o, eo
    FROM metric_got_rel g JOIN metric_expected e USING (case_id),
         unnest(g.mean_predicted, e.rel_mean_predicted, g.observed_frequency,
                e.rel_observed_frequency) WITH ORDINALITY AS b(m, em, o, eo, i)
    WHERE NOT (pg_temp.close(m, em) AND pg_temp.close(o, eo)) $$,
    'reliability mean predicted and observed frequency agree with calibration_curve to 1e-12');

-- Random data with ties against plain-SQL definitions
SELECT setseed(0.25);
CREATE TABLE rnd AS
SELECT round(random() * 40) / 4 AS s, random() < 0.35 AS l, random() AS p,
       random() AS u
FROM generate_series(1, 600) i;

SELECT is((SELECT ngs.roc_auc(s, l) FROM rnd),
          (SELECT sum(CASE WHEN a.s > b.s THEN 2 WHEN a.s = b.s THEN 1 ELSE 0 END)::float8
                  / (2 * count(*)) FROM rnd a, rnd b WHERE a.l AND NOT b.l),
          'roc_auc is exactly the Mann-Whitney statistic counted pair by pair, ties 1/2');
SELECT ok(abs((SELECT ngs.roc_auc(-s, l) FROM rnd) - (1 - (SELECT ngs.roc_auc(s, l) FROM rnd)))
          < 1e-15, 'roc_auc of the negated scores is 1 - roc_auc');
SELECT ok(pg_temp.close(
    (SELECT ngs.average_precision(s, l) FROM rnd),
    (WITH thr AS (SELECT s, count(*) FILTER (WHERE l) AS tp_g, count(*) FILTER (WHERE NOT l) AS fp_g
                  FROM rnd GROUP BY s),
          cum AS (SELECT tp_g, sum(tp_g) OVER w AS tp, sum(fp_g) OVER w AS fp
                  FROM thr WINDOW w AS (ORDER BY s DESC))
     SELECT sum(tp_g * (tp::float8 / (tp + fp))) / sum(tp_g) FROM cum)),
    'average_precision is the sum over tied-score thresholds of recall gain x precision');
SELECT ok(pg_temp.close((SELECT ngs.brier(p, l) FROM rnd),
                        (SELECT avg((p - l::int) ^ 2) FROM rnd)),
          'brier is the mean squared error of p against the label');
SELECT ok(pg_temp.close((SELECT ngs.log_loss(p, l) FROM rnd),
                        (SELECT avg(-ln(CASE WHEN l THEN p ELSE 1 - p END)) FROM rnd)),
          'log_loss is the mean of -ln(probability of the outcome)');
SELECT is((SELECT ngs.pit_histogram(u, 8) FROM rnd),
          (SELECT array_agg(coalesce(n, 0) ORDER BY b)
           FROM generate_series(0, 7) b
           LEFT JOIN (SELECT floor(u * 8)::int AS b, count(*) AS n FROM rnd GROUP BY 1) c USING (b)),
          'pit_histogram counts u in the bins [i/8, (i+1)/8)');
SELECT is((SELECT (ngs.reliability(p, l, 5)).observed_frequency FROM rnd),
          (SELECT array_agg(f ORDER BY b)
           FROM (SELECT ceil(p * 5)::int - 1 AS b, avg(l::int)::float8 AS f FROM rnd GROUP BY 1) c),
          'reliability observed frequency is the share of true labels in each bin');

-- Edge cases
SELECT is((SELECT ROW(ngs.roc_auc(s, l), ngs.average_precision(s, l), ngs.brier(p, l),
                      ngs.log_loss(p, l), ngs.pit_histogram(u, 4), ngs.reliability(p, l, 4))::text
           FROM rnd WHERE false),
          '(,,,,,)', 'every aggregate is NULL without rows');
SELECT is((SELECT ROW(ngs.roc_auc(s, l), ngs.average_precision(s, l))::text FROM rnd WHERE NOT l),
          '(,)', 'roc_auc and average_precision are NULL without a true label');
SELECT is((SELECT ROW(ngs.roc_auc(s, l), ngs.average_precision(s, l))::text FROM rnd WHERE l),
          '(,1)', 'without a false label roc_auc is NULL and average_precision 1');
CREATE TABLE holes AS
SELECT CASE WHEN random() < 0.2 THEN s END AS s, CASE WHEN random() < 0.2 THEN l END AS l,
       CASE WHEN random() < 0.2 THEN p END AS p, CASE WHEN random() < 0.2 THEN u END AS u
FROM rnd;
SELECT is((SELECT ROW(ngs.roc_auc(s, l), ngs.average_precision(s, l), ngs.brier(p, l),
                      ngs.log_loss(p, l), ngs.pit_histogram(u, 4), ngs.reliability(p, l, 4))::text
           FROM holes),
          (SELECT ROW((SELECT ngs.roc_auc(s, l) FROM holes WHERE s IS NOT NULL AND l IS NOT NULL),
                      (SELECT ngs.average_precision(s, l) FROM holes WHERE s IS NOT NULL AND l IS NOT NULL),
                      (SELECT ngs.brier(p, l) FROM holes WHERE p IS NOT NULL AND l IS NOT NULL),
                      (SELECT ngs.log_loss(p, l) FROM holes WHERE p IS NOT NULL AND l IS NOT NULL),
                      (SELECT ngs.pit_histogram(u, 4) FROM holes WHERE u IS NOT NULL),
                      (SELECT ngs.reliability(p, l, 4) FROM holes WHERE p IS NOT NULL AND l IS NOT NULL)
                     )::text),
          'rows with a NULL argument are skipped, by every aggregate');

-- ngs.kfold
SELECT is_empty($$
    SELECT key_type, key, k, seed, fold,
           CASE key_type WHEN 'bigint' THEN ngs.kfold(key::bigint, k, seed)
                         ELSE ngs.kfold(key, k, seed) END AS got
    FROM metric_kfold
    WHERE fold <> CASE key_type WHEN 'bigint' THEN ngs.kfold(key::bigint, k, seed)
                                ELSE ngs.kfold(key, k, seed) END $$,
    'kfold matches the golden values of its documented hash (bigint and text keys)');
SELECT is((SELECT count(*) FROM metric_kfold), 75::bigint, 'the 75 golden folds are loaded');
SELECT ok((SELECT min(n) >= 9500 AND max(n) <= 10500 AND count(*) = 10
           FROM (SELECT ngs.kfold(g, 10, 1) AS f, count(*) AS n
                 FROM generate_series(1, 100000) g GROUP BY 1) c),
          'kfold spreads 100000 keys over the 10 folds evenly (each within 5% of 10000)');
SELECT ok((SELECT avg((ngs.kfold(g, 5, 1) = ngs.kfold(g, 5, 2))::int) BETWEEN 0.18 AND 0.22
           FROM generate_series(1, 20000) g),
          'kfold folds for two seeds are independent (1 in 5 agree)');
SELECT ok((SELECT avg((ngs.kfold(g::text, 5, 1) = ngs.kfold(g, 5, 1))::int) BETWEEN 0.18 AND 0.22
           FROM generate_series(1, 20000) g),
          'kfold of a text key hashes the text, not the number it spells');

SELECT * FROM finish();
ROLLBACK;
