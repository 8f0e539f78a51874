-- The tour that make demo prints (psql, database ngs_demo, real data loaded). Each section
-- also adds its query or picture to the table demo_page, which tools/demo-page writes out
-- as an HTML page: a query's text is kept in the psql variable q, run here and on the page.
\set ON_ERROR_STOP 1
\pset footer off

-- Scoring and ghosting need the default models the extension ships; a build without one
-- skips its section.
SELECT EXISTS (SELECT FROM ngs.model WHERE name = 'default' AND kind = 'pass') AS have_pass_model,
       EXISTS (SELECT FROM ngs.model WHERE name = 'default' AND kind = 'ghost') AS have_ghosting
\gset

CREATE TABLE demo_page (
    pos int PRIMARY KEY,        -- order on the page: pictures first, then tables
    name text NOT NULL UNIQUE,  -- file name of the picture, anchor of the section
    heading text NOT NULL,
    body text,                  -- a sentence or two (plain text)
    svg text,                   -- a picture, inline
    query text                  -- a query the page runs and shows as a table
);

\echo
\echo == the real data: tracked plays per source, as play tensors
SELECT $q$
SELECT p.source, count(*) AS plays, sum(ngs.frames(t.tensor)) AS frames,
       max(ngs.entities(t.tensor)) AS max_entities,
       pg_size_pretty(sum(pg_column_size(t.tensor))) AS stored
FROM play_tensors t JOIN plays p USING (game_id, play_id)
GROUP BY p.source ORDER BY p.source
$q$ AS q \gset
:q;
INSERT INTO demo_page (pos, name, heading, body, query) VALUES (50, 'data', 'The real data',
    'Every tracked play of the three sources, one ngs.play_tensor each (frames x entities x 8 features).', :'q');

-- Every pass as the default pass model was trained on it, with its passer: the view passes.
\ir passes.sql

-- The featured play: the longest completion of Kansas City at New England, 2017-09-07.
CREATE TABLE demo_featured AS
SELECT p.game_id, p.play_id, p.snap_frame, p.release_frame, p.arrival_frame, p.target_nfl_id AS target,
       p.description, s.passer, ngs.clean(ngs.standardize(t.tensor, p.play_direction)) AS pt
FROM plays p JOIN play_tensors t USING (game_id, play_id) JOIN passes s USING (game_id, play_id)
WHERE p.game_id = 2017090700 AND p.pass_result = 'C'
ORDER BY p.yards DESC LIMIT 1;

\echo
\echo == the featured play: Kansas City at New England, 2017-09-07
SELECT f.play_id, f.description, qb.name AS passer, tg.name AS target,
       ngs.frames(f.pt) AS frames, ngs.entities(f.pt) AS entities,
       f.release_frame - f.snap_frame AS frames_snap_to_release
FROM demo_featured f JOIN players qb ON qb.nfl_id = f.passer JOIN players tg ON tg.nfl_id = f.target;
INSERT INTO demo_page (pos, name, heading, body, svg)
SELECT 10, 'play', 'The featured play', f.description || ' From the snap to a second after the catch; the target highlighted. '
           'ngs.play_svg draws any play to scale: the offense moves left to right once standardized.',
       ngs.play_svg(f.pt, jsonb_build_object('from_frame', f.snap_frame, 'to_frame', f.arrival_frame + 10,
                                             'highlight', jsonb_build_array(f.target),
                                             'labels', jsonb_build_object(f.target, tg.name, f.passer, qb.name),
                                             'title', f.description))
FROM demo_featured f JOIN players qb ON qb.nfl_id = f.passer JOIN players tg ON tg.nfl_id = f.target;

\echo
\echo == physically impossible tracking, by kind (players faster than 12.5 yd/s, off the field, jumps, ...)
\echo '   scanning every sample of every play ...'
SELECT $q$
SELECT p.source, a.kind, count(*) AS samples, count(DISTINCT (t.game_id, t.play_id)) AS plays
FROM play_tensors t JOIN plays p USING (game_id, play_id), ngs.tracking_anomalies(t.tensor) a
GROUP BY 1, 2 ORDER BY 1, 2
$q$ AS q \gset
:q;
INSERT INTO demo_page (pos, name, heading, body, query) VALUES (60, 'anomalies', 'Physically impossible tracking',
    'ngs.tracking_anomalies flags samples that break the physical rules; ngs.clean masks or repairs them.', :'q');

\if :have_pass_model
\echo
\echo == scoring every pass with the default pass model: u = F(yards), the predicted CDF at the yards gained
SELECT count(*) AS n, clock_timestamp() AS t0 FROM passes \gset
\echo '   scoring' :n 'passes ...'
CREATE TABLE pass_scores AS
SELECT game_id, play_id, season, passer, yards, ngs.pass_score(tensor, context, yards) AS u
FROM passes;
ALTER TABLE pass_scores ADD PRIMARY KEY (game_id, play_id);
SELECT format('   scored %s passes in %s s', count(*),
              round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 2)) AS progress
FROM pass_scores \gset
\echo :progress

-- Season scores as a materialized view with a unique index, so that it refreshes
-- concurrently (readers keep the old rows) as new games arrive (README, "Season scores").
CREATE MATERIALIZED VIEW season_scores AS
SELECT season, passer, count(*) AS passes, ngs.passing_score(u) AS score
FROM pass_scores
GROUP BY season, passer;
CREATE UNIQUE INDEX season_scores_key ON season_scores (season, passer);
REFRESH MATERIALIZED VIEW CONCURRENTLY season_scores;

\echo
\echo == season passing scores (50-99; a league-average passer scores about 74.5), passers with 5 passes or more
\echo '   the highlight reels favour big plays, so their passers score high'
SELECT $q$
SELECT s.season, pl.name AS passer, s.passes, round(s.score::numeric, 1) AS score
FROM season_scores s JOIN players pl ON pl.nfl_id = s.passer
WHERE s.passes >= 5
ORDER BY s.score DESC, s.season, pl.name
$q$ AS q \gset
:q;
INSERT INTO demo_page (pos, name, heading, body, query) VALUES (40, 'seasons', 'Season passing scores',
    'Every pass scored with ngs.pass_score, then ngs.passing_score per passer and season, kept in a materialized view '
    'refreshed concurrently. Only the plays in the shared data count, and the highlight reels favour big plays.', :'q');

\echo
\echo == the featured pass: what the model expected, and where the real outcome fell
SELECT qb.name AS passer, s.yards, round(ngs.sbp_median(d)::numeric, 1) AS median_yards,
       round(ngs.sbp_quantile(d, 0.9)::numeric, 1) AS p90_yards, round(ngs.sbp_cdf(d, s.yards)::numeric, 4) AS u
FROM demo_featured f JOIN passes s USING (game_id, play_id) JOIN players qb ON qb.nfl_id = s.passer,
     ngs.pass_distribution(s.tensor, s.context) d;
INSERT INTO demo_page (pos, name, heading, body, svg)
SELECT 20, 'distribution', 'What the model expected of the featured pass',
       'ngs.pass_distribution predicts the yards a league-average passer gains from the same situation, as a spliced '
       'binned-Pareto distribution; ngs.sbp_svg draws it with the real outcome and its percentile, the play''s score u.',
       ngs.sbp_svg(ngs.pass_distribution(s.tensor, s.context), s.yards,
                   jsonb_build_object('title', 'predicted yards gained', 'width', 720))
FROM demo_featured f JOIN passes s USING (game_id, play_id);
\else
\echo
\echo == (no default pass model in this build: skipping the pass scores and season scores)
\endif

\if :have_ghosting
\echo
\echo == ghosting: had the ball gone to another receiver, would the nearest defensive back have closed in time?
-- The defensive back nearest the target at the release, the eligible receiver nearest
-- him, and one second of three paths: what he did, and his ghost toward either receiver.
CREATE TABLE demo_ghost AS
WITH c AS (
    SELECT f.*, d.nfl_id AS defender, o.nfl_id AS other
    FROM demo_featured f
    CROSS JOIN LATERAL (
        SELECT d.nfl_id FROM tracking d JOIN tracking r USING (game_id, play_id, frame_id)
        WHERE d.game_id = f.game_id AND d.play_id = f.play_id AND d.frame_id = f.release_frame
          AND r.nfl_id = f.target AND d.role = 'defense' AND d.position IN ('CB', 'DB', 'FS', 'SS', 'S')
        ORDER BY (d.x - r.x) ^ 2 + (d.y - r.y) ^ 2 LIMIT 1) d
    CROSS JOIN LATERAL (
        SELECT o.nfl_id FROM tracking o JOIN tracking r USING (game_id, play_id, frame_id)
        WHERE o.game_id = f.game_id AND o.play_id = f.play_id AND o.frame_id = f.release_frame
          AND r.nfl_id = d.nfl_id AND o.role = 'offense' AND o.nfl_id <> f.target
          AND o.position IN ('WR', 'TE', 'RB', 'FB', 'HB')
        ORDER BY (o.x - r.x) ^ 2 + (o.y - r.y) ^ 2 LIMIT 1) o
), s AS (
    -- the defender's position at the release, then one point per frame for a second
    SELECT c.*, v.*, ngs.track(ngs.slice(c.pt, c.release_frame, c.release_frame + 10), v.receiver) AS receiver_path
    FROM c CROSS JOIN LATERAL (VALUES
        (1, 'what he did', c.target, ngs.track(ngs.slice(c.pt, c.release_frame, c.release_frame + 10), c.defender)),
        (2, 'ghost, ball to the target', c.target,
         ngs.track(ngs.slice(c.pt, c.release_frame, c.release_frame), c.defender)
         + ngs.ghost_trajectory(c.pt, c.defender, c.target, c.release_frame)),
        (3, 'ghost, ball to the other receiver', c.other,
         ngs.track(ngs.slice(c.pt, c.release_frame, c.release_frame), c.defender)
         + ngs.ghost_trajectory(c.pt, c.defender, c.other, c.release_frame))
    ) v(n, scenario, receiver, path)
)
SELECT s.n, s.scenario, s.defender, s.receiver, s.path, ngs.closing_metric(s.path, s.receiver_path) AS closing
FROM s;
SELECT $q$
SELECT g.scenario, d.name AS defender, r.name AS receiver, round(g.closing::numeric, 3) AS closing_metric
FROM demo_ghost g JOIN players d ON d.nfl_id = g.defender JOIN players r ON r.nfl_id = g.receiver
ORDER BY g.n
$q$ AS q \gset
:q;
\echo '   closing metric: lower is tighter coverage (-1: closing at top speed on a standing receiver)'
-- a close-up of the three players from two seconds before the release, twice as wide as high:
WITH pts AS (
    SELECT unnest(ngs.feature(s, id, 'x')) AS x, unnest(ngs.feature(s, id, 'y')) AS y
    FROM demo_featured f, demo_ghost g,
         ngs.slice(f.pt, f.release_frame - 20, f.release_frame + 10) s, unnest(ARRAY[g.defender, g.receiver]) id
    UNION ALL
    SELECT c[0], c[1] FROM demo_ghost g, unnest(ARRAY[(box(polygon(pclose(g.path))))[0],
                                                       (box(polygon(pclose(g.path))))[1]]) c
), v AS (
    -- 5 yards around, 12 more on the right for the labels
    SELECT (min(x) + max(x) + 12) / 2 AS cx, (min(y) + max(y)) / 2 AS cy,
           greatest(max(x) - min(x) + 22, 2 * (max(y) - min(y) + 10), 30) AS w
    FROM pts
)
INSERT INTO demo_page (pos, name, heading, body, svg, query)
SELECT 30, 'ghosting', 'Ghosting: a counterfactual target',
       'ngs.ghost_trajectory predicts the defender''s next second from the release, toward the real target and toward '
       'the receiver nearest him (dashed); ngs.closing_metric scores each path against that receiver''s real one.',
       ngs.play_svg(f.pt, jsonb_build_object(
                        'from_frame', f.release_frame - 20, 'to_frame', f.release_frame + 10,
                        'view', jsonb_build_array(v.cx - v.w / 2, v.cy - v.w / 4, v.cx + v.w / 2, v.cy + v.w / 4),
                        'highlight', jsonb_build_array(g.defender, f.target, g.receiver),
                        'labels', jsonb_build_object(g.defender, d.name, f.target, t.name, g.receiver, r.name),
                        'ghost_labels', jsonb_build_array('ghost: to ' || t.name, 'ghost: to ' || r.name),
                        'title', 'two seconds before the release to one second after'),
                    ARRAY[g2.path, g.path]),
       :'q'
FROM demo_featured f, demo_ghost g, demo_ghost g2, players d, players t, players r, v
WHERE g.n = 3 AND g2.n = 2 AND d.nfl_id = g.defender AND t.nfl_id = f.target AND r.nfl_id = g.receiver;
\else
\echo
\echo == (no default ghost model in this build: skipping the counterfactual)
\endif
