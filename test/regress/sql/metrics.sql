-- Evaluation aggregates and ngs.kfold: worked examples, edge cases, rejected inputs
CREATE TABLE m (score float8, label bool, p float8);
INSERT INTO m VALUES (0.1, false, 0.2), (0.4, false, 0.4), (0.35, true, 0.7), (0.8, true, 0.9);
-- 3 of the 4 positive-negative pairs are ranked right; AP = (1/2)(1/1) + (1/2)(2/3)
SELECT ngs.roc_auc(score, label), ngs.average_precision(score, label), ngs.brier(p, label),
       ngs.log_loss(p, label)
FROM m;
-- ties: half credit in roc_auc, one threshold in average_precision
SELECT ngs.roc_auc(s, l), ngs.average_precision(s, l)
FROM (VALUES (1, true), (1, false), (0, false), (2, true)) v(s, l);
SELECT ngs.roc_auc(s, l), ngs.average_precision(s, l)
FROM (VALUES (5, true), (5, false), (5, false), (5, true)) v(s, l);
-- infinite scores rank like any other
SELECT ngs.roc_auc(s, l), ngs.average_precision(s, l)
FROM (VALUES ('-Infinity'::float8, false), ('Infinity', true), (0, true)) v(s, l);
-- as window aggregates: a running AUC and AP, and a moving 3-row AUC
SELECT i, ngs.roc_auc(s, l) OVER (ORDER BY i), ngs.average_precision(s, l) OVER (ORDER BY i),
       ngs.roc_auc(s, l) OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 0.1, false), (2, 0.9, true), (3, 0.5, false), (4, 0.6, true), (5, 0.2, true)) v(i, s, l);
-- no rows: every aggregate is NULL
SELECT ngs.roc_auc(score, label), ngs.average_precision(score, label), ngs.brier(p, label),
       ngs.log_loss(p, label), ngs.pit_histogram(p, 4), ngs.reliability(p, label, 4)
FROM m WHERE false;
-- one class: roc_auc NULL; average_precision NULL without positives, 1 with positives only
SELECT ngs.roc_auc(score, label), ngs.average_precision(score, label), ngs.brier(p, label)
FROM m WHERE label;
SELECT ngs.roc_auc(score, label), ngs.average_precision(score, label), ngs.brier(p, label)
FROM m WHERE NOT label;
-- rows with a NULL are skipped
SELECT ngs.roc_auc(s, l), ngs.brier(s, l), ngs.pit_histogram(s, b)
FROM (VALUES (0.1, NULL, 2), (NULL, true, 2), (0.9, true, 2), (0.2, false, 2), (0.7, true, NULL)) v(s, l, b);
-- log_loss clips p to [2^-52, 1 - 2^-52]: a certain miss costs ln(2^52)
SELECT ngs.log_loss(p, l) FROM (VALUES (0.0, true)) v(p, l);
SELECT ngs.log_loss(p, l) FROM (VALUES (0.0, false), (1.0, true)) v(p, l);
-- pit_histogram: bins [i/n, (i+1)/n), the last also holds 1
SELECT ngs.pit_histogram(u, 4) FROM (VALUES (0), (0.25), (0.3), (0.5), (0.75), (1)) v(u);
-- reliability: bins (i/n, (i+1)/n], the first also holds 0; empty bins are NULL
SELECT (ngs.reliability(p, l, 4)).*
FROM (VALUES (0, false), (0.25, true), (0.25, false), (0.3, true), (1, true)) v(p, l);
-- kfold: a bigint key, the same digits as text, a negative key
SELECT ngs.kfold(2018090600, 5, 42), ngs.kfold('2018090600', 5, 42), ngs.kfold(-1, 10, 0);
SELECT fold, count(*) FROM (SELECT ngs.kfold(g, 5, 7) AS fold FROM generate_series(1, 1000) g) f
GROUP BY fold ORDER BY fold;
SELECT ngs.kfold(NULL::bigint, 5, 1);
-- rejected inputs, one per line
SELECT ngs.roc_auc('NaN', true);
SELECT ngs.average_precision('NaN', false);
SELECT ngs.brier(1.5, true);
SELECT ngs.brier(-0.1, false);
SELECT ngs.brier(1.0000000000000002, true);
SELECT ngs.pit_histogram(1.0000001, 1);
SELECT ngs.log_loss('NaN', true);
SELECT ngs.log_loss('Infinity', true);
SELECT ngs.pit_histogram(1.01, 10);
SELECT ngs.pit_histogram(0.5, 0);
SELECT ngs.pit_histogram(0.5, 1001);
SELECT ngs.reliability(0.5, true, -3);
SELECT ngs.reliability(2, true, 10);
SELECT ngs.reliability(p, true, b) FROM (VALUES (0.5, 10), (0.5, 20)) v(p, b);
SELECT ngs.kfold(1, 1, 0);
SELECT ngs.kfold('x', -5, 0);
