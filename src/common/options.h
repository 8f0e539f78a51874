/*
 * options.h: one strict reader of jsonb options objects, for the trainers, ngs.sbp_fit and
 * the pictures.  A function's options are a table of named, typed, bounded fields of its
 * own struct; unknown keys, wrong types and values out of range are errors, and the same
 * table writes the options back as JSON.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include "common/pg_compat.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"

/* What an option's JSON value must be, and what the caller's struct holds */
typedef enum OptionKind
{
	OPTION_INT,					/* a whole number in [min, max]: int */
	OPTION_NUMBER,				/* a number in [min, max]: double */
	OPTION_TEXT,				/* a string of at most max characters: char * */
	OPTION_INT_LIST,			/* an array of at most max_count OPTION_INTs:
								 * int[], the count an int at count_offset */
	OPTION_CUSTOM				/* read by read, written by write if any */
} OptionKind;

/* Flags of an option */
#define OPTION_ABOVE_MIN	0x01	/* must exceed min, not merely reach it */
#define OPTION_BELOW_MAX	0x02	/* must stay below max */
#define OPTION_GROUP		0x04	/* one of a group options_json can leave
									 * out (the SBP head's, for the Gaussian
									 * network) */

/*
 * How the messages name a key and hint at the fix: the trainers' 'option "key" must be
 * ...' with one hint for every value, or the pictures' 'key must be ...' with a hint per
 * problem, where JSON null means absent and lists must be flat
 */
typedef enum OptionStyle
{
	OPTIONS_NAMED,
	OPTIONS_BARE
} OptionStyle;

typedef struct OptionSet OptionSet;
typedef struct OptionDef OptionDef;

/* Reads one option's value into the target (instead of option_store) */
typedef void (*OptionRead) (const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target);

/* Appends one OPTION_TEXT or OPTION_CUSTOM option's value as JSON */
typedef void (*OptionWrite) (StringInfo out, const OptionDef *def, const void *target);

/* One option */
struct OptionDef
{
	const char *name;			/* its key */
	OptionKind	kind;
	size_t		offset;			/* of its field in the target struct */
	double		min;			/* bounds of the value (of each element) */
	double		max;
	int			flags;
	const char *message;		/* completes "... must be" sentences for a value
								 * out of range; NULL for the default */
	size_t		count_offset;	/* OPTION_INT_LIST: of the count's field */
	int			max_count;		/* OPTION_INT_LIST: most elements */
	OptionRead	read;			/* NULL: option_store */
	OptionWrite write;			/* OPTION_TEXT, OPTION_CUSTOM: NULL leaves it
								 * out of options_json */
};

/* One function's options, and how its errors name them */
struct OptionSet
{
	const OptionDef *defs;		/* in the order options_json writes them */
	int			ndefs;
	OptionStyle style;
	const char *prefix;			/* before "option" in messages: "" or "sbp_fit " */
	const char *object_hint;	/* when the options are not an object */
	const char *unknown_hint;	/* for a key the function does not know */
	const char *value_hint;		/* OPTIONS_NAMED: for a value of the wrong type
								 * or range */
};

extern void options_parse(const OptionSet *s, Jsonb *jb, void *target);
extern void option_store(const OptionSet *s, const OptionDef *def, JsonbValue *v, void *target);
extern char *options_json(const OptionSet *s, const void *target, int skip_flags);

/* For the read functions of OPTION_CUSTOM options */
extern void option_error(const OptionSet *s, const char *key, const char *problem) pg_attribute_noreturn();
extern int	option_int(const OptionSet *s, const char *key, JsonbValue *v, int min, int max);
extern double option_double(const OptionSet *s, const char *key, JsonbValue *v);
extern char *option_text(const OptionSet *s, const char *key, JsonbValue *v, int max_chars);
extern int	option_list(const OptionSet *s, const char *key, JsonbValue *v, bool object, int max,
						JsonbValue *elems);
extern char *option_double_text(double v);

#endif
