#!/usr/bin/env python3
"""Distribution-free confidence intervals for a quantile from order statistics, with scipy's binomial quantiles.

For n sorted values x(1) <= ... <= x(n), quantile q and confidence c (alpha = 1 - c):
    l = binom.ppf(alpha/2, n, q)          lower bound x(l)      (1-based; x(1) when l < 1)
    u = binom.ppf(1 - alpha/2, n, q) + 1  upper bound x(u)      (x(n) when u > n)
The point estimate is numpy's linear percentile.

    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/quantile/make_quantile_fixtures.py
"""
import json
import os

import numpy as np
from scipy.stats import binom

HERE = os.path.dirname(os.path.abspath(__file__))


def case(values, q, c):
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    alpha = 1 - c
    lo = int(binom.ppf(alpha / 2, n, q))
    hi = int(binom.ppf(1 - alpha / 2, n, q)) + 1
    return {
        "values": [float(v) for v in values],
        "q": q,
        "confidence": c,
        "point": float(np.percentile(x, 100 * q)),
        "low_index": lo,
        "high_index": hi,
        "low": float(x[max(lo, 1) - 1]),
        "high": float(x[min(hi, n) - 1]),
    }


def main():
    rng = np.random.default_rng(11)
    cases = []
    for n in (5, 40, 200, 3000):
        latency = np.round(rng.gamma(2.0, 30.0, n), 1)
        for q in (0.5, 0.95, 0.99):
            for c in (0.9, 0.95):
                cases.append(case(latency.tolist(), q, c))
    with open(os.path.join(HERE, "quantile_fixtures.json"), "w") as out:
        json.dump({"generator": "scipy.stats.binom.ppf + numpy.percentile", "cases": cases}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
