#!/usr/bin/python3
"""Writes experiments.json: the figures of an experiment's statistics as scipy and statsmodels compute them.

- split: scipy.stats.chisquare(counts, f_exp) with the expected counts in the planned shares.
- proportions: statsmodels' confint_proportions_2indep(method="newcomb", compare="diff") for treatment - control, and
  the normal-mixture confidence sequence (Johari et al. 2017) written out from its formula with numpy.
- means: statsmodels' CompareMeans(...).tconfint_diff(usevar="unequal") on generated samples, with each arm's mean,
  sample variance (ddof=1) and count, and the confidence sequence on the same variance.
- latency: a latency quantile per arm (numpy's linear percentile), each arm's order-statistic interval (bounds from
  scipy.stats.binom.ppf), their MOVER difference, and the confidence sequence on the variance that interval implies.
- plan: per-arm sample size for a rate's min_effect, statsmodels' NormalIndPower().solve_power on Cohen's h.
- assignment: the arm of a unit, from hashlib's SHA-256 of salt + "\\n" + unit, the rule ArmAssignment states.

Run with Debian's python3-scipy and python3-statsmodels:  /usr/bin/python3 make_experiment_fixtures.py
"""
import hashlib
import json
import math
import os

import numpy as np
import scipy
import statsmodels
from scipy.stats import binom, chisquare, norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW


def cs_half_width(variance, tau, confidence):
    tau2 = tau * tau
    alpha = 1 - confidence
    return math.sqrt(variance * (variance + tau2) / tau2 * (2 * math.log(1 / alpha) + math.log((variance + tau2) / variance)))


SPLIT = [
    ([5000, 5000], [1, 1]), ([5120, 4880], [1, 1]), ([5400, 4600], [50, 50]), ([903, 97], [0.9, 0.1]),
    ([880, 120], [0.9, 0.1]), ([334, 333, 333], [1, 1, 1]), ([400, 300, 300], [1, 1, 1]), ([12, 8], [1, 1]),
]
split = []
for counts, weights in SPLIT:
    total = sum(counts)
    expected = [total * w / sum(weights) for w in weights]
    result = chisquare(counts, expected)
    split.append({"counts": counts, "weights": weights, "statistic": float(result.statistic), "p": float(result.pvalue)})

PROPORTIONS = [
    (520, 1000, 480, 1000, 0.95, 0.05), (93, 1204, 45, 1204, 0.95, 0.02), (4100, 50000, 4000, 50000, 0.95, 0.005),
    (0, 300, 3, 310, 0.9, 0.02), (150, 150, 140, 150, 0.95, 0.05), (30, 200, 45, 210, 0.99, 0.1),
]
proportions = []
for xt, nt, xc, nc, confidence, tau in PROPORTIONS:
    low, high = confint_proportions_2indep(xt, nt, xc, nc, method="newcomb", compare="diff", alpha=1 - confidence)
    pt, pc = xt / nt, xc / nc
    variance = pt * (1 - pt) / nt + pc * (1 - pc) / nc
    half = cs_half_width(variance, tau, confidence) if variance > 0 else None
    proportions.append({
        "treatment": [xt, nt], "control": [xc, nc], "confidence": confidence, "mixture": tau,
        "fixed": [float(low), float(high)],
        "always_valid": None if half is None else [pt - pc - half, pt - pc + half],
    })

rng = np.random.default_rng(20261203)
means = []
for nt, nc, shift, confidence, tau in [(400, 380, 5.0, 0.95, 10.0), (2000, 2100, -1.0, 0.95, 2.0), (50, 60, 0.0, 0.9, 5.0)]:
    t = rng.lognormal(mean=4.0, sigma=0.5, size=nt) + shift
    c = rng.lognormal(mean=4.0, sigma=0.5, size=nc)
    low, high = CompareMeans(DescrStatsW(t), DescrStatsW(c)).tconfint_diff(alpha=1 - confidence, usevar="unequal")
    variance = t.var(ddof=1) / nt + c.var(ddof=1) / nc
    half = cs_half_width(variance, tau, confidence)
    d = t.mean() - c.mean()
    means.append({
        "treatment": [float(t.mean()), float(t.var(ddof=1)), nt], "control": [float(c.mean()), float(c.var(ddof=1)), nc],
        "confidence": confidence, "mixture": tau, "fixed": [float(low), float(high)], "always_valid": [d - half, d + half],
    })

def order_interval(values, q, confidence):
    s = np.sort(values)
    n = len(s)
    alpha = 1 - confidence
    low = int(binom.ppf(alpha / 2, n, q))
    high = int(binom.ppf(1 - alpha / 2, n, q)) + 1
    return s[min(max(low, 1), n) - 1], s[min(max(high, 1), n) - 1]


latency = []
for nc, nt, shift, q, confidence, tau in [(300, 320, 85.0, 0.95, 0.95, 50.0), (500, 480, 0.0, 0.5, 0.95, 10.0)]:
    c = np.round(rng.lognormal(mean=5.0, sigma=0.4, size=nc), 1)
    t = np.round(rng.lognormal(mean=5.0, sigma=0.4, size=nt) + shift, 1)
    qc, qt = float(np.percentile(c, q * 100)), float(np.percentile(t, q * 100))
    lc, hc = order_interval(c, q, confidence)
    lt, ht = order_interval(t, q, confidence)
    d = qt - qc
    low = d - math.sqrt((qt - lt) ** 2 + (hc - qc) ** 2)
    high = d + math.sqrt((ht - qt) ** 2 + (qc - lc) ** 2)
    z = norm.ppf(1 - (1 - confidence) / 2)
    variance = ((high - low) / (2 * z)) ** 2
    half = cs_half_width(variance, tau, confidence)
    latency.append({
        "control": c.tolist(), "treatment": t.tolist(), "q": q, "confidence": confidence, "mixture": tau,
        "quantiles": [qc, qt], "fixed": [low, high], "always_valid": [d - half, d + half],
    })

plan = []
for baseline, effect, confidence, power in [(0.80, 0.03, 0.95, 0.8), (0.62, 0.05, 0.95, 0.9), (0.05, 0.01, 0.9, 0.8)]:
    h = proportion_effectsize(baseline + effect, baseline)
    n = NormalIndPower().solve_power(effect_size=h, alpha=1 - confidence, power=power, ratio=1, alternative="two-sided")
    plan.append({"baseline": baseline, "min_effect": effect, "confidence": confidence, "power": power, "per_arm": math.ceil(n - 1e-9)})

assignment = []
for salt, weights in [("spam-v2-rollout", [1, 1]), ("fraud-2027", [0.9, 0.1]), ("three-way", [1, 1, 1])]:
    for i in range(40):
        unit = f"user-{i}" if i % 3 else f"msg-<{i}@example.com>"
        digest = hashlib.sha256((salt + "\n" + unit).encode("utf-8")).digest()
        point = (int.from_bytes(digest[:8], "big") >> 11) / 2.0 ** 53
        scaled, end, arm = point * sum(weights), 0.0, len(weights) - 1
        for k, w in enumerate(weights[:-1]):
            end += w
            if scaled < end:
                arm = k
                break
        assignment.append({"salt": salt, "unit": unit, "weights": weights, "point": point, "arm": arm})

out = {
    "versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__},
    "split": split, "proportions": proportions, "means": means, "latency": latency, "plan": plan,
    "assignment": assignment,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "experiments.json"), "w") as f:
    json.dump(out, f, indent=1)
