/*
 * field.h: the field, the clock and the angle convention of the tracking data, shared by
 * lib/ and the glue (architecture.md: x 0-120 and y 0-160/3 yards, 10 Hz, dir and o in
 * degrees clockwise from +y).
 */
#ifndef FIELD_H
#define FIELD_H

#define FIELD_LENGTH		120.0
#define FIELD_WIDTH			(160.0 / 3.0)	/* 53.3 yards, exactly 160/3 */
#define FRAME_SECONDS		0.1		/* tracking runs at 10 Hz */
#define MAX_PLAYER_SPEED	12.5	/* yd/s: faster is not human */
#define FIELD_PI			3.14159265358979323846	/* M_PI, which strict C99 lacks */

#endif
