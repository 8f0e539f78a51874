/*
 * model_catalog.c: the ngs.model catalog (import, lookup) and the per-backend model cache.
 *
 * A model argument is a name (its latest version), a version id (digits), or a name pinned
 * to its content, name@<sha256 prefix> (its latest version whose sha256 starts so; a node
 * without such a version says so and names itself).  Each call
 * site remembers in fn_extra which model its argument named, so a query resolves it
 * once; the backend keeps up to MODEL_CACHE_SIZE loaded models, keyed by id and checked
 * against the row's sha256, so a model is parsed once per backend.
 *
 * The catalog knows no model kind itself: each subsystem registers a ModelKind (its name
 * and how to load it from a weight file) when the library loads.
 */
#include "postgres.h"
#include "common/pg_compat.h"

#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "postmaster/postmaster.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "model/model_catalog.h"
#include "model/model_file.h"

#define SHA256_BYTES		32
#define PIN_MIN_HEX			8	/* hex digits a name@sha256 pin has at least */
#define MODEL_MAX_KINDS		8	/* kinds that may register */

/* A catalog row's identity: what the cache and the call sites key on */
typedef struct ModelRow
{
	int64		id;				/* ngs.model.id */
	char		kind[NAMEDATALEN];	/* ngs.model.kind */
	uint8		sha256[SHA256_BYTES];	/* ngs.model.sha256 */
} ModelRow;

/* A loaded model in the backend's cache */
typedef struct CachedModel
{
	ModelRow	row;			/* which catalog row it came from */
	void	   *model;			/* what the kind's load returned; NULL = free
								 * slot */
	MemoryContext mcxt;			/* holds the model and nothing else */
	uint64		used;			/* clock at the last use, for eviction */
} CachedModel;

/* Which catalog rows a statement sees: what its snapshot says of transactions */
typedef struct CatalogView
{
	TransactionId xmin;			/* the active snapshot's xmin */
	TransactionId xmax;			/* its xmax */
	CommandId	curcid;			/* its command id: moves after a change in this
								 * transaction */
} CatalogView;

/* What one call site remembers between rows */
typedef struct ModelCall
{
	text	   *model;			/* the argument it last resolved */
	CatalogView view;			/* the snapshot it was resolved under */
	ModelRow	row;			/* what that argument resolved to */
	void	   *loaded;			/* the cached model */
	uint64		generation;		/* cache_generation when loaded was looked up */
} ModelCall;

static const ModelKind *kinds[MODEL_MAX_KINDS];	/* in the order they registered */
static int	nkinds;
static CachedModel cache[MODEL_CACHE_SIZE];
static uint64 cache_clock;
static uint64 cache_generation; /* bumped whenever a cached model is freed */
static MemoryContext cache_context;

/*
 * Make a kind of model known to the catalog; its subsystem calls this when the library
 * loads (_PG_init), and the descriptor must outlive the backend
 */
void
model_catalog_register(const ModelKind *kind)
{
	for (int k = 0; k < nkinds; k++)
		if (kinds[k] == kind)
			return;
	if (nkinds == MODEL_MAX_KINDS)
		elog(ERROR, "more than %d model kinds registered", MODEL_MAX_KINDS);
	kinds[nkinds++] = kind;
}

/* The registered kinds' names for a message: "a", "a" and "b", "a", "b" and "c" */
static char *
kind_names(void)
{
	StringInfoData names;

	initStringInfo(&names);
	for (int k = 0; k < nkinds; k++)
		appendStringInfo(&names, "%s\"%s\"", k == 0 ? "" : (k == nkinds - 1 ? " and " : ", "),
						 kinds[k]->name);
	return names.data;
}

/* The kind with this name, or an error naming the known ones */
static const ModelKind *
find_kind(const char *name)
{
	for (int k = 0; k < nkinds; k++)
		if (strcmp(kinds[k]->name, name) == 0)
			return kinds[k];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown model kind \"%s\"", name),
			 errhint("The kinds are %s.", kind_names())));
	return NULL;				/* keep compiler quiet */
}

/* True when the model argument is a version id (only digits) */
static inline bool
is_model_id(const char *model)
{
	if (*model == '\0')
		return false;
	for (const char *p = model; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Fail unless a name can be given to a model */
static inline void
check_model_name(const char *name)
{
	bool		printable = true;

	for (const unsigned char *p = (const unsigned char *) name; *p; p++)
		printable &= *p >= 0x20 && *p != 0x7f;
	if (*name == '\0' || strlen(name) > MODEL_MAX_NAME || !printable || is_model_id(name))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid model name \"%s\"", name),
				 errdetail("A model name has 1 to %d bytes, no control characters, and is not only digits (digits name a version id).",
						   MODEL_MAX_NAME)));
	if (strchr(name, '@') != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid model name \"%s\"", name),
				 errdetail("A model name has no \"@\": name@sha256 names a version by its content.")));
}

/* Report a model argument that names nothing */
static void
model_not_found(const char *model)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("model \"%s\" does not exist", model),
			 errhint("Import one with ngs.import_model(name, kind, weights) or train one with "
					 "ngs.train_pass_model; ngs.list_models() lists the models there are.")));
}

/* This node, for a message: its database, port and cluster name */
static char *
node_identity(void)
{
	return psprintf("database \"%s\" on port %d%s%s%s", get_database_name(MyDatabaseId), PostPortNumber,
					cluster_name[0] ? ", cluster \"" : "", cluster_name, cluster_name[0] ? "\"" : "");
}

/*
 * The lower-case sha256 prefix a name@<hex> argument pins, or NULL when the argument has
 * no such suffix (8 to 64 hex digits after its last "@"); *name_len gets the name's length
 */
static char *
model_pin(const char *model, size_t *name_len)
{
	const char *at = strrchr(model, '@');
	size_t		len = at ? strlen(at + 1) : 0;
	char	   *pin;

	*name_len = strlen(model);
	if (at == NULL || len < PIN_MIN_HEX || len > 2 * SHA256_BYTES || strspn(at + 1, "0123456789abcdefABCDEF") != len)
		return NULL;
	pin = pstrdup(at + 1);
	for (char *p = pin; *p; p++)
		*p = pg_tolower((unsigned char) *p);
	*name_len = at - model;
	return pin;
}

/* Report a pinned model argument that this node holds no matching version of */
static void
pinned_not_found(const char *model, const char *name, const char *pin)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("model \"%s\" has no version with sha256 %s... on this node", name, pin),
			 errdetail("The argument \"%s\" pins the model's content; this node (%s) has a different copy or none.",
					   model, node_identity()),
			 errhint("On the node the query came from, copy the model here with ngs.sync_models() "
					 "(postgres_fdw) or ngs.sync_models_to_workers() (Citus), then run the query again.")));
}

/*
 * Resolve a model argument (a name, name@sha256 or a version id) to its catalog row, or
 * fail; a name means its latest version of `kind` when kind is not NULL (a pass and a
 * ghost model may share a name, such as "default")
 */
static void
resolve_model(const char *model, const char *kind, ModelRow *row)
{
	bool		by_id = is_model_id(model);
	size_t		name_len;
	char	   *pin = by_id ? NULL : model_pin(model, &name_len);
	Oid			types[3] = {by_id ? INT8OID : TEXTOID, TEXTOID, TEXTOID};
	Datum		args[3] = {0, kind ? CStringGetTextDatum(kind) : (Datum) 0, pin ? CStringGetTextDatum(pin) : (Datum) 0};
	char		nulls[3] = {' ', kind ? ' ' : 'n', pin ? ' ' : 'n'};
	bool		isnull;
	bytea	   *sha;

	if (by_id)
	{
		errno = 0;
		args[0] = Int64GetDatum(strtoi64(model, NULL, 10));
		if (errno != 0)
			model_not_found(model);
	}
	else
		args[0] = PointerGetDatum(cstring_to_text_with_len(model, name_len));
	SPI_connect();
	if (SPI_execute_with_args(by_id ?
							  "SELECT id, kind, sha256 FROM ngs.model WHERE id OPERATOR(pg_catalog.=) $1" :
							  "SELECT id, kind, sha256 FROM ngs.model WHERE name OPERATOR(pg_catalog.=) $1 "
							  "AND ($2 IS NULL OR kind OPERATOR(pg_catalog.=) $2) "
							  "AND ($3 IS NULL OR pg_catalog.starts_with(pg_catalog.encode(sha256, 'hex'), $3)) "
							  "ORDER BY id DESC LIMIT 1",
							  by_id ? 1 : 3, types, args, nulls, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the ngs.model catalog");
	if (SPI_processed == 0 && pin)
		pinned_not_found(model, text_to_cstring(DatumGetTextPP(args[0])), pin);
	if (SPI_processed == 0)
		model_not_found(model);
	row->id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	strlcpy(row->kind, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), NAMEDATALEN);
	sha = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	if (VARSIZE_ANY_EXHDR(sha) != SHA256_BYTES)
		elog(ERROR, "ngs.model row " INT64_FORMAT " has a malformed sha256", row->id);
	memcpy(row->sha256, VARDATA_ANY(sha), SHA256_BYTES);
	SPI_finish();
}

/* Resolve a model argument to a row of `kind`, or fail (a version id may name another kind) */
static void
resolve_model_of_kind(const char *model, const char *kind, ModelRow *row)
{
	resolve_model(model, kind, row);
	if (strcmp(row->kind, kind) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("model \"%s\" is a %s model, not a %s model", model, row->kind, kind)));
}

/* Parse a weight file and build its kind's model in the current memory context */
static void *
load_weights(const ModelKind *kind, bytea *weights)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext, "ngs weight file",
												  ALLOCSET_DEFAULT_SIZES);
	MemoryContext target = MemoryContextSwitchTo(scratch);
	ModelFile  *mf = model_file_parse(VARDATA_ANY(weights), VARSIZE_ANY_EXHDR(weights));
	void	   *model;

	model_file_check_kind(mf, kind->name);
	MemoryContextSwitchTo(target);
	model = kind->load(mf);
	MemoryContextDelete(scratch);
	return model;
}

/* The cached model for a row, or NULL */
static CachedModel *
cache_find(const ModelRow *row)
{
	for (int i = 0; i < MODEL_CACHE_SIZE; i++)
		if (cache[i].model != NULL && cache[i].row.id == row->id &&
			memcmp(cache[i].row.sha256, row->sha256, SHA256_BYTES) == 0)
			return &cache[i];
	return NULL;
}

/* A free cache slot, made by evicting the least recently used model if need be */
static CachedModel *
cache_slot(void)
{
	CachedModel *victim = &cache[0];

	for (int i = 0; i < MODEL_CACHE_SIZE; i++)
	{
		if (cache[i].model == NULL)
			return &cache[i];
		if (cache[i].used < victim->used)
			victim = &cache[i];
	}
	MemoryContextDelete(victim->mcxt);
	victim->model = NULL;
	cache_generation++;
	return victim;
}

/* Read a row's weights and load them into a new memory context under `parent` */
static void *
fetch_and_load(const ModelRow *row, MemoryContext parent, MemoryContext *mcxt)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(row->id);
	bool		isnull;
	void	   *model;

	*mcxt = AllocSetContextCreate(parent, "ngs model", ALLOCSET_DEFAULT_SIZES);
	SPI_connect();
	if (SPI_execute_with_args("SELECT weights, pg_catalog.sha256(weights) OPERATOR(pg_catalog.=) sha256 "
							  "FROM ngs.model WHERE id OPERATOR(pg_catalog.=) $1",
							  1, &type, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the ngs.model catalog");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("model version " INT64_FORMAT " no longer exists", row->id),
				 errhint("It was dropped while the statement ran; run the statement again.")));
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the weights of model version " INT64_FORMAT " do not match its sha256", row->id),
				 errdetail("The ngs.model row on this node (%s) was changed after its import.", node_identity()),
				 errhint("Drop the version with ngs.drop_model and import or sync the model again.")));
	MemoryContextSwitchTo(*mcxt);
	model = load_weights(find_kind(row->kind),
						 DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)));
	MemoryContextSwitchTo(caller);
	SPI_finish();
	return model;
}

/* The loaded model of a catalog row, from the cache or freshly parsed */
static void *
cache_get(const ModelRow *row)
{
	CachedModel *entry = cache_find(row);
	MemoryContext mcxt;
	void	   *model;

	if (entry == NULL)
	{
		if (cache_context == NULL)
			cache_context = AllocSetContextCreate(TopMemoryContext, "ngs model cache",
												  ALLOCSET_SMALL_SIZES);
		/* load under the caller's context first, so that an error frees it */
		model = fetch_and_load(row, CurrentMemoryContext, &mcxt);
		entry = cache_slot();
		MemoryContextSetParent(mcxt, cache_context);
		entry->row = *row;
		entry->mcxt = mcxt;
		entry->model = model;
	}
	entry->used = ++cache_clock;
	return entry->model;
}

/* The catalog view of the active snapshot (zero without one) */
static CatalogView
current_view(void)
{
	CatalogView view = {0};

	if (ActiveSnapshotSet())
	{
		Snapshot	snapshot = GetActiveSnapshot();

		view.xmin = snapshot->xmin;
		view.xmax = snapshot->xmax;
		view.curcid = snapshot->curcid;
	}
	return view;
}

/*
 * The loaded model that a model argument names, checked to be of `kind`; the call site
 * remembers it in fn_extra, so rows after the first cost a comparison.  A call site that
 * outlives its statement (a PL/pgSQL expression runs again in the same transaction)
 * resolves the name again once the snapshot has moved: a version imported or dropped
 * since is seen, as by a new query.
 */
void *
model_catalog_get(FunctionCallInfo fcinfo, text *model, const char *kind)
{
	ModelCall  *call = fcinfo->flinfo->fn_extra;
	CatalogView view = current_view();

	if (call == NULL)
		call = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ModelCall));
	if (call->model == NULL || VARSIZE_ANY(call->model) != VARSIZE_ANY(model) ||
		memcmp(call->model, model, VARSIZE_ANY(model)) != 0 ||
		memcmp(&call->view, &view, sizeof(CatalogView)) != 0)
	{
		char	   *name = text_to_cstring(model);

		resolve_model_of_kind(name, kind, &call->row);
		if (call->model)
			pfree(call->model);
		call->model = NULL;
		call->loaded = cache_get(&call->row);
		call->generation = cache_generation;
		call->view = view;
		call->model = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE_ANY(model));
		memcpy(call->model, model, VARSIZE_ANY(model));
	}
	else if (call->generation != cache_generation)
	{
		call->loaded = cache_get(&call->row);
		call->generation = cache_generation;
	}
	return call->loaded;
}

PG_FUNCTION_INFO_V1(model_id);
/*
 * ngs.model_id(model text): the version id a model argument names
 */
Datum
model_id(PG_FUNCTION_ARGS)
{
	ModelRow	row;

	resolve_model(text_to_cstring(PG_GETARG_TEXT_PP(0)), NULL, &row);
	PG_RETURN_INT64(row.id);
}

PG_FUNCTION_INFO_V1(model_id_of_kind);
/*
 * ngs.model_id(model text, kind text): the version id a model argument names for a kind
 */
Datum
model_id_of_kind(PG_FUNCTION_ARGS)
{
	const ModelKind *kind = find_kind(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	ModelRow	row;

	resolve_model_of_kind(text_to_cstring(PG_GETARG_TEXT_PP(0)), kind->name, &row);
	PG_RETURN_INT64(row.id);
}

PG_FUNCTION_INFO_V1(model_sha256);
/*
 * ngs.model_sha256(model text, kind text): the hex sha256 of the version a model argument
 * names for a kind, the model's identity on every node
 */
Datum
model_sha256(PG_FUNCTION_ARGS)
{
	const ModelKind *kind = find_kind(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	char	   *model = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ModelRow	row;
	char		hex[2 * SHA256_BYTES + 1];

	resolve_model_of_kind(model, kind->name, &row);
	hex_encode((const char *) row.sha256, SHA256_BYTES, hex);
	hex[2 * SHA256_BYTES] = '\0';
	PG_RETURN_TEXT_P(cstring_to_text(hex));
}

/* A text[] of the metadata keys or values, converted to the server encoding */
static Datum
metadata_array(ModelFile *mf, bool values)
{
	Datum	   *items = palloc(sizeof(Datum) * Max(mf->nmeta, 1));

	for (int i = 0; i < mf->nmeta; i++)
	{
		char	   *s = values ? mf->meta[i].value : mf->meta[i].key;

		items[i] = CStringGetTextDatum(pg_any_to_server(s, strlen(s), PG_UTF8));
	}
	return PointerGetDatum(construct_array(items, mf->nmeta, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(import_model);
/*
 * ngs.import_model(name, kind, weights): check a weight file and store it as a new version
 */
Datum
import_model(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	const ModelKind *kind = find_kind(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	bytea	   *weights = PG_GETARG_BYTEA_P(2);
	ModelFile  *mf;
	Oid			types[6] = {TEXTOID, TEXTOID, BYTEAOID, TEXTARRAYOID, TEXTARRAYOID, BOOLOID};
	Datum		args[6];
	bool		isnull;
	int64		id;

	check_model_name(name);
	mf = model_file_parse(VARDATA(weights), VARSIZE(weights) - VARHDRSZ);
	model_file_check_kind(mf, kind->name);
	kind->load(mf);

	args[0] = PG_GETARG_DATUM(0);
	args[1] = CStringGetTextDatum(kind->name);
	args[2] = PointerGetDatum(weights);
	args[3] = metadata_array(mf, false);
	args[4] = metadata_array(mf, true);

	/*
	 * a model imported by CREATE EXTENSION ships with it, so pg_dump leaves
	 * it out
	 */
	args[5] = BoolGetDatum(creating_extension);
	SPI_connect();
	if (SPI_execute_with_args("INSERT INTO ngs.model (name, kind, weights, sha256, options, shipped) "
							  "VALUES ($1, $2, $3, pg_catalog.sha256($3), pg_catalog.jsonb_object($4, $5), $6) "
							  "RETURNING id", 6, types, args, NULL, false, 1) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not insert into ngs.model");
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	PG_RETURN_INT64(id);
}

/*
 * Refuse, before any work, a model name that ngs.import_model would refuse, or a caller
 * who may not store models: training stores its model through ngs.import_model
 */
void
model_catalog_check_may_store(const char *trainer, text *name)
{
	Oid			args[3] = {TEXTOID, TEXTOID, BYTEAOID};
	Oid			import = LookupFuncName(list_make2(makeString("ngs"), makeString("import_model")), 3, args, false);

	check_model_name(text_to_cstring(name));
	if (pg_proc_aclcheck(import, GetUserId(), ACL_EXECUTE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to store a model"),
				 errdetail("%s stores the trained model with ngs.import_model.", trainer),
				 errhint("Ask an administrator to GRANT EXECUTE ON FUNCTION ngs.import_model(text, text, bytea) to you.")));
}

/*
 * Store a trained model's weight file as a new version of name; returns its id.  This is
 * the one SPI call to our own C code that stays: going through ngs.import_model applies
 * its EXECUTE privilege (which model_catalog_check_may_store checked up front) and its
 * checks of the file, exactly as for a user's import.
 */
int64
model_catalog_store(text *name, const char *kind, bytea *weights)
{
	Oid			types[3] = {TEXTOID, TEXTOID, BYTEAOID};
	Datum		args[3] = {PointerGetDatum(name), CStringGetTextDatum(kind), PointerGetDatum(weights)};
	bool		isnull;
	int64		id;

	SPI_connect();
	if (SPI_execute_with_args("SELECT ngs.import_model($1, $2, $3)", 3, types, args, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not store the %s model", kind);
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return id;
}
