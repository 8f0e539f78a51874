/*
 * jsonb_stub.c: jsonb outside the server, for the options harness.  The text is parsed
 * by PostgreSQL's own JSON parser (pg_parse_json, libpgcommon) into a small tree that
 * JsonbIteratorInit and JsonbIteratorNext walk as the backend walks a jsonb: object keys
 * unique (the last value wins) and sorted by length, then bytes.  A number stays the
 * text of its token, which the numeric functions options.c calls read exactly as the
 * backend's do.
 */
#include "postgres.h"

#include "common/jsonapi.h"
#include "fuzz.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/memutils.h"

#define FUZZ_JSON_MAX_DEPTH	1000	/* nesting refused, where the backend's
									 * check_stack_depth would stop */

/* An object or array of the tree */
typedef struct JsonNode
{
	bool		object;			/* an object, else an array */
	int			count;			/* elements, or key/value pairs */
	int			capacity;		/* slots in items */
	JsonbPair  *items;			/* pairs; an array's elements are the values */
	char	   *key;			/* an object's key whose value comes next */
	struct JsonNode *parent;	/* the enclosing container, while parsing */
} JsonNode;

/* The parser's state: the innermost open container, and the root once done */
typedef struct JsonBuild
{
	JsonNode   *open;			/* NULL outside every container */
	int			depth;			/* containers open */
	JsonbValue	root;			/* the whole value */
} JsonBuild;

/* A container is its header word, then the address of its node in the JEntry words */
#define CONTAINER_SIZE	(offsetof(JsonbContainer, children) + sizeof(JsonNode *))

/* The node of a container */
static JsonNode *
container_node(const JsonbContainer *c)
{
	JsonNode   *node;

	memcpy(&node, c->children, sizeof(node));
	return node;
}

/* Fill in a container for node, with the header flags the backend sets */
static void
container_set(JsonbContainer *c, JsonNode *node, uint32 flags)
{
	c->header = flags | ((uint32) node->count & JB_CMASK);
	memcpy(c->children, &node, sizeof(node));
}

/* Append a value to the open container (with its key in an object), or make it the root */
static void
add_value(JsonBuild *b, JsonbValue value)
{
	JsonNode   *n = b->open;
	JsonbPair  *item;

	if (n == NULL)
	{
		b->root = value;
		return;
	}
	if (n->count == n->capacity)
	{
		n->capacity = n->capacity ? 2 * n->capacity : 8;
		n->items = n->items ? repalloc(n->items, sizeof(JsonbPair) * n->capacity)
			: palloc(sizeof(JsonbPair) * n->capacity);
	}
	item = &n->items[n->count];
	item->value = value;
	item->order = n->count++;
	if (n->object)
	{
		item->key.type = jbvString;
		item->key.val.string.val = n->key;
		item->key.val.string.len = strlen(n->key);
	}
}

/* Order keys as jsonb does: shorter first, then by bytes; the later of equal keys first */
static int
compare_pairs(const void *a, const void *b)
{
	const JsonbPair *pa = a;
	const JsonbPair *pb = b;
	int			res;

	if (pa->key.val.string.len != pb->key.val.string.len)
		return pa->key.val.string.len < pb->key.val.string.len ? -1 : 1;
	res = memcmp(pa->key.val.string.val, pb->key.val.string.val, pa->key.val.string.len);
	if (res != 0)
		return res;
	return pa->order > pb->order ? -1 : 1;
}

/* Sort an object's pairs and keep one per key, the last given */
static void
sort_unique(JsonNode *n)
{
	int			kept = 0;

	if (n->count < 2)
		return;
	qsort(n->items, n->count, sizeof(JsonbPair), compare_pairs);
	for (int i = 0; i < n->count; i++)
		if (kept == 0 || n->items[i].key.val.string.len != n->items[kept - 1].key.val.string.len ||
			memcmp(n->items[i].key.val.string.val, n->items[kept - 1].key.val.string.val,
				   n->items[i].key.val.string.len) != 0)
			n->items[kept++] = n->items[i];
	n->count = kept;
}

/* Open an object or array */
static void
container_start(JsonBuild *b, bool object)
{
	JsonNode   *n = palloc0(sizeof(JsonNode));

	if (++b->depth > FUZZ_JSON_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_STATEMENT_TOO_COMPLEX),
				 errmsg("stack depth limit exceeded")));
	n->object = object;
	n->parent = b->open;
	b->open = n;
}

static void
object_start(void *state)
{
	container_start(state, true);
}

static void
array_start(void *state)
{
	container_start(state, false);
}

/* Close the open container and add it to its parent as a nested jsonb */
static void
container_end(void *state)
{
	JsonBuild  *b = state;
	JsonNode   *n = b->open;
	JsonbContainer *c = palloc(CONTAINER_SIZE);
	JsonbValue	v;

	if (n->object)
		sort_unique(n);
	container_set(c, n, n->object ? JB_FOBJECT : JB_FARRAY);
	v.type = jbvBinary;
	v.val.binary.data = c;
	v.val.binary.len = CONTAINER_SIZE;
	b->open = n->parent;
	b->depth--;
	add_value(b, v);
}

/* Remember the key whose value comes next */
static void
object_field_start(void *state, char *fname, bool isnull)
{
	((JsonBuild *) state)->open->key = fname;
}

/* A string, number, true, false or null */
static void
scalar(void *state, char *token, JsonTokenType type)
{
	JsonbValue	v;

	switch (type)
	{
		case JSON_TOKEN_STRING:
			v.type = jbvString;
			v.val.string.val = token;
			v.val.string.len = strlen(token);
			break;
		case JSON_TOKEN_NUMBER:
			v.type = jbvNumeric;
			v.val.numeric = (Numeric) token;	/* the numeric stubs read it */
			break;
		case JSON_TOKEN_TRUE:
		case JSON_TOKEN_FALSE:
			v.type = jbvBool;
			v.val.boolean = type == JSON_TOKEN_TRUE;
			break;
		default:
			v.type = jbvNull;
			break;
	}
	add_value(state, v);
}

/*
 * The jsonb of a text, or an error where jsonb_in would raise one (text that is not
 * UTF-8 or holds a zero byte, as the server never passes, included)
 */
Jsonb *
fuzz_jsonb(const char *text, size_t len)
{
	JsonSemAction sem = {0};
	JsonBuild	b = {0};
	JsonLexContext *lex;
	JsonParseErrorType error;
	Jsonb	   *jb = palloc(VARHDRSZ + CONTAINER_SIZE);

	if (len > MaxAllocSize / 2 || memchr(text, '\0', len) != NULL ||
		pg_encoding_verifymbstr(PG_UTF8, text, len) != len)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid byte sequence for encoding \"UTF8\"")));
	lex = makeJsonLexContextCstringLen(pnstrdup(text, len), len, PG_UTF8, true);
	sem.semstate = &b;
	sem.object_start = object_start;
	sem.object_end = container_end;
	sem.array_start = array_start;
	sem.array_end = container_end;
	sem.object_field_start = object_field_start;
	sem.scalar = scalar;
	error = pg_parse_json(lex, &sem);
	if (error != JSON_SUCCESS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type json")));
	SET_VARSIZE(jb, VARHDRSZ + CONTAINER_SIZE);
	if (b.root.type == jbvBinary)
		memcpy(&jb->root, b.root.val.binary.data, CONTAINER_SIZE);
	else
	{
		/* a bare scalar: a one-element array flagged as a scalar */
		b.open = palloc0(sizeof(JsonNode));
		add_value(&b, b.root);
		container_set(&jb->root, b.open, JB_FARRAY | JB_FSCALAR);
	}
	return jb;
}

/*
 * Iterate over a container; only skipNested = true, which is all options.c asks for
 */
JsonbIterator *
JsonbIteratorInit(JsonbContainer *container)
{
	JsonbIterator *it = palloc0(sizeof(JsonbIterator));

	it->container = container;
	it->nElems = JsonContainerSize(container);
	it->isScalar = JsonContainerIsScalar(container);
	it->state = JsonContainerIsObject(container) ? JBI_OBJECT_START : JBI_ARRAY_START;
	return it;
}

/* The next token of an iteration, as the backend's iterator returns it */
JsonbIteratorToken
JsonbIteratorNext(JsonbIterator **it, JsonbValue *val, bool skipNested)
{
	JsonbIterator *i = *it;
	JsonNode   *n;

	if (i == NULL)
		return WJB_DONE;
	if (!skipNested)
		abort();				/* not needed by the code under test */
	n = container_node(i->container);
	switch (i->state)
	{
		case JBI_ARRAY_START:
			val->type = jbvArray;
			val->val.array.nElems = i->nElems;
			val->val.array.rawScalar = i->isScalar;
			i->state = JBI_ARRAY_ELEM;
			return WJB_BEGIN_ARRAY;
		case JBI_ARRAY_ELEM:
			if (i->curIndex >= (int) i->nElems)
				break;
			*val = n->items[i->curIndex++].value;
			return WJB_ELEM;
		case JBI_OBJECT_START:
			val->type = jbvObject;
			val->val.object.nPairs = i->nElems;
			i->state = JBI_OBJECT_KEY;
			return WJB_BEGIN_OBJECT;
		case JBI_OBJECT_KEY:
			if (i->curIndex >= (int) i->nElems)
				break;
			*val = n->items[i->curIndex].key;
			i->state = JBI_OBJECT_VALUE;
			return WJB_KEY;
		case JBI_OBJECT_VALUE:
			*val = n->items[i->curIndex++].value;
			i->state = JBI_OBJECT_KEY;
			return WJB_VALUE;
	}
	*it = i->parent;
	return n->object ? WJB_END_OBJECT : WJB_END_ARRAY;
}

/*
 * A number kept as its JSON text as significant digits and a power of ten: value =
 * (ndigits digits, no leading or trailing zero; none for zero) x 10^exponent, the
 * exponent held far beyond any double or int32
 */
static void
number_parts(const char *text, int64 *ndigits, int64 *exponent)
{
	const char *p = text + (*text == '-');
	int64		n = 0,
				fraction = 0,
				first = -1,
				last = -1,
				e = 0;
	bool		after_point = false;

	for (; *p && *p != 'e' && *p != 'E'; p++)
	{
		if (*p == '.')
		{
			after_point = true;
			continue;
		}
		fraction += after_point;
		if (*p != '0')
		{
			first = first < 0 ? n : first;
			last = n;
		}
		n++;
	}
	if (*p)
	{
		bool		negative = p[1] == '-';

		for (p += 1 + (p[1] == '-' || p[1] == '+'); *p; p++)
			e = Min(10 * e + (*p - '0'), PG_INT32_MAX);
		e = negative ? -e : e;
	}
	*ndigits = first < 0 ? 0 : last - first + 1;
	*exponent = first < 0 ? 0 : e - fraction + (n - 1 - last);
}

/* min_scale(numeric): the digits a number needs after the decimal point */
Datum
numeric_min_scale(PG_FUNCTION_ARGS)
{
	int64		ndigits,
				exponent;

	number_parts((const char *) PG_GETARG_POINTER(0), &ndigits, &exponent);
	PG_RETURN_INT32((int32) Min(Max(-exponent, 0), PG_INT32_MAX));
}

/* The int4 of a whole number, or *error when it is beyond int32 */
int32
numeric_int4_opt_error(Numeric num, bool *error)
{
	const char *text = (const char *) num;
	int64		ndigits,
				exponent;
	double		d;

	number_parts(text, &ndigits, &exponent);
	if (exponent < 0)
		abort();				/* options.c asks for whole numbers only */
	d = ndigits + exponent <= 10 ? strtod(text, NULL) : HUGE_VAL;	/* exact below 2^53 */
	*error = !(d >= PG_INT32_MIN && d <= PG_INT32_MAX);
	return *error ? 0 : (int32) d;
}

/*
 * The numeric to float8 cast that does not fail: the nearest double, infinite beyond
 * the range (strtod's ERANGE ignored, as the backend does); numeric has no negative zero
 */
Datum
numeric_float8_no_overflow(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(strtod((const char *) PG_GETARG_POINTER(0), NULL) + 0.0);
}

/* The text of a number (the backend's is normalized; only messages show it) */
char *
numeric_normalize(Numeric num)
{
	return pstrdup((const char *) num);
}

/* The characters of a UTF-8 string of limit bytes (the server's encoding here) */
int
pg_mbstrlen_with_len(const char *mbstr, int limit)
{
	int			len = 0;

	while (limit > 0 && *mbstr)
	{
		int			l = pg_utf_mblen((const unsigned char *) mbstr);

		limit -= l;
		mbstr += l;
		len++;
	}
	return len;
}
