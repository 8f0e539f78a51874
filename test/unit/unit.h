/*
 * unit.h: the C unit tests of lib/, a harness of a few macros and no dependencies.
 *
 * A test file declares its suite with UNIT_SUITE(name) { UNIT_RUN(test_fn); ... }; the
 * runner (unit_main.c) calls every suite the Makefile finds, counts each test as passed or
 * failed, and ends with one "unit: N passed, N failed" line.
 */
#ifndef UNIT_H
#define UNIT_H

#include <math.h>

/* Declares the suite function the runner calls */
#define UNIT_SUITE(name)	void unit_suite_##name(void)

/* Runs one test function, counting it once */
#define UNIT_RUN(test)		unit_run(#test, test)

/* A test fails (and goes on) when a check does not hold */
#define CHECK(cond) \
	do { if (!(cond)) unit_fail(__FILE__, __LINE__, "%s", #cond); } while (0)
#define CHECK_INT(got, want) \
	do { long long g_ = (got), w_ = (want); \
		if (g_ != w_) unit_fail(__FILE__, __LINE__, "%s = %lld, want %lld", #got, g_, w_); } while (0)
#define CHECK_NEAR(got, want, tol) \
	do { double g_ = (got), w_ = (want); \
		if (!(fabs(g_ - w_) <= (tol))) \
			unit_fail(__FILE__, __LINE__, "%s = %.17g, want %.17g within %g", #got, g_, w_, (double) (tol)); } while (0)
#define CHECK_SAME(got, want) \
	do { double g_ = (got), w_ = (want); \
		if (!unit_same_double(g_, w_)) \
			unit_fail(__FILE__, __LINE__, "%s = %.17g, want exactly %.17g", #got, g_, w_); } while (0)

extern void unit_run(const char *name, void (*test) (void));
extern void unit_fail(const char *file, int line, const char *format,...);
extern int	unit_same_double(double a, double b);

#endif
