/*
 * unit_main.c: the runner of the C unit tests; runs every suite listed in the generated
 * unit_suites.h and prints one line per test and a closing "unit: N passed, N failed".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

#define UNIT_SUITE_ENTRY(name) extern void unit_suite_##name(void);
#include "unit_suites.h"
#undef UNIT_SUITE_ENTRY

static int	passed;
static int	failed;
static int	current_failures;

/* Runs one test and counts it */
void
unit_run(const char *name, void (*test) (void))
{
	current_failures = 0;
	test();
	if (current_failures == 0)
		passed++;
	else
	{
		failed++;
		printf("not ok %s\n", name);
	}
}

/* Records one failed check of the current test, printing where and why */
void
unit_fail(const char *file, int line, const char *format,...)
{
	va_list		args;

	current_failures++;
	printf("  %s:%d: ", file, line);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	printf("\n");
}

/* Whether two doubles have the same bits (NaN equals any NaN) */
int
unit_same_double(double a, double b)
{
	if (a != a || b != b)
		return a != a && b != b;
	return memcmp(&a, &b, sizeof(double)) == 0;
}

/* Runs every suite, then prints the count */
int
main(void)
{
#define UNIT_SUITE_ENTRY(name) \
	{ int before = passed + failed; unit_suite_##name(); \
	  printf("unit/%s: %d tests\n", #name, passed + failed - before); }
#include "unit_suites.h"
#undef UNIT_SUITE_ENTRY
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
