-- ngs.play_svg and ngs.sbp_svg on random inputs: every document is well-formed XML whatever
-- the text in it, the pictures follow their inputs, and the percentile matches ngs.sbp_cdf.
BEGIN;
SELECT plan(13);
SELECT setseed(0.7);

-- A random standardized play: frames x (5 offense, 5 defense, ball), about 1 sample in 8 missing
CREATE FUNCTION pg_temp.random_play(frames int) RETURNS ngs.play_tensor
    AS $$ SELECT ngs.play_tensor(
              (SELECT array_agg(fr ORDER BY f) FROM (
                  SELECT f, array_agg(ent ORDER BY e) AS fr FROM (
                      SELECT f, e, CASE WHEN random() < 0.125 THEN '{NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN}'::real[]
                                        ELSE ARRAY[random() * 130 - 5, random() * 60 - 3, 0, 0, 0, 0, 0, 0]::real[] END AS ent
                      FROM generate_series(1, frames) f, generate_series(1, 11) e) s
                  GROUP BY f) t),
              (SELECT array_agg(f) FROM generate_series(1, frames) f),
              '{1,2,3,4,5,6,7,8,9,10,NULL}',
              '{offense,offense,offense,offense,offense,defense,defense,defense,defense,defense,ball}', true) $$
    LANGUAGE sql VOLATILE;

-- Random text of n characters: control characters, XML's specials, letters, accents, U+FFFE/U+FFFF
CREATE FUNCTION pg_temp.random_text(n int) RETURNS text
    AS $$ SELECT string_agg(chr((ARRAY[1, 9, 10, 13, 31, 34, 38, 39, 60, 62, 65, 93, 233, 8364, 65534, 65535, 128512])
                                [1 + floor(random() * 17)::int]), '')
          FROM generate_series(1, n) $$
    LANGUAGE sql VOLATILE;

-- The message of the invalid_parameter_value error a statement raises, or NULL
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
    AS $$ BEGIN EXECUTE query; RETURN NULL;
          EXCEPTION WHEN invalid_parameter_value THEN RETURN SQLERRM; END $$
    LANGUAGE plpgsql;

CREATE TEMP TABLE plays AS SELECT i, pg_temp.random_play(1 + i % 40) AS pt FROM generate_series(1, 100) i;
CREATE TEMP TABLE pictures AS
SELECT i, pt, ngs.play_svg(pt, jsonb_build_object('title', pg_temp.random_text(40), 'highlight', ARRAY[1, 7],
                                                  'labels', jsonb_build_object('3', pg_temp.random_text(20),
                                                                               '8', pg_temp.random_text(20)),
                                                  'ghost_labels', ARRAY[pg_temp.random_text(10)]),
                           ARRAY[ngs.track(pt, 6)]) AS svg
FROM plays;

SELECT is((SELECT count(*) FROM pictures WHERE xml_is_well_formed_document(svg)), 100::bigint,
          '100 random plays with random titles and labels give well-formed documents');
SELECT is((SELECT count(*) FROM pictures WHERE svg ~ '[\x01-\x08\x0b\x0c\x0e-\x1f]|\uFFFE|\uFFFF'), 0::bigint,
          'no character XML forbids reaches the document');
SELECT is((SELECT count(*) FROM pictures p,
                  LATERAL (SELECT count(*) AS n FROM unnest(ngs.nfl_ids(p.pt)) WITH ORDINALITY AS u(id, e)
                           WHERE ngs.track(p.pt, u.id) IS NOT NULL) present
           WHERE present.n <> (SELECT count(*) FROM unnest(xpath('//s:g[@data-role]', p.svg::xml,
                                                            '{{s,http://www.w3.org/2000/svg}}')))),
          0::bigint, 'every entity with a position has one track group, and no other does');
SELECT is((SELECT count(*) FROM pictures p
           WHERE (SELECT count(*) FROM unnest(xpath('//s:g[@data-ghost]', p.svg::xml, '{{s,http://www.w3.org/2000/svg}}')))
                 <> (ngs.track(p.pt, 6) IS NOT NULL)::int),
          0::bigint, 'a ghost group for each ghost path that is not NULL');

-- the drawn points of a player are his track's, y flipped, to 0.01 yd
SELECT is((SELECT count(*)
           FROM pictures p, unnest('{1,6}'::int[]) id,
                LATERAL (SELECT array_agg(m[1]::float8 ORDER BY o) AS xs, array_agg(m[2]::float8 ORDER BY o) AS ys
                         FROM regexp_matches((xpath('//s:g[@data-nfl-id="' || id || '"]/s:path[last()]/@d', p.svg::xml,
                                                    '{{s,http://www.w3.org/2000/svg}}'))[1]::text,
                                             '(-?[0-9.]+),(-?[0-9.]+)', 'g') WITH ORDINALITY AS r(m, o)) drawn,
                LATERAL (SELECT array_agg(m[1]::float8 ORDER BY o) AS xs, array_agg(160.0 / 3 - m[2]::float8 ORDER BY o) AS ys
                         FROM regexp_matches(ngs.track(p.pt, id)::text, '\(([^,]+),([^)]+)\)', 'g')
                              WITH ORDINALITY AS r(m, o)) tracked
           WHERE ngs.track(p.pt, id) IS NOT NULL
             AND (cardinality(drawn.xs) IS DISTINCT FROM cardinality(tracked.xs)
                  OR EXISTS (SELECT FROM unnest(drawn.xs, tracked.xs, drawn.ys, tracked.ys) AS u(dx, tx, dy, ty)
                             WHERE abs(dx - tx) > 0.0051 OR abs(dy - ty) > 0.0051))),
          0::bigint, 'every drawn point is the tracked point (x, 160/3 - y) to 0.01 yd');
SELECT ok((SELECT bool_and(ngs.play_svg(pt, '{"from_frame": 3, "to_frame": 5}') = ngs.play_svg(ngs.slice(pt, 3, 5)))
           FROM plays WHERE ngs.frames(pt) >= 5),
          'from_frame and to_frame draw what ngs.slice keeps');
SELECT ok((SELECT bool_and(ngs.play_svg(pt) = ngs.play_svg(pt, '{}', '{NULL,NULL}')) FROM plays),
          'NULL ghost paths draw nothing');
SELECT is(pg_temp.error_of($$SELECT ngs.play_svg(pt, '{"labels": {"99": "x"}}') FROM plays$$),
          'labels names player 99, who is not in this play', 'a label for a player not in the play is an error');

-- random distributions: well-formed, the percentile printed is F(actual), the bars are the bins
CREATE TEMP TABLE dists AS
SELECT i, d, a, ngs.sbp_svg(d, a, jsonb_build_object('title', pg_temp.random_text(30))) AS svg
FROM (SELECT i, ngs.sbp(-10 + 10 * random(), 20 + 60 * random(),
                        (SELECT array_agg(4 * random() - 2) FROM generate_series(1, 2 + (i * 7) % 60)),
                        random() * 1.5 - 0.5, 1e-3 + random() * 8, random() * 1.5 - 0.5, 1e-3 + random() * 8,
                        0.01 + random() * 0.2) AS d,
             CASE WHEN i % 10 = 0 THEN NULL ELSE round(120 * random() - 20) END AS a
      FROM generate_series(1, 200) i) s;
SELECT is((SELECT count(*) FROM dists WHERE xml_is_well_formed_document(svg)), 200::bigint,
          '200 random distributions and outcomes give well-formed documents');
SELECT is((SELECT count(*)
           FROM (SELECT a, ngs.sbp_cdf(d, a) AS f,
                        regexp_match((xpath('//s:g[@data-part="actual"]/s:text/text()', svg::xml,
                                            '{{s,http://www.w3.org/2000/svg}}'))[1]::text,
                                     '^actual (\S+) yd: u = (\S+), (.*)$') AS label
                 FROM dists WHERE a IS NOT NULL) l,
                LATERAL (SELECT floor(100 * l.f)::int AS pct) p
           WHERE l.label IS NULL OR l.label[1]::float8 <> l.a OR abs(l.label[2]::float8 - l.f) > 5e-4 * l.f
              OR l.label[3] <> CASE WHEN l.f < 0.01 THEN 'below the 1st percentile'
                                    WHEN l.f > 0.99 THEN 'above the 99th percentile'
                                    ELSE 'the ' || p.pct || CASE WHEN p.pct IN (11, 12, 13) THEN 'th'
                                                                 WHEN p.pct % 10 = 1 THEN 'st'
                                                                 WHEN p.pct % 10 = 2 THEN 'nd'
                                                                 WHEN p.pct % 10 = 3 THEN 'rd'
                                                                 ELSE 'th' END || ' percentile' END),
          0::bigint, 'the marked outcome reads its yards, u = ngs.sbp_cdf(d, actual) to 4 digits, and its percentile');
SELECT is((SELECT count(*) FROM dists
           WHERE (SELECT count(*) FROM unnest(xpath('//s:g[@data-part="body"]/s:rect', svg::xml,
                                                   '{{s,http://www.w3.org/2000/svg}}')))
                 > ngs.sbp_bins(d)),
          0::bigint, 'never more bars than bins');
SELECT is((SELECT count(*) FROM dists WHERE (a IS NULL) = (svg ~ 'data-part="actual"')), 0::bigint,
          'the actual outcome is marked exactly when it is not NULL');
SELECT ok((SELECT bool_and(svg ~ 'data-part="median"') FROM dists), 'every picture marks the median');

SELECT * FROM finish();
ROLLBACK;
