-- ngs 1.0 -> 1.1 (ALTER EXTENSION ngs UPDATE; CREATE EXTENSION also runs it after ngs--1.0.sql).
-- 1.1 changes no SQL object and no stored format: it makes ngs build for PostgreSQL 15 to 18.
-- Later changes to the catalogue or to a stored format (compressed tensors, model input v2)
-- come as update scripts like this one, which must keep every stored value readable.
\echo Use "ALTER EXTENSION ngs UPDATE" to load this file. \quit
