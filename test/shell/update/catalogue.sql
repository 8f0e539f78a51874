-- The update test's picture of the extension itself (test/shell/update.sh): one line per
-- object of extension ngs, with what defines it: a function's whole definition (its C
-- symbol, volatility, strictness, parallel safety, cost), an aggregate's functions and
-- state, a type's I/O functions and storage, a table's columns, grants and comments, and
-- the extension's version, schema and configuration tables. Two databases print the same
-- lines when their ngs catalogues are the same.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SELECT 'extension', extversion, extnamespace::regnamespace, extrelocatable,
       (SELECT string_agg(c::regclass::text, ',' ORDER BY c::regclass::text) FROM unnest(extconfig) c), extcondition
FROM pg_extension WHERE extname = 'ngs';
WITH member AS (
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'ngs'
)
SELECT pg_describe_object(m.classid, m.objid, m.objsubid),
       CASE m.classid
           WHEN 'pg_proc'::regclass THEN
               (SELECT CASE WHEN p.prokind = 'a'
                            THEN (SELECT concat_ws(' ', a.aggkind, a.aggnumdirectargs, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                                   a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn,
                                                   a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
                                                   a.aggsortop::regoperator, a.aggtranstype::regtype, a.aggtransspace,
                                                   a.aggmtranstype::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)
                                  FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
                            ELSE pg_get_functiondef(p.oid) END || ' acl ' || coalesce(p.proacl::text, '-')
                FROM pg_proc p WHERE p.oid = m.objid)
           WHEN 'pg_type'::regclass THEN
               (SELECT concat_ws(' ', t.typlen, t.typbyval, t.typtype, t.typcategory, t.typalign, t.typstorage,
                                 t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout, t.typanalyze,
                                 t.typelem::regtype, t.typarray::regtype, t.typbasetype::regtype, t.typnotnull)
                FROM pg_type t WHERE t.oid = m.objid)
           WHEN 'pg_class'::regclass THEN
               (SELECT c.relkind::text || ' ' || coalesce(c.relacl::text, '-') || ' ' ||
                       coalesce(string_agg(format('%s %s %s %s', a.attname, format_type(a.atttypid, a.atttypmod),
                                                  a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid)), ', ' ORDER BY a.attnum), '')
                FROM pg_class c
                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
                WHERE c.oid = m.objid GROUP BY c.oid)
           WHEN 'pg_cast'::regclass THEN
               (SELECT concat_ws(' ', c.castfunc::regprocedure, c.castcontext, c.castmethod) FROM pg_cast c WHERE c.oid = m.objid)
           WHEN 'pg_operator'::regclass THEN
               (SELECT concat_ws(' ', o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest, o.oprjoin)
                FROM pg_operator o WHERE o.oid = m.objid)
       END,
       obj_description(m.objid, m.classid::regclass::name)
FROM member m
ORDER BY 1, 2;
-- the constraints and indexes of the extension's tables
SELECT conrelid::regclass, conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'ngs'::regnamespace ORDER BY 1, 2;
SELECT indexrelid::regclass, pg_get_indexdef(indexrelid)
FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'ngs'::regnamespace) ORDER BY 1;
