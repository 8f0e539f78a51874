/*
 * model_catalog.h: the ngs.model catalog and the per-backend cache of loaded models.
 */
#ifndef MODEL_CATALOG_H
#define MODEL_CATALOG_H

#include "fmgr.h"

extern void *model_catalog_get(FunctionCallInfo fcinfo, text *model, const char *kind);
extern void model_catalog_check_may_store(const char *trainer, text *name);
extern int64 model_catalog_store(text *name, const char *kind, bytea *weights);

#endif
