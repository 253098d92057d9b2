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
- shadow: a shadow experiment's pairs (the served prediction and the challenger's on the same labelled emails). Per rate:
  each model's figure (scikit-learn's confusion_matrix), McNemar on the discordant pairs (statsmodels' mcnemar, exact
  below 25 discordant pairs, else chi-square with continuity correction, as `overlap eval --baseline`), the paired
  percentile bootstrap of the difference as `--baseline` draws it (the same xoshiro256** draw counts, ported below, so
  each replicate is the same resample; each replicate's figures from scikit-learn's confusion_matrix with the counts as
  sample weights, the interval from numpy's percentile), and the confidence sequence on the paired variance: the
  variance of the per-pair difference over the pairs the rate counts, for a rate whose pairs both count (n - 1 not
  used: the Wald form), else ((high - low) / 2z)^2 of the bootstrap interval. Latency p95 per arm as the A/B analysis
  (order-statistic interval, MOVER).

Run with Debian's python3-scipy, python3-sklearn and python3-statsmodels:  /usr/bin/python3 make_experiment_fixtures.py
"""
import hashlib
import json
import math
import os

import numpy as np
import scipy
import sklearn
import statsmodels
from scipy.stats import binom, chisquare, norm
from sklearn.metrics import confusion_matrix
from statsmodels.stats.contingency_tables import mcnemar
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

# xoshiro256** seeded through SplitMix64, as src/Overlap.Core/Statistics/Xoshiro256.cs, and the bootstrap's draw counts
# (Bootstrap.FillCounts): replicate r is seeded with seed ^ (0x9E3779B97F4A7C15 * (r + 1)).
MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def xoshiro(seed):
    state = []
    for _ in range(4):
        seed = (seed + 0x9E3779B97F4A7C15) & MASK
        z = seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        state.append(z ^ (z >> 31))
    s0, s1, s2, s3 = state
    while True:
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        yield result


def draw_counts(n, seed, replicate):
    counts = np.zeros(n, dtype=np.int64)
    rng_ = xoshiro(seed ^ ((0x9E3779B97F4A7C15 * (replicate + 1)) & MASK))
    for _ in range(n):
        counts[(next(rng_) * n) >> 64] += 1
    return counts


def rates(labels, flagged, weights=None):
    tn, fp, fn, tp = confusion_matrix(labels, flagged, labels=[0, 1], sample_weight=weights).ravel()
    return {
        "accuracy": (tp + tn) / (tp + tn + fp + fn), "precision": tp / (tp + fp), "recall": tp / (tp + fn),
        "specificity": tn / (tn + fp), "false_positive_rate": fp / (fp + tn), "false_negative_rate": fn / (fn + tp),
    }


# Which pairs a rate counts (None: each model counts its own flagged emails) and what counts as its success.
RATE_PAIRS = {
    "accuracy": (lambda y: np.ones_like(y, dtype=bool), lambda y, f: f == y),
    "precision": None,
    "recall": (lambda y: y == 1, lambda y, f: f == 1),
    "specificity": (lambda y: y == 0, lambda y, f: f == 0),
    "false_positive_rate": (lambda y: y == 0, lambda y, f: f == 1),
    "false_negative_rate": (lambda y: y == 1, lambda y, f: f == 0),
}


def shadow_case():
    r = np.random.default_rng(20270117)
    n, positives = 2000, 800
    labels = np.array([1] * positives + [0] * (n - positives))
    served = np.zeros(n, dtype=int)
    shadow = np.zeros(n, dtype=int)
    # Spam: served catches 680 of 800; the challenger misses 8 of those and catches 50 of the 120 served misses.
    served[:680] = 1
    shadow[:680] = 1
    shadow[:8] = 0
    shadow[680:730] = 1
    # Ham: served flags 36 of 1,200; the challenger lets 6 of those through and flags 8 others.
    served[800:836] = 1
    shadow[800:836] = 1
    shadow[800:806] = 0
    shadow[836:844] = 1
    order = r.permutation(n)
    labels, served, shadow = labels[order], served[order], shadow[order]

    def scores(flagged):
        # A score on the decision's side of the 0.5 threshold, to three decimals.
        return np.where(flagged == 1, np.round(r.uniform(0.5, 0.999, n), 3), np.round(r.uniform(0.001, 0.499, n), 3))

    served_scores, shadow_scores = scores(served), scores(shadow)
    served_latency = np.round(r.lognormal(mean=3.4, sigma=0.3, size=n), 1)
    shadow_latency = np.round(r.lognormal(mean=3.4, sigma=0.3, size=n) + 4.0, 1)
    confidence, resamples, seed = 0.95, 1000, 20020701
    z = norm.ppf(1 - (1 - confidence) / 2)
    mixture = {"accuracy": 0.02, "precision": 0.02, "recall": 0.03, "specificity": 0.02, "false_positive_rate": 0.02,
               "false_negative_rate": 0.03}
    point_served, point_shadow = rates(labels, served), rates(labels, shadow)
    replicates = {m: [] for m in RATE_PAIRS}
    for rep in range(resamples):
        w = draw_counts(n, seed, rep)
        a, b = rates(labels, served, w), rates(labels, shadow, w)
        for m in RATE_PAIRS:
            replicates[m].append(b[m] - a[m])
    metrics = {}
    for m, pairs in RATE_PAIRS.items():
        d = point_shadow[m] - point_served[m]
        low, high = np.percentile(np.array(replicates[m]), [100 * (1 - confidence) / 2, 100 * (1 - (1 - confidence) / 2)])
        entry = {"control": float(point_served[m]), "treatment": float(point_shadow[m]), "difference": float(d),
                 "fixed": [float(low), float(high)], "mixture": mixture[m], "mcnemar": None}
        if pairs is None:
            variance = ((high - low) / (2 * z)) ** 2
        else:
            counted, success = pairs
            keep = counted(labels)
            a, b_ = success(labels[keep], served[keep]), success(labels[keep], shadow[keep])
            only_control, only_treatment = int(np.sum(a & ~b_)), int(np.sum(~a & b_))
            exact = only_control + only_treatment < 25
            test = mcnemar([[0, only_control], [only_treatment, 0]], exact=exact, correction=True)
            per_pair = b_.astype(float) - a.astype(float)
            variance = per_pair.var(ddof=0) / keep.sum()
            entry["mcnemar"] = {"control_only": only_control, "treatment_only": only_treatment, "exact": exact,
                                "statistic": float(test.statistic), "p": float(test.pvalue)}
        half = cs_half_width(variance, mixture[m], confidence)
        entry["always_valid"] = [float(d - half), float(d + half)]
        metrics[m] = entry
    qc, qt = float(np.percentile(served_latency, 95)), float(np.percentile(shadow_latency, 95))
    lc, hc = order_interval(served_latency, 0.95, confidence)
    lt, ht = order_interval(shadow_latency, 0.95, confidence)
    d = qt - qc
    low = d - math.sqrt((qt - lt) ** 2 + (hc - qc) ** 2)
    high = d + math.sqrt((ht - qt) ** 2 + (qc - lc) ** 2)
    half = cs_half_width(((high - low) / (2 * z)) ** 2, 50.0, confidence)
    return {
        "ids": [f"m{i:04d}" for i in range(n)], "labels": labels.tolist(),
        "served_scores": served_scores.tolist(), "shadow_scores": shadow_scores.tolist(),
        "served_latency": served_latency.tolist(), "shadow_latency": shadow_latency.tolist(),
        "confidence": confidence, "metrics": metrics,
        "latency_p95_ms": {"control": qc, "treatment": qt, "fixed": [low, high], "mixture": 50.0,
                           "always_valid": [d - half, d + half]},
    }


out = {
    "versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__,
                 "sklearn": sklearn.__version__},
    "split": split, "proportions": proportions, "means": means, "latency": latency, "plan": plan,
    "assignment": assignment, "shadow": shadow_case(),
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "experiments.json"), "w") as f:
    json.dump(out, f, indent=1)
