#!/usr/bin/env python3
"""Reference figures for the binary metrics engine, from scikit-learn and statsmodels.

Run with Debian's python3-sklearn and python3-statsmodels:
    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/binary/make_binary_fixtures.py
It rewrites binary_fixtures.json beside this script. Every case carries its inputs, so the C# tests
recompute from the same rows. Undefined figures (a metric with a zero denominator) are null.
"""
import json
import math
import os

import numpy as np
from sklearn.metrics import (average_precision_score, brier_score_loss, f1_score, log_loss,
                             roc_auc_score)
from statsmodels.stats.proportion import proportion_confint

CONFIDENCE = 0.95


def wilson(successes, trials):
    if trials == 0:
        return None
    low, high = proportion_confint(successes, trials, alpha=1 - CONFIDENCE, method="wilson")
    return [float(low), float(high)]


def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def group_figures(scores, labels, decisions):
    y = labels.astype(int)
    d = decisions.astype(int)
    tp = int(((y == 1) & (d == 1)).sum())
    fp = int(((y == 0) & (d == 1)).sum())
    fn = int(((y == 1) & (d == 0)).sum())
    tn = int(((y == 0) & (d == 0)).sum())
    n = len(y)
    pos, neg = tp + fn, fp + tn
    two_classes = pos > 0 and neg > 0
    out = {
        "n": n,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "accuracy": [(tp + tn) / n, wilson(tp + tn, n)] if n else None,
        "precision": [tp / (tp + fp), wilson(tp, tp + fp)] if tp + fp else None,
        "recall": [tp / pos, wilson(tp, pos)] if pos else None,
        "specificity": [tn / neg, wilson(tn, neg)] if neg else None,
        "false_positive_rate": [fp / neg, wilson(fp, neg)] if neg else None,
        "false_negative_rate": [fn / pos, wilson(fn, pos)] if pos else None,
        "positive_rate": [(tp + fp) / n, wilson(tp + fp, n)] if n else None,
        # sklearn returns 0 with a warning where the engine reports undefined (NaN).
        "f1": float(f1_score(y, d, zero_division=0)) if 2 * tp + fp + fn > 0 else None,
        "roc_auc": float(roc_auc_score(y, scores)) if two_classes else None,
        "pr_auc": float(average_precision_score(y, scores)) if pos > 0 else None,
        "brier": float(brier_score_loss(y, scores)) if n else None,
        "log_loss": float(log_loss(y, scores, labels=[0, 1])) if n else None,
    }
    # ECE: 10 equal-width bins of the score, [0, .1), ..., [.9, 1], L1 weighted by bin share.
    bins = np.minimum((scores * 10).astype(int), 9)
    ece = 0.0
    for b in range(10):
        m = bins == b
        if m.any():
            ece += m.sum() / n * abs(y[m].mean() - scores[m].mean())
    out["ece"] = float(ece) if n else None
    return out


def sweep(scores, labels, cost_fp, cost_fn):
    y = labels.astype(int)
    points = []
    for k in range(101):
        t = k / 100
        d = scores >= t
        tp = int(((y == 1) & d).sum()); fp = int(((y == 0) & d).sum())
        fn = int(((y == 1) & ~d).sum()); tn = int(((y == 0) & ~d).sum())
        points.append({"threshold": t, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                       "cost": fp * cost_fp + fn * cost_fn})
    # Exact optimum over "flag nothing" and every distinct score, ties to the higher threshold.
    best_t, best_cost = math.inf, float((y == 1).sum() * cost_fn)
    for t in sorted(set(scores.tolist()), reverse=True):
        d = scores >= t
        c = float(((y == 0) & d).sum() * cost_fp + ((y == 1) & ~d).sum() * cost_fn)
        if c < best_cost:
            best_t, best_cost = t, c
    return points, {"threshold": None if math.isinf(best_t) else best_t, "cost": best_cost}


def case(name, scores, labels, threshold, segments, cost_fp=1.0, cost_fn=1.0):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=int)
    decisions = scores >= threshold
    result = {
        "name": name, "threshold": threshold, "cost_fp": cost_fp, "cost_fn": cost_fn,
        "scores": scores.tolist(), "labels": labels.tolist(),
        "segments": {k: v.tolist() for k, v in segments.items()},
        "overall": group_figures(scores, labels, decisions),
        "by_segment": {},
    }
    for column, values in segments.items():
        result["by_segment"][column] = {}
        for value in sorted(set(values.tolist())):
            m = values == value
            result["by_segment"][column][value] = group_figures(scores[m], labels[m], decisions[m])
    result["sweep"], result["optimum"] = sweep(scores, labels, cost_fp, cost_fn)
    return json.loads(json.dumps(result, default=nan_to_none), parse_constant=lambda c: None)


def main():
    rng = np.random.default_rng(20261122)
    cases = []

    n = 600
    s = rng.beta(1.2, 4.0, n).round(3)            # ties from rounding
    y = (rng.random(n) < s * 1.2).astype(int)
    seg_a = rng.choice(["web", "app", "pos"], n, p=[0.5, 0.35, 0.15])
    seg_b = rng.choice(["eu", "us", "apac"], n, p=[0.5, 0.3, 0.2])
    y[seg_b == "apac"] = 0                          # a segment value with no positives
    cases.append(case("imbalanced_with_ties", s, y, 0.3, {"channel": seg_a, "region": seg_b}, 2.0, 25.0))

    n = 80
    s = rng.random(n).round(1)                      # heavy ties
    y = (rng.random(n) < s).astype(int)
    cases.append(case("heavy_ties", s, y, 0.5, {"tier": rng.choice(["gold", "silver"], n)}))

    s = np.array([0.0, 1.0, 1.0, 0.0, 0.5, 0.25, 0.75, 1.0, 0.0, 0.9])
    y = np.array([0, 1, 0, 1, 1, 0, 1, 1, 0, 0])
    cases.append(case("extreme_scores", s, y, 0.5, {}))

    n = 2000
    s = rng.random(n)
    y = (rng.random(n) < 0.5 * s + 0.25).astype(int)
    cases.append(case("balanced_continuous", s, y, 0.5, {"band": rng.choice(["a", "b", "c", "d"], n)}, 1.0, 3.0))

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "binary_fixtures.json")
    with open(path, "w") as f:
        json.dump({"confidence": CONFIDENCE, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
