/*
 * ghost_kind.c: the ghost model as a kind of the model catalog: its name and how a weight
 * file becomes a runnable GhostModel.
 */
#include "postgres.h"

#include "ghost/ghost.h"
#include "model/model_catalog.h"

static const ModelKind ghost_kind = {"ghost", ghost_model_load};

/* Make the ghost model known to the catalog */
void
ghost_kind_register(void)
{
	model_catalog_register(&ghost_kind);
}
