/*
 * svg.h: what the pictures (play_svg.c, sbp_svg.c) share: writing escaped SVG text and
 * numbers, and reading the options jsonb strictly (unknown keys and wrong types are errors).
 */
#ifndef SVG_H
#define SVG_H

#include "common/ngs.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"

/* Limits of the pictures, documented in the README */
#define SVG_MIN_WIDTH		64	/* pixels */
#define SVG_MAX_WIDTH		8192	/* pixels */
#define SVG_MAX_TEXT		1000	/* characters in a title or label */
#define SVG_MAX_LIST		256 /* elements of an option array or object */

/* Appending to the SVG text */
extern void svg_text(StringInfo out, const char *s);
extern void svg_number(StringInfo out, double v);

/* Reading options: the object is checked once, then each key is read by its type */
extern void svg_options_check(Jsonb *options, const char *const *keys, const char *hint);
extern JsonbValue *svg_option(Jsonb *options, const char *key, JsonbValue *buf);
extern int	svg_option_int(Jsonb *options, const char *key, int fallback, int min, int max);
extern double svg_option_number(Jsonb *options, const char *key, double fallback);
extern char *svg_option_text(Jsonb *options, const char *key);
extern int	svg_int_value(const JsonbValue *v, const char *what, int min, int max);
extern double svg_double_value(const JsonbValue *v, const char *what);
extern char *svg_text_value(const JsonbValue *v, const char *what);
extern JsonbValue *svg_list(Jsonb *options, const char *key, int type, int *n);

#endif
