/*
 * sbp_svg.c: ngs.sbp_svg, a predicted distribution of yards as a standalone SVG document:
 * the body's bins as bars, the two generalized Pareto tails as shaded areas, the median
 * dashed, and the actual outcome with its percentile u = F(actual).
 *
 * The drawing's user units are pixels.  The x range defaults to the 0.5% to 99.5%
 * quantiles, widened to hold the actual outcome and kept within one bin range beyond
 * [lower, upper]; a tail much taller than the bars is cut at three times the tallest bar.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/options.h"
#include "common/shortest_dec.h"
#include "common/svg.h"
#include "sbp/sbp.h"
#include "utils/builtins.h"

#define SSVG_DEFAULT_WIDTH	640 /* pixels */
#define SSVG_DEFAULT_HEIGHT	320 /* pixels */
#define SSVG_LEFT			56	/* plot margins, pixels */
#define SSVG_RIGHT			16
#define SSVG_TOP			44
#define SSVG_BOTTOM			40
#define SSVG_TAIL_POINTS	96	/* samples along each drawn tail */
#define SSVG_MAX_TICKS		12	/* ticks per axis, at most */
#define SSVG_TAIL_CAP		3.0 /* tails are cut at 3 x the tallest bar */
#define SSVG_MIN_WIDTH		320 /* pixels: room for the axes and the key */
#define SSVG_MIN_HEIGHT		160 /* pixels */
#define SSVG_MIN_SPAN		1e-9	/* narrowest x range / max(1, |x|) */

/* What the options ask for; x_min and x_max are NaN when absent */
typedef struct SbpSvgOptions
{
	int			width,
				height;			/* pixels */
	char	   *title;			/* or NULL */
	double		x_min,
				x_max;			/* yards */
} SbpSvgOptions;

#define FIELD(f) offsetof(SbpSvgOptions, f)

/* The options */
static const OptionDef sbp_svg_option_defs[] = {
	{"width", OPTION_INT, FIELD(width), SSVG_MIN_WIDTH, SVG_MAX_WIDTH},
	{"height", OPTION_INT, FIELD(height), SSVG_MIN_HEIGHT, SVG_MAX_WIDTH},
	{"title", OPTION_TEXT, FIELD(title), 0, SVG_MAX_TEXT},
	{"x_min", OPTION_NUMBER, FIELD(x_min), -DBL_MAX, DBL_MAX},
	{"x_max", OPTION_NUMBER, FIELD(x_max), -DBL_MAX, DBL_MAX},
};

#define SSVG_HINT "The options are width and height (pixels), title, x_min and x_max (yards)."

/* The options and how their errors name them */
static const OptionSet sbp_svg_options = {
	sbp_svg_option_defs, lengthof(sbp_svg_option_defs), OPTIONS_BARE, "", SSVG_HINT, SSVG_HINT
};

/* The frame of the picture: what is drawn where */
typedef struct SbpPlot
{
	const Sbp  *d;				/* the distribution */
	int			width,
				height;			/* pixels */
	double		x0,
				x1;				/* yards shown */
	double		y1;				/* density at the top of the plot */
	double		tau_lo,
				tau_hi;			/* splice points */
} SbpPlot;

/* Pixel x of a value in yards */
static inline double
px(const SbpPlot *p, double x)
{
	return SSVG_LEFT + (p->width - SSVG_LEFT - SSVG_RIGHT) * (x - p->x0) / (p->x1 - p->x0);
}

/* Pixel y of a density, cut at the top of the plot */
static inline double
py(const SbpPlot *p, double density)
{
	return SSVG_TOP + (p->height - SSVG_TOP - SSVG_BOTTOM) * (1.0 - Min(density / p->y1, 1.0));
}

/* Edge k of the body's bins (k = 0..bins) */
static inline double
bin_edge(const Sbp *d, int k)
{
	return k == d->bins ? d->upper : d->lower + k * ((d->upper - d->lower) / d->bins);
}

/* A round step (1, 2 or 5 times a power of ten) that cuts a span into at most max pieces */
static double
nice_step(double span, int max)
{
	double		step = pow(10.0, floor(log10(span / max)));

	if (!(step > 0.0 && isfinite(step)))
		return span;

	if (span / step > max)
		step *= 2;
	if (span / step > max)
		step *= 2.5;
	if (span / step > max)
		step *= 2;
	return step;
}

/* The English ordinal suffix of a whole number ("st" for 1, 21; "th" for 11, 12, 13) */
static const char *
ordinal(int n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

/* Whether [x0, x1] is a finite range wide enough to draw */
static inline bool
drawable_range(double x0, double x1)
{
	return isfinite(x0) && isfinite(x1) && isfinite(x1 - x0) &&
		x1 - x0 >= SSVG_MIN_SPAN * Max(1.0, Max(fabs(x0), fabs(x1)));
}

/*
 * The x range: options, else the 0.5%-99.5% quantiles widened to the actual outcome,
 * within one bin range beyond [lower, upper] (and at least SSVG_MIN_SPAN wide)
 */
static void
x_range(SbpPlot *p, const SbpSvgOptions *o, bool has_actual, double actual)
{
	const Sbp  *d = p->d;
	double		span = d->upper - d->lower;
	double		lo = sbp_quantile_value(d, 0.005),
				hi = sbp_quantile_value(d, 0.995);

	if (has_actual)
	{
		lo = Min(lo, actual);
		hi = Max(hi, actual);
	}
	lo = Max(lo, d->lower - span);
	hi = Min(hi, d->upper + span);
	if (!drawable_range(lo, hi))
	{
		double		centre = d->lower / 2 + d->upper / 2;

		lo = centre - SSVG_MIN_SPAN * Max(1.0, fabs(centre));
		hi = centre + SSVG_MIN_SPAN * Max(1.0, fabs(centre));
	}
	p->x0 = isnan(o->x_min) ? lo : o->x_min;
	p->x1 = isnan(o->x_max) ? hi : o->x_max;
	if (!drawable_range(p->x0, p->x1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x_min must be below x_max, not %s and %s",
						double_to_shortest_decimal(p->x0), double_to_shortest_decimal(p->x1)),
				 errhint("Pass a finite range of yards, such as {\"x_min\": -10, \"x_max\": 40}.")));
}

/*
 * The density at the top: the tallest bar or tail point shown, but at most SSVG_TAIL_CAP
 * times the tallest bar
 */
static void
y_range(SbpPlot *p)
{
	const Sbp  *d = p->d;
	double		bars = 0.0,
				tails;

	for (int k = 0; k < d->bins; k++)
		if (bin_edge(d, k + 1) > Max(p->tau_lo, p->x0) && bin_edge(d, k) < Min(p->tau_hi, p->x1))
			bars = Max(bars, d->mass[k] / ((d->upper - d->lower) / d->bins));
	tails = Max(sbp_pdf_value(d, Max(Min(p->tau_lo, p->x1), p->x0)),
				sbp_pdf_value(d, Min(Max(p->tau_hi, p->x0), p->x1)));
	p->y1 = Max(bars, tails);
	if (bars > 0.0)
		p->y1 = Min(p->y1, SSVG_TAIL_CAP * bars);
	if (!(p->y1 > 0.0 && isfinite(p->y1)))
		p->y1 = 1.0;
	p->y1 *= 1.08;
}

/*
 * The body: one bar per bin, clipped to [tau_lo, tau_hi] and to the x range
 */
static void
draw_bars(StringInfo out, const SbpPlot *p)
{
	const Sbp  *d = p->d;

	appendStringInfoString(out, "<g fill=\"#4e79a7\" shape-rendering=\"crispEdges\" data-part=\"body\">");
	for (int k = 0; k < d->bins; k++)
	{
		double		a = Max(Max(bin_edge(d, k), p->tau_lo), p->x0);
		double		b = Min(Min(bin_edge(d, k + 1), p->tau_hi), p->x1);
		double		top = py(p, d->mass[k] / ((d->upper - d->lower) / d->bins));

		if (a >= b)
			continue;
		appendStringInfoString(out, "<rect x=\"");
		svg_number(out, px(p, a));
		appendStringInfoString(out, "\" y=\"");
		svg_number(out, top);
		appendStringInfoString(out, "\" width=\"");
		svg_number(out, px(p, b) - px(p, a));
		appendStringInfoString(out, "\" height=\"");
		svg_number(out, py(p, 0.0) - top);
		appendStringInfoString(out, "\"/>");
	}
	appendStringInfoString(out, "</g>");
}

/*
 * One tail over [a, b] (yards), as the area under its density
 */
static void
draw_tail(StringInfo out, const SbpPlot *p, double a, double b, const char *which)
{
	if (a >= b)
		return;
	appendStringInfo(out, "<path data-part=\"%s\" fill=\"#f28e2b\" fill-opacity=\"0.55\" "
					 "stroke=\"#c46a12\" stroke-width=\"1\" d=\"M", which);
	svg_number(out, px(p, a));
	appendStringInfoChar(out, ',');
	svg_number(out, py(p, 0.0));
	for (int i = 0; i <= SSVG_TAIL_POINTS; i++)
	{
		double		x = a + (b - a) * i / SSVG_TAIL_POINTS;

		appendStringInfoString(out, " L");
		svg_number(out, px(p, x));
		appendStringInfoChar(out, ',');
		svg_number(out, py(p, sbp_pdf_value(p->d, x)));
	}
	appendStringInfoString(out, " L");
	svg_number(out, px(p, b));
	appendStringInfoChar(out, ',');
	svg_number(out, py(p, 0.0));
	appendStringInfoString(out, "Z\"/>");
}

/*
 * The axes: yards along the bottom, density up the left, with round ticks
 */
static void
draw_axes(StringInfo out, const SbpPlot *p)
{
	double		step = nice_step(p->x1 - p->x0, SSVG_MAX_TICKS);
	double		ystep = nice_step(p->y1, 5);
	double		base = py(p, 0.0);
	double		first = ceil(p->x0 / step);

	appendStringInfo(out, "<g stroke=\"#333\" fill=\"#333\" font-size=\"11\"><path fill=\"none\" d=\"M%d,%d V",
					 SSVG_LEFT, SSVG_TOP);
	svg_number(out, base);
	appendStringInfo(out, " H%d\"/>", p->width - SSVG_RIGHT);
	for (int i = 0; i <= SSVG_MAX_TICKS && (first + i) * step <= p->x1; i++)
	{
		double		x = px(p, (first + i) * step);

		appendStringInfoString(out, "<path d=\"M");
		svg_number(out, x);
		appendStringInfoChar(out, ',');
		svg_number(out, base);
		appendStringInfoString(out, "v4\"/><text stroke=\"none\" text-anchor=\"middle\" x=\"");
		svg_number(out, x);
		appendStringInfoString(out, "\" y=\"");
		svg_number(out, base + 16);
		appendStringInfo(out, "\">%g</text>", (first + i) * step);
	}
	for (int k = 0; k <= SSVG_MAX_TICKS && k * ystep <= p->y1; k++)
	{
		appendStringInfo(out, "<path d=\"M%d,", SSVG_LEFT);
		svg_number(out, py(p, k * ystep));
		appendStringInfo(out, "h-4\"/><text stroke=\"none\" text-anchor=\"end\" x=\"%d\" y=\"", SSVG_LEFT - 6);
		svg_number(out, py(p, k * ystep) + 4);
		appendStringInfo(out, "\">%.3g</text>", k * ystep);
	}
	appendStringInfo(out, "<text stroke=\"none\" text-anchor=\"middle\" x=\"%d\" y=\"%d\">yards gained</text>"
					 "<text stroke=\"none\" text-anchor=\"middle\" transform=\"translate(14,%d) rotate(-90)\">"
					 "density</text></g>",
					 (SSVG_LEFT + p->width - SSVG_RIGHT) / 2, p->height - 6,
					 (SSVG_TOP + p->height - SSVG_BOTTOM) / 2);
}

/*
 * A vertical marker at x (drawn at the nearer edge when outside the range) with a label
 */
static void
draw_marker(StringInfo out, const SbpPlot *p, double x, const char *part, const char *style,
			const char *label, double label_y)
{
	double		at = px(p, Min(Max(x, p->x0), p->x1));
	bool		right = at > (SSVG_LEFT + p->width - SSVG_RIGHT) / 2.0;

	appendStringInfo(out, "<g data-part=\"%s\"><path %s d=\"M", part, style);
	svg_number(out, at);
	appendStringInfo(out, ",%d V", SSVG_TOP - 4);
	svg_number(out, py(p, 0.0));
	appendStringInfo(out, "\"/><text font-size=\"12\" text-anchor=\"%s\" x=\"", right ? "end" : "start");
	svg_number(out, at + (right ? -4 : 4));
	appendStringInfoString(out, "\" y=\"");
	svg_number(out, label_y);
	appendStringInfoString(out, "\">");
	svg_text(out, label);
	appendStringInfoString(out, "</text></g>");
}

/*
 * The actual outcome's marker: its yards, u = F(actual) and the percentile in words
 */
static void
draw_actual(StringInfo out, const SbpPlot *p, double actual)
{
	double		u = sbp_cdf_value(p->d, actual);
	int			pct = (int) floor(100.0 * u);
	char	   *label;

	if (u < 0.01)
		label = psprintf("actual %g yd: u = %.4g, below the 1st percentile", actual, u);
	else if (u > 0.99)
		label = psprintf("actual %g yd: u = %.4g, above the 99th percentile", actual, u);
	else
		label = psprintf("actual %g yd: u = %.4g, the %d%s percentile", actual, u, pct, ordinal(pct));
	draw_marker(out, p, actual, "actual", "stroke=\"#c0392b\" stroke-width=\"2.5\"", label, SSVG_TOP - 8);
}

/*
 * The whole document
 */
static text *
draw_sbp(const SbpPlot *p, const char *title, bool has_actual, double actual)
{
	StringInfoData out;
	double		median = sbp_quantile_value(p->d, 0.5);
	int			legend = p->width - SSVG_RIGHT - 250;

	initStringInfo(&out);
	appendStringInfo(&out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
					 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
					 p->width, p->height, p->width, p->height, p->width, p->height);
	if (title)
	{
		appendStringInfoString(&out, "<title>");
		svg_text(&out, title);
		appendStringInfoString(&out, "</title><text x=\"8\" y=\"16\" font-size=\"13\" font-weight=\"bold\">");
		svg_text(&out, title);
		appendStringInfoString(&out, "</text>");
	}
	appendStringInfo(&out, "<g font-size=\"11\"><rect x=\"%d\" y=\"6\" width=\"12\" height=\"10\" fill=\"#4e79a7\"/>"
					 "<text x=\"%d\" y=\"15\">body (bins)</text>"
					 "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"10\" fill=\"#f28e2b\" fill-opacity=\"0.55\"/>"
					 "<text x=\"%d\" y=\"15\">tails (", legend, legend + 16, legend + 96, legend + 112);
	svg_number(&out, 100 * p->d->alpha);
	appendStringInfoString(&out, "% each)</text></g>");
	draw_bars(&out, p);
	draw_tail(&out, p, p->x0, Min(p->tau_lo, p->x1), "lower-tail");
	draw_tail(&out, p, Max(p->tau_hi, p->x0), p->x1, "upper-tail");
	draw_axes(&out, p);
	draw_marker(&out, p, median, "median", "stroke=\"#333\" stroke-width=\"1\" stroke-dasharray=\"4 3\"",
				psprintf("median %.1f", median), SSVG_TOP + 10);
	if (has_actual)
		draw_actual(&out, p, actual);
	appendStringInfoString(&out, "</svg>");
	return cstring_to_text_with_len(out.data, out.len);
}

PG_FUNCTION_INFO_V1(sbp_svg);
/*
 * A distribution of yards as a standalone SVG document, with the actual outcome marked
 * when it is not NULL; NULL for a NULL distribution or options
 */
Datum
sbp_svg(PG_FUNCTION_ARGS)
{
	SbpPlot		p = {0};
	SbpSvgOptions o = {SSVG_DEFAULT_WIDTH, SSVG_DEFAULT_HEIGHT, NULL, NAN, NAN};
	bool		has_actual = !PG_ARGISNULL(1);
	double		actual = has_actual ? PG_GETARG_FLOAT8(1) : 0.0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	p.d = PG_GETARG_SBP_P(0);
	if (has_actual && !isfinite(actual))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("actual must be finite, not %g", actual),
				 errhint("Pass the yards gained, or NULL to leave the outcome unmarked.")));
	options_parse(&sbp_svg_options, PG_GETARG_JSONB_P(2), &o);
	p.width = o.width;
	p.height = o.height;
	sbp_splice_points(p.d, &p.tau_lo, &p.tau_hi);
	x_range(&p, &o, has_actual, actual);
	y_range(&p);
	PG_RETURN_TEXT_P(draw_sbp(&p, o.title, has_actual, actual));
}
