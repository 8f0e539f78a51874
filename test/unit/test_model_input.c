/*
 * test_model_input.c: unit tests of lib/model_input.c: slot order, padding and NaN rules.
 */
#include <stdlib.h>
#include <string.h>

#include "model_input.h"
#include "splitmix64.h"
#include "unit.h"

#define OFFENSE		1
#define DEFENSE		2
#define BALL		3
#define MAX_FRAMES	4
#define MAX_ENTITIES	30

/* A small play to fill: every sample NaN until set */
typedef struct TestPlay
{
	ModelInputPlay play;
	float		data[MAX_FRAMES * MAX_ENTITIES * TRACK_FEATURES];	/* frames x entities x 8 */
	uint8_t		roles[MAX_ENTITIES];
	int32_t		nfl_ids[MAX_ENTITIES];
} TestPlay;

/* Feature k of entity e at frame f */
static float *
at(TestPlay *tp, int f, int e, int k)
{
	return &tp->data[(f * tp->play.entities + e) * TRACK_FEATURES + k];
}

/* An empty play of these dimensions */
static void
test_play_init(TestPlay *tp, int frames, int entities)
{
	for (int i = 0; i < MAX_FRAMES * MAX_ENTITIES * TRACK_FEATURES; i++)
		tp->data[i] = NAN;
	tp->play.frames = frames;
	tp->play.entities = entities;
	tp->play.data = tp->data;
	tp->play.roles = tp->roles;
	tp->play.nfl_ids = tp->nfl_ids;
}

/* Entity e: its role, NFL id, and every feature of frame f set to base + f + k / 10 */
static void
set_entity(TestPlay *tp, int e, int role, int32_t nfl_id, float base)
{
	tp->roles[e] = (uint8_t) role;
	tp->nfl_ids[e] = nfl_id;
	for (int f = 0; f < tp->play.frames; f++)
		for (int k = 0; k < TRACK_FEATURES; k++)
			*at(tp, f, e, k) = base + f + k / 10.0f;
}

/* Each side sorted by y at the first frame with a y, ties by NFL id, unseen last; no ball */
static void
test_slot_order(void)
{
	TestPlay	tp;
	int			slots[2 * MODEL_INPUT_SLOTS];

	test_play_init(&tp, 3, 7);
	set_entity(&tp, 0, BALL, 0, 0.0f);
	set_entity(&tp, 1, OFFENSE, 30, 0.0f);
	*at(&tp, 0, 1, TRACK_Y) = 20.0f;
	set_entity(&tp, 2, OFFENSE, 10, 0.0f);
	*at(&tp, 0, 2, TRACK_Y) = 20.0f;	/* tie with entity 1: NFL id 10 first */
	set_entity(&tp, 3, OFFENSE, 5, 0.0f);
	*at(&tp, 0, 3, TRACK_Y) = NAN;	/* first y at frame 1 */
	*at(&tp, 1, 3, TRACK_Y) = 15.0f;
	*at(&tp, 2, 3, TRACK_Y) = 99.0f;
	set_entity(&tp, 4, OFFENSE, 1, 0.0f);
	for (int f = 0; f < 3; f++)
		*at(&tp, f, 4, TRACK_Y) = NAN;	/* never seen: last whatever its id */
	set_entity(&tp, 5, DEFENSE, 7, 0.0f);
	*at(&tp, 0, 5, TRACK_Y) = -0.0f;
	set_entity(&tp, 6, DEFENSE, 3, 0.0f);
	*at(&tp, 0, 6, TRACK_Y) = 0.0f;	/* equal to -0: NFL id 3 first */

	model_input_slots(&tp.play, OFFENSE, DEFENSE, slots);
	CHECK_INT(slots[0], 3);
	CHECK_INT(slots[1], 2);
	CHECK_INT(slots[2], 1);
	CHECK_INT(slots[3], 4);
	for (int s = 4; s < MODEL_INPUT_SLOTS; s++)
		CHECK_INT(slots[s], -1);
	CHECK_INT(slots[MODEL_INPUT_SLOTS], 6);
	CHECK_INT(slots[MODEL_INPUT_SLOTS + 1], 5);
	for (int s = MODEL_INPUT_SLOTS + 2; s < 2 * MODEL_INPUT_SLOTS; s++)
		CHECK_INT(slots[s], -1);
}

/* Rows: slot s at channels 8 s .. 8 s + 7 from first_frame on; empty slots all NaN */
static void
test_rows_and_padding(void)
{
	TestPlay	tp;
	int			slots[2 * MODEL_INPUT_SLOTS];
	float		out[2][MODEL_INPUT_CHANNELS];

	test_play_init(&tp, 3, 2);
	set_entity(&tp, 0, DEFENSE, 9, 100.0f);
	set_entity(&tp, 1, OFFENSE, 8, 200.0f);
	*at(&tp, 2, 1, TRACK_VX) = NAN;	/* a gap inside a present entity stays NaN */
	model_input_slots(&tp.play, OFFENSE, DEFENSE, slots);
	model_input_rows(&tp.play, slots, 1, 2, &out[0][0]);
	CHECK_INT(MODEL_INPUT_CHANNELS, 176);
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < MODEL_INPUT_CHANNELS; c++)
		{
			int			slot = c / TRACK_FEATURES,
						k = c % TRACK_FEATURES;

			if (slot == 0 && !(r == 1 && k == TRACK_VX))
				CHECK_SAME(out[r][c], 200.0f + (r + 1) + k / 10.0f);
			else if (slot == MODEL_INPUT_SLOTS)
				CHECK_SAME(out[r][c], 100.0f + (r + 1) + k / 10.0f);
			else
				CHECK(isnan(out[r][c]));
		}
}

/* The sort key of a reference sort */
typedef struct RefKey
{
	int			entity;
	int			seen;
	float		y;
	int32_t		nfl_id;
} RefKey;

/* The order of pass-model.md, for qsort */
static int
ref_compare(const void *a, const void *b)
{
	const RefKey *x = a;
	const RefKey *y = b;

	if (x->seen != y->seen)
		return x->seen ? -1 : 1;
	if (x->seen && x->y != y->y)
		return x->y < y->y ? -1 : 1;
	return (x->nfl_id > y->nfl_id) - (x->nfl_id < y->nfl_id);
}

/* The slots of one side by a full sort, the first 11 kept */
static void
reference_side(TestPlay *tp, int role, int *slots)
{
	RefKey		keys[MAX_ENTITIES];
	int			n = 0;

	for (int e = 0; e < tp->play.entities; e++)
	{
		if (tp->roles[e] != role)
			continue;
		keys[n].entity = e;
		keys[n].nfl_id = tp->nfl_ids[e];
		keys[n].seen = 0;
		keys[n].y = NAN;
		for (int f = 0; f < tp->play.frames && !keys[n].seen; f++)
		{
			keys[n].y = *at(tp, f, e, TRACK_Y);
			keys[n].seen = !isnan(keys[n].y);
		}
		n++;
	}
	qsort(keys, n, sizeof(RefKey), ref_compare);
	for (int s = 0; s < MODEL_INPUT_SLOTS; s++)
		slots[s] = s < n ? keys[s].entity : -1;
}

/* Random plays (up to 30 entities, many ties and gaps) match a full sort of each side */
static void
test_matches_full_sort(void)
{
	Rng			rng;

	rng_seed(&rng, 14);
	for (int trial = 0; trial < 2000; trial++)
	{
		TestPlay	tp;
		int			slots[2 * MODEL_INPUT_SLOTS],
					want[2 * MODEL_INPUT_SLOTS];
		int			entities = (int) (rng_next(&rng) % MAX_ENTITIES) + 1;

		test_play_init(&tp, MAX_FRAMES, entities);
		for (int e = 0; e < entities; e++)
		{
			set_entity(&tp, e, (int) (rng_next(&rng) % 3) + 1, (int32_t) e * 7919 % 1000, 0.0f);
			for (int f = 0; f < MAX_FRAMES; f++)
				*at(&tp, f, e, TRACK_Y) = rng_next(&rng) % 3 == 0 ? NAN : (float) (rng_next(&rng) % 5);
		}
		model_input_slots(&tp.play, OFFENSE, DEFENSE, slots);
		reference_side(&tp, OFFENSE, want);
		reference_side(&tp, DEFENSE, want + MODEL_INPUT_SLOTS);
		CHECK(memcmp(slots, want, sizeof(slots)) == 0);
	}
}

UNIT_SUITE(model_input)
{
	UNIT_RUN(test_slot_order);
	UNIT_RUN(test_rows_and_padding);
	UNIT_RUN(test_matches_full_sort);
}
