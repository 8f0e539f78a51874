/*
 * ghost_model.c: the ghost model (features -> MLP -> accelerations in the defender's
 * frame) and its weight file profile, and the glue of the integration that keeps every
 * predicted path physically possible (lib/ghost_physics.c); the SQL functions are in
 * ghost_trajectory.c.
 */
#include "postgres.h"

#include "ghost/ghost.h"

/* Report a ghost weight file that does not fit the profile */
static void
bad_ghost_file(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid ghost weight file"),
			 errdetail("%s", detail),
			 errhint("The README's \"Ghost weight file\" section lists the tensors and metadata a ghost model needs.")));
}

/*
 * Refuse a feature count or network shape a ghost model cannot have
 */
void
ghost_check_architecture(int nfeatures, int layers, const int *sizes)
{
	if (nfeatures < 1 || nfeatures > GHOST_MAX_FEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a ghost model reads between 1 and %d features, not %d", GHOST_MAX_FEATURES, nfeatures)));
	mlp_check_sizes(layers, sizes);
	if (sizes[layers] % 2 != 0 || sizes[layers] / 2 > GHOST_MAX_HORIZON)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a ghost model's last layer must have 2 outputs per frame for 1 to %d frames, not %d outputs",
						GHOST_MAX_HORIZON, sizes[layers])));
}

/* The features a weight file's "ghost.features" metadata names, into model */
static void
load_feature_list(ModelFile *mf, GhostModel *model)
{
	const char *list = model_file_meta(mf, "ghost.features");
	char	   *copy,
			   *name,
			   *save;

	if (list == NULL)
		bad_ghost_file("The metadata \"ghost.features\" is missing.");
	copy = pstrdup(list);
	model->nfeatures = 0;
	for (name = strtok_r(copy, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save))
	{
		int			k = ghost_feature_index(name);

		if (k < 0)
			bad_ghost_file(psprintf("\"ghost.features\" names an unknown feature \"%s\".", name));
		if (model->nfeatures == GHOST_MAX_FEATURES)
			bad_ghost_file(psprintf("\"ghost.features\" names more than %d features.", GHOST_MAX_FEATURES));
		for (int i = 0; i < model->nfeatures; i++)
			if (model->feature[i] == k)
				bad_ghost_file(psprintf("\"ghost.features\" names \"%s\" twice.", name));
		model->feature[model->nfeatures++] = k;
	}
	if (model->nfeatures == 0)
		bad_ghost_file("\"ghost.features\" names no feature.");
}

/* A tensor of the given shape (one or two dimensions; cols 0 for a vector), claimed */
static ModelTensor *
shaped_tensor(ModelFile *mf, const char *name, int64 rows, int64 cols)
{
	ModelTensor *t = model_file_tensor(mf, name);

	if (t == NULL)
		bad_ghost_file(psprintf("The tensor \"%s\" is missing.", name));
	if (t->rank != (cols ? 2 : 1) || t->shape[0] != rows || (cols && t->shape[1] != cols))
		bad_ghost_file(cols ? psprintf("The tensor \"%s\" must have shape [" INT64_FORMAT ", " INT64_FORMAT "].", name, rows, cols) :
					   psprintf("The tensor \"%s\" must have shape [" INT64_FORMAT "].", name, rows));
	t->claimed = true;
	return t;
}

/* The sizes of the MLP that mlp.{m}.weight tensors describe; returns the layer count */
static int
load_layer_sizes(ModelFile *mf, int nfeatures, int *sizes)
{
	int			layers = 0;

	sizes[0] = nfeatures;
	for (;;)
	{
		ModelTensor *w = model_file_tensor(mf, psprintf("mlp.%d.weight", layers));

		if (w == NULL)
			break;
		if (layers == MLP_MAX_LAYERS)
			bad_ghost_file(psprintf("A ghost network has at most %d layers.", MLP_MAX_LAYERS));
		if (w->rank != 2 || w->shape[1] != sizes[layers] || w->shape[0] < 1 || w->shape[0] > MLP_MAX_WIDTH)
			bad_ghost_file(psprintf("The tensor \"mlp.%d.weight\" must have shape [outputs, %d] with 1 to %d outputs.",
									layers, sizes[layers], MLP_MAX_WIDTH));
		sizes[++layers] = (int) w->shape[0];
	}
	if (layers == 0)
		bad_ghost_file("The tensor \"mlp.0.weight\" is missing.");
	return layers;
}

/*
 * A ghost model from a parsed weight file (kind already checked), in the current
 * memory context; the model catalog calls this on import and on load
 */
void *
ghost_model_load(ModelFile *mf)
{
	GhostModel *model = palloc0(sizeof(GhostModel));
	int			sizes[MLP_MAX_LAYERS + 1];
	int			layers;
	ModelTensor *mean,
			   *std;

	load_feature_list(mf, model);
	mean = shaped_tensor(mf, "input.mean", model->nfeatures, 0);
	std = shaped_tensor(mf, "input.std", model->nfeatures, 0);
	for (int i = 0; i < model->nfeatures; i++)
	{
		if (!(std->data[i] > 0.0f))
			bad_ghost_file("Every value of \"input.std\" must be positive.");
		model->mean[i] = mean->data[i];
		model->std[i] = std->data[i];
	}
	layers = load_layer_sizes(mf, model->nfeatures, sizes);
	ghost_check_architecture(model->nfeatures, layers, sizes);
	model->mlp = mlp_create(layers, sizes);
	model->horizon = sizes[layers] / 2;
	for (int l = 0; l < layers; l++)
	{
		ModelTensor *w = shaped_tensor(mf, psprintf("mlp.%d.weight", l), sizes[l + 1], sizes[l]);
		ModelTensor *b = shaped_tensor(mf, psprintf("mlp.%d.bias", l), sizes[l + 1], 0);

		memcpy(model->mlp->weight[l], w->data, sizeof(float) * sizes[l + 1] * sizes[l]);
		memcpy(model->mlp->bias[l], b->data, sizeof(float) * sizes[l + 1]);
	}
	for (int i = 0; i < mf->ntensors; i++)
		if (!mf->tensors[i].claimed)
			bad_ghost_file(psprintf("The tensor \"%s\" is not part of a ghost model.", mf->tensors[i].name));
	return model;
}

/*
 * The model's local accelerations (par, perp) for the first horizon frames after a scene
 * with these candidate features (standardized with input.mean and input.std, a missing
 * one as its mean); ghost_integrate refuses any that is not finite
 */
void
ghost_model_accelerations(const GhostModel *model, const float *features, int horizon, float *accel)
{
	float		input[GHOST_MAX_FEATURES];

	ghost_standardize(model->nfeatures, model->feature, model->mean, model->std, features, input);
	mlp_forward_row(model->mlp, input, accel);
}

/*
 * Integrate local accelerations (par, perp per frame) from the scene's defender into
 * horizon positions, one per frame after at_frame, within the physical limits of
 * lib/ghost_physics.c; an error if an acceleration is not finite, since a NaN would pass
 * every clamp
 */
void
ghost_integrate(const GhostScene *scene, const float *accel, int horizon, Point *out)
{
	double		xy[2 * GHOST_MAX_HORIZON];
	GhostPhysicsStatus status;

	Assert(horizon <= GHOST_MAX_HORIZON);
	status = ghost_physics_integrate(scene, accel, horizon, xy);
	if (status == GHOST_PHYSICS_NOT_FINITE_ACCEL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the ghost model gives a non-finite acceleration for this play"),
				 errhint("The model's weights overflow float32 on this input; retrain or rescale it.")));
	if (status != GHOST_PHYSICS_OK)
		elog(ERROR, "ghost prediction from %s", ghost_physics_status_name(status));
	for (int t = 0; t < horizon; t++)
	{
		out[t].x = xy[2 * t];
		out[t].y = xy[2 * t + 1];
	}
}
