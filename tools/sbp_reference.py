#!/usr/bin/python3
"""Independent float64 reference for the spliced binned-Pareto distribution.

Written from shared/design/sbp.md with numpy and scipy, not from src/sbp.c: the tails use
scipy.stats.genpareto, and the CRPS is computed by adaptive quadrature (scipy.integrate.quad)
of its defining integral rather than by the closed form.  The script writes the fixture that
test/tap/sbp_reference.sql checks the extension against:

    /usr/bin/python3 tools/sbp_reference.py > test/fixtures/sbp_reference.sql

The configurations are drawn from their own seeded generator plus a list of edge cases, so
they are not the ones the SQL tests use.  Before writing, the script checks its own
quadrature CRPS against the quantile form 2 * integral of the pinball loss.
"""
import math
import sys
import warnings

import numpy as np
from scipy import integrate, special, stats


class Sbp:
    """One distribution: bins on [lower, upper], masses softmax(logits), GPD tails."""

    def __init__(self, lower, upper, logits, xi_lo, beta_lo, xi_hi, beta_hi, alpha):
        self.lower, self.upper = float(lower), float(upper)
        self.logits = np.asarray(logits, dtype=np.float64)
        self.alpha = float(alpha)
        self.n = len(self.logits)
        self.p = special.softmax(self.logits)
        self.w = (self.upper - self.lower) / self.n
        self.edges = self.lower + np.arange(self.n + 1) * self.w
        self.edges[-1] = self.upper
        self.cum = np.concatenate([[0.0], np.cumsum(self.p)])
        self.lo = stats.genpareto(c=xi_lo, scale=beta_lo)
        self.hi = stats.genpareto(c=xi_hi, scale=beta_hi)
        self.xi_lo, self.xi_hi = xi_lo, xi_hi
        self.beta_lo, self.beta_hi = beta_lo, beta_hi
        self.tau_lo = self.body_quantile(self.alpha)
        self.tau_hi = self.body_quantile(1.0 - self.alpha)

    # the body (sbp.md, Body)
    def bin_of(self, x):
        """k with e_k <= x < e_{k+1} (0-based), clamped to the bins."""
        k = int(np.searchsorted(self.edges, x, side="right")) - 1
        return min(max(k, 0), self.n - 1)

    def body_cdf(self, x):
        if x < self.lower:
            return 0.0
        if x >= self.upper:
            return 1.0
        k = self.bin_of(x)
        return self.cum[k] + self.p[k] * (x - self.edges[k]) / self.w

    def body_quantile(self, q):
        k = int(np.searchsorted(self.cum[1:], q, side="right"))  # first k with C_k > q
        k = min(k, self.n - 1)
        return self.edges[k] + self.w * (q - self.cum[k]) / self.p[k]

    # the spliced distribution (sbp.md, The spliced distribution)
    def cdf(self, x):
        if x < self.tau_lo:
            return self.alpha * self.lo.sf(self.tau_lo - x)
        if x > self.tau_hi:
            return 1.0 - self.alpha * self.hi.sf(x - self.tau_hi)
        return self.body_cdf(x)

    def pdf(self, x):
        if x < self.tau_lo:
            return self.alpha * self.lo.pdf(self.tau_lo - x)
        if x > self.tau_hi:
            return self.alpha * self.hi.pdf(x - self.tau_hi)
        return self.p[self.bin_of(x)] / self.w

    def logpdf(self, x):
        if x < self.tau_lo:
            return math.log(self.alpha) + self.lo.logpdf(self.tau_lo - x)
        if x > self.tau_hi:
            return math.log(self.alpha) + self.hi.logpdf(x - self.tau_hi)
        return math.log(self.p[self.bin_of(x)] / self.w)

    def quantile(self, q):
        if q < self.alpha:
            return self.tau_lo - self.lo.isf(q / self.alpha)
        if q > 1.0 - self.alpha:
            return self.tau_hi + self.hi.isf((1.0 - q) / self.alpha)
        return self.body_quantile(q)

    def mean(self):
        """sbp.md, Median and mean; None when both tails have xi >= 1."""
        if self.xi_lo >= 1 and self.xi_hi >= 1:
            return None
        a = np.maximum(self.edges[:-1], self.tau_lo)
        b = np.minimum(self.edges[1:], self.tau_hi)
        keep = b > a
        body = np.sum(self.p[keep] / self.w * (b[keep] ** 2 - a[keep] ** 2) / 2)
        low = -math.inf if self.xi_lo >= 1 else self.tau_lo - self.beta_lo / (1 - self.xi_lo)
        high = math.inf if self.xi_hi >= 1 else self.tau_hi + self.beta_hi / (1 - self.xi_hi)
        return self.alpha * low + self.alpha * high + body

    def support(self):
        """The ends of the support, finite for a tail with xi < 0."""
        left = self.tau_lo + self.beta_lo / self.xi_lo if self.xi_lo < 0 else -math.inf
        right = self.tau_hi - self.beta_hi / self.xi_hi if self.xi_hi < 0 else math.inf
        return left, right

    def crps(self, y):
        """integral of F^2 below y plus integral of (1 - F)^2 above y, by quadrature."""
        if max(self.xi_lo, self.xi_hi) >= 2:
            return math.inf
        left, right = self.support()
        if y < left:  # F = 0 on [y, left]
            return (left - y) + self.crps(left)
        if y > right:  # F = 1 on [right, y]
            return (y - right) + self.crps(right)
        inner = [e for e in self.edges if self.tau_lo < e < self.tau_hi]
        cuts = sorted(set([left, self.tau_lo, self.tau_hi, right, y] + inner))
        total = 0.0
        for a, b in zip(cuts[:-1], cuts[1:]):
            c = 0.0 if b <= y else 1.0
            if a == -math.inf:  # x = b - beta*s, s in [0, inf), so quad sees a unit scale
                start, step, end = b, -self.beta_lo, math.inf
            elif b == math.inf:
                start, step, end = a, self.beta_hi, math.inf
            else:
                start, step, end = a, b - a, 1.0
            value, _ = integrate.quad(lambda s: (self.cdf(start + step * s) - c) ** 2, 0.0, end,
                                      epsabs=0.0, epsrel=1e-13, limit=1000)
            total += abs(step) * value
        return total

    def crps_pinball(self, y, points=200000):
        """2 * integral over q of the pinball loss of Q(q), by the midpoint rule (a check)."""
        q = (np.arange(points) + 0.5) / points
        x = np.empty(points)
        low, high = q < self.alpha, q > 1.0 - self.alpha
        body = ~(low | high)
        x[low] = self.tau_lo - self.lo.isf(q[low] / self.alpha)
        x[high] = self.tau_hi + self.hi.isf((1.0 - q[high]) / self.alpha)
        k = np.minimum(np.searchsorted(self.cum[1:], q[body], side="right"), self.n - 1)
        x[body] = self.edges[k] + self.w * (q[body] - self.cum[k]) / self.p[k]
        u = y - x
        return 2.0 * np.mean(u * (q - (u < 0)))


def sql_float(v):
    if v is None:
        return "\\N"
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(float(v))


def configurations(rng):
    """Random configurations, then edge cases."""
    configs = []
    for _ in range(40):
        n = int(rng.integers(2, 80))
        lower = float(rng.uniform(-50, 20))
        width = float(np.exp(rng.uniform(np.log(0.5), np.log(200))))
        logits = rng.normal(0, 1.5, n)
        xi = [float(rng.choice([0.0, rng.uniform(-0.6, -0.05), rng.uniform(0.02, 0.95)])) for _ in range(2)]
        beta = [float(np.exp(rng.uniform(-2, 2.5))) for _ in range(2)]
        alpha = float(rng.uniform(0.005, 0.45))
        configs.append((lower, lower + width, logits, xi[0], beta[0], xi[1], beta[1], alpha))
    flat = np.zeros(12)
    configs += [
        (0.0, 10.0, flat, 0.0, 1.0, 0.0, 1.0, 0.05),                    # both exponential
        (-3.0, 7.0, rng.normal(0, 1, 12), -0.3, 2.0, -0.8, 1.5, 0.1),    # finite tails
        (-1.0, 1.0, rng.normal(0, 1, 6), 1.5, 0.3, 1.2, 0.5, 0.2),       # heavy tails, no mean
        (-20.0, 80.0, rng.normal(0, 2, 100), 0.95, 3.0, 0.5, 4.0, 0.01), # near xi = 1
        (0.0, 1.0, rng.normal(0, 1, 30), 0.3, 0.01, 0.3, 0.02, 1e-4),    # tiny alpha
        (0.0, 1.0, rng.normal(0, 1, 7), 0.1, 0.2, 0.4, 0.1, 0.49),       # alpha near 1/2
        (1e6, 1e6 + 40.0, rng.normal(0, 1, 20), 0.2, 2.0, 0.2, 2.0, 0.05),   # far from zero
        (-1e-6, 1e-6, rng.normal(0, 1, 9), 0.3, 1e-7, 0.1, 3e-7, 0.05), # tiny scale
        (0.0, 30.0, np.r_[np.zeros(5), -40.0 * np.ones(20), np.zeros(5)], 0.2, 1.0, 0.2, 1.0, 0.05),  # empty middle
        (-5.0, 5.0, np.r_[8.0, np.zeros(8), 8.0], 0.4, 0.5, 0.0, 0.5, 0.3),  # mass at the ends
    ]
    return configs


def points(d, rng):
    """Evaluation points: inside bins, on edges, at the splice points, outside, far out."""
    span = d.upper - d.lower
    xs = list(rng.uniform(d.lower - span, d.upper + span, 12))
    xs += list(d.edges[rng.integers(0, d.n + 1, 3)]) + [d.tau_lo, d.tau_hi, d.lower, d.upper]
    xs += [d.quantile(q) for q in (1e-6, 1e-3, 0.999, 1 - 1e-6)]
    return [float(x) for x in xs if math.isfinite(x)]


def levels(rng):
    return [0.0, 1.0, 1e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-10] + list(rng.uniform(0, 1, 10))


def main():
    warnings.simplefilter("ignore", integrate.IntegrationWarning)
    rng = np.random.default_rng(20240611)
    out = sys.stdout
    out.write("-- Generated by tools/sbp_reference.py (independent float64 reference); do not edit.\n")
    out.write("CREATE TEMP TABLE ref_dist (id int, lower float8, upper float8, logits float8[],"
              " xi_lo float8, beta_lo float8, xi_hi float8, beta_hi float8, alpha float8);\n")
    out.write("CREATE TEMP TABLE ref_value (id int, fn text, arg float8, expected float8);\n")
    dists, values = [], []
    worst = 0.0
    for i, (lower, upper, logits, xl, bl, xh, bh, alpha) in enumerate(configurations(rng)):
        d = Sbp(lower, upper, logits, xl, bl, xh, bh, alpha)
        dists.append("\t".join([str(i), sql_float(lower), sql_float(upper),
                                "{" + ",".join(sql_float(v) for v in d.logits) + "}",
                                sql_float(xl), sql_float(bl), sql_float(xh), sql_float(bh), sql_float(alpha)]))
        rows = [("tau_lo", None, d.tau_lo), ("tau_hi", None, d.tau_hi),
                ("median", None, d.quantile(0.5)), ("mean", None, d.mean())]
        for x in points(d, rng):
            rows.append(("cdf", x, d.cdf(x)))
            if min(abs(x - d.tau_lo), abs(x - d.tau_hi)) > 1e-9 * (d.upper - d.lower):
                # the density jumps at the splice points, whose last bits may differ
                rows += [("pdf", x, d.pdf(x)), ("logpdf", x, d.logpdf(x))]
        rows += [("quantile", q, d.quantile(q)) for q in levels(rng)]
        for y in [d.quantile(q) for q in (0.001, 0.2, 0.5, 0.9, 0.9999)] + [float(rng.uniform(d.lower, d.upper))]:
            value = d.crps(y)
            if max(d.xi_lo, d.xi_hi) < 0.5:  # the pinball form converges well enough to check
                worst = max(worst, abs(d.crps_pinball(y) - value) / value)
            rows.append(("crps", y, value))
        values += ["\t".join([str(i), fn, sql_float(arg), sql_float(v)]) for fn, arg, v in rows]
    print(f"CRPS by quadrature vs the pinball form: largest relative difference {worst:.2g}", file=sys.stderr)
    assert worst < 1e-2, "the quadrature CRPS disagrees with its quantile form"
    out.write("COPY ref_dist FROM stdin;\n" + "\n".join(dists) + "\n\\.\n")
    out.write("COPY ref_value FROM stdin;\n" + "\n".join(values) + "\n\\.\n")


if __name__ == "__main__":
    main()
