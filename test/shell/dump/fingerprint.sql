-- The dump test's fingerprint of a database (test/shell/dump.sh): one line per table and
-- materialized view outside the system schemas and extensions, and for ngs.model (its rows that are not
-- shipped, as pg_dump saves them) and its sequence: the name, the rows, and an md5 over the
-- rows that does not depend on their order. A row is hashed from its columns' text forms,
-- except that each column of an ngs base type is hashed from its binary send form, so equal
-- fingerprints mean equal values bit for bit. Then the shipped models (name, kind, id, sha256).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SELECT format('SELECT %1$L, count(*), coalesce(md5(string_agg(h, '''' ORDER BY h)), ''-'') FROM (SELECT md5(ROW(%2$s)::text) AS h FROM %1$s t%3$s) r',
              c.oid::regclass,
              string_agg(CASE WHEN y.typnamespace = 'ngs'::regnamespace AND y.typtype = 'b' AND y.typelem = 0
                              THEN format('%s(t.%I)', y.typsend::regproc, a.attname)
                              ELSE format('t.%I', a.attname) END, ', ' ORDER BY a.attnum),
              CASE WHEN c.oid = 'ngs.model'::regclass THEN ' WHERE NOT shipped' ELSE '' END)
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type y ON y.oid = a.atttypid
WHERE c.relkind IN ('r', 'm', 'p')
  AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)
  AND c.relpersistence = 'p'
  AND (c.oid = 'ngs.model'::regclass OR NOT EXISTS (   -- an extension's own tables come with it
          SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
GROUP BY c.oid
ORDER BY c.oid::regclass::text
\gexec
SELECT 'sequence', 'ngs.model_id_seq', last_value, is_called FROM ngs.model_id_seq;
SELECT 'shipped', name, kind, id, encode(sha256, 'hex') FROM ngs.model WHERE shipped ORDER BY id;
