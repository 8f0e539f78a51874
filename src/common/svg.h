/*
 * svg.h: what the pictures (play_svg.c, sbp_svg.c) share: their limits and writing escaped
 * SVG text and numbers (their options are read by common/options.h, in its OPTIONS_BARE style).
 */
#ifndef SVG_H
#define SVG_H

#include "common/ngs.h"
#include "lib/stringinfo.h"

/* Limits of the pictures, documented in the README */
#define SVG_MIN_WIDTH		64	/* pixels */
#define SVG_MAX_WIDTH		8192	/* pixels */
#define SVG_MAX_TEXT		1000	/* characters in a title or label */
#define SVG_MAX_LIST		256 /* elements of an option array or object */

/* Appending to the SVG text */
extern void svg_text(StringInfo out, const char *s);
extern void svg_number(StringInfo out, double v);

#endif
