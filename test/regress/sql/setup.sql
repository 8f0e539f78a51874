-- Runs first: what the other regression tests share.
-- try(sql) runs a statement and returns 'ok', or its error as one line:
-- SQLSTATE, message, detail and hint, so rejected inputs can be listed one per line.
CREATE FUNCTION try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
    hint text;
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN SQLSTATE || ' ' || SQLERRM || coalesce(' | ' || nullif(detail, ''), '') || coalesce(' | ' || nullif(hint, ''), '');
END $$;
SELECT try('SELECT 1'), try('SELECT 1/0');
