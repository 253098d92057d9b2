#!/usr/bin/env python3
"""Figures for the latency sketch and the Poisson draws of the weighted bootstrap, from numpy and scipy.

    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/quantile/make_sketch_fixtures.py

It rewrites sketch_fixtures.json beside this script:
- latencies: seeded log-normal latencies in ms (rounded to 0.1), numpy's linear percentiles, and the order statistics
  at the ranks scipy.stats.binom.ppf gives for the distribution-free 95% interval (as make_quantile_fixtures.py);
- binomial_ranks: scipy.stats.binom.ppf at counts beyond 2^31 (a merge of many busy windows), for the long overload
  of QuantileInterval.BinomialQuantile;
- poisson: scipy.stats.poisson's pmf for the means the bootstrap draws with.
"""
import json
import os

import numpy as np
from scipy.stats import binom, poisson

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIDENCE = 0.95


def latencies(name, seed, n):
    rng = np.random.default_rng(seed)
    values = np.round(rng.lognormal(mean=4.0, sigma=0.6, size=n), 1)
    values[: n // 100] = 0.0  # a few instant answers: the zero bucket
    x = np.sort(values)
    quantiles = []
    for q in (0.5, 0.95, 0.99):
        alpha = 1 - CONFIDENCE
        lo = int(binom.ppf(alpha / 2, n, q))
        hi = int(binom.ppf(1 - alpha / 2, n, q)) + 1
        quantiles.append({
            "q": q,
            "point": float(np.percentile(x, 100 * q)),
            "low": float(x[max(lo, 1) - 1]),
            "high": float(x[min(hi, n) - 1]),
        })
    return {"name": name, "values": values.tolist(), "min": float(x[0]), "max": float(x[-1]), "quantiles": quantiles}


def binomial_ranks():
    alpha = 1 - CONFIDENCE
    return [
        {"n": n, "q": q, "low": int(binom.ppf(alpha / 2, n, q)), "high": int(binom.ppf(1 - alpha / 2, n, q))}
        for n in (3_000_000_000, 100_000_000_000)
        for q in (0.5, 0.95, 0.99)
    ]


def main():
    means = [1, 3, 9, 10, 30, 250, 4000]
    pmf = {}
    for m in means:
        hi = int(poisson.ppf(1 - 1e-12, m)) + 1
        pmf[str(m)] = [float(p) for p in poisson.pmf(np.arange(hi + 1), m)]
    fixtures = {
        "generator": "numpy.percentile (linear), scipy.stats.binom.ppf, scipy.stats.poisson.pmf",
        "confidence": CONFIDENCE,
        "latencies": [latencies("small", 5, 1000), latencies("large", 6, 20000)],
        "binomial_ranks": binomial_ranks(),
        "poisson": pmf,
    }
    with open(os.path.join(HERE, "sketch_fixtures.json"), "w") as out:
        json.dump(fixtures, out)


if __name__ == "__main__":
    main()
