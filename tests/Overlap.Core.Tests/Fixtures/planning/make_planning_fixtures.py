#!/usr/bin/python3
"""Writes planning.json: sample sizes as statsmodels computes them.

Wilson cases: the smallest n whose Wilson interval (proportion_confint(count=rate*n, nobs=n,
method="wilson")) has half-width <= margin, found by search on statsmodels' own interval, with the
half-widths at n and n-1. Comparison cases: NormalIndPower().solve_power for a two-sided test with
equal arms and effect size proportion_effectsize(candidate, baseline), unrounded and rounded up.

Run with Debian's python3-statsmodels:  /usr/bin/python3 make_planning_fixtures.py
"""
import json
import math
import os

import statsmodels
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize


def half_width(rate, n, confidence):
    low, high = proportion_confint(rate * n, n, alpha=1 - confidence, method="wilson")
    return (high - low) / 2


def wilson_n(rate, margin, confidence):
    high = 1
    while half_width(rate, high, confidence) > margin:
        high *= 2
    low = high // 2
    while high - low > 1:
        mid = (low + high) // 2
        if half_width(rate, mid, confidence) > margin:
            low = mid
        else:
            high = mid
    return high


WILSON = [
    (0.9, 0.02, 0.95), (0.9, 0.03, 0.95), (0.7, 0.02, 0.95), (0.5, 0.01, 0.95), (0.5, 0.05, 0.9),
    (0.05, 0.01, 0.95), (0.01, 0.005, 0.99), (0.99, 0.002, 0.95), (0.0, 0.02, 0.95), (1.0, 0.05, 0.95),
    (0.3, 0.1, 0.8), (0.78, 0.08, 0.95), (0.4, 0.015, 0.975),
]

COMPARE = [
    (0.90, 0.93, 0.05, 0.8), (0.50, 0.55, 0.05, 0.8), (0.10, 0.12, 0.01, 0.9), (0.93, 0.90, 0.05, 0.8),
    (0.20, 0.40, 0.05, 0.95), (0.70, 0.72, 0.1, 0.5), (0.01, 0.02, 0.05, 0.8), (0.98, 0.995, 0.05, 0.9),
]

wilson = []
for rate, margin, confidence in WILSON:
    n = wilson_n(rate, margin, confidence)
    wilson.append({
        "rate": rate, "margin": margin, "confidence": confidence, "n": n,
        "half_width_at_n": half_width(rate, n, confidence),
        "half_width_at_n_minus_1": half_width(rate, n - 1, confidence) if n > 1 else None,
    })

compare = []
for baseline, candidate, alpha, power in COMPARE:
    effect = proportion_effectsize(candidate, baseline)
    exact = NormalIndPower().solve_power(effect_size=effect, alpha=alpha, power=power, ratio=1, alternative="two-sided")
    exact = float(exact)
    compare.append({
        "baseline_rate": baseline, "candidate_rate": candidate, "alpha": alpha, "power": power,
        "effect_size": float(effect), "per_arm_exact": exact, "per_arm": math.ceil(exact),
    })

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "planning.json")
with open(out, "w") as f:
    json.dump({"statsmodels": statsmodels.__version__, "wilson": wilson, "compare": compare}, f, indent=2)
    f.write("\n")
print(f"wrote {out}")
