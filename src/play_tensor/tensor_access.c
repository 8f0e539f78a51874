/*
 * tensor_access.c: reading a play tensor from SQL: dimensions, ids, tracks, feature
 * series, slices, conversion to and from real[], and standardization.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "play_tensor/play_tensor.h"
#include "track.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/geo_decls.h"
#include "utils/lsyscache.h"

/*
 * A tensor's header alone (dimensions, flags), read without fetching the rest of a
 * TOASTed value; its arrays must not be touched
 */
static PlayTensor *
pt_detoast_header(Datum d)
{
	return (PlayTensor *) PG_DETOAST_DATUM_SLICE(d, 0, offsetof(PlayTensor, payload) - VARHDRSZ);
}

/*
 * A tensor's header and id arrays (NFL ids, frame ids, duplicates, roles), read without
 * fetching its feature values; pt_data must not be touched
 */
static PlayTensor *
pt_detoast_ids(Datum d)
{
	PlayTensor *head = pt_detoast_header(d);
	Size		values = sizeof(float4) * (Size) head->frames * head->entities * PT_FEATURES;

	return (PlayTensor *) PG_DETOAST_DATUM_SLICE(d, 0, pt_size(head->frames, head->entities, head->duplicates) - values - VARHDRSZ);
}

/* The entity an SQL argument names: an NFL id, or NULL for the ball; an error if absent */
static int
entity_arg(FunctionCallInfo fcinfo, PlayTensor *pt, int arg)
{
	bool		is_ball = PG_ARGISNULL(arg);
	int32		nfl_id = is_ball ? 0 : PG_GETARG_INT32(arg);
	int			e = pt_find_entity(pt, is_ball, nfl_id);

	if (e < 0 && is_ball)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("this play has no ball"),
				 errhint("A NULL nfl_id names the ball.")));
	if (e < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("player %d is not in this play", nfl_id),
				 errhint("ngs.nfl_ids(tensor) lists the players.")));
	return e;
}

/* A one-dimensional int4 array, NULL elements where nulls[i] */
static ArrayType *
int_array(const int32 *values, const bool *nulls, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * n);
	int			dims[1] = {n}, lbs[1] = {1};

	for (int i = 0; i < n; i++)
		d[i] = Int32GetDatum(values[i]);
	return construct_md_array(d, (bool *) nulls, 1, dims, lbs, INT4OID, 4, true, TYPALIGN_INT);
}

PG_FUNCTION_INFO_V1(play_tensor_frames);
/*
 * Number of frames
 */
Datum
play_tensor_frames(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(pt_detoast_header(PG_GETARG_DATUM(0))->frames);
}

PG_FUNCTION_INFO_V1(play_tensor_entities);
/*
 * Number of entities (players and ball)
 */
Datum
play_tensor_entities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(pt_detoast_header(PG_GETARG_DATUM(0))->entities);
}

PG_FUNCTION_INFO_V1(play_tensor_is_standardized);
/*
 * Whether the play has been standardized (offense toward +x)
 */
Datum
play_tensor_is_standardized(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL((pt_detoast_header(PG_GETARG_DATUM(0))->flags & PT_STANDARDIZED) != 0);
}

PG_FUNCTION_INFO_V1(play_tensor_nfl_ids);
/*
 * Every entity's NFL id, in entity order (NULL for the ball)
 */
Datum
play_tensor_nfl_ids(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = pt_detoast_ids(PG_GETARG_DATUM(0));
	bool	   *nulls = palloc(sizeof(bool) * pt->entities);

	for (int e = 0; e < pt->entities; e++)
		nulls[e] = pt_roles(pt)[e] == PT_BALL;
	PG_RETURN_ARRAYTYPE_P(int_array(pt_nfl_ids(pt), nulls, pt->entities));
}

PG_FUNCTION_INFO_V1(play_tensor_frame_ids);
/*
 * Every frame's id, in order
 */
Datum
play_tensor_frame_ids(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = pt_detoast_ids(PG_GETARG_DATUM(0));

	PG_RETURN_ARRAYTYPE_P(int_array(pt_frame_ids(pt), NULL, pt->frames));
}

PG_FUNCTION_INFO_V1(play_tensor_roles);
/*
 * Every entity's role, in entity order
 */
Datum
play_tensor_roles(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = pt_detoast_ids(PG_GETARG_DATUM(0));
	Datum	   *d = palloc(sizeof(Datum) * pt->entities);

	for (int e = 0; e < pt->entities; e++)
		d[e] = CStringGetTextDatum(pt_role_name(pt_roles(pt)[e]));
	PG_RETURN_ARRAYTYPE_P(construct_array(d, pt->entities, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(play_tensor_track);
/*
 * One entity's positions as an open path, skipping frames without a position;
 * NULL nfl_id is the ball; NULL if the entity never has a position
 */
Datum
play_tensor_track(PG_FUNCTION_ARGS)
{
	PlayTensor *pt;
	PATH	   *path;
	int			e, n = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	pt = PG_GETARG_PLAY_TENSOR_P(0);
	e = entity_arg(fcinfo, pt, 1);
	for (int f = 0; f < pt->frames; f++)
		n += !isnan(pt_sample(pt, f, e)[PT_X]) && !isnan(pt_sample(pt, f, e)[PT_Y]);
	if (n == 0)
		PG_RETURN_NULL();
	path = pt_open_path(n);
	n = 0;
	for (int f = 0; f < pt->frames; f++)
	{
		float4	   *v = pt_sample(pt, f, e);

		if (isnan(v[PT_X]) || isnan(v[PT_Y]))
			continue;
		path->p[n].x = v[PT_X];
		path->p[n].y = v[PT_Y];
		n++;
	}
	PG_RETURN_PATH_P(path);
}

/* The feature index for a name, including the derived magnitudes "s" and "a" (-1, -2) */
static int
feature_arg(text *name)
{
	char	   *s = text_to_cstring(name);

	for (int k = 0; k < PT_FEATURES; k++)
		if (strcmp(s, pt_feature_name(k)) == 0)
			return k;
	if (strcmp(s, "s") == 0)
		return -1;
	if (strcmp(s, "a") == 0)
		return -2;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown feature \"%s\"", s),
			 errhint("A feature is x, y, vx, vy, ax, ay, dir, o, or the magnitudes s and a.")));
	return 0;					/* keep compiler quiet */
}

PG_FUNCTION_INFO_V1(play_tensor_feature);
/*
 * One entity's series of one feature, a real per frame (NULL where missing);
 * NULL nfl_id is the ball
 */
Datum
play_tensor_feature(PG_FUNCTION_ARGS)
{
	PlayTensor *pt;
	int			e, k;
	Datum	   *d;
	bool	   *nulls;
	int			dims[1], lbs[1] = {1};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	pt = PG_GETARG_PLAY_TENSOR_P(0);
	e = entity_arg(fcinfo, pt, 1);
	k = feature_arg(PG_GETARG_TEXT_PP(2));
	d = palloc(sizeof(Datum) * pt->frames);
	nulls = palloc(sizeof(bool) * pt->frames);
	for (int f = 0; f < pt->frames; f++)
	{
		float4	   *v = pt_sample(pt, f, e);
		float4		x = k >= 0 ? v[k] : k == -1 ? pt_speed(v) : hypot(v[PT_AX], v[PT_AY]);

		nulls[f] = isnan(x);
		d[f] = Float4GetDatum(x);
	}
	dims[0] = pt->frames;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(d, nulls, 1, dims, lbs, FLOAT4OID, 4, true, TYPALIGN_INT));
}

/* Copy frames [from, from + count) of a tensor into a new one, keeping their duplicates and events */
PlayTensor *
pt_copy_frames(PlayTensor *pt, int from, int count)
{
	int			dups = 0;
	PlayTensor *out;

	for (int d = 0; d < pt->duplicates; d++)
		dups += pt_duplicates(pt)[2 * d] >= from && pt_duplicates(pt)[2 * d] < from + count;
	out = pt_allocate(count, pt->entities, dups);
	out->flags = pt->flags;
	memcpy(pt_nfl_ids(out), pt_nfl_ids(pt), sizeof(int32) * pt->entities);
	memcpy(pt_roles(out), pt_roles(pt), pt->entities);
	memcpy(pt_frame_ids(out), pt_frame_ids(pt) + from, sizeof(int32) * count);
	dups = 0;
	for (int d = 0; d < pt->duplicates; d++)
	{
		int32		f = pt_duplicates(pt)[2 * d];

		if (f < from || f >= from + count)
			continue;
		pt_duplicates(out)[2 * dups] = f - from;
		pt_duplicates(out)[2 * dups++ + 1] = pt_duplicates(pt)[2 * d + 1];
	}
	memcpy(pt_data(out), pt_sample(pt, from, 0), sizeof(float4) * count * pt->entities * PT_FEATURES);
	return pt_copy_events(pt, out, from);
}

PG_FUNCTION_INFO_V1(play_tensor_slice);
/*
 * The frames whose ids lie in [from_frame, to_frame]; an error if there are none, or NULL
 * when the optional fourth argument missing_ok is true
 */
Datum
play_tensor_slice(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	int32		lo = PG_GETARG_INT32(1);
	int32		hi = PG_GETARG_INT32(2);
	bool		missing_ok = PG_NARGS() > 3 && PG_GETARG_BOOL(3);
	int			first = 0, last;

	if (lo > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("slice from frame %d to frame %d is empty", lo, hi),
				 errhint("Give the first frame id, then the last.")));
	while (first < pt->frames && pt_frame_ids(pt)[first] < lo)
		first++;
	last = first;
	while (last < pt->frames && pt_frame_ids(pt)[last] <= hi)
		last++;
	if (last == first && missing_ok)
		PG_RETURN_NULL();
	if (last == first)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("slice from frame %d to frame %d is outside the play", lo, hi),
				 errdetail("The play's frames run from %d to %d.",
						   pt_frame_ids(pt)[0], pt_frame_ids(pt)[pt->frames - 1]),
				 errhint("Pass missing_ok => true to get NULL for a slice with no frames.")));
	PG_RETURN_PLAY_TENSOR_P(pt_copy_frames(pt, first, last - first));
}

PG_FUNCTION_INFO_V1(play_tensor_to_array);
/*
 * The feature values as a 3-D real[] (frames x entities x 8), NaN where missing
 */
Datum
play_tensor_to_array(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	int			dims[3] = {pt->frames, pt->entities, PT_FEATURES}, lbs[3] = {1, 1, 1};
	Size		n = (Size) pt->frames * pt->entities * PT_FEATURES;
	Size		size = ARR_OVERHEAD_NONULLS(3) + sizeof(float4) * n;
	ArrayType  *a = palloc0(size);

	SET_VARSIZE(a, size);
	a->ndim = 3;
	a->dataoffset = 0;
	a->elemtype = FLOAT4OID;
	memcpy(ARR_DIMS(a), dims, sizeof(dims));
	memcpy(ARR_LBOUND(a), lbs, sizeof(lbs));
	memcpy(ARR_DATA_PTR(a), pt_data(pt), sizeof(float4) * n);
	PG_RETURN_ARRAYTYPE_P(a);
}

/* Fail unless an array argument is one-dimensional, NULL-free, of length n */
static void
check_vector(ArrayType *a, int n, const char *name, bool nulls_ok)
{
	if (ARR_NDIM(a) != 1 || ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a)) != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array of %d elements", name, n),
				 errdetail("The data array's dimensions call for %d.", n)));
	if (!nulls_ok && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not contain NULL", name)));
}

PG_FUNCTION_INFO_V1(play_tensor_from_array);
/*
 * A tensor from a 3-D real[] (frames x entities x 8, NaN = missing), frame ids,
 * NFL ids (NULL for the ball) and roles
 */
Datum
play_tensor_from_array(PG_FUNCTION_ARGS)
{
	ArrayType  *data = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *frame_ids = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *nfl_ids = PG_GETARG_ARRAYTYPE_P(2);
	ArrayType  *roles = PG_GETARG_ARRAYTYPE_P(3);
	bool		standardized = PG_GETARG_BOOL(4);
	Datum	   *items;
	bool	   *nulls;
	int			frames, entities, n;
	PlayTensor *pt;

	if (ARR_NDIM(data) != 3 || ARR_DIMS(data)[2] != PT_FEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("play_tensor data must be a 3-D array of frames x entities x %d", PT_FEATURES)));
	if (array_contains_nulls(data))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("play_tensor data must not contain NULL"),
				 errhint("Use 'NaN' for a missing value.")));
	frames = ARR_DIMS(data)[0];
	entities = ARR_DIMS(data)[1];
	pt_check_dimensions(frames, entities, 0);
	check_vector(frame_ids, frames, "frame_ids", false);
	check_vector(nfl_ids, entities, "nfl_ids", true);
	check_vector(roles, entities, "roles", false);

	pt = pt_allocate(frames, entities, 0);
	pt->flags = standardized ? PT_STANDARDIZED : 0;
	memcpy(pt_frame_ids(pt), ARR_DATA_PTR(frame_ids), sizeof(int32) * frames);
	deconstruct_array(nfl_ids, INT4OID, 4, true, TYPALIGN_INT, &items, &nulls, &n);
	for (int e = 0; e < entities; e++)
		pt_nfl_ids(pt)[e] = nulls[e] ? 0 : DatumGetInt32(items[e]);
	deconstruct_array(roles, TEXTOID, -1, false, TYPALIGN_INT, &items, NULL, &n);
	for (int e = 0; e < entities; e++)
		pt_roles(pt)[e] = pt_role_parse(TextDatumGetCString(items[e]));
	for (int e = 0; e < entities; e++)
		if (pt_roles(pt)[e] != PT_BALL && pt_nfl_ids(pt)[e] == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("nfl id 0 or NULL is reserved for the ball")));
	memcpy(pt_data(pt), ARR_DATA_PTR(data), sizeof(float4) * frames * entities * PT_FEATURES);
	pt_validate(pt);
	PG_RETURN_PLAY_TENSOR_P(pt);
}

/* An angle turned half a circle, kept in [0, 360) */
static inline float4
turn_half(float4 deg)
{
	return track_wrap_degrees(deg + 180.0);
}

PG_FUNCTION_INFO_V1(play_tensor_standardize);
/*
 * The play turned so the offense moves toward +x: 'left' mirrors it, 'right' only
 * marks it; a play already standardized comes back unchanged
 */
Datum
play_tensor_standardize(PG_FUNCTION_ARGS)
{
	PlayTensor *pt;
	char	   *direction;
	bool		left;
	PlayTensor *out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("play direction is NULL"),
				 errhint("Pass \"left\" or \"right\", e.g. ngs.offense_direction(tensor).")));
	pt = PG_GETARG_PLAY_TENSOR_P(0);
	direction = text_to_cstring(PG_GETARG_TEXT_PP(1));
	left = strcmp(direction, "left") == 0;

	if (!left && strcmp(direction, "right") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown play direction \"%s\"", direction),
				 errhint("The play direction is \"left\" or \"right\", the way the offense moves.")));
	if (pt->flags & PT_STANDARDIZED)
		PG_RETURN_PLAY_TENSOR_P(pt);
	out = palloc(VARSIZE(pt));
	memcpy(out, pt, VARSIZE(pt));
	out->flags |= PT_STANDARDIZED;
	if (left)
	{
		Size		samples = (Size) out->frames * out->entities;
		float4	   *v = pt_data(out);

		for (Size i = 0; i < samples; i++, v += PT_FEATURES)
		{
			v[PT_X] = FIELD_LENGTH - v[PT_X];
			v[PT_Y] = FIELD_WIDTH - v[PT_Y];
			v[PT_VX] = -v[PT_VX];
			v[PT_VY] = -v[PT_VY];
			v[PT_AX] = -v[PT_AX];
			v[PT_AY] = -v[PT_AY];
			v[PT_DIR] = turn_half(v[PT_DIR]);
			v[PT_O] = turn_half(v[PT_O]);
		}
		pt_validate(out);		/* mirrored positions can leave the range; -NaN */
	}
	PG_RETURN_PLAY_TENSOR_P(out);
}
