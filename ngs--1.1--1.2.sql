-- ngs 1.1 -> 1.2 (ALTER EXTENSION ngs UPDATE; CREATE EXTENSION also runs it after ngs--1.0.sql
-- and ngs--1.0--1.1.sql). Every stored value of 1.0 and 1.1 stays readable.
\echo Use "ALTER EXTENSION ngs UPDATE" to load this file. \quit

-- ---------------------------------------------------------------------------------------
-- Play tensors: events, more input types, slices by event, no silent wrong answers
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Loader rules: yards to goal, roles, play descriptions
-- ---------------------------------------------------------------------------------------
-- The rules that turn the columns of the public tracking layouts into the loaded schema
-- (docs: ngs-load). ngs-load and tools/load use these, so that there is one implementation.

-- Yards from the line of scrimmage to the opponent's goal line, from the play-by-play yard
-- line: on the possession team's own side when yardline_side is its code, at midfield when
-- yardline_side is NULL (the 50 has no side).
CREATE FUNCTION ngs.yards_to_goal(possession_team text, yardline_side text, yardline_number int)
RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
RETURN CASE
    WHEN yardline_side IS NULL THEN 50
    WHEN yardline_side = possession_team THEN 100 - yardline_number
    ELSE yardline_number
END;
COMMENT ON FUNCTION ngs.yards_to_goal(text, text, int) IS
    'yards from the line of scrimmage to the opponent''s goal line, from the possession team and the yard line (side, number); 50 when the side is NULL';

-- The same from the line of scrimmage on the tracking's 0-120 x scale and the direction the
-- offense moves: its goal line is x = 110 when it moves right, x = 10 when it moves left.
CREATE FUNCTION ngs.yards_to_goal(absolute_yardline double precision, play_direction text)
RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1
RETURN round(CASE play_direction
    WHEN 'right' THEN 110 - absolute_yardline
    WHEN 'left' THEN absolute_yardline - 10
END)::int;
COMMENT ON FUNCTION ngs.yards_to_goal(double precision, text) IS
    'yards from the line of scrimmage to the opponent''s goal line, from the absolute yard line (tracking x, 0-120) and the offense''s direction (left or right)';

-- The role of a tracked entity: 'ball' for the football; 'offense' for the possession team's
-- players and 'defense' for the other team's. team is a club code (BDB 2023-2025, NGS), a
-- side 'home'/'away' (BDB 2019-2022, with the game's home and visitor clubs), 'Offense' or
-- 'Defense' (BDB 2026's player_side), or 'football'/'ball'. NULL when the team is unknown.
CREATE FUNCTION ngs.tracking_role(team text, possession_team text,
                                  home_team text DEFAULT NULL, visitor_team text DEFAULT NULL)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
RETURN CASE
    WHEN team IN ('football', 'ball', 'Football') THEN 'ball'
    WHEN team IN ('Offense', 'Defense', 'offense', 'defense') THEN lower(team)
    WHEN team = possession_team
      OR (team = 'home' AND possession_team = home_team)
      OR (team = 'away' AND possession_team = visitor_team) THEN 'offense'
    WHEN possession_team IS NULL THEN NULL
    WHEN team IN ('home', 'away', home_team, visitor_team) THEN 'defense'
END;
COMMENT ON FUNCTION ngs.tracking_role(text, text, text, text) IS
    'offense, defense or ball for a tracked entity''s team (club code, home/away with the game''s clubs, Offense/Defense, or football) and the possession team; NULL when unknown';

-- Pass result, yards gained and named receiver of an official play-by-play description.
-- After a reversed ruling the description goes on with the play as finally ruled. Pass
-- result: C complete, I incomplete (also spikes), IN intercepted, S sack, R scramble, NULL
-- for other plays and two-point tries; yards: the first "for N yards" (0 for "no gain" and
-- for incomplete or intercepted passes; NULL for kicks and two-point tries); receiver: the
-- "F.Last" name after "pass ... to" or "intended for". PL/pgSQL, not SQL: it cannot be
-- inlined, and PL/pgSQL's cached plans make it five times faster than a SQL body.
CREATE FUNCTION ngs.parse_play_description(description text,
    OUT pass_result text, OUT yards int, OUT receiver text)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 200 AS $$
DECLARE
    t text := regexp_replace(description, '^.*REVERSED\.', '');
    action text;
    rest text;
    gain text[];
BEGIN
    action := substring(t FROM '(sacked|scrambles|spiked|pass incomplete'
        '|pass(?: (?:short|deep))?(?: (?:left|middle|right))? (?:to|intended for|INTERCEPTED)'
        '|kneels|punts|kicks|field goal|extra point|(?:left|right) (?:end|tackle|guard)|up the middle)');
    IF action IS NULL THEN
        RETURN;
    END IF;
    rest := substr(t, strpos(t, action));
    receiver := substring(rest FROM '^pass[a-z ]* (?:to|intended for) '
        '([A-Z][A-Za-z]*\. ?(?:St\. )?[A-Z][A-Za-z''-]+(?: (?:II|III|IV|V|Jr\.|Sr\.)(?=[ .,]|$))?)');
    gain := regexp_match(rest, 'for (-?\d+) yards?|for (no gain)');
    yards := CASE WHEN gain[2] IS NOT NULL THEN 0 ELSE gain[1]::int END;
    pass_result := CASE
        WHEN action = 'sacked' THEN 'S'
        WHEN action = 'scrambles' THEN 'R'
        WHEN action IN ('spiked', 'pass incomplete') THEN 'I'
        WHEN action LIKE 'pass%' AND rest ~ 'INTERCEPTED' THEN 'IN'
        WHEN action LIKE 'pass%' THEN 'C'
    END;
    IF t ~ 'TWO-POINT CONVERSION ATTEMPT' THEN
        pass_result := NULL;
        yards := NULL;
    ELSIF pass_result IN ('I', 'IN') THEN
        yards := 0;
    ELSIF action IN ('punts', 'kicks', 'field goal', 'extra point') THEN
        yards := NULL;
    END IF;
END
$$;
COMMENT ON FUNCTION ngs.parse_play_description(text) IS
    'pass result (C, I, IN, S, R), offense yards and named receiver ("F.Last") of an official play-by-play description; NULLs where it names none';

-- Whether an abbreviated play-by-play name ("F.Last", "Fi.Last Jr.") denotes a player's full
-- display name: same last name (letters only, suffix dropped) and a first name that starts
-- with the given letters. Loaders take the one offensive player of the play that matches.
CREATE FUNCTION ngs.receiver_name_matches(receiver text, display_name text)
RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 20
RETURN (SELECT regexp_replace(lower(substr(r, strpos(r, '.') + 1)), '[^a-z]', '', 'g')
                   = regexp_replace(lower(substr(d, strpos(d, ' ') + 1)), '[^a-z]', '', 'g')
               AND starts_with(regexp_replace(lower(split_part(d, ' ', 1)), '[^a-z]', '', 'g'),
                               lower(split_part(r, '.', 1)))
        FROM regexp_replace(receiver, ' (II|III|IV|V|Jr\.|Sr\.)$', '') AS r,
             regexp_replace(display_name, ' (II|III|IV|V|Jr\.|Sr\.)$', '') AS d);
COMMENT ON FUNCTION ngs.receiver_name_matches(text, text) IS
    'whether an abbreviated "F.Last" play-by-play name denotes a player''s display name (same last name, first name starting with the given letters)';


-- ---------------------------------------------------------------------------------------
-- BI-friendly outputs: samples, path points, quantiles
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Model catalog: identity by content, kinds when dropping, syncing models to other servers
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Evaluation aggregates with sendable states
-- ---------------------------------------------------------------------------------------


-- ---------------------------------------------------------------------------------------
-- Training checks before the first epoch
-- ---------------------------------------------------------------------------------------

