/*
 * jsonb_stub.c: jsonb outside the server, for the options harness.  The text is parsed
 * by PostgreSQL's own JSON parser (pg_parse_json, libpgcommon) into a small tree that
 * JsonbIteratorInit and JsonbIteratorNext walk as the backend walks a jsonb: object keys
 * unique (the last value wins) and sorted by length, then bytes.  A number stays the
 * text of its token, which numeric_float8 reads as the backend's cast does.
 */
#include "postgres.h"

#include "common/jsonapi.h"
#include "fuzz.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/float.h"
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
			v.val.numeric = (Numeric) token;	/* numeric_float8 reads it */
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
 * The numeric to float8 cast for a number kept as its JSON text: the backend prints
 * the numeric and reads it with float8in, which refuses overflow and underflow to
 * zero; numeric has no negative zero, hence the + 0.0
 */
Datum
numeric_float8(PG_FUNCTION_ARGS)
{
	char	   *text = (char *) PG_GETARG_POINTER(0);

	PG_RETURN_FLOAT8(float8in_internal(text, NULL, "double precision", text) + 0.0);
}
