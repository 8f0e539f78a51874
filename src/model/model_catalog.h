/*
 * model_catalog.h: the ngs.model catalog and the per-backend cache of loaded models.
 * The kinds of model (pass, ghost) register themselves; the catalog knows none of them.
 */
#ifndef MODEL_CATALOG_H
#define MODEL_CATALOG_H

#include "fmgr.h"
#include "model/model_file.h"

/* Catalog limits */
#define MODEL_MAX_NAME			63		/* bytes in a model name */
#define MODEL_CACHE_SIZE		8		/* loaded models a backend keeps */

/* A kind of model: what the catalog needs to import and load one */
typedef struct ModelKind
{
	const char *name;			/* ngs.model.kind, and the file's ngs.kind */
	void	   *(*load) (ModelFile *mf);	/* check the file's profile and return
											 * the runnable model, in the current
											 * memory context */
} ModelKind;

extern void model_catalog_register(const ModelKind *kind);

extern void *model_catalog_get(FunctionCallInfo fcinfo, text *model, const char *kind);
extern void model_catalog_check_may_store(const char *trainer, text *name);
extern int64 model_catalog_store(text *name, const char *kind, bytea *weights);

#endif
