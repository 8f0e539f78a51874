/*
 * play_tensor.c: the play tensor type: allocation, validation, and its binary I/O
 * functions (the text form is tensor_text.c, which builds on this file).
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "play_tensor/play_tensor.h"
#include "utils/float.h"

static const char *const role_names[] = {NULL, "offense", "defense", "ball"};
static const char *const feature_names[PT_FEATURES] = {"x", "y", "vx", "vy", "ax", "ay", "dir", "o"};

/*
 * Refuse dimensions outside the documented limits, before anything is allocated
 */
void
pt_check_dimensions(int64 frames, int64 entities, int64 duplicates)
{
	if (frames < 1 || frames > PT_MAX_FRAMES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("play_tensor must have between 1 and %d frames, not " INT64_FORMAT,
						PT_MAX_FRAMES, frames),
				 errhint("Split long plays with ngs.slice or filter the tracking rows.")));
	if (entities < 1 || entities > PT_MAX_ENTITIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("play_tensor must have between 1 and %d entities, not " INT64_FORMAT,
						PT_MAX_ENTITIES, entities),
				 errhint("Group tracking rows by game and play so one tensor holds one play.")));
	if (duplicates < 0 || duplicates > frames * entities)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("play_tensor cannot record " INT64_FORMAT " duplicates for " INT64_FORMAT " samples",
						duplicates, frames * entities)));
}

/*
 * Allocate a zeroed tensor of the given dimensions (checked against the limits)
 */
PlayTensor *
pt_allocate(int frames, int entities, int duplicates)
{
	Size		size;
	PlayTensor *pt;

	pt_check_dimensions(frames, entities, duplicates);
	size = pt_size(frames, entities, duplicates);
	pt = (PlayTensor *) palloc0(size);
	SET_VARSIZE(pt, size);
	pt->version = PT_VERSION;
	pt->frames = frames;
	pt->entities = entities;
	pt->duplicates = duplicates;
	return pt;
}

/*
 * The name of a role ("offense", "defense", "ball")
 */
const char *
pt_role_name(int role)
{
	Assert(role >= PT_OFFENSE && role <= PT_BALL);
	return role_names[role];
}

/*
 * The role for a name, or an error naming the accepted ones
 */
int
pt_role_parse(const char *name)
{
	for (int role = PT_OFFENSE; role <= PT_BALL; role++)
		if (strcmp(name, role_names[role]) == 0)
			return role;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown role \"%s\"", name),
			 errhint("A role is \"offense\", \"defense\" or \"ball\".")));
	return 0;					/* keep compiler quiet */
}

/*
 * The name of a feature ("x", "y", "vx", ...)
 */
const char *
pt_feature_name(int feature)
{
	return feature_names[feature];
}

/*
 * The index of the entity with this NFL id (or the ball), or -1
 */
int
pt_find_entity(PlayTensor *pt, bool is_ball, int32 nfl_id)
{
	int32	   *ids = pt_nfl_ids(pt);
	uint8	   *roles = pt_roles(pt);

	for (int e = 0; e < pt->entities; e++)
	{
		if (is_ball ? roles[e] == PT_BALL : (roles[e] != PT_BALL && ids[e] == nfl_id))
			return e;
	}
	return -1;
}

/* Report a tensor that breaks an invariant */
static inline void
invalid_tensor(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid play_tensor: %s", what)));
}

/*
 * Check every invariant of a tensor that came from outside (text, binary, arrays) or
 * was built from user values (play_tensor_agg, standardize), and store every missing
 * value as the one NaN the text form reads back: a negated NaN or another NaN payload
 * from binary input would not survive a text round trip (pg_dump)
 */
void
pt_validate(PlayTensor *pt)
{
	int32	   *ids = pt_nfl_ids(pt);
	int32	   *frame_ids = pt_frame_ids(pt);
	int32	   *dups = pt_duplicates(pt);
	uint8	   *roles = pt_roles(pt);
	float4	   *data = pt_data(pt);
	Size		values = (Size) pt->frames * pt->entities * PT_FEATURES;
	int			balls = 0;

	if (pt->version != PT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported play_tensor version %d", pt->version),
				 errhint("This build of ngs reads version %d.", PT_VERSION)));
	if (pt->flags & ~PT_KNOWN_FLAGS)
		invalid_tensor("unknown flag bits are set");
	for (int e = 0; e < pt->entities; e++)
	{
		if (roles[e] < PT_OFFENSE || roles[e] > PT_BALL)
			invalid_tensor("an entity has an unknown role");
		if ((roles[e] == PT_BALL) != (ids[e] == 0))
			invalid_tensor("the ball, and only the ball, has no NFL id");
		balls += roles[e] == PT_BALL;
		for (int k = 0; k < e; k++)
			if (roles[k] != PT_BALL && roles[e] != PT_BALL && ids[k] == ids[e])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid play_tensor: NFL id %d appears twice", ids[e]),
						 errhint("A player has one role in a play: check the role of his rows.")));
	}
	if (balls > 1)
		invalid_tensor("more than one ball");
	for (int f = 1; f < pt->frames; f++)
		if (frame_ids[f] <= frame_ids[f - 1])
			invalid_tensor("frame ids must be strictly increasing");
	for (int d = 0; d < pt->duplicates; d++)
	{
		if (dups[2 * d] < 0 || dups[2 * d] >= pt->frames ||
			dups[2 * d + 1] < 0 || dups[2 * d + 1] >= pt->entities)
			invalid_tensor("a duplicate refers to a sample outside the tensor");
		if (d > 0 && (dups[2 * d] < dups[2 * d - 2] ||
					  (dups[2 * d] == dups[2 * d - 2] && dups[2 * d + 1] <= dups[2 * d - 1])))
			invalid_tensor("duplicates must be sorted by frame and entity, each listed once");
	}
	for (Size i = 0; i < values; i++)
		if (isnan(data[i]))
			data[i] = get_float4_nan();
		else if (fabs(data[i]) > PT_MAX_ABS_FEATURE)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("invalid play_tensor: feature value %.9g is out of range", data[i]),
					 errdetail("Values are NaN (missing) or at most %g in magnitude.", PT_MAX_ABS_FEATURE)));
}

PG_FUNCTION_INFO_V1(play_tensor_recv);
/*
 * Binary input: header, ids, roles, frame ids, duplicates, then float4 values
 */
Datum
play_tensor_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			flags = pq_getmsgbyte(buf);
	int			entities = pq_getmsgint(buf, 2);
	int			frames = pq_getmsgint(buf, 4);
	int			duplicates = pq_getmsgint(buf, 4);
	Size		values;
	PlayTensor *pt;
	float4	   *data;

	if (version != PT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported play_tensor binary version %d", version),
				 errhint("This build of ngs reads version %d.", PT_VERSION)));
	pt_check_dimensions(frames, entities, duplicates);
	values = (Size) frames * entities * PT_FEATURES;
	if ((Size) (buf->len - buf->cursor) < 4 * ((Size) entities + frames + 2 * duplicates) + entities + 4 * values)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("play_tensor binary value is truncated"),
				 errdetail("The header announces %d frames and %d entities.", frames, entities)));

	pt = pt_allocate(frames, entities, duplicates);
	pt->flags = flags;
	for (int e = 0; e < entities; e++)
		pt_nfl_ids(pt)[e] = pq_getmsgint(buf, 4);
	for (int e = 0; e < entities; e++)
		pt_roles(pt)[e] = pq_getmsgbyte(buf);
	for (int f = 0; f < frames; f++)
		pt_frame_ids(pt)[f] = pq_getmsgint(buf, 4);
	for (int d = 0; d < 2 * duplicates; d++)
		pt_duplicates(pt)[d] = pq_getmsgint(buf, 4);
	data = pt_data(pt);
	for (Size i = 0; i < values; i++)
		data[i] = pq_getmsgfloat4(buf);
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("play_tensor binary value has %d trailing bytes", buf->len - buf->cursor)));
	pt_validate(pt);
	PG_RETURN_PLAY_TENSOR_P(pt);
}

PG_FUNCTION_INFO_V1(play_tensor_send);
/*
 * Binary output, the layout play_tensor_recv reads
 */
Datum
play_tensor_send(PG_FUNCTION_ARGS)
{
	PlayTensor *pt = PG_GETARG_PLAY_TENSOR_P(0);
	Size		values = (Size) pt->frames * pt->entities * PT_FEATURES;
	float4	   *data = pt_data(pt);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, pt->version);
	pq_sendbyte(&buf, pt->flags);
	pq_sendint16(&buf, pt->entities);
	pq_sendint32(&buf, pt->frames);
	pq_sendint32(&buf, pt->duplicates);
	for (int e = 0; e < pt->entities; e++)
		pq_sendint32(&buf, pt_nfl_ids(pt)[e]);
	for (int e = 0; e < pt->entities; e++)
		pq_sendbyte(&buf, pt_roles(pt)[e]);
	for (int f = 0; f < pt->frames; f++)
		pq_sendint32(&buf, pt_frame_ids(pt)[f]);
	for (int d = 0; d < 2 * pt->duplicates; d++)
		pq_sendint32(&buf, pt_duplicates(pt)[d]);
	for (Size i = 0; i < values; i++)
		pq_sendfloat4(&buf, data[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
