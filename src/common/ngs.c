/*
 * ngs.c: the module's entry point: the magic block, the extension's settings, and the
 * model kinds registered with the catalog.
 */
#include "postgres.h"

#include "fmgr.h"
#include "common/ngs.h"
#include "ghost/ghost.h"
#include "pass/pass_model.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

bool		ngs_strict_duplicates = false;

void		_PG_init(void);

/*
 * Define the ngs.* settings and register the model kinds (pass first: the order the
 * catalog's messages list them in) when the library is loaded
 */
void
_PG_init(void)
{
	DefineCustomBoolVariable("ngs.strict_duplicates",
							 "Makes play_tensor_agg reject a second row for the same frame and entity.",
							 "Off (the default) keeps the first row and records the duplicate, which ngs.tracking_anomalies reports.",
							 &ngs_strict_duplicates, false, PGC_USERSET, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("ngs");
	pass_kind_register();
	ghost_kind_register();
}
