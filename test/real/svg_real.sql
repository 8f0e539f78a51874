-- requires: real data
-- ngs.play_svg and ngs.sbp_svg on the real plays: every picture parses, holds every tracked
-- entity, stays small, and marks what was asked for.
BEGIN;
SELECT plan(7);

CREATE TEMP TABLE pictures AS
SELECT t.game_id, t.play_id, s.pt, ngs.play_svg(s.pt, jsonb_build_object('title', p.description)) AS svg
FROM play_tensors t LEFT JOIN plays p USING (game_id, play_id),
     LATERAL (SELECT CASE WHEN p.play_direction IS NULL THEN t.tensor
                          ELSE ngs.standardize(t.tensor, p.play_direction) END AS pt) s;

SELECT is((SELECT count(*) FROM pictures WHERE xml_is_well_formed_document(svg)),
          (SELECT count(*) FROM play_tensors), 'every tracked play, described and standardized where its direction is known, draws a well-formed document');
SELECT is((SELECT count(*) FROM pictures p
           WHERE (SELECT count(*) FROM unnest(xpath('//s:g[@data-role]', p.svg::xml, '{{s,http://www.w3.org/2000/svg}}')))
                 <> (SELECT count(*) FROM unnest(ngs.nfl_ids(p.pt)) id WHERE ngs.track(p.pt, id) IS NOT NULL)),
          0::bigint, 'each picture has one track group per entity with a position (the ball included)');
SELECT cmp_ok((SELECT max(octet_length(svg)) FROM pictures), '<', 1000000,
              'the longest play (641 frames, 23 entities) draws in under 1 MB');

-- a pass from snap to arrival, the target highlighted and labelled, a defender's real path as a ghost
CREATE TEMP TABLE featured AS
SELECT p.game_id, p.play_id, p.target_nfl_id, pl.name,
       ngs.play_svg(s.pt, jsonb_build_object('from_frame', p.snap_frame, 'to_frame', p.arrival_frame,
                                             'highlight', jsonb_build_array(p.target_nfl_id),
                                             'labels', jsonb_build_object(p.target_nfl_id, pl.name)),
                    ARRAY[ngs.track(ngs.slice(s.pt, p.release_frame, p.arrival_frame), (ngs.nfl_ids(s.pt))[12])]) AS svg
FROM plays p JOIN play_tensors t USING (game_id, play_id) JOIN players pl ON pl.nfl_id = p.target_nfl_id,
     LATERAL ngs.standardize(t.tensor, p.play_direction) s(pt)
WHERE p.pass_result = 'C' AND p.snap_frame < p.release_frame AND p.release_frame < p.arrival_frame
  AND p.target_nfl_id = ANY (ngs.nfl_ids(t.tensor));
SELECT ok((SELECT count(*) > 100 AND bool_and(xml_is_well_formed_document(svg)) FROM featured),
          'over 100 completed passes draw snap to arrival with a highlight, a label and a ghost');
SELECT is((SELECT count(*) FROM featured f
           WHERE (xpath('//s:g[@data-nfl-id="' || f.target_nfl_id || '"]/s:text/text()', f.svg::xml,
                        '{{s,http://www.w3.org/2000/svg}}'))[1]::text
                 IS DISTINCT FROM replace(replace(replace(f.name, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
              OR (SELECT count(*) FROM unnest(xpath('//s:g[@data-nfl-id="' || f.target_nfl_id || '"]/s:path', f.svg::xml,
                                                    '{{s,http://www.w3.org/2000/svg}}'))) <> 2),
          0::bigint, 'the targeted receiver carries his name and a halo');

-- the yards of every pass, by source, against each source's no-context fit
SELECT is((SELECT count(*)
           FROM (SELECT p.source, ngs.sbp_fit(p.yards) AS d, max(p.yards) AS longest
                 FROM plays p WHERE p.pass_result IN ('C', 'I', 'IN') AND p.yards IS NOT NULL GROUP BY p.source) f,
                LATERAL ngs.sbp_svg(f.d, f.longest, jsonb_build_object('title', f.source)) svg
           WHERE xml_is_well_formed_document(svg) AND svg ~ 'data-part="actual"' AND svg ~ 'above the 99th percentile'),
          3::bigint, 'each source''s longest pass sits above the 99th percentile of its fitted yards');
SELECT ok((SELECT bool_and(xml_is_well_formed_document(ngs.sbp_svg(d, y)))
           FROM (SELECT ngs.sbp_fit(yards) AS d FROM plays WHERE pass_result IN ('C', 'I', 'IN')) f,
                generate_series(-20, 100, 5) y),
          'the season fit draws with any outcome from -20 to 100 yards');

SELECT * FROM finish();
ROLLBACK;
