/*
 * test_pass_head.c: unit tests of lib/pass_head.c: softplus, the beta floor, xi >= 0, and
 * the tail gradient against finite differences.
 */
#include <math.h>

#include "pass_head.h"
#include "unit.h"

/* softplus(0) = log 2; large x gives x, very negative x gives e^x; no overflow */
static void
test_softplus(void)
{
	CHECK_SAME(pass_softplus(0.0), log(2.0));
	CHECK_NEAR(pass_softplus(1.0), log1p(exp(1.0)), 1e-15);
	CHECK_NEAR(pass_softplus(-3.0), log1p(exp(-3.0)), 1e-15);
	CHECK_SAME(pass_softplus(800.0), 800.0);
	CHECK_NEAR(pass_softplus(-30.0), exp(-30.0), 1e-25);
	CHECK(isfinite(pass_softplus(1e308)));
	for (double y = 1e-6; y < 100.0; y *= 3.0)
		CHECK_NEAR(pass_softplus(pass_softplus_inverse(y)), y, 1e-12 * (1.0 + y));
}

/* The sigmoid is softplus' derivative, and stays finite at both ends */
static void
test_sigmoid(void)
{
	for (double x = -20.0; x <= 20.0; x += 0.5)
	{
		double		h = 1e-5;

		CHECK_NEAR(pass_sigmoid(x), (pass_softplus(x + h) - pass_softplus(x - h)) / (2 * h), 1e-8);
	}
	CHECK_SAME(pass_sigmoid(0.0), 0.5);
	CHECK_SAME(pass_sigmoid(-1000.0), 0.0);
	CHECK_SAME(pass_sigmoid(1000.0), 1.0);
}

/* Logits are the first outputs; tails are softplus, betas floored, xis never negative */
static void
test_head(void)
{
	float		out[3 + PASS_HEAD] = {1.5f, -2.0f, 0.25f, 0.0f, -1000.0f, -50.0f, 3.0f};
	double		logits[3];
	PassTails	t;

	pass_head_logits(out, 3, logits);
	CHECK_SAME(logits[0], 1.5);
	CHECK_SAME(logits[1], -2.0);
	CHECK_SAME(logits[2], 0.25);
	pass_head_tails(out, 3, &t);
	CHECK_SAME(t.xi_lo, log(2.0));
	CHECK_SAME(t.beta_lo, PASS_BETA_FLOOR);
	CHECK(t.xi_hi >= 0.0 && t.xi_hi < 1e-20);
	CHECK_SAME(t.beta_hi, pass_softplus(3.0) + 1e-6);
	for (float o = -100.0f; o <= 100.0f; o += 7.5f)
	{
		float		tail[PASS_HEAD] = {o, o, o, o};

		pass_head_tails(tail, 0, &t);
		CHECK(t.xi_lo >= 0.0 && t.xi_hi >= 0.0);
		CHECK(t.beta_lo >= PASS_BETA_FLOOR && t.beta_hi >= PASS_BETA_FLOOR);
	}
}

/* -log g(z) of a GPD tail with xi = softplus(a), beta = softplus(b) + floor (alpha dropped) */
static double
tail_loss(double a, double b, double z)
{
	double		xi = pass_softplus(a);
	double		beta = pass_softplus(b) + PASS_BETA_FLOOR;

	return log(beta) + (1.0 + 1.0 / xi) * log1p(xi * z / beta);
}

/* The tail gradient matches central differences, with the series (small u) and without */
static void
test_tail_gradient(void)
{
	double		cases[][3] = {{0.5, 1.0, 3.0}, {-2.0, 0.3, 10.0}, {-9.0, 2.0, 0.5}, {1.0, -1.0, 0.01}};

	for (int c = 0; c < 4; c++)
	{
		double		a = cases[c][0],
					b = cases[c][1],
					z = cases[c][2];
		double		h = 1e-5;
		float		g[2];

		pass_head_tail_gradient(pass_softplus(a), pass_softplus(b) + PASS_BETA_FLOOR, z,
								(float) a, (float) b, 2.0, g);
		CHECK_NEAR(g[0], 2.0 * (tail_loss(a + h, b, z) - tail_loss(a - h, b, z)) / (2 * h), 1e-4 * (1 + fabs(g[0])));
		CHECK_NEAR(g[1], 2.0 * (tail_loss(a, b + h, z) - tail_loss(a, b - h, z)) / (2 * h), 1e-4 * (1 + fabs(g[1])));
	}
}

/*
 * Where u = xi z / beta is small the xi gradient comes from a series: it must agree with
 * the closed form h(u) = 1/(u (1 + u)) - log1p(u)/u^2, evaluated in long double (a tiny
 * xi makes the h term dominate the gradient)
 */
static void
test_tail_series(void)
{
	double		xi = 1e-6,
				beta = 2.0;

	for (double u = 1e-6; u < 1e-3; u *= 4.0)
	{
		double		z = u * beta / xi;
		long double ul = u;
		long double h = 1.0L / (ul * (1.0L + ul)) - log1pl(ul) / (ul * ul);
		long double t = z / beta;
		double		want = (double) (t / (1.0L + ul) + t * t * h) * pass_sigmoid(-1.0);
		float		g[2];

		pass_head_tail_gradient(xi, beta, z, -1.0f, 0.0f, 1.0, g);
		CHECK_NEAR(g[0], want, 1e-6 * fabs(want));
	}
}

UNIT_SUITE(pass_head)
{
	UNIT_RUN(test_softplus);
	UNIT_RUN(test_sigmoid);
	UNIT_RUN(test_head);
	UNIT_RUN(test_tail_gradient);
	UNIT_RUN(test_tail_series);
}
