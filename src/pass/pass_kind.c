/*
 * pass_kind.c: the pass model as a kind of the model catalog: its name and how a weight
 * file becomes a runnable PassNetwork.
 */
#include "postgres.h"

#include "model/model_catalog.h"
#include "pass/pass_model.h"

/* Check a pass weight file's profile and build its network */
static void *
pass_kind_load(ModelFile *mf)
{
	return pass_network_load(mf);
}

static const ModelKind pass_kind = {"pass", pass_kind_load};

/* Make the pass model known to the catalog */
void
pass_kind_register(void)
{
	model_catalog_register(&pass_kind);
}
