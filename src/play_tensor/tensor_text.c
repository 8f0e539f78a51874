/*
 * tensor_text.c: the play tensor's text form, a JSON document that round-trips exactly.
 *
 *   {"version":1,"standardized":false,"frame_ids":[1,2],"nfl_ids":[2495454,null],
 *    "roles":["offense","ball"],"duplicates":[],"data":[[[x,y,vx,vy,ax,ay,dir,o],...],...]}
 *
 * Version 2 adds "events":[[frame_id,"ball_snap"],...] (by frame id, not index).
 * Keys may come in any order; each is required once ("duplicates" and "events" may be
 * left out; "events" only in version 2).
 * A missing value (NaN) is written null.  Floats use the shortest text that reads back
 * to the same float4.
 */
#include "postgres.h"

#include <errno.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "json_scan.h"
#include "play_tensor/play_tensor.h"
#include "utils/float.h"

/* A growable array of int32 or float4 read from the text */
typedef struct Values
{
	int			count;			/* values read */
	int			capacity;		/* values allocated */
	void	   *items;			/* int32[] or float4[] */
} Values;

/* Report a syntax error at the scanner's position */
static void
syntax_error(JsonScan *s, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("malformed play_tensor literal"),
			 errdetail("Expected %s at character %d.", expected, (int) s->pos + 1),
			 errhint("The text form is the JSON document that ngs.play_tensor output writes.")));
}

/* Fail, in the scanner's words, unless it read what was asked */
static void
scan(JsonScan *s, JsonScanStatus status)
{
	if (status != JSON_SCAN_OK)
		syntax_error(s, json_scan_expected(s, status));
}

/* Consume one punctuation character, or fail */
static void
expect(JsonScan *s, char c)
{
	scan(s, json_scan_expect(s, c));
}

/* Read a string without escapes (keys and role names) into buf */
static void
read_string(JsonScan *s, char *buf, int size)
{
	JsonScanStatus status = json_scan_plain_string(s, buf, size);

	if (status == JSON_SCAN_EXPECTED_CHAR)
		scan(s, status);
	else if (status != JSON_SCAN_OK)
		syntax_error(s, "a short string without escapes");
}

/* Span a JSON number and copy it to buf; fail if there is none */
static void
read_number_text(JsonScan *s, char *buf, int size)
{
	JsonNumber	number;

	scan(s, json_scan_number(s, &number));
	if (number.length >= (size_t) size)
	{
		s->pos = number.begin;
		syntax_error(s, "a number of at most 63 characters");
	}
	memcpy(buf, s->text + number.begin, number.length);
	buf[number.length] = '\0';
}

/* Read an integer in int32 range */
static int32
read_int(JsonScan *s)
{
	char		buf[64];
	char	   *end;
	long		v;

	read_number_text(s, buf, sizeof(buf));
	errno = 0;
	v = strtol(buf, &end, 10);
	if (*end != '\0' || errno != 0 || v < PG_INT32_MIN || v > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("play_tensor id \"%s\" is not a 32-bit integer", buf)));
	return (int32) v;
}

/* Read a finite float4, or null as NaN */
static float4
read_float(JsonScan *s)
{
	char		buf[64];
	float		v;

	if (json_scan_literal(s, "null"))
		return get_float4_nan();
	read_number_text(s, buf, sizeof(buf));
	errno = 0;
	v = strtof(buf, NULL);
	if (isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("play_tensor value \"%s\" is out of range for type real", buf)));
	return v;
}

/* Append one item to a Values array, refusing to grow past limit */
static void *
values_push(Values *v, int limit, Size item_size, const char *what)
{
	if (v->count >= limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("play_tensor has more than %d %s", limit, what)));
	if (v->count == v->capacity)
	{
		v->capacity = v->capacity ? Min(2 * v->capacity, limit) : Min(64, limit);
		v->items = v->items ? repalloc(v->items, v->capacity * item_size) : palloc(v->capacity * item_size);
	}
	return (char *) v->items + v->count++ * item_size;
}

/* Read "[...]" of integers, where null (the ball's id) reads as 0 when allowed */
static void
read_id_array(JsonScan *s, Values *v, int limit, const char *what, bool nulls)
{
	expect(s, '[');
	if (json_scan_accept(s, ']'))
		return;
	do
	{
		int32	   *item = values_push(v, limit, sizeof(int32), what);

		if (nulls && json_scan_literal(s, "null"))
			*item = 0;
		else if ((*item = read_int(s)) == 0 && nulls)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("nfl id 0 is reserved"),
					 errhint("Write the ball's id as null.")));
	} while (json_scan_accept(s, ','));
	expect(s, ']');
}

/* Read "[...]" of role names */
static void
read_role_array(JsonScan *s, Values *v)
{
	char		name[16];

	expect(s, '[');
	if (json_scan_accept(s, ']'))
		return;
	do
	{
		read_string(s, name, sizeof(name));
		*(int32 *) values_push(v, PT_MAX_ENTITIES, sizeof(int32), "entities") = pt_role_parse(name);
	} while (json_scan_accept(s, ','));
	expect(s, ']');
}

/* Read "[[f,e],...]" duplicate pairs */
static void
read_duplicates(JsonScan *s, Values *v)
{
	int			limit = 2 * PT_MAX_FRAMES * PT_MAX_ENTITIES;

	expect(s, '[');
	if (json_scan_accept(s, ']'))
		return;
	do
	{
		expect(s, '[');
		*(int32 *) values_push(v, limit, sizeof(int32), "duplicates") = read_int(s);
		expect(s, ',');
		*(int32 *) values_push(v, limit, sizeof(int32), "duplicates") = read_int(s);
		expect(s, ']');
	} while (json_scan_accept(s, ','));
	expect(s, ']');
}

/* Read "[[frame_id,"name"],...]" events; names are kept in ev->items' strings */
static void
read_events(JsonScan *s, Values *v)
{
	char		name[PT_MAX_EVENT_LEN + 1];

	expect(s, '[');
	if (json_scan_accept(s, ']'))
		return;
	do
	{
		PtEvent    *e = values_push(v, PT_MAX_EVENTS, sizeof(PtEvent), "events");

		expect(s, '[');
		e->frame = read_int(s);
		expect(s, ',');
		read_string(s, name, sizeof(name));
		e->len = strlen(name);
		e->name = pstrdup(name);
		expect(s, ']');
	} while (json_scan_accept(s, ','));
	expect(s, ']');
}

/* Turn the events' frame ids into frame indexes of pt; an error for an unknown frame */
static void
events_to_indexes(PlayTensor *pt, Values *v)
{
	for (int i = 0; i < v->count; i++)
	{
		PtEvent    *e = (PtEvent *) v->items + i;
		int			at = pt_frame_index(pt, e->frame);

		if (at < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("play_tensor event \"%s\" is at frame %d, which the tensor does not have",
							e->name, e->frame)));
		e->frame = at;
	}
}

/* Read the frames x entities x 8 data array; returns the frame count, sets *entities */
static int
read_data(JsonScan *s, Values *v, int *entities)
{
	int			frames = 0;

	*entities = -1;
	expect(s, '[');
	if (json_scan_accept(s, ']'))
		return 0;
	do
	{
		int			count = 0;

		if (++frames > PT_MAX_FRAMES)
			pt_check_dimensions(frames, 1, 0);
		expect(s, '[');
		do
		{
			if (++count > PT_MAX_ENTITIES)
				pt_check_dimensions(1, count, 0);
			expect(s, '[');
			for (int k = 0; k < PT_FEATURES; k++)
			{
				if (k > 0)
					expect(s, ',');
				*(float4 *) values_push(v, PT_MAX_FRAMES * PT_MAX_ENTITIES * PT_FEATURES,
										sizeof(float4), "values") = read_float(s);
			}
			expect(s, ']');
		} while (json_scan_accept(s, ','));
		expect(s, ']');
		if (*entities >= 0 && count != *entities)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("play_tensor frames must all have the same number of entities"),
					 errdetail("Frame %d has %d entities, frame 1 has %d.", frames, count, *entities)));
		*entities = count;
	} while (json_scan_accept(s, ','));
	expect(s, ']');
	return frames;
}

/* Fail unless a length matches the data's */
static void
check_length(const char *key, int length, const char *dimension, int expected)
{
	if (length != expected)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("play_tensor \"%s\" has %d elements but the data has %d %s",
						key, length, expected, dimension)));
}

/* The keys of the text form, as bits of a seen-set */
static const char *const keys[] = {"version", "standardized", "frame_ids", "nfl_ids", "roles", "duplicates", "data", "events"};
enum
{
	KEY_VERSION, KEY_STANDARDIZED, KEY_FRAME_IDS, KEY_NFL_IDS, KEY_ROLES, KEY_DUPLICATES, KEY_DATA, KEY_EVENTS, KEY_COUNT
};
#define REQUIRED_KEYS	(((1 << KEY_COUNT) - 1) & ~(1 << KEY_DUPLICATES) & ~(1 << KEY_EVENTS))

/* Read one key and return its index; unknown and repeated keys are errors */
static int
read_key(JsonScan *s, int *seen)
{
	char		key[32];

	read_string(s, key, sizeof(key));
	expect(s, ':');
	for (int k = 0; k < KEY_COUNT; k++)
	{
		if (strcmp(key, keys[k]) != 0)
			continue;
		if (*seen & (1 << k))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("malformed play_tensor literal"),
					 errdetail("Key \"%s\" appears twice.", key)));
		*seen |= 1 << k;
		return k;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("malformed play_tensor literal"),
			 errdetail("Unknown key \"%s\".", key),
			 errhint("The keys are version, standardized, frame_ids, nfl_ids, roles, duplicates, data and (version 2) events.")));
	return -1;					/* keep compiler quiet */
}

/* Parse the JSON text form into a validated tensor */
static PlayTensor *
pt_parse_text(const char *text)
{
	JsonScan	s;
	Values		frame_ids = {0}, nfl_ids = {0}, roles = {0}, dups = {0}, data = {0}, events = {0};
	int			seen = 0, version = 0, frames = 0, entities = 0;
	bool		standardized = false;
	PlayTensor *pt;

	json_scan_init(&s, text, strlen(text));
	expect(&s, '{');
	do
	{
		switch (read_key(&s, &seen))
		{
			case KEY_VERSION:
				version = read_int(&s);
				pt_check_version(version, ERRCODE_INVALID_PARAMETER_VALUE);
				break;
			case KEY_STANDARDIZED:
				if (json_scan_literal(&s, "true"))
					standardized = true;
				else if (!json_scan_literal(&s, "false"))
					syntax_error(&s, "true or false");
				break;
			case KEY_FRAME_IDS:
				read_id_array(&s, &frame_ids, PT_MAX_FRAMES, "frames", false);
				break;
			case KEY_NFL_IDS:
				read_id_array(&s, &nfl_ids, PT_MAX_ENTITIES, "entities", true);
				break;
			case KEY_ROLES:
				read_role_array(&s, &roles);
				break;
			case KEY_DUPLICATES:
				read_duplicates(&s, &dups);
				break;
			case KEY_DATA:
				frames = read_data(&s, &data, &entities);
				break;
			case KEY_EVENTS:
				read_events(&s, &events);
				break;
		}
	} while (json_scan_accept(&s, ','));
	expect(&s, '}');
	scan(&s, json_scan_end(&s));
	if ((seen & REQUIRED_KEYS) != REQUIRED_KEYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("malformed play_tensor literal"),
				 errdetail("The keys version, standardized, frame_ids, nfl_ids, roles and data are required.")));
	if ((seen & (1 << KEY_EVENTS)) && version != PT_VERSION_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("malformed play_tensor literal"),
				 errdetail("Key \"events\" is only allowed in version %d.", PT_VERSION_EVENTS)));

	pt_check_dimensions(frames, entities, dups.count / 2);
	check_length("frame_ids", frame_ids.count, "frames", frames);
	check_length("nfl_ids", nfl_ids.count, "entities", entities);
	check_length("roles", roles.count, "entities", entities);

	pt = pt_allocate(frames, entities, dups.count / 2);
	pt->flags = standardized ? PT_STANDARDIZED : 0;
	memcpy(pt_nfl_ids(pt), nfl_ids.items, sizeof(int32) * entities);
	memcpy(pt_frame_ids(pt), frame_ids.items, sizeof(int32) * frames);
	if (dups.count)
		memcpy(pt_duplicates(pt), dups.items, sizeof(int32) * dups.count);
	for (int e = 0; e < entities; e++)
		pt_roles(pt)[e] = ((int32 *) roles.items)[e];
	memcpy(pt_data(pt), data.items, sizeof(float4) * data.count);
	if (version == PT_VERSION_EVENTS)
	{
		events_to_indexes(pt, &events);
		pt = pt_attach_events(pt, events.items, events.count, false);
	}
	pt_validate(pt);
	return pt;
}

/* Append a float4 in its shortest exact form, or null for NaN */
static inline void
append_float(StringInfo out, float4 v)
{
	char		buf[32];

	if (isnan(v))
		appendBinaryStringInfo(out, "null", 4);
	else
		appendBinaryStringInfo(out, buf, float_to_shortest_decimal_bufn(v, buf));
}

/* Append ,"events":[[frame_id,"name"],...] */
static void
append_events(StringInfo out, PlayTensor *pt)
{
	appendStringInfoString(out, ",\"events\":[");
	for (int i = 0; i < pt_event_count(pt); i++)
	{
		int			len;
		const char *name = pt_event_name(pt, i, &len);

		appendStringInfo(out, "%s[%d,\"%.*s\"]", i ? "," : "",
						 pt_frame_ids(pt)[pt_event_frames(pt)[i]], len, name);
	}
	appendStringInfoChar(out, ']');
}

/* The JSON text form of a tensor */
static char *
pt_to_text(PlayTensor *pt)
{
	StringInfoData out;
	int32	   *ids = pt_nfl_ids(pt);
	int32	   *dups = pt_duplicates(pt);
	uint8	   *roles = pt_roles(pt);

	initStringInfo(&out);
	appendStringInfo(&out, "{\"version\":%d,\"standardized\":%s,\"frame_ids\":[",
					 pt->version, (pt->flags & PT_STANDARDIZED) ? "true" : "false");
	for (int f = 0; f < pt->frames; f++)
		appendStringInfo(&out, f ? ",%d" : "%d", pt_frame_ids(pt)[f]);
	appendStringInfoString(&out, "],\"nfl_ids\":[");
	for (int e = 0; e < pt->entities; e++)
	{
		if (e)
			appendStringInfoChar(&out, ',');
		if (roles[e] == PT_BALL)
			appendStringInfoString(&out, "null");
		else
			appendStringInfo(&out, "%d", ids[e]);
	}
	appendStringInfoString(&out, "],\"roles\":[");
	for (int e = 0; e < pt->entities; e++)
		appendStringInfo(&out, e ? ",\"%s\"" : "\"%s\"", pt_role_name(roles[e]));
	appendStringInfoString(&out, "],\"duplicates\":[");
	for (int d = 0; d < pt->duplicates; d++)
		appendStringInfo(&out, d ? ",[%d,%d]" : "[%d,%d]", dups[2 * d], dups[2 * d + 1]);
	appendStringInfoString(&out, "],\"data\":[");
	for (int f = 0; f < pt->frames; f++)
	{
		appendStringInfoString(&out, f ? ",[" : "[");
		for (int e = 0; e < pt->entities; e++)
		{
			float4	   *v = pt_sample(pt, f, e);

			appendStringInfoString(&out, e ? ",[" : "[");
			for (int k = 0; k < PT_FEATURES; k++)
			{
				if (k)
					appendStringInfoChar(&out, ',');
				append_float(&out, v[k]);
			}
			appendStringInfoChar(&out, ']');
		}
		appendStringInfoChar(&out, ']');
	}
	appendStringInfoChar(&out, ']');
	if (pt_has_events(pt))
		append_events(&out, pt);
	appendStringInfoChar(&out, '}');
	return out.data;
}

PG_FUNCTION_INFO_V1(play_tensor_in);
/*
 * Text input: the JSON document play_tensor_out writes
 */
Datum
play_tensor_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);

	PG_RETURN_PLAY_TENSOR_P(pt_parse_text(text));
}

PG_FUNCTION_INFO_V1(play_tensor_out);
/*
 * Text output: a JSON document that round-trips exactly
 */
Datum
play_tensor_out(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);

	PG_RETURN_CSTRING(pt_to_text(pt));
}
