-- ngs.play_svg and ngs.sbp_svg: what the pictures hold, escaping, options, rejected inputs
-- A standardized play of 4 frames: two receivers (102 missing in frame 2), a defender, the ball
CREATE TEMP TABLE pic AS
SELECT ngs.play_tensor('{{{20,10,0,0,0,0,90,90},{20,40,0,0,0,0,90,90},{25,40,0,0,0,0,270,270},{19,26.5,0,0,0,0,NaN,NaN}},
                         {{21,11,0,0,0,0,90,90},{NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN},{24.5,39,0,0,0,0,270,270},{17,26.5,0,0,0,0,NaN,NaN}},
                         {{22,12,0,0,0,0,90,90},{22,41,0,0,0,0,90,90},{24,38,0,0,0,0,270,270},{25,30,0,0,0,0,NaN,NaN}},
                         {{23,13.5,0,0,0,0,90,90},{23,42,0,0,0,0,90,90},{23.5,37,0,0,0,0,270,270},{33,35,0,0,0,0,NaN,NaN}}}'::real[],
                       '{1,2,3,4}', '{101,102,201,NULL}', '{offense,offense,defense,ball}', true) AS pt;
-- the tracks of an SVG document, one row per entity or ghost
CREATE FUNCTION pg_temp.tracks(svg text)
RETURNS TABLE (role text, nfl_id int, title text, d text, cx text, cy text, r text, label text)
LANGUAGE sql AS $$
    SELECT t.* FROM XMLTABLE(XMLNAMESPACES('http://www.w3.org/2000/svg' AS s),
        '//s:g[@data-role or @data-ghost]' PASSING xmlparse(DOCUMENT svg)
        COLUMNS role text PATH 'concat(@data-role, substring("ghost", 1, 5 * boolean(@data-ghost)))',
                nfl_id int PATH '@data-nfl-id', title text PATH 's:title',
                d text PATH 's:path[last()]/@d', cx text PATH 's:circle/@cx', cy text PATH 's:circle/@cy',
                r text PATH 's:circle/@r', label text PATH 's:text') t
$$;
-- every document is well-formed XML; the default is 960 pixels wide, in yards inside
SELECT xml_is_well_formed_document(ngs.play_svg(pt)) AS well_formed,
       (xpath('/s:svg/@width', ngs.play_svg(pt)::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS width,
       (xpath('/s:svg/@height', ngs.play_svg(pt)::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS height,
       (xpath('/s:svg/@viewBox', ngs.play_svg(pt)::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS view_box
FROM pic;
-- every track in entity order (offense, defense, ball; svg y = 53.33 - y), a dot at its last position
SELECT t.* FROM pic, pg_temp.tracks(ngs.play_svg(pt)) t;
-- frames by id; a highlighted player gets a halo (two paths) and a bigger dot
SELECT t.* FROM pic, pg_temp.tracks(ngs.play_svg(pt, '{"from_frame": 2, "to_frame": 3, "highlight": [201]}')) t;
SELECT count(*) AS halo_paths FROM pic,
       unnest(xpath('//s:g[@data-nfl-id="201"]/s:path', ngs.play_svg(pt, '{"highlight": [201]}')::xml,
                    '{{s,http://www.w3.org/2000/svg}}'));
-- labels and titles are escaped; characters XML forbids become spaces
SELECT ngs.play_svg(pt, jsonb_build_object('title', E'<b>"Kelce" & co\'s\x01play</b>')) ~ '&lt;b&gt;&quot;Kelce&quot; &amp; co&apos;s play&lt;/b&gt;' AS escaped,
       xml_is_well_formed_document(ngs.play_svg(pt, jsonb_build_object('title', E'<b>"Kelce" & co\'s\x01play</b>'))) AS well_formed
FROM pic;
SELECT title, label FROM pic, pg_temp.tracks(ngs.play_svg(pt, '{"labels": {"101": "T. <Kelce>", "201": "M. Butler & co"}}'));
-- ghost paths dashed, NULL elements skipped, labelled in order
SELECT t.* FROM pic, pg_temp.tracks(ngs.play_svg(pt, '{"ghost_labels": ["if thrown to 101", null, "to 102"]}',
                                              ARRAY['[(25,40),(24,39.5),(23,39)]', NULL, '[(25,40),(24,40)]']::path[])) t
WHERE role = 'ghost';
-- a label that would cover an earlier one takes the first free line below or above it
SELECT l.* FROM pic, XMLTABLE(XMLNAMESPACES('http://www.w3.org/2000/svg' AS s), '//s:text[@paint-order]'
                              PASSING xmlparse(DOCUMENT ngs.play_svg(pt, '{"labels": {"201": "M. Butler"}, "ghost_labels": ["ghost 1", "ghost 2"]}',
                                                                     ARRAY['[(25,40),(23.5,37)]', '[(25,40),(23.5,37)]']::path[]))
                              COLUMNS label text PATH '.', x text PATH '@x', y text PATH '@y') l;
SELECT count(*) AS dashed FROM pic,
       unnest(xpath('//s:path[@stroke-dasharray]', ngs.play_svg(pt, '{}', ARRAY['[(25,40),(24,39.5)]']::path[])::xml,
                    '{{s,http://www.w3.org/2000/svg}}'));
-- width sets the pixel size; the drawing keeps its proportions
SELECT (xpath('/s:svg/@height', ngs.play_svg(pt, '{"width": 480}')::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS height
FROM pic;
-- a close-up of [x_min, y_min, x_max, y_max]: the field to scale, marks and text scaled with the view
SELECT (xpath('/s:svg/@viewBox', s::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS view_box,
       (xpath('/s:svg/@height', s::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS height,
       (xpath('//s:g[@data-nfl-id="101"]/s:circle/@r', s::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS dot_r,
       (xpath('//s:g[@data-nfl-id="101"]/s:text/@font-size', s::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS label_size
FROM pic, ngs.play_svg(pt, '{"view": [15, 5, 46.5, 45], "labels": {"101": "T. Kelce"}}') s;
-- NULL in, NULL out; JSON null counts as absent
SELECT ngs.play_svg(NULL) IS NULL AS null_play, ngs.play_svg(pt, NULL) IS NULL AS null_options,
       ngs.play_svg(pt, '{"title": null}') = ngs.play_svg(pt) AS null_key
FROM pic;
-- a whole number is an integer however it is written
SELECT ngs.play_svg(pt, '{"width": 960.000}') = ngs.play_svg(pt) AS whole_width FROM pic;
-- rejected play_svg inputs, one per line
SELECT ngs.play_svg(pt, '[]') FROM pic;
SELECT ngs.play_svg(pt, '{"colour": "red"}') FROM pic;
SELECT ngs.play_svg(pt, '{"width": 10}') FROM pic;
SELECT ngs.play_svg(pt, '{"width": 640.5}') FROM pic;
SELECT ngs.play_svg(pt, '{"width": 640.0000000000000000001}') FROM pic;
SELECT ngs.play_svg(pt, '{"width": 1e1000}') FROM pic;
SELECT ngs.play_svg(pt, '{"width": "640"}') FROM pic;
SELECT ngs.play_svg(pt, '{"from_frame": 5}') FROM pic;
SELECT ngs.play_svg(pt, '{"from_frame": 3, "to_frame": 2}') FROM pic;
SELECT ngs.play_svg(pt, '{"to_frame": 1e10}') FROM pic;
SELECT ngs.play_svg(pt, '{"highlight": 101}') FROM pic;
SELECT ngs.play_svg(pt, '{"highlight": [999]}') FROM pic;
SELECT ngs.play_svg(pt, '{"highlight": [[101]]}') FROM pic;
SELECT ngs.play_svg(pt, '{"highlight": ["101"]}') FROM pic;
SELECT ngs.play_svg(pt, jsonb_build_object('highlight', (SELECT jsonb_agg(i) FROM generate_series(1, 257) i))) FROM pic;
SELECT ngs.play_svg(pt, '{"labels": ["101"]}') FROM pic;
SELECT ngs.play_svg(pt, '{"labels": {"Kelce": "T. Kelce"}}') FROM pic;
SELECT ngs.play_svg(pt, '{"labels": {"101": 87}}') FROM pic;
SELECT ngs.play_svg(pt, jsonb_build_object('title', repeat('x', 1001))) FROM pic;
SELECT ngs.play_svg(pt, '{"title": ["a"]}') FROM pic;
SELECT ngs.play_svg(pt, '{"ghost_labels": ["a"]}') FROM pic;
SELECT ngs.play_svg(pt, '{"view": [0, 0, 60]}') FROM pic;
SELECT ngs.play_svg(pt, '{"view": [0, 0, "60", 40]}') FROM pic;
SELECT ngs.play_svg(pt, '{"view": [0, 0, 2000, 40]}') FROM pic;
SELECT ngs.play_svg(pt, '{"view": [60, 0, 0, 40]}') FROM pic;
SELECT ngs.play_svg(pt, '{"view": [10, 10, 10.5, 40]}') FROM pic;
SELECT ngs.play_svg(pt, '{}', ARRAY['[(1,1),(Infinity,2)]']::path[]) FROM pic;
SELECT ngs.play_svg(pt, '{}', array_fill('[(1,1),(2,2)]'::path, ARRAY[257])) FROM pic;

-- sbp_svg on the hand-checkable distribution of sbp.md: tau 0.5 and 9.5, median 5, F(3.3) = 0.33
CREATE TEMP TABLE dist AS
SELECT ngs.sbp(0, 10, array_fill(0::float8, ARRAY[10]), 0.25, 2, 0.25, 2) AS d;
CREATE FUNCTION pg_temp.parts(svg text)
RETURNS TABLE (part text, elements bigint, first_x numeric, label text)
LANGUAGE sql AS $$
    SELECT p.part, count(*), min(nullif(p.x, '')::numeric), min(p.label)
    FROM XMLTABLE(XMLNAMESPACES('http://www.w3.org/2000/svg' AS s),
        '//*[@data-part] | //s:g[@data-part="body"]/s:rect' PASSING xmlparse(DOCUMENT svg)
        COLUMNS part text PATH 'concat(@data-part, substring("bar", 1, 3 * not(@data-part)))',
                x text PATH 'concat(@x, substring-before(substring(s:path/@d, 2), ","), substring-before(substring(@d, 2), ","))', label text PATH 's:text') p
    GROUP BY p.part ORDER BY p.part
$$;
SELECT xml_is_well_formed_document(ngs.sbp_svg(d)) AS well_formed,
       (xpath('/s:svg/@viewBox', ngs.sbp_svg(d)::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS view_box
FROM dist;
-- ten bars over [tau_lo, tau_hi], both tails, the median; the actual outcome when given
SELECT p.* FROM dist, pg_temp.parts(ngs.sbp_svg(d)) p;
SELECT p.* FROM dist, pg_temp.parts(ngs.sbp_svg(d, 3.3)) p WHERE part = 'actual';
-- the percentile in words; an outcome outside the range is marked at its edge
SELECT a AS actual, p.label, p.first_x
FROM dist, unnest('{-3.5,0,1.2,1.6,2.2,5,9.9,30}'::float8[]) a, pg_temp.parts(ngs.sbp_svg(d, a)) p
WHERE p.part = 'actual';
SELECT p.label, p.first_x FROM dist, pg_temp.parts(ngs.sbp_svg(d, 30, '{"x_min": -5, "x_max": 15}')) p
WHERE p.part = 'actual';
-- x_min and x_max cut the picture (a range inside the body has no tails); title, width, height
SELECT p.* FROM dist, pg_temp.parts(ngs.sbp_svg(d, NULL, '{"x_min": 2, "x_max": 8}')) p;
SELECT (xpath('/s:svg/s:title/text()', s::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS title,
       (xpath('/s:svg/@viewBox', s::xml, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS view_box
FROM dist, ngs.sbp_svg(d, 4, '{"title": "yards & <more>", "width": 400, "height": 200}') s;
-- NULL distribution or options: NULL; a NULL outcome is simply not marked
SELECT ngs.sbp_svg(NULL) IS NULL AS null_sbp, ngs.sbp_svg(d, 3, NULL) IS NULL AS null_options,
       ngs.sbp_svg(d, NULL) = ngs.sbp_svg(d) AS null_actual
FROM dist;
-- rejected sbp_svg inputs, one per line
SELECT ngs.sbp_svg(d, 'NaN') FROM dist;
SELECT ngs.sbp_svg(d, '-Infinity') FROM dist;
SELECT ngs.sbp_svg(d, 3, '"wide"') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"bins": 20}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"width": 100}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"height": 9000}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"x_min": 5, "x_max": 5}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"x_min": 4, "x_max": 4.0000000000001}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"height": 200.5}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"x_max": "40"}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"x_min": -1e400}') FROM dist;
SELECT ngs.sbp_svg(d, 3, '{"x_max": 1e1000}') FROM dist;
