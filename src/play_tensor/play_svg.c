/*
 * play_svg.c: ngs.play_svg, a play drawn to scale as a standalone SVG document: the field
 * (120 x 53.3 yards, end zones, yard lines, numbers, hash marks), every entity's track
 * coloured by role, optional highlighted and labelled players, and optional ghost paths
 * drawn dashed.
 *
 * The drawing's user units are yards: SVG x = tracking x, SVG y = 160/3 - tracking y, so
 * +y points up the page and a standardized play runs left to right.
 */
#include "postgres.h"

#include <errno.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/options.h"
#include "common/svg.h"
#include "mb/pg_wchar.h"
#include "play_tensor/play_tensor.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/geo_decls.h"

#define PSVG_MARGIN			3.0 /* yards of sideline area around the field */
#define PSVG_LEGEND			4.0 /* yards of caption band below the field */
#define PSVG_DEFAULT_WIDTH	960 /* pixels */
#define PSVG_HASH_Y			(70.75 / 3.0)	/* hash marks: 70 ft 9 in in */
#define PSVG_MIN_VIEW		1.0 /* yards: the narrowest view */
#define PSVG_MAX_VIEW		1000.0	/* yards: the farthest view corner */
#define PSVG_LABEL_TRIES	8	/* lines tried for a label that overlaps */

#define PSVG_HINT "The options are width (pixels), from_frame, to_frame (frame ids), highlight " \
	"(an array of NFL ids), labels (an object from NFL id to text), title, ghost_labels (an array of texts), " \
	"view ([x_min, y_min, x_max, y_max] in yards)."

/* Stroke colour of each role's tracks, indexed by PtRole */
static const char *const role_colour[] = {NULL, "#f28e2b", "#4e9bd6", "#ffffff"};

/* What play_svg draws, read from its arguments */
typedef struct PlaySvg
{
	PlayTensor *pt;				/* the play */
	int			width;			/* pixels */
	int			from_frame,
				to_frame;		/* frame ids drawn, inclusive */
	int			first,
				last;			/* frame indexes drawn, inclusive */
	bool	   *highlight;		/* per entity: drawn with a halo */
	char	  **label;			/* per entity: text at its end, or NULL */
	char	   *title;			/* caption and document title, or NULL */
	PATH	  **ghost;			/* ghost paths (NULL elements skipped) */
	char	  **ghost_label;	/* per ghost: text at its end, or NULL */
	int			ghosts;			/* number of ghost slots */
	double		view[4];		/* yards drawn: x_min, y_min, x_max, y_max */
	double		k;				/* marks and text scale: view / whole width */
	double	   *placed;			/* labels drawn: x0, y0, x1, y1 each */
	int			labels;			/* number of labels drawn so far */
} PlaySvg;

/* SVG y of a tracking y */
static inline double
svg_y(double y)
{
	return FIELD_WIDTH - y;
}

/* Append " name=\"value\"" with a number value */
static void
attr(StringInfo out, const char *name, double value)
{
	appendStringInfo(out, " %s=\"", name);
	svg_number(out, value);
	appendStringInfoChar(out, '"');
}

/* Append an "x,y" point of the drawing */
static void
point(StringInfo out, double x, double y)
{
	svg_number(out, x);
	appendStringInfoChar(out, ',');
	svg_number(out, svg_y(y));
}

/*
 * The entity of an NFL id that an option names; an error if the play lacks him
 */
static int
option_entity(PlayTensor *pt, int32 id, const char *what)
{
	int			e = pt_find_entity(pt, false, id);

	if (e < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s names player %d, who is not in this play", what, id),
				 errhint("ngs.nfl_ids(tensor) lists the players.")));
	return e;
}

/*
 * The NFL id a labels key spells ("2495454"); an error for anything else
 */
static int32
label_key(const JsonbValue *key)
{
	char	   *s = pnstrdup(key->val.string.val, key->val.string.len);
	char	   *end;
	long		id;

	errno = 0;
	id = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || id < PG_INT32_MIN || id > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("labels key \"%s\" is not an NFL id", s),
				 errhint("Key the labels object by NFL id, such as {\"2495454\": \"T. Kelce\"}.")));
	return (int32) id;
}

/*
 * The frame indexes whose ids lie in [from_frame, to_frame]; an error if there are none
 */
static void
frame_range(PlaySvg *ps)
{
	PlayTensor *pt = ps->pt;
	int32	   *ids = pt_frame_ids(pt);

	ps->first = 0;
	while (ps->first < pt->frames && ids[ps->first] < ps->from_frame)
		ps->first++;
	ps->last = pt->frames - 1;
	while (ps->last >= 0 && ids[ps->last] > ps->to_frame)
		ps->last--;
	if (ps->first > ps->last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no frame of this play lies between from_frame %d and to_frame %d",
						ps->from_frame, ps->to_frame),
				 errhint("ngs.frame_ids(tensor) lists the frame ids.")));
}

/*
 * The view option: the region to draw, at least PSVG_MIN_VIEW wide and high and near the
 * field
 */
static void
read_view(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	PlaySvg    *ps = target;
	JsonbValue *list = palloc(sizeof(JsonbValue) * SVG_MAX_LIST);
	int			n = option_list(s, def->name, v, false, SVG_MAX_LIST, list);

	if (n != 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("view must hold 4 numbers, not %d", n),
				 errhint("Pass [x_min, y_min, x_max, y_max] in yards, such as [20, 10, 60, 40].")));
	for (int i = 0; i < 4; i++)
		ps->view[i] = option_double(s, def->name, &list[i]);
	for (int i = 0; i < 4; i++)
		if (fabs(ps->view[i]) > PSVG_MAX_VIEW)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("view reaches %g yards, beyond %g", ps->view[i], PSVG_MAX_VIEW),
					 errhint("Keep the view near the field (0 to 120 by 0 to 53.3 yards).")));
	if (ps->view[2] - ps->view[0] < PSVG_MIN_VIEW || ps->view[3] - ps->view[1] < PSVG_MIN_VIEW)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("view must be at least %g yard wide and high", PSVG_MIN_VIEW),
				 errhint("Pass [x_min, y_min, x_max, y_max] with x_min < x_max and y_min < y_max.")));
}

/* The highlight option: NFL ids of players drawn with a halo */
static void
read_highlight(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	PlaySvg    *ps = target;
	JsonbValue *list = palloc(sizeof(JsonbValue) * SVG_MAX_LIST);
	int			n = option_list(s, def->name, v, false, SVG_MAX_LIST, list);

	for (int i = 0; i < n; i++)
		ps->highlight[option_entity(ps->pt, option_int(s, def->name, &list[i], PG_INT32_MIN, PG_INT32_MAX),
									def->name)] = true;
}

/* The labels option: text drawn at a player's end, keyed by NFL id */
static void
read_labels(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	PlaySvg    *ps = target;
	JsonbValue *list = palloc(sizeof(JsonbValue) * 2 * SVG_MAX_LIST);
	int			n = option_list(s, def->name, v, true, SVG_MAX_LIST, list);

	for (int i = 0; i < n; i++)
	{
		int			e = option_entity(ps->pt, label_key(&list[2 * i]), def->name);

		ps->label[e] = option_text(s, "a label", &list[2 * i + 1], SVG_MAX_TEXT);
	}
}

/* The ghost_labels option: text (or null) drawn at the end of each ghost path */
static void
read_ghost_labels(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target)
{
	PlaySvg    *ps = target;
	JsonbValue *list = palloc(sizeof(JsonbValue) * SVG_MAX_LIST);
	int			n = option_list(s, def->name, v, false, SVG_MAX_LIST, list);

	if (n > ps->ghosts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ghost_labels has more labels (%d) than there are ghost paths (%d)", n, ps->ghosts),
				 errhint("Give at most one label per element of ghosts, in the same order.")));
	for (int i = 0; i < n; i++)
		if (list[i].type != jbvNull)
			ps->ghost_label[i] = option_text(s, "a ghost label", &list[i], SVG_MAX_TEXT);
}

/* The options */
static const OptionDef play_svg_option_defs[] = {
	{"width", OPTION_INT, offsetof(PlaySvg, width), SVG_MIN_WIDTH, SVG_MAX_WIDTH},
	{"from_frame", OPTION_INT, offsetof(PlaySvg, from_frame), PG_INT32_MIN, PG_INT32_MAX},
	{"to_frame", OPTION_INT, offsetof(PlaySvg, to_frame), PG_INT32_MIN, PG_INT32_MAX},
	{"highlight", OPTION_CUSTOM, .read = read_highlight},
	{"labels", OPTION_CUSTOM, .read = read_labels},
	{"title", OPTION_TEXT, offsetof(PlaySvg, title), 0, SVG_MAX_TEXT},
	{"ghost_labels", OPTION_CUSTOM, .read = read_ghost_labels},
	{"view", OPTION_CUSTOM, .read = read_view},
};

/* The options and how their errors name them */
static const OptionSet play_svg_options = {
	play_svg_option_defs, lengthof(play_svg_option_defs), OPTIONS_BARE, "", PSVG_HINT, PSVG_HINT
};

/*
 * Read the options (width, frame range, highlight, labels, title, ghost labels, view)
 * into ps over the defaults.  Marks and text are scaled with the view's width, so a
 * close-up keeps them the same size on screen.
 */
static void
read_options(PlaySvg *ps, Jsonb *options)
{
	ps->width = PSVG_DEFAULT_WIDTH;
	ps->from_frame = PG_INT32_MIN;
	ps->to_frame = PG_INT32_MAX;
	ps->highlight = palloc0(sizeof(bool) * ps->pt->entities);
	ps->label = palloc0(sizeof(char *) * ps->pt->entities);
	ps->ghost_label = palloc0(sizeof(char *) * Max(ps->ghosts, 1));
	ps->view[0] = ps->view[1] = -PSVG_MARGIN;
	ps->view[2] = FIELD_LENGTH + PSVG_MARGIN;
	ps->view[3] = FIELD_WIDTH + PSVG_MARGIN;
	options_parse(&play_svg_options, options, ps);
	ps->k = (ps->view[2] - ps->view[0]) / (FIELD_LENGTH + 2 * PSVG_MARGIN);
	frame_range(ps);
}

/*
 * Read the ghost paths: every element NULL or a path of finite points
 */
static void
read_ghosts(PlaySvg *ps, ArrayType *ghosts)
{
	Datum	   *d;
	bool	   *nulls;

	deconstruct_array(ghosts, PATHOID, -1, false, TYPALIGN_DOUBLE, &d, &nulls, &ps->ghosts);
	if (ps->ghosts > SVG_MAX_LIST)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("ghosts has more than %d paths", SVG_MAX_LIST),
				 errhint("Draw fewer ghost paths in one picture.")));
	ps->ghost = palloc0(sizeof(PATH *) * Max(ps->ghosts, 1));
	for (int i = 0; i < ps->ghosts; i++)
	{
		if (nulls[i])
			continue;
		ps->ghost[i] = DatumGetPathP(d[i]);
		for (int k = 0; k < ps->ghost[i]->npts; k++)
			if (!isfinite(ps->ghost[i]->p[k].x) || !isfinite(ps->ghost[i]->p[k].y))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("ghost path %d has a non-finite point at position %d", i + 1, k + 1),
						 errhint("Pass paths of finite coordinates in yards.")));
	}
}

/*
 * The field (to scale: its marks are not resized in a close-up): surround, turf, end
 * zones, lines, hash marks and yard numbers
 */
static void
draw_field(StringInfo out, const PlaySvg *ps)
{
	appendStringInfoString(out, "<rect");
	attr(out, "x", ps->view[0]);
	attr(out, "y", svg_y(ps->view[3]));
	attr(out, "width", ps->view[2] - ps->view[0]);
	attr(out, "height", ps->view[3] - ps->view[1]);
	appendStringInfoString(out, " fill=\"#2b5e31\"/>");
	appendStringInfo(out, "<rect width=\"120\" height=\"%.2f\" fill=\"#3a7d44\"/>", FIELD_WIDTH);
	appendStringInfo(out, "<path fill=\"#2f6b39\" d=\"M0,0h10v%.2fh-10zM110,0h10v%.2fh-10z\"/>",
					 FIELD_WIDTH, FIELD_WIDTH);
	appendStringInfoString(out, "<path stroke=\"#fff\" stroke-width=\"0.15\" d=\"");
	for (int x = 15; x <= 105; x += 5)
		appendStringInfo(out, "M%d,0V%.2f", x, FIELD_WIDTH);
	/* one-yard ticks: inside each sideline and at both rows of hash marks */
	for (int x = 11; x < 110; x++)
		if (x % 5 != 0)
			appendStringInfo(out, "M%d,0.17v0.67M%d,%.2fv0.67M%d,%.2fv0.67M%d,%.2fv0.67",
							 x, x, PSVG_HASH_Y - 0.33, x, FIELD_WIDTH - PSVG_HASH_Y - 0.33,
							 x, FIELD_WIDTH - 0.83);
	appendStringInfoString(out, "\"/>");
	appendStringInfo(out, "<path stroke=\"#fff\" stroke-width=\"0.3\" fill=\"none\" "
					 "d=\"M0,0H120V%.2fH0zM10,0V%.2fM110,0V%.2f\"/>",
					 FIELD_WIDTH, FIELD_WIDTH, FIELD_WIDTH);
	appendStringInfoString(out, "<g fill=\"#fff\" fill-opacity=\"0.75\" font-size=\"2.2\" "
						   "text-anchor=\"middle\" dominant-baseline=\"central\">");
	for (int x = 20; x <= 100; x += 10)
	{
		int			yard_line = x <= 60 ? x - 10 : 110 - x;

		appendStringInfo(out, "<text x=\"%d\" y=\"%.2f\">%d</text><text x=\"%d\" y=\"%.2f\">%d</text>",
						 x, FIELD_WIDTH - 12, yard_line, x, 12.0, yard_line);
	}
	appendStringInfoString(out, "</g>");
}

/*
 * Whether a box (x0, y0, x1, y1) overlaps a label already drawn
 */
static bool
label_overlaps(const PlaySvg *ps, const double *box)
{
	for (int i = 0; i < ps->labels; i++)
	{
		const double *b = ps->placed + 4 * i;

		if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])
			return true;
	}
	return false;
}

/*
 * A label at a point of the drawing, white on a dark halo: above and right of the point,
 * else in the first of a few lines above or below it that no earlier label covers
 */
static void
draw_label(StringInfo out, PlaySvg *ps, double x, double y, const char *text)
{
	double		size = 1.6 * ps->k;
	double		box[4];

	box[0] = x + 0.9 * ps->k;
	box[2] = box[0] + 0.6 * size * pg_mbstrlen(text);
	for (int j = 0; j < PSVG_LABEL_TRIES; j++)
	{
		/* the baseline: above the point for even j, below it for odd j */
		double		base = j % 2 == 0 ? svg_y(y) - 0.9 * ps->k - (j / 2) * 1.3 * size
		: svg_y(y) + 0.9 * ps->k + size + (j / 2) * 1.3 * size;

		box[1] = base - size;
		box[3] = base + 0.25 * size;
		if (!label_overlaps(ps, box))
			break;
	}
	memcpy(ps->placed + 4 * ps->labels++, box, sizeof(box));
	appendStringInfoString(out, "<text");
	attr(out, "x", box[0]);
	attr(out, "y", box[3] - 0.25 * size);
	attr(out, "font-size", size);
	attr(out, "stroke-width", 0.3 * ps->k);
	appendStringInfoString(out, " fill=\"#fff\" stroke=\"#000\" paint-order=\"stroke\">");
	svg_text(out, text);
	appendStringInfoString(out, "</text>");
}

/*
 * One entity's track over the drawn frames (a new subpath after each gap), a dot at its
 * last position, a halo when highlighted, and its label
 */
static void
draw_track(StringInfo out, PlaySvg *ps, int e)
{
	PlayTensor *pt = ps->pt;
	int			role = pt_roles(pt)[e];
	bool		ball = role == PT_BALL;
	float4	   *end = NULL;
	bool		gap = true;
	StringInfoData d;

	initStringInfo(&d);
	for (int f = ps->first; f <= ps->last; f++)
	{
		float4	   *v = pt_sample(pt, f, e);

		if (isnan(v[PT_X]) || isnan(v[PT_Y]))
		{
			gap = true;
			continue;
		}
		appendStringInfoString(&d, gap ? "M" : " ");
		point(&d, v[PT_X], v[PT_Y]);
		gap = false;
		end = v;
	}
	if (end == NULL)
		return;
	appendStringInfo(out, "<g data-role=\"%s\"", pt_role_name(role));
	if (!ball)
		appendStringInfo(out, " data-nfl-id=\"%d\"", pt_nfl_ids(pt)[e]);
	appendStringInfo(out, "><title>%s", pt_role_name(role));
	if (!ball)
		appendStringInfo(out, " %d", pt_nfl_ids(pt)[e]);
	if (ps->label[e])
	{
		appendStringInfoString(out, ": ");
		svg_text(out, ps->label[e]);
	}
	appendStringInfoString(out, "</title>");
	if (ps->highlight[e])
	{
		appendStringInfo(out, "<path d=\"%s\" stroke=\"#ffe14d\" stroke-opacity=\"0.6\"", d.data);
		attr(out, "stroke-width", 1.0 * ps->k);
		appendStringInfoString(out, "/>");
	}
	appendStringInfo(out, "<path d=\"%s\" stroke=\"%s\"", d.data, role_colour[role]);
	attr(out, "stroke-width", (ps->highlight[e] ? 0.45 : ball ? 0.18 : 0.25) * ps->k);
	appendStringInfoString(out, "/><circle");
	attr(out, "cx", end[PT_X]);
	attr(out, "cy", svg_y(end[PT_Y]));
	attr(out, "r", (ball ? 0.45 : ps->highlight[e] ? 0.85 : 0.6) * ps->k);
	attr(out, "stroke-width", 0.12 * ps->k);
	appendStringInfo(out, " fill=\"%s\" stroke=\"%s\"/>", role_colour[role],
					 ps->highlight[e] ? "#ffe14d" : ball ? "#333" : "#fff");
	if (ps->label[e])
		draw_label(out, ps, end[PT_X], end[PT_Y], ps->label[e]);
	appendStringInfoString(out, "</g>");
	pfree(d.data);
}

/*
 * One ghost path, dashed, with a hollow dot at its end and its label
 */
static void
draw_ghost(StringInfo out, PlaySvg *ps, const PATH *path, const char *label)
{
	const Point *end = &path->p[path->npts - 1];

	appendStringInfoString(out, "<g data-ghost=\"true\" stroke=\"#a8d4ff\"><path d=\"M");
	for (int k = 0; k < path->npts; k++)
	{
		if (k > 0)
			appendStringInfoChar(out, ' ');
		point(out, path->p[k].x, path->p[k].y);
	}
	appendStringInfo(out, "%s\"", path->closed ? "z" : "");
	attr(out, "stroke-width", 0.35 * ps->k);
	appendStringInfoString(out, " stroke-dasharray=\"");
	svg_number(out, 0.8 * ps->k);
	appendStringInfoChar(out, ' ');
	svg_number(out, 0.5 * ps->k);
	appendStringInfoString(out, "\"/><circle");
	attr(out, "cx", end->x);
	attr(out, "cy", svg_y(end->y));
	attr(out, "r", 0.6 * ps->k);
	attr(out, "stroke-width", 0.2 * ps->k);
	appendStringInfoString(out, "/>");
	if (label)
		draw_label(out, ps, end->x, end->y, label);
	appendStringInfoString(out, "</g>");
}

/*
 * One entry of the colour key at x: a short line and its name
 */
static void
draw_key(StringInfo out, const PlaySvg *ps, double x, double y, const char *colour, double width,
		 bool dashed, const char *name)
{
	appendStringInfoString(out, "<path d=\"M");
	svg_number(out, x);
	appendStringInfoChar(out, ',');
	svg_number(out, y);
	appendStringInfoChar(out, 'h');
	svg_number(out, 3 * ps->k);
	appendStringInfo(out, "\" stroke=\"%s\"", colour);
	attr(out, "stroke-width", width * ps->k);
	if (dashed)
	{
		appendStringInfoString(out, " stroke-dasharray=\"");
		svg_number(out, 0.8 * ps->k);
		appendStringInfoChar(out, ' ');
		svg_number(out, 0.5 * ps->k);
		appendStringInfoChar(out, '"');
	}
	appendStringInfoString(out, "/><text");
	attr(out, "x", x + 4 * ps->k);
	attr(out, "y", y);
	appendStringInfo(out, ">%s</text>", name);
}

/*
 * The caption band below the view: the title on the left, the colour key on the right
 */
static void
draw_legend(StringInfo out, const PlaySvg *ps, bool ghosts)
{
	double		top = svg_y(ps->view[1]);
	double		y = top + PSVG_LEGEND / 2 * ps->k;
	double		x = ps->view[2] - (ghosts ? 52 : 40) * ps->k;
	static const char *const names[] = {NULL, "offense", "defense", "ball"};

	appendStringInfoString(out, "<g fill=\"#fff\" dominant-baseline=\"central\"");
	attr(out, "font-size", 1.8 * ps->k);
	appendStringInfoString(out, "><rect");
	attr(out, "x", ps->view[0]);
	attr(out, "y", top);
	attr(out, "width", ps->view[2] - ps->view[0]);
	attr(out, "height", PSVG_LEGEND * ps->k);
	appendStringInfoString(out, " fill=\"#1e3b22\"/>");
	if (ps->title)
	{
		appendStringInfoString(out, "<text");
		attr(out, "x", ps->view[0] + ps->k);
		attr(out, "y", y);
		appendStringInfoChar(out, '>');
		svg_text(out, ps->title);
		appendStringInfoString(out, "</text>");
	}
	for (int role = PT_OFFENSE; role <= PT_BALL; role++, x += 13 * ps->k)
		draw_key(out, ps, x, y, role_colour[role], 0.5, false, names[role]);
	if (ghosts)
		draw_key(out, ps, x, y, "#a8d4ff", 0.35, true, "ghost");
	appendStringInfoString(out, "</g>");
}

/*
 * The whole document
 */
static text *
draw_play(PlaySvg *ps)
{
	StringInfoData out;
	double		vb_w = ps->view[2] - ps->view[0];
	double		vb_h = ps->view[3] - ps->view[1] + PSVG_LEGEND * ps->k;
	bool		ghosts = false;

	ps->placed = palloc(sizeof(double) * 4 * (ps->pt->entities + ps->ghosts));
	initStringInfo(&out);
	appendStringInfo(&out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"",
					 ps->width, (int) rint(ps->width * vb_h / vb_w));
	svg_number(&out, ps->view[0]);
	appendStringInfoChar(&out, ' ');
	svg_number(&out, svg_y(ps->view[3]));
	appendStringInfoChar(&out, ' ');
	svg_number(&out, vb_w);
	appendStringInfoChar(&out, ' ');
	svg_number(&out, vb_h);
	appendStringInfoString(&out, "\" font-family=\"sans-serif\">");
	if (ps->title)
	{
		appendStringInfoString(&out, "<title>");
		svg_text(&out, ps->title);
		appendStringInfoString(&out, "</title>");
	}
	draw_field(&out, ps);
	appendStringInfoString(&out, "<g fill=\"none\" stroke-linecap=\"round\" stroke-linejoin=\"round\">");
	for (int e = 0; e < ps->pt->entities; e++)
		draw_track(&out, ps, e);
	for (int i = 0; i < ps->ghosts; i++)
		if (ps->ghost[i] && ps->ghost[i]->npts > 0)
		{
			draw_ghost(&out, ps, ps->ghost[i], ps->ghost_label[i]);
			ghosts = true;
		}
	appendStringInfoString(&out, "</g>");
	draw_legend(&out, ps, ghosts);
	appendStringInfoString(&out, "</svg>");
	return cstring_to_text_with_len(out.data, out.len);
}

PG_FUNCTION_INFO_V1(play_svg);
/*
 * A play as a standalone SVG document, with optional ghost paths drawn dashed
 */
Datum
play_svg(PG_FUNCTION_ARGS)
{
	PlaySvg		ps = {0};

	ps.pt = PG_GETARG_PLAY_TENSOR_P(0);
	read_ghosts(&ps, PG_GETARG_ARRAYTYPE_P(2));
	read_options(&ps, PG_GETARG_JSONB_P(1));
	PG_RETURN_TEXT_P(draw_play(&ps));
}
