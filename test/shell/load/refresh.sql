-- pgbench: refresh the season scores concurrently (readers keep the old rows) and read them.
BEGIN;
REFRESH MATERIALIZED VIEW CONCURRENTLY season_scores;
INSERT INTO load_refreshes (client, passer_seasons) SELECT :client_id, count(*) FROM season_scores;
END;
