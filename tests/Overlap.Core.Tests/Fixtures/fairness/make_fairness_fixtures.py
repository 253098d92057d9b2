#!/usr/bin/python3
"""Reference figures for Overlap's fairness measures (src/Overlap.Core/Fairness), computed with numpy and scikit-learn.

Fairlearn is not installed here, so its definitions are implemented directly, as its documentation states them
(https://fairlearn.org/main/user_guide/assessment/common_fairness_metrics.html and the API reference of
fairlearn.metrics):
- selection_rate(y_true, y_pred) = mean(y_pred); demographic_parity_difference = max - min of the per-group selection
  rates (MetricFrame.difference(method="between_groups")), demographic_parity_ratio = min / max (MetricFrame.ratio()).
- equal_opportunity_difference = max - min of the per-group true positive rates (recall).
- equalized_odds_difference = max(true positive rate difference, false positive rate difference).
- false positive rate difference = max - min of the per-group false positive rates.
- calibration_error_difference (ours, no Fairlearn equivalent): max - min of the per-group expected calibration error,
  ECE = sum over 10 equal-width score bins [0, .1), ..., [.9, 1] of |sum(label - score)| / n.
A group whose rate is undefined (no positives for the true positive rate) is left out of that rate; with fewer than two
groups left, the measure is undefined (None). Rows with no value in an attribute are in no group.

Intervals: the percentile bootstrap exactly as Overlap draws it. Replicate r draws n rows with replacement over the rows
sorted by descending score (ties by row) with xoshiro256** seeded through SplitMix64 from seed ^ (0x9E3779B97F4A7C15 *
(r + 1)) and Lemire's multiply-shift (ported below from src/Overlap.Core/Statistics), and every measure is recomputed
with the draw counts as sample weights; the interval is numpy's linear percentile of the defined replicates.

Run: python3 make_fairness_fixtures.py  (writes fairness_data.csv and fairness_fixtures.json beside this file)
"""

import csv
import json
import os

import numpy as np
from sklearn.metrics import confusion_matrix

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20020701
RESAMPLES = 200
CONFIDENCE = 0.95
THRESHOLD = 0.5
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


# The data: a synthetic screening model whose scores run higher for sex M and lower for race c, with a small
# intersection (F & c) to show the small-group rule, and a few rows with no race.
r = np.random.default_rng(18)
N = 700
sex = r.choice(["F", "M"], size=N, p=[0.45, 0.55])
race = r.choice(["a", "b", "c"], size=N, p=[0.6, 0.3, 0.1])
race = np.where(r.random(N) < 0.02, "", race)
logit = -0.4 + 0.8 * (sex == "M") - 0.5 * (race == "c") + r.normal(0, 1.2, N)
truth = 1 / (1 + np.exp(-(logit + r.normal(0, 0.8, N))))
labels = (r.random(N) < truth).astype(int)
scores = np.round(1 / (1 + np.exp(-logit)), 3)
flagged = (scores >= THRESHOLD).astype(int)

with open(os.path.join(HERE, "fairness_data.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "hired", "p_hire", "sex", "race"])
    for i in range(N):
        w.writerow([i, "yes" if labels[i] else "no", f"{scores[i]:.3f}", sex[i], race[i]])

order = np.lexsort((np.arange(N), -scores))  # descending score, ties by row


def group_rates(mask, weights):
    wt = weights[mask]
    y, p, s = labels[mask], flagged[mask], scores[mask]
    n = wt.sum()
    tn, fp, fn, tp = confusion_matrix(y, p, labels=[0, 1], sample_weight=wt).ravel()
    bins = np.minimum((s * 10).astype(int), 9)
    ece = sum(abs(np.sum(wt[bins == b] * (y[bins == b] - s[bins == b]))) for b in range(10)) / n if n > 0 else None
    return {
        "n": float(n),
        "selection_rate": (tp + fp) / n if n > 0 else None,
        "true_positive_rate": tp / (tp + fn) if tp + fn > 0 else None,
        "false_positive_rate": fp / (fp + tn) if fp + tn > 0 else None,
        "calibration_error": ece,
        "positives": float(tp + fn),
        "negatives": float(fp + tn),
    }


def spread(rates, ratio):
    defined = [v for v in rates if v is not None]
    if len(defined) < 2:
        return None
    lo, hi = min(defined), max(defined)
    if ratio:
        return lo / hi if hi > 0 else None
    return hi - lo


def measures(groups):
    sel = [g["selection_rate"] for g in groups.values()]
    tpr = [g["true_positive_rate"] for g in groups.values()]
    fpr = [g["false_positive_rate"] for g in groups.values()]
    ece = [g["calibration_error"] for g in groups.values()]
    tpr_d, fpr_d = spread(tpr, False), spread(fpr, False)
    return {
        "selection_rate_ratio": spread(sel, True),
        "selection_rate_difference": spread(sel, False),
        "equal_opportunity_difference": tpr_d,
        "false_positive_rate_difference": fpr_d,
        "equalized_odds_difference": None if tpr_d is None or fpr_d is None else max(tpr_d, fpr_d),
        "calibration_error_difference": spread(ece, False),
    }


def keys(attributes):
    if len(attributes) == 1:
        col = {"sex": sex, "race": race}[attributes[0]]
        return np.array([v if v != "" else None for v in col], dtype=object)
    return np.array(
        [None if race[i] == "" else f"{sex[i]} & {race[i]}" for i in range(N)], dtype=object
    )


def grouped(attributes, weights):
    k = keys(attributes)
    values = sorted({v for v in k if v is not None})
    out = {}
    for v in values:
        mask = k == v
        if weights[mask].sum() > 0:
            out[v] = group_rates(mask, weights)
    return out


GROUPINGS = [["sex"], ["race"], ["sex", "race"]]
ones = np.ones(N, dtype=np.int64)
replicate_weights = []
for rep in range(RESAMPLES):
    counts = draw_counts(N, SEED, rep)
    w = np.zeros(N, dtype=np.int64)
    w[order] = counts
    replicate_weights.append(w)

result = {"seed": SEED, "resamples": RESAMPLES, "confidence": CONFIDENCE, "threshold": THRESHOLD, "groupings": []}
alpha = 1 - CONFIDENCE
for attributes in GROUPINGS:
    groups = grouped(attributes, ones)
    point = measures(groups)
    reps = [measures(grouped(attributes, w)) for w in replicate_weights]
    intervals = {}
    for name, value in point.items():
        values = np.array([x[name] for x in reps if x[name] is not None], dtype=float)
        intervals[name] = (
            [float(np.percentile(values, 100 * alpha / 2)), float(np.percentile(values, 100 * (1 - alpha / 2)))]
            if value is not None and len(values) > 0
            else None
        )
    result["groupings"].append(
        {
            "attributes": attributes,
            "groups": {k: {kk: (None if vv is None else float(vv)) for kk, vv in g.items()} for k, g in groups.items()},
            "measures": {k: (None if v is None else float(v)) for k, v in point.items()},
            "intervals": intervals,
        }
    )

# Production with labels from a review band: people label only the predictions scored in [0.3, 0.7), so the labelled
# rows are a biased sample of what the model decided. The selection rate needs no label and is taken over every
# prediction; the rates that need one (true and false positive rates, calibration) over the labelled rows alone.
BAND = [0.3, 0.7]
in_band = (scores >= BAND[0]) & (scores < BAND[1])


def production_grouped(attributes):
    k = keys(attributes)
    values = sorted({v for v in k if v is not None})
    out = {}
    for v in values:
        every = k == v
        rates = group_rates(every & in_band, in_band.astype(np.int64))
        rates["selection_rate"] = float(flagged[every].mean())
        rates["predictions"] = float(every.sum())
        out[v] = rates
    return out


def labelled_only(attributes):
    k = keys(attributes)
    sel = {}
    for v in sorted({v for v in k if v is not None}):
        mask = (k == v) & in_band
        if mask.sum() > 0:
            sel[v] = float(flagged[mask].mean())
    return spread(list(sel.values()), True)


result["production"] = {"band": BAND, "labelled": int(in_band.sum()), "groupings": []}
for attributes in GROUPINGS:
    groups = production_grouped(attributes)
    result["production"]["groupings"].append(
        {
            "attributes": attributes,
            "groups": {k: {kk: (None if vv is None else float(vv)) for kk, vv in g.items()} for k, g in groups.items()},
            "measures": {k: (None if v is None else float(v)) for k, v in measures(groups).items()},
            # What the labelled rows alone would say: the biased figure the production measure must not report.
            "labelled_only_selection_rate_ratio": labelled_only(attributes),
        }
    )

with open(os.path.join(HERE, "fairness_fixtures.json"), "w") as f:
    json.dump(result, f, indent=1)
print(json.dumps(result["groupings"][0]["measures"], indent=1))
print(json.dumps(result["groupings"][0]["intervals"], indent=1))
print({k: v["n"] for k, v in result["groupings"][2]["groups"].items()})
print(json.dumps(result["production"]["groupings"][0]["measures"], indent=1))
print(result["production"]["labelled"], result["production"]["groupings"][0]["labelled_only_selection_rate_ratio"])
