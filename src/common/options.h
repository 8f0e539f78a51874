/*
 * options.h: strict reading of a jsonb options object, shared by the trainers and
 * ngs.sbp_fit: unknown keys, wrong types and values out of range are errors.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include "utils/jsonb.h"

/* How one function's options are named in its errors, and the hints that go with them */
typedef struct OptionSet
{
	const char *prefix;			/* before "option" in messages: "" or "sbp_fit " */
	const char *object_hint;	/* when the options are not an object */
	const char *unknown_hint;	/* for a key the function does not know */
	const char *value_hint;		/* for a value of the wrong type or range */
} OptionSet;

/* Sets one option from its key and value; calls option_unknown for a key it lacks */
typedef void (*OptionSetter) (const OptionSet *s, void *target, const char *key, JsonbValue *v);

extern void options_parse(const OptionSet *s, Jsonb *jb, OptionSetter set, void *target);
extern void option_unknown(const OptionSet *s, const char *key) pg_attribute_noreturn();
extern void option_error(const OptionSet *s, const char *key, const char *problem) pg_attribute_noreturn();
extern double option_number(const OptionSet *s, const char *key, JsonbValue *v);
extern int	option_int(const OptionSet *s, const char *key, JsonbValue *v, int lo, int hi);
extern char *option_double_text(double v);
extern int	option_array(const OptionSet *s, const char *key, JsonbValue *v, int max, JsonbValue *elems);

#endif
