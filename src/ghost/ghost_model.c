/*
 * ghost_model.c: the ghost model (features -> MLP -> accelerations in the defender's
 * frame), its weight file profile, and the integration that keeps every predicted path
 * physically possible (the SQL functions are in ghost_trajectory.c).
 *
 * Physical limits hold by construction, frame by frame (dt = 0.1 s):
 *   - each field component of the acceleration is clamped to +-GHOST_MAX_ACCEL/sqrt(2),
 *     so its magnitude never exceeds GHOST_MAX_ACCEL;
 *   - the velocity toward a field edge is capped so that braking at that rate still
 *     stops the defender on the field (a cap that never asks for more braking);
 *   - the velocity is projected onto the disc of radius MAX_PLAYER_SPEED, which cannot
 *     make the change of velocity larger, since the previous velocity lies in the disc.
 * Only a start that is already running off the field faster than that braking can stop
 * is held at the edge (the outward velocity dropped), so positions always stay inside.
 */
#include "postgres.h"

#include <math.h>

#include "ghost/ghost.h"

/* Acceleration bound per field axis, and the speed it sheds per frame */
#define AXIS_ACCEL			(GHOST_MAX_ACCEL / M_SQRT2)
#define AXIS_DELTA_V		(AXIS_ACCEL * FRAME_SECONDS)

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
 * The network input of a scene's candidate features: the model's features, standardized
 * with input.mean and input.std; a missing (NaN) feature becomes 0, its mean
 */
static void
ghost_model_input(const GhostModel *model, const float *features, float *input)
{
	for (int i = 0; i < model->nfeatures; i++)
	{
		float		v = (features[model->feature[i]] - model->mean[i]) / model->std[i];

		input[i] = isnan(v) ? 0.0f : v;
	}
}

/*
 * The model's local accelerations (par, perp) for the first horizon frames after a scene
 * with these candidate features; an error if any is not finite, since a NaN would pass
 * every clamp of the integration
 */
void
ghost_model_accelerations(const GhostModel *model, const float *features, int horizon, float *accel)
{
	float		input[GHOST_MAX_FEATURES];

	ghost_model_input(model, features, input);
	mlp_forward_row(model->mlp, input, accel);
	for (int k = 0; k < 2 * horizon; k++)
		if (!isfinite(accel[k]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the ghost model gives a non-finite acceleration for this play"),
					 errhint("The model's weights overflow float32 on this input; retrain or rescale it.")));
}

/*
 * The fastest speed toward a field edge d yards away from which the defender, after
 * moving one frame at that speed, can still stop before the edge by shedding
 * AXIS_DELTA_V per frame: the largest u with dt (u + sum_k max(0, u - k delta)) <= d
 */
static double
edge_speed_limit(double d)
{
	/* far from the edge (over 12 yd) nothing is capped: skip the search */
	int			top = (int) floor(MAX_PLAYER_SPEED / AXIS_DELTA_V);

	if (d >= FRAME_SECONDS * ((top + 1) * MAX_PLAYER_SPEED - AXIS_DELTA_V * top * (top + 1) / 2.0))
		return MAX_PLAYER_SPEED;
	for (int n = 0; n * AXIS_DELTA_V < MAX_PLAYER_SPEED; n++)
	{
		/*
		 * on [n delta, (n + 1) delta] the distance is dt ((n + 1) u - delta n
		 * (n + 1) / 2)
		 */
		double		u = (d / FRAME_SECONDS + AXIS_DELTA_V * n * (n + 1) / 2.0) / (n + 1);

		if (u <= (n + 1) * AXIS_DELTA_V)
			return Min(u, MAX_PLAYER_SPEED);
	}
	return MAX_PLAYER_SPEED;
}

/* Clamp x into [lo, hi] */
static inline double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

/*
 * One frame of motion along one field axis of length size: the new velocity component
 * from the old one and the wanted one, capped so the defender can stop before either edge
 */
static inline double
axis_velocity(double p, double v, double wanted, double size)
{
	double		hi = Max(edge_speed_limit(size - p), v - AXIS_DELTA_V);
	double		lo = -Max(edge_speed_limit(p), -v - AXIS_DELTA_V);

	return clamp(wanted, lo, hi);
}

/*
 * Integrate local accelerations (par, perp per frame) from the scene's defender into
 * horizon positions, one per frame after at_frame, with the physical limits above
 */
void
ghost_integrate(const GhostScene *scene, const float *accel, int horizon, Point *out)
{
	double		px = clamp(scene->origin[0], 0.0, FIELD_LENGTH);
	double		py = clamp(scene->origin[1], 0.0, FIELD_WIDTH);
	double		vx = scene->velocity[0];
	double		vy = scene->velocity[1];
	double		speed = hypot(vx, vy);

	if (speed > MAX_PLAYER_SPEED)
	{
		vx *= MAX_PLAYER_SPEED / speed;
		vy *= MAX_PLAYER_SPEED / speed;
	}
	for (int t = 0; t < horizon; t++)
	{
		double		ax,
					ay,
					nx,
					ny;

		ghost_to_field(scene, accel[2 * t], accel[2 * t + 1], &ax, &ay);
		ax = clamp(ax, -AXIS_ACCEL, AXIS_ACCEL);
		ay = clamp(ay, -AXIS_ACCEL, AXIS_ACCEL);
		vx = axis_velocity(px, vx, vx + ax * FRAME_SECONDS, FIELD_LENGTH);
		vy = axis_velocity(py, vy, vy + ay * FRAME_SECONDS, FIELD_WIDTH);
		speed = hypot(vx, vy);
		if (speed > MAX_PLAYER_SPEED)
		{
			vx *= MAX_PLAYER_SPEED / speed;
			vy *= MAX_PLAYER_SPEED / speed;
		}

		/*
		 * only a start already running off the field can get here past an
		 * edge
		 */
		nx = clamp(px + vx * FRAME_SECONDS, 0.0, FIELD_LENGTH);
		ny = clamp(py + vy * FRAME_SECONDS, 0.0, FIELD_WIDTH);
		vx = (nx - px) / FRAME_SECONDS;
		vy = (ny - py) / FRAME_SECONDS;
		px = out[t].x = nx;
		py = out[t].y = ny;
	}
}
