/*
 * test_sbp_math.c: unit tests of lib/sbp_math.c: the hand-checkable case of sbp.md,
 * properties on random distributions (F(Q(q)) = q, monotone and continuous F, f
 * integrating to 1, CRPS against quadrature and the pinball form, mirror symmetry), the
 * edge cases of the tails and every validation status.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "sbp_math.h"
#include "splitmix64.h"
#include "unit.h"

#define MAX_TEST_BINS	48

/* A distribution and the masses it points at */
typedef struct TestSbp
{
	SbpParams	p;
	double		mass[MAX_TEST_BINS];
} TestSbp;

/* The shapes the random distributions take, both tails drawn from them */
static const double test_xis[] = {-0.8, -0.3, -1e-17, 0.0, 1e-14, 0.1, 0.25, 0.5, 0.9};

#define N_TEST_XIS		((int) (sizeof(test_xis) / sizeof(test_xis[0])))

/* Build a distribution from masses that need not sum to 1; returns its check status */
static SbpStatus
make_sbp(TestSbp *t, double lower, double upper, int bins, const double *mass, double alpha,
		 double xi_lo, double beta_lo, double xi_hi, double beta_hi)
{
	double		sum = 0.0;
	int			bad;

	for (int k = 0; k < bins; k++)
		sum += mass[k];
	for (int k = 0; k < bins; k++)
		t->mass[k] = mass[k] / sum;
	t->p.lower = lower;
	t->p.upper = upper;
	t->p.bins = bins;
	t->p.alpha = alpha;
	t->p.xi_lo = xi_lo;
	t->p.beta_lo = beta_lo;
	t->p.xi_hi = xi_hi;
	t->p.beta_hi = beta_hi;
	t->p.mass = t->mass;
	return sbp_math_check(&t->p, &bad, &sum);
}

/* A random valid distribution: some bins empty, tail shapes from test_xis */
static void
random_sbp(Rng *rng, TestSbp *t)
{
	int			bins = 2 + (int) (rng_next(rng) % (MAX_TEST_BINS - 1));
	double		mass[MAX_TEST_BINS];
	double		lower = (rng_uniform(rng) - 0.5) * 40.0;

	for (int k = 0; k < bins; k++)
		mass[k] = rng_uniform(rng) < 0.15 ? 0.0 : rng_uniform(rng) + 0.01;
	mass[rng_next(rng) % bins] = 1.0;
	CHECK_INT(make_sbp(t, lower, lower + 0.5 + rng_uniform(rng) * 50.0, bins, mass,
					   0.01 + 0.45 * rng_uniform(rng),
					   test_xis[rng_next(rng) % N_TEST_XIS], 0.1 + 4.0 * rng_uniform(rng),
					   test_xis[rng_next(rng) % N_TEST_XIS], 0.1 + 4.0 * rng_uniform(rng)), SBP_OK);
}

/* The hand-checkable case of sbp.md: 10 equal bins on [0, 10], both tails (0.25, 2) */
static void
hand_case(TestSbp *t)
{
	double		mass[10];

	for (int k = 0; k < 10; k++)
		mass[k] = 0.1;
	CHECK_INT(make_sbp(t, 0.0, 10.0, 10, mass, 0.05, 0.25, 2.0, 0.25, 2.0), SBP_OK);
}

/*
 * Quadrature: 5-point Gauss-Legendre on panels
 */

typedef double (*Integrand) (const SbpParams *d, double x, double y);

/* The integral of g over [a, b] by 5-point Gauss-Legendre on n equal panels */
static double
integrate(Integrand g, const SbpParams *d, double y, double a, double b, int n)
{
	static const double node[5] = {0.0, 0.5384693101056831, -0.5384693101056831,
	0.9061798459386640, -0.9061798459386640};
	static const double weight[5] = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665,
	0.2369268850561891, 0.2369268850561891};
	double		h = (b - a) / n;
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < 5; j++)
			sum += weight[j] * g(d, a + h * (i + 0.5) + h / 2.0 * node[j], y) * h / 2.0;
	return sum;
}

/*
 * The integral of g over [a, b] on panels that shrink geometrically toward both ends, for
 * integrands whose derivatives blow up there (the end of a finite tail)
 */
static double
integrate_graded(Integrand g, const SbpParams *d, double y, double a, double b)
{
	double		half = (b - a) / 2.0;
	double		sum = 0.0;
	double		far;

	for (far = half; far > half * 1e-10; far *= 0.6)
		sum += integrate(g, d, y, a + far * 0.6, a + far, 1) + integrate(g, d, y, b - far, b - far * 0.6, 1);
	return sum + integrate(g, d, y, a, a + far, 1) + integrate(g, d, y, b - far, b, 1);
}

/*
 * The integral of g over the half-line from x0 (dir = -1 leftwards, +1 rightwards) on
 * panels that grow geometrically with the distance, out to reach
 */
static double
integrate_out(Integrand g, const SbpParams *d, double y, double x0, int dir, double reach)
{
	double		sum = 0.0;

	for (double near = 0.0, far = 1e-6; near < reach; near = far, far *= 1.3)
		sum += dir > 0 ? integrate(g, d, y, x0 + near, x0 + far, 2) : integrate(g, d, y, x0 - far, x0 - near, 2);
	return sum;
}

/* Sort a few doubles in place (insertion sort) */
static void
sort_doubles(double *x, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && x[j] < x[j - 1]; j--)
		{
			double		t = x[j];

			x[j] = x[j - 1];
			x[j - 1] = t;
		}
}

/*
 * The integral of g over the whole line: geometric panels outside [lo, hi], and panels
 * between every breakpoint (bin edges, splice points, ends of finite tails, y) inside
 */
static double
integrate_line(Integrand g, const SbpParams *d, double y, double reach)
{
	double		cut[MAX_TEST_BINS + 8];
	int			n = 0;
	double		tau_lo;
	double		tau_hi;
	double		sum;

	sbp_math_splice_points(d, &tau_lo, &tau_hi);
	for (int k = 0; k <= d->bins; k++)
		cut[n++] = d->lower + (d->upper - d->lower) * k / d->bins;
	cut[n++] = tau_lo;
	cut[n++] = tau_hi;
	if (d->xi_lo < -SBP_XI_EXPONENTIAL)
		cut[n++] = tau_lo + d->beta_lo / d->xi_lo;
	if (d->xi_hi < -SBP_XI_EXPONENTIAL)
		cut[n++] = tau_hi - d->beta_hi / d->xi_hi;
	if (isfinite(y))
		cut[n++] = y;
	sort_doubles(cut, n);
	sum = integrate_out(g, d, y, cut[0], -1, reach) + integrate_out(g, d, y, cut[n - 1], 1, reach);
	for (int i = 0; i + 1 < n; i++)
		if (cut[i + 1] > cut[i])
			sum += integrate_graded(g, d, y, cut[i], cut[i + 1]);
	return sum;
}

/* The density, as an integrand */
static double
density(const SbpParams *d, double x, double y)
{
	(void) y;
	return sbp_math_pdf(d, x);
}

/* (F(x) - 1{x >= y})^2, the CRPS integrand */
static double
crps_integrand(const SbpParams *d, double x, double y)
{
	double		f = sbp_math_cdf(d, x) - (x >= y ? 1.0 : 0.0);

	return f * f;
}

/* The CRPS by the quantile-grid pinball form 2 * mean over q of rho_q(y - Q(q)) */
static double
pinball_crps(const SbpParams *d, double y, int grid)
{
	double		sum = 0.0;

	for (int i = 0; i < grid; i++)
	{
		double		q = (i + 0.5) / grid;
		double		u = y - sbp_math_quantile(d, q);

		sum += u * (q - (u < 0.0 ? 1.0 : 0.0));
	}
	return 2.0 * sum / grid;
}

/*
 * The tests
 */

/* The hand-checkable case of sbp.md, to 1e-10 */
static void
test_hand_case(void)
{
	TestSbp		t;
	double		tau_lo;
	double		tau_hi;

	hand_case(&t);
	sbp_math_splice_points(&t.p, &tau_lo, &tau_hi);
	CHECK_NEAR(tau_lo, 0.5, 1e-12);
	CHECK_NEAR(tau_hi, 9.5, 1e-12);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.5), 5.0, 1e-12);
	CHECK_NEAR(sbp_math_cdf(&t.p, 0.0), 0.0392332467, 1e-10);
	CHECK_NEAR(sbp_math_cdf(&t.p, -2.0), 0.0168489467, 1e-10);
	CHECK_NEAR(sbp_math_cdf(&t.p, 0.25), 0.0442093529, 1e-10);
	CHECK_NEAR(sbp_math_cdf(&t.p, 3.3), 0.33, 1e-10);
	CHECK_NEAR(sbp_math_cdf(&t.p, 10.0), 0.9607667533, 1e-10);
	CHECK_NEAR(sbp_math_cdf(&t.p, 20.0), 0.9982515910, 1e-10);
	CHECK_NEAR(sbp_math_cdf(&t.p, 100.0), 0.9999978244, 1e-10);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.01), -3.4627902498, 1e-10);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.025), -1.0136569200, 1e-10);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.975), 11.0136569200, 1e-10);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.99), 13.4627902498, 1e-10);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.999), 22.7731835878, 1e-10);
	/* the body density is p/w, the tails' alpha*g at the splice point alpha/beta */
	CHECK_NEAR(sbp_math_pdf(&t.p, 3.3), 0.1, 1e-15);
	CHECK_NEAR(sbp_math_pdf(&t.p, 0.5 - 1e-12), 0.025, 1e-12);
	CHECK_NEAR(sbp_math_logpdf(&t.p, 3.3), log(0.1), 1e-15);
	CHECK_NEAR(sbp_math_mean(&t.p), 5.0, 1e-12);
	CHECK_SAME(sbp_math_quantile(&t.p, 0.0), -INFINITY);
	CHECK_SAME(sbp_math_quantile(&t.p, 1.0), INFINITY);
}

/* F(Q(q)) = q on random distributions, from deep in the lower tail to deep in the upper */
static void
test_cdf_inverts_quantile(void)
{
	static const double levels[] = {1e-12, 1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.6, 0.9, 0.99, 0.999999};
	Rng			rng;
	TestSbp		t;

	rng_seed(&rng, 14);
	for (int i = 0; i < 300; i++)
	{
		random_sbp(&rng, &t);
		for (int j = 0; j < (int) (sizeof(levels) / sizeof(levels[0])); j++)
			CHECK_NEAR(sbp_math_cdf(&t.p, sbp_math_quantile(&t.p, levels[j])), levels[j], 1e-12 + 1e-9 * levels[j]);
		for (int j = 0; j < 20; j++)
		{
			double		q = rng_uniform_open(&rng);

			CHECK_NEAR(sbp_math_cdf(&t.p, sbp_math_quantile(&t.p, q)), q, 1e-11);
		}
	}
}

/* F never decreases, stays in [0, 1], and is continuous at both splice points */
static void
test_cdf_monotone_continuous(void)
{
	Rng			rng;
	TestSbp		t;

	rng_seed(&rng, 15);
	for (int i = 0; i < 200; i++)
	{
		double		lo;
		double		hi;
		double		previous = 0.0;
		int			bad = 0;

		random_sbp(&rng, &t);
		lo = sbp_math_quantile(&t.p, 1e-4) - 1.0;
		hi = sbp_math_quantile(&t.p, 1.0 - 1e-4) + 1.0;
		for (int j = 0; j <= 4000; j++)
		{
			double		f = sbp_math_cdf(&t.p, lo + (hi - lo) * j / 4000.0);

			bad += !(f >= previous && f <= 1.0);
			previous = f;
		}
		CHECK_INT(bad, 0);
		sbp_math_splice_points(&t.p, &lo, &hi);
		CHECK_NEAR(sbp_math_cdf(&t.p, lo), t.p.alpha, 1e-14);
		CHECK_NEAR(sbp_math_cdf(&t.p, lo - 1e-9), t.p.alpha, 1e-8);
		CHECK_NEAR(sbp_math_cdf(&t.p, hi), 1.0 - t.p.alpha, 1e-14);
		CHECK_NEAR(sbp_math_cdf(&t.p, hi + 1e-9), 1.0 - t.p.alpha, 1e-8);
	}
}

/* The density integrates to 1 and is the derivative of F; logpdf is its logarithm */
static void
test_density(void)
{
	Rng			rng;
	TestSbp		t;

	rng_seed(&rng, 16);
	for (int i = 0; i < 40; i++)
	{
		random_sbp(&rng, &t);
		CHECK_NEAR(integrate_line(density, &t.p, NAN, 1e9), 1.0, 1e-7);
		for (int j = 0; j < 20; j++)
		{
			double		x = sbp_math_quantile(&t.p, rng_uniform_open(&rng));
			double		h = 1e-6;
			double		slope = (sbp_math_cdf(&t.p, x + h) - sbp_math_cdf(&t.p, x - h)) / (2.0 * h);

			/* away from jumps of the density: bin edges and splice points */
			if (fabs(sbp_math_pdf(&t.p, x + h) - sbp_math_pdf(&t.p, x - h)) < 1e-4)
				CHECK_NEAR(slope, sbp_math_pdf(&t.p, x), 1e-6);
			CHECK_NEAR(sbp_math_logpdf(&t.p, x), log(sbp_math_pdf(&t.p, x)), 1e-12);
		}
	}
}

/* The closed-form CRPS against quadrature of its definition and the pinball form */
static void
test_crps(void)
{
	Rng			rng;
	TestSbp		t;

	rng_seed(&rng, 17);
	for (int i = 0; i < 30; i++)
	{
		random_sbp(&rng, &t);
		for (int j = 0; j < 6; j++)
		{
			double		y = sbp_math_quantile(&t.p, j < 5 ? rng_uniform_open(&rng) : 0.0001) + (j == 4 ? 30.0 : 0.0);
			double		crps = sbp_math_crps(&t.p, y);

			CHECK(crps > 0.0);
			CHECK_NEAR(integrate_line(crps_integrand, &t.p, y, 1e12), crps, 1e-7 * crps);
			CHECK_NEAR(pinball_crps(&t.p, y, 100000), crps, 1e-4 * crps);
		}
	}
}

/* A mirror-symmetric distribution: F(c - t) = 1 - F(c + t), Q(q) + Q(1 - q) = 2c */
static void
test_mirror_symmetry(void)
{
	static const double mass[7] = {1, 3, 0, 5, 0, 3, 1};
	TestSbp		t;
	double		c = 3.0;

	CHECK_INT(make_sbp(&t, c - 7.0, c + 7.0, 7, mass, 0.08, 0.3, 1.5, 0.3, 1.5), SBP_OK);
	for (double s = 0.0; s < 40.0; s += 0.37)
	{
		CHECK_NEAR(sbp_math_cdf(&t.p, c - s), 1.0 - sbp_math_cdf(&t.p, c + s), 1e-14);
		CHECK_NEAR(sbp_math_pdf(&t.p, c - s - 1e-9), sbp_math_pdf(&t.p, c + s + 1e-9), 1e-12);
		CHECK_NEAR(sbp_math_crps(&t.p, c - s), sbp_math_crps(&t.p, c + s), 1e-12);
	}
	for (double q = 0.001; q < 0.5; q += 0.0123)
		CHECK_NEAR(sbp_math_quantile(&t.p, q) + sbp_math_quantile(&t.p, 1.0 - q), 2.0 * c, 1e-11);
	CHECK_NEAR(sbp_math_mean(&t.p), c, 1e-12);
}

/* xi < 0: a finite tail ending at tau - beta/xi, no mass or density beyond */
static void
test_finite_tails(void)
{
	TestSbp		t;
	double		tau_lo;
	double		tau_hi;

	hand_case(&t);
	t.p.xi_lo = -0.5;
	t.p.xi_hi = -2.0;
	sbp_math_splice_points(&t.p, &tau_lo, &tau_hi);
	CHECK_NEAR(sbp_math_quantile(&t.p, 0.0), tau_lo - 2.0 / 0.5, 1e-12);
	CHECK_NEAR(sbp_math_quantile(&t.p, 1.0), tau_hi + 2.0 / 2.0, 1e-12);
	CHECK_SAME(sbp_math_cdf(&t.p, tau_lo - 4.0), 0.0);
	CHECK_SAME(sbp_math_cdf(&t.p, tau_lo - 100.0), 0.0);
	CHECK_SAME(sbp_math_cdf(&t.p, tau_hi + 1.0), 1.0);
	CHECK_SAME(sbp_math_pdf(&t.p, tau_lo - 5.0), 0.0);
	CHECK_SAME(sbp_math_logpdf(&t.p, tau_hi + 7.0), -INFINITY);
	CHECK(isfinite(sbp_math_mean(&t.p)));
	CHECK_NEAR(sbp_math_crps(&t.p, 5.0), integrate_line(crps_integrand, &t.p, 5.0, 1e3), 1e-9);
}

/* |xi| below SBP_XI_EXPONENTIAL is the exponential tail exactly; slightly above, nearly */
static void
test_tiny_xi(void)
{
	TestSbp		a;
	TestSbp		b;
	TestSbp		c;

	hand_case(&a);
	hand_case(&b);
	hand_case(&c);
	a.p.xi_lo = a.p.xi_hi = 0.0;
	b.p.xi_lo = 1e-16;
	b.p.xi_hi = -1e-16;
	c.p.xi_lo = c.p.xi_hi = 1e-9;
	for (double x = -30.0; x < 40.0; x += 0.77)
	{
		CHECK_SAME(sbp_math_cdf(&b.p, x), sbp_math_cdf(&a.p, x));
		CHECK_SAME(sbp_math_logpdf(&b.p, x), sbp_math_logpdf(&a.p, x));
		CHECK_SAME(sbp_math_crps(&b.p, x), sbp_math_crps(&a.p, x));
		CHECK_NEAR(sbp_math_cdf(&c.p, x), sbp_math_cdf(&a.p, x), 1e-9);
		CHECK_NEAR(sbp_math_crps(&c.p, x), sbp_math_crps(&a.p, x), 1e-7);
	}
	CHECK_NEAR(sbp_math_cdf(&a.p, 0.5 - 2.0), 0.05 * exp(-1.0), 1e-15);
	CHECK_NEAR(sbp_math_quantile(&a.p, 0.001), 0.5 + 2.0 * log(0.001 / 0.05), 1e-12);
	CHECK_SAME(sbp_math_quantile(&b.p, 0.001), sbp_math_quantile(&a.p, 0.001));
	CHECK_NEAR(sbp_math_mean(&a.p), 5.0, 1e-12);
}

/* Heavy tails: no mean for xi >= 1, infinite CRPS for xi >= 2, finite just below */
static void
test_heavy_tails(void)
{
	TestSbp		t;

	hand_case(&t);
	t.p.xi_hi = 1.0;
	CHECK_SAME(sbp_math_mean(&t.p), INFINITY);
	CHECK(isfinite(sbp_math_crps(&t.p, 3.0)));
	t.p.xi_lo = 1.5;
	CHECK(isnan(sbp_math_mean(&t.p)));
	t.p.xi_hi = 0.25;
	CHECK_SAME(sbp_math_mean(&t.p), -INFINITY);
	t.p.xi_lo = 1.999;
	CHECK(isfinite(sbp_math_crps(&t.p, 3.0)));
	t.p.xi_lo = 2.0;
	CHECK_SAME(sbp_math_crps(&t.p, 3.0), INFINITY);
	t.p.xi_lo = 0.25;
	t.p.xi_hi = 7.0;
	CHECK_SAME(sbp_math_crps(&t.p, -1e6), INFINITY);
	CHECK(sbp_math_quantile(&t.p, 1.0 - 1e-15) > 1e90);
	/* xi*z/beta overflows: log1p(xi*z/beta) is taken from log(xi*z/beta) */
	CHECK(isfinite(sbp_math_logpdf(&t.p, 1e308)));
	CHECK_NEAR(sbp_math_logpdf(&t.p, 1e308), log(0.05 / 2.0) - (1.0 + 1.0 / 7.0) * (log(7.0 / 2.0) + log(1e308)), 1e-9);
	CHECK(sbp_math_cdf(&t.p, 1e308) <= 1.0);
}

/* NaN in, NaN out; levels outside [0, 1] give NaN; CRPS at an infinite outcome is infinite */
static void
test_special_arguments(void)
{
	TestSbp		t;

	hand_case(&t);
	CHECK(isnan(sbp_math_cdf(&t.p, NAN)));
	CHECK(isnan(sbp_math_pdf(&t.p, NAN)));
	CHECK(isnan(sbp_math_logpdf(&t.p, NAN)));
	CHECK(isnan(sbp_math_crps(&t.p, NAN)));
	CHECK(isnan(sbp_math_quantile(&t.p, -0.1)));
	CHECK(isnan(sbp_math_quantile(&t.p, 1.5)));
	CHECK(isnan(sbp_math_quantile(&t.p, NAN)));
	CHECK_SAME(sbp_math_crps(&t.p, INFINITY), INFINITY);
	CHECK_SAME(sbp_math_crps(&t.p, -INFINITY), INFINITY);
	CHECK_SAME(sbp_math_cdf(&t.p, -INFINITY), 0.0);
	CHECK_SAME(sbp_math_cdf(&t.p, INFINITY), 1.0);
}

/* The bin of x: edges belong to the bin above, outside values to the end bins */
static void
test_bin_of(void)
{
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, 0.0), 0);
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, 0.999), 0);
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, 1.0), 1);
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, 9.999), 9);
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, 10.0), 9);
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, 1e300), 9);
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, -5.0), 0);
	CHECK_INT(sbp_math_bin_of(0.0, 10.0, 10, NAN), 0);
	/* computed edges that round: 0.3 = 0 + 3 * 0.1 is below 3 * 0.1 */
	CHECK_INT(sbp_math_bin_of(0.0, 1.0, 10, 0.3), 0.3 < 3 * 0.1 ? 2 : 3);
	CHECK_INT(sbp_math_bin_of(0.0, 1.0, 10, 3 * 0.1), 3);
	for (int k = 0; k < 7; k++)
		CHECK_INT(sbp_math_bin_of(-1.3, 2.2, 7, -1.3 + k * ((2.2 - -1.3) / 7)), k);
}

/* Masses from logits by softmax, and masses renormalised by their sum */
static void
test_building(void)
{
	double		logits[4] = {1000.0, 1000.0, 1000.0 + log(2.0), -1000.0};
	double		mass[4] = {0.25, 0.25, 0.5, 1e-10};
	double		out[4];
	double		sum;
	int			bad;

	sbp_math_softmax(logits, 4, out);
	CHECK_NEAR(out[0], 0.25, 1e-12);
	CHECK_NEAR(out[2], 0.5, 1e-12);
	CHECK_SAME(out[3], 0.0);
	CHECK_INT(sbp_math_check_masses(mass, 4, &bad, &sum), SBP_OK);
	CHECK_SAME(sum, 1.0 + 1e-10);
	sbp_math_normalise(mass, 4, sum, out);
	CHECK_SAME(out[2], 0.5 / (1.0 + 1e-10));
	sbp_math_normalise(mass, 4, sum, mass);	/* in place */
	CHECK_SAME(mass[2], out[2]);
}

/* Every validation status, each check reporting the first problem in its order */
static void
test_statuses(void)
{
	double		mass[3] = {0.2, 0.3, 0.5};
	double		logits[3] = {0.0, 1.0, 2.0};
	TestSbp		t;
	int			bad = -1;
	double		sum;

	CHECK_INT(sbp_math_check_bins(2), SBP_OK);
	CHECK_INT(sbp_math_check_bins(SBP_MAX_BINS), SBP_OK);
	CHECK_INT(sbp_math_check_bins(SBP_MAX_BINS + 1), SBP_TOO_MANY_BINS);
	CHECK_INT(sbp_math_check_bins(INT64_MAX), SBP_TOO_MANY_BINS);
	CHECK_INT(sbp_math_check_bins(1), SBP_TOO_FEW_BINS);
	CHECK_INT(sbp_math_check_bins(-5), SBP_TOO_FEW_BINS);
	CHECK_INT(sbp_math_check_range(0.0, 10.0, 10), SBP_OK);
	CHECK_INT(sbp_math_check_range(-INFINITY, 10.0, 10), SBP_RANGE_NOT_FINITE);
	CHECK_INT(sbp_math_check_range(0.0, NAN, 10), SBP_RANGE_NOT_FINITE);
	CHECK_INT(sbp_math_check_range(-1e308, 1e308, 10), SBP_RANGE_NOT_FINITE);
	CHECK_INT(sbp_math_check_range(10.0, 10.0, 10), SBP_RANGE_NOT_INCREASING);
	CHECK_INT(sbp_math_check_range(10.0, 0.0, 10), SBP_RANGE_NOT_INCREASING);
	CHECK_INT(sbp_math_check_range(1e6, 1e6 + 1e-7, 10), SBP_BINS_TOO_NARROW);
	CHECK_INT(sbp_math_check_range(0.0, 1e-310, 2), SBP_BINS_TOO_NARROW);
	CHECK_INT(sbp_math_check_alpha(0.05), SBP_OK);
	CHECK_INT(sbp_math_check_alpha(0.0), SBP_ALPHA_OUT_OF_RANGE);
	CHECK_INT(sbp_math_check_alpha(0.5), SBP_ALPHA_OUT_OF_RANGE);
	CHECK_INT(sbp_math_check_alpha(NAN), SBP_ALPHA_OUT_OF_RANGE);
	CHECK_INT(sbp_math_check_tails(-3.0, 1.0, 5.0, 1.0), SBP_OK);
	CHECK_INT(sbp_math_check_tails(NAN, 1.0, 0.0, 1.0), SBP_XI_LO_NOT_FINITE);
	CHECK_INT(sbp_math_check_tails(0.0, 0.0, 0.0, 1.0), SBP_BETA_LO_NOT_POSITIVE);
	CHECK_INT(sbp_math_check_tails(0.0, INFINITY, 0.0, 1.0), SBP_BETA_LO_NOT_POSITIVE);
	CHECK_INT(sbp_math_check_tails(0.0, 1.0, -INFINITY, 1.0), SBP_XI_HI_NOT_FINITE);
	CHECK_INT(sbp_math_check_tails(0.0, 1.0, 0.0, -2.0), SBP_BETA_HI_NOT_POSITIVE);
	CHECK_INT(sbp_math_check_tails(0.0, 1.0, 0.0, NAN), SBP_BETA_HI_NOT_POSITIVE);
	CHECK_INT(sbp_math_check_logits(logits, 3, &bad), SBP_OK);
	logits[1] = INFINITY;
	CHECK_INT(sbp_math_check_logits(logits, 3, &bad), SBP_LOGIT_NOT_FINITE);
	CHECK_INT(bad, 1);
	mass[2] = -0.5;
	CHECK_INT(sbp_math_check_masses(mass, 3, &bad, &sum), SBP_MASS_INVALID);
	CHECK_INT(bad, 2);
	mass[2] = NAN;
	CHECK_INT(sbp_math_check_masses(mass, 3, &bad, &sum), SBP_MASS_INVALID);
	mass[2] = 0.4;
	CHECK_INT(sbp_math_check_masses(mass, 3, &bad, &sum), SBP_MASS_SUM);
	CHECK_NEAR(sum, 0.9, 1e-15);
	mass[2] = 0.5 + 2e-9;
	CHECK_INT(sbp_math_check_masses(mass, 3, &bad, &sum), SBP_MASS_SUM);
	/* the whole check: the first problem in the order bins, range, alpha, tails, masses */
	hand_case(&t);
	t.p.alpha = 0.7;
	t.p.beta_hi = 0.0;
	CHECK_INT(sbp_math_check_shape(&t.p), SBP_ALPHA_OUT_OF_RANGE);
	t.p.upper = t.p.lower;
	CHECK_INT(sbp_math_check(&t.p, &bad, &sum), SBP_RANGE_NOT_INCREASING);
	t.p.bins = 1;
	CHECK_INT(sbp_math_check(&t.p, &bad, &sum), SBP_TOO_FEW_BINS);
	hand_case(&t);
	t.mass[4] = 0.3;
	CHECK_INT(sbp_math_check(&t.p, &bad, &sum), SBP_MASS_SUM);
	t.p.xi_hi = NAN;
	CHECK_INT(sbp_math_check(&t.p, &bad, &sum), SBP_XI_HI_NOT_FINITE);
	/* every status has its own words */
	for (int s = SBP_OK; s <= SBP_LOGIT_NOT_FINITE; s++)
		for (int r = SBP_OK; r < s; r++)
			CHECK(strcmp(sbp_math_status_text((SbpStatus) s), sbp_math_status_text((SbpStatus) r)) != 0);
}

UNIT_SUITE(sbp_math)
{
	UNIT_RUN(test_hand_case);
	UNIT_RUN(test_cdf_inverts_quantile);
	UNIT_RUN(test_cdf_monotone_continuous);
	UNIT_RUN(test_density);
	UNIT_RUN(test_crps);
	UNIT_RUN(test_mirror_symmetry);
	UNIT_RUN(test_finite_tails);
	UNIT_RUN(test_tiny_xi);
	UNIT_RUN(test_heavy_tails);
	UNIT_RUN(test_special_arguments);
	UNIT_RUN(test_bin_of);
	UNIT_RUN(test_building);
	UNIT_RUN(test_statuses);
}
