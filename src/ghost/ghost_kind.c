/*
 * ghost_kind.c: the ghost model as a kind of the model catalog: its name and how a weight
 * file becomes a runnable GhostModel.
 */
#include "postgres.h"

#include "ghost/ghost.h"
#include "model/model_catalog.h"

/* Check a ghost weight file's profile and build its model */
static void *
ghost_kind_load(ModelFile *mf)
{
	return ghost_model_load(mf);
}

static const ModelKind ghost_kind = {"ghost", ghost_kind_load};

/* Make the ghost model known to the catalog */
void
ghost_kind_register(void)
{
	model_catalog_register(&ghost_kind);
}
