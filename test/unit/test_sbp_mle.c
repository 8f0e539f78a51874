/*
 * test_sbp_mle.c: unit tests of lib/sbp_mle.c: the fit of a sample is independent of the
 * sample's order, recovers the distribution a large sample was drawn from, follows its
 * options and fallbacks, and refuses samples it cannot fit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sbp_math.h"
#include "sbp_mle.h"
#include "splitmix64.h"
#include "unit.h"

#define BIG_SAMPLE		1000001	/* just past the sample size whose default bins hit the cap */

static double big[BIG_SAMPLE];

/* A fitted distribution and its masses */
typedef struct TestFit
{
	SbpParams	p;
	double		mass[SBP_MAX_BINS];
} TestFit;

/* The whole fit, as the glue runs it: sort, layout, counts, normalised masses, tails */
static SbpMleStatus
fit(const SbpMleOptions *options, double *y, int64_t n, TestFit *t)
{
	SbpMleStatus status;
	int			bad;
	double		sum;

	qsort(y, n, sizeof(double), sbp_mle_compare);
	status = sbp_mle_layout(options, y, n, &t->p);
	if (status != SBP_MLE_OK)
		return status;
	sbp_mle_counts(options, y, n, &t->p, t->mass);
	t->p.mass = t->mass;
	CHECK_INT(sbp_math_check(&t->p, &bad, &sum), SBP_OK);
	sbp_math_normalise(t->mass, t->p.bins, sum, t->mass);
	sbp_mle_tails(y, n, &t->p);
	return status;
}

/* The distribution of sbp.md's hand-checkable case: 10 equal bins on [0, 10], tails (0.25, 2) */
static void
hand_case(TestFit *t)
{
	for (int k = 0; k < 10; k++)
		t->mass[k] = 0.1;
	t->p.lower = 0.0;
	t->p.upper = 10.0;
	t->p.bins = 10;
	t->p.alpha = 0.05;
	t->p.xi_lo = t->p.xi_hi = 0.25;
	t->p.beta_lo = t->p.beta_hi = 2.0;
	t->p.mass = t->mass;
}

/* n draws from a distribution by inverse CDF */
static void
draw(const SbpParams *d, uint64_t seed, double *y, int64_t n)
{
	Rng			rng;

	rng_seed(&rng, seed);
	for (int64_t i = 0; i < n; i++)
		y[i] = sbp_math_quantile(d, rng_uniform_open(&rng));
}

/* Two fits have the same bits */
static void
check_same_fit(const TestFit *a, const TestFit *b)
{
	CHECK_SAME(a->p.lower, b->p.lower);
	CHECK_SAME(a->p.upper, b->p.upper);
	CHECK_INT(a->p.bins, b->p.bins);
	CHECK_SAME(a->p.alpha, b->p.alpha);
	CHECK_SAME(a->p.xi_lo, b->p.xi_lo);
	CHECK_SAME(a->p.beta_lo, b->p.beta_lo);
	CHECK_SAME(a->p.xi_hi, b->p.xi_hi);
	CHECK_SAME(a->p.beta_hi, b->p.beta_hi);
	CHECK(memcmp(a->mass, b->mass, sizeof(double) * a->p.bins) == 0);
}

/* The same values in any order give the same fit, bit for bit */
static void
test_order_independent(void)
{
	static double y[5000];
	static double shuffled[5000];
	static int32_t order[5000];
	TestFit		truth;
	TestFit		a;
	TestFit		b;
	Rng			rng;

	hand_case(&truth);
	truth.p.xi_hi = 0.6;
	draw(&truth.p, 1, y, 5000);
	rng_seed(&rng, 2);
	for (int i = 0; i < 5000; i++)
		order[i] = i;
	rng_shuffle(&rng, order, 5000);
	for (int i = 0; i < 5000; i++)
		shuffled[i] = y[order[i]];
	CHECK_INT(fit(&sbp_mle_default_options, y, 5000, &a), SBP_MLE_OK);
	CHECK_INT(fit(&sbp_mle_default_options, shuffled, 5000, &b), SBP_MLE_OK);
	check_same_fit(&a, &b);
	CHECK(a.p.xi_hi > a.p.xi_lo);	/* the heavier tail is seen as heavier */
}

/* A large sample's fit is close to the distribution it was drawn from */
static void
test_recovers_distribution(void)
{
	TestFit		truth;
	TestFit		t;

	hand_case(&truth);
	draw(&truth.p, 3, big, 200000);
	CHECK_INT(fit(&sbp_mle_default_options, big, 200000, &t), SBP_MLE_OK);
	CHECK_INT(t.p.bins, 117);	/* ceil(2 * 200000^(1/3)) */
	CHECK_SAME(t.p.alpha, SBP_DEFAULT_ALPHA);
	CHECK_NEAR(t.p.lower, sbp_math_quantile(&truth.p, 0.025), 0.15);
	CHECK_NEAR(t.p.upper, sbp_math_quantile(&truth.p, 0.975), 0.15);
	for (double x = -8.0; x <= 18.0; x += 0.5)
		CHECK_NEAR(sbp_math_cdf(&t.p, x), sbp_math_cdf(&truth.p, x), 0.005);
	CHECK_NEAR(t.p.xi_lo, 0.25, 0.1);
	CHECK_NEAR(t.p.xi_hi, 0.25, 0.1);
	CHECK_NEAR(t.p.beta_lo, 2.0, 0.3);
	CHECK_NEAR(t.p.beta_hi, 2.0, 0.3);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.5), 5.0, 0.05);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.99), sbp_math_quantile(&truth.p, 0.99), 0.5);
}

/* Given options fix the range, bins, alpha and prior; the masses are the smoothed counts */
static void
test_options(void)
{
	SbpMleOptions options = {0.0, 100.0, 0.1, 0.0, 4};
	double		y[1000];
	TestFit		t;

	for (int i = 0; i < 1000; i++)
		y[i] = i + 1;
	CHECK_INT(fit(&options, y, 1000, &t), SBP_MLE_OK);
	CHECK_SAME(t.p.lower, 0.0);
	CHECK_SAME(t.p.upper, 100.0);
	CHECK_INT(t.p.bins, 4);
	CHECK_SAME(t.p.alpha, 0.1);
	/* 1..24 in the first bin, 25..49, 50..74, 75..1000 (the last bin takes what is above) */
	CHECK_NEAR(t.mass[0], 24.0 / 1000.0, 1e-15);
	CHECK_NEAR(t.mass[3], 926.0 / 1000.0, 1e-15);
	options.prior = 0.5;
	CHECK_INT(fit(&options, y, 1000, &t), SBP_MLE_OK);
	CHECK_NEAR(t.mass[0], 24.5 / 1002.0, 1e-15);
	/* the default bin count ceil(2 * N^(1/3)): at least 2, capped */
	options = sbp_mle_default_options;
	CHECK_INT(fit(&options, y, 10, &t), SBP_MLE_OK);
	CHECK_INT(t.p.bins, 5);
	CHECK_INT(fit(&options, y, 1000, &t), SBP_MLE_OK);
	CHECK_INT(t.p.bins, (int) ceil(2.0 * cbrt(1000.0)));
	for (int i = 0; i < BIG_SAMPLE; i++)
		big[i] = i;
	CHECK_INT(sbp_mle_layout(&options, big, BIG_SAMPLE, &t.p), SBP_MLE_OK);
	CHECK_INT(t.p.bins, SBP_FIT_MAX_AUTO_BINS);
}

/*
 * Fewer than SBP_FIT_MIN_EXCESSES excesses give an exponential tail with the mean excess
 * as scale; none gives the bin width
 */
static void
test_exponential_fallback(void)
{
	SbpMleOptions options = {0.0, 10.0, 0.05, 0.0, 10};
	double		y[100];
	TestFit		t;

	for (int i = 0; i < 100; i++)
		y[i] = 0.05 + 0.1 * i;	/* ten per bin: tau_lo = 0.5, five values below */
	CHECK_INT(fit(&options, y, 100, &t), SBP_MLE_OK);
	CHECK_SAME(t.p.xi_lo, 0.0);
	CHECK_NEAR(t.p.beta_lo, 0.25, 1e-12);
	CHECK_SAME(t.p.xi_hi, 0.0);
	CHECK_NEAR(t.p.beta_hi, 0.25, 1e-12);
	options.bins = 2;
	for (int i = 0; i < 100; i++)
		y[i] = i < 50 ? 2.0 : 7.0;	/* tau_lo = 0.5, tau_hi = 9.5: nothing past either */
	CHECK_INT(fit(&options, y, 100, &t), SBP_MLE_OK);
	CHECK_SAME(t.p.xi_lo, 0.0);
	CHECK_SAME(t.p.beta_lo, 5.0);
	CHECK_SAME(t.p.beta_hi, 5.0);
}

/* A tail lighter than any GPD the fit considers stops at SBP_FIT_MIN_XI */
static void
test_light_tails(void)
{
	double		y[4000];
	TestFit		t;

	for (int i = 0; i < 4000; i++)
		y[i] = (i * 7919 % 4000) / 4000.0;	/* uniform on [0, 1): xi = -1 tails */
	CHECK_INT(fit(&sbp_mle_default_options, y, 4000, &t), SBP_MLE_OK);
	CHECK(t.p.xi_lo >= SBP_FIT_MIN_XI && t.p.xi_lo < -0.45);
	CHECK(t.p.xi_hi >= SBP_FIT_MIN_XI && t.p.xi_hi < -0.45);
	CHECK(t.p.beta_lo > 0.0 && t.p.beta_hi > 0.0);
}

/* Too few values, and all values equal with no range given, cannot be fitted */
static void
test_refusals(void)
{
	SbpMleOptions options = sbp_mle_default_options;
	double		y[50];
	TestFit		t;

	for (int i = 0; i < 50; i++)
		y[i] = i;
	CHECK_INT(sbp_mle_layout(&options, y, SBP_FIT_MIN_VALUES - 1, &t.p), SBP_MLE_TOO_FEW_VALUES);
	CHECK_INT(sbp_mle_layout(&options, y, 0, &t.p), SBP_MLE_TOO_FEW_VALUES);
	CHECK_INT(sbp_mle_layout(&options, y, SBP_FIT_MIN_VALUES, &t.p), SBP_MLE_OK);
	for (int i = 0; i < 50; i++)
		y[i] = 7.0;
	CHECK_INT(sbp_mle_layout(&options, y, 50, &t.p), SBP_MLE_ALL_EQUAL);
	/* with one bound given, the other comes from the sample and the caller checks them */
	options.lower = 0.0;
	CHECK_INT(sbp_mle_layout(&options, y, 50, &t.p), SBP_MLE_OK);
	CHECK_SAME(t.p.upper, 7.0);
	options.lower = 100.0;
	CHECK_INT(sbp_mle_layout(&options, y, 50, &t.p), SBP_MLE_OK);
	CHECK_INT(sbp_math_check_range(t.p.lower, t.p.upper, t.p.bins), SBP_RANGE_NOT_INCREASING);
	CHECK(strcmp(sbp_mle_status_text(SBP_MLE_TOO_FEW_VALUES), sbp_mle_status_text(SBP_MLE_ALL_EQUAL)) != 0);
	CHECK(strcmp(sbp_mle_status_text(SBP_MLE_OK), sbp_mle_status_text(SBP_MLE_ALL_EQUAL)) != 0);
}

/* When the robust quantiles coincide, the range is the sample's extremes */
static void
test_range_from_extremes(void)
{
	double		y[1000];
	TestFit		t;

	for (int i = 0; i < 1000; i++)
		y[i] = i < 990 ? 0.0 : i + 1;
	CHECK_INT(fit(&sbp_mle_default_options, y, 1000, &t), SBP_MLE_OK);
	CHECK_SAME(t.p.lower, 0.0);
	CHECK_SAME(t.p.upper, 1000.0);
}

UNIT_SUITE(sbp_mle)
{
	UNIT_RUN(test_order_independent);
	UNIT_RUN(test_recovers_distribution);
	UNIT_RUN(test_options);
	UNIT_RUN(test_exponential_fallback);
	UNIT_RUN(test_light_tails);
	UNIT_RUN(test_refusals);
	UNIT_RUN(test_range_from_extremes);
}
