#!/usr/bin/env python3
"""Reference figures for the trivial baseline every evaluation reports (numpy, statsmodels).

The model is compared with a rule that does nothing clever on the same examples: the most common class (binary and
multiclass, on accuracy; binary with costs, on cost per 1,000) or the mean of the labels (regression, on MAE). The
interval is the normal interval of the mean paired per-example difference, statsmodels' DescrStatsW.zconfint_mean.

    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/baseline/make_trivial_baseline_fixtures.py
rewrites trivial_baseline.json beside this script.
"""
import json
import os

import numpy as np
from statsmodels.stats.weightstats import DescrStatsW

CONFIDENCE = 0.95
rng = np.random.default_rng(1302)


def accuracy_score(y, p):
    return float(np.mean(np.asarray(y) == np.asarray(p)))


def mean_absolute_error(y, p):
    return float(np.mean(np.abs(np.asarray(y) - np.asarray(p))))


def interval(d):
    low, high = DescrStatsW(np.asarray(d, dtype=float)).zconfint_mean(alpha=1 - CONFIDENCE)
    return float(low), float(high)


cases = []

# Binary: 0/1 labels and decisions, the most common class is 0.
y = (rng.random(600) < 0.2).astype(int)
pred = np.where(y == 1, rng.random(600) < 0.7, rng.random(600) < 0.1).astype(int)
majority = int(np.bincount(y).argmax())
trivial = np.full_like(y, majority)
d = (pred == y).astype(float) - (trivial == y).astype(float)
low, high = interval(d)
cases.append({"task": "binary", "costs": None, "labels": y.tolist(), "predictions": pred.tolist(),
              "metric": "accuracy", "baseline": float(accuracy_score(y, trivial)), "model": float(accuracy_score(y, pred)),
              "ci_low": low, "ci_high": high})

# The same with costs: a false positive costs 2, a false negative 25; figures per 1,000 examples.
cost_fp, cost_fn = 2.0, 25.0
def cost(decisions):
    return np.where((decisions == 1) & (y == 0), cost_fp, 0.0) + np.where((decisions == 0) & (y == 1), cost_fn, 0.0)
d = 1000 * (cost(pred) - cost(trivial))
low, high = interval(d)
cases.append({"task": "binary", "costs": [cost_fp, cost_fn], "labels": y.tolist(), "predictions": pred.tolist(),
              "metric": "cost_per_1000", "baseline": float(1000 * cost(trivial).mean()), "model": float(1000 * cost(pred).mean()),
              "ci_low": low, "ci_high": high})

# Multiclass: three classes, the model right 60% of the time.
classes = ["a", "b", "c"]
y = rng.choice(3, size=500, p=[0.5, 0.3, 0.2])
pred = np.where(rng.random(500) < 0.6, y, rng.integers(0, 3, size=500))
trivial = np.full_like(y, int(np.bincount(y).argmax()))
d = (pred == y).astype(float) - (trivial == y).astype(float)
low, high = interval(d)
cases.append({"task": "multiclass", "costs": None, "labels": [classes[i] for i in y], "predictions": [classes[i] for i in pred],
              "metric": "accuracy", "baseline": float(accuracy_score(y, trivial)), "model": float(accuracy_score(y, pred)),
              "ci_low": low, "ci_high": high})

# Regression: the model's error is about half the spread of the outcome.
y = np.round(rng.normal(50, 10, size=400), 3)
pred = np.round(y + rng.normal(0, 6, size=400), 3)
trivial = np.full_like(y, y.mean())
d = np.abs(y - pred) - np.abs(y - trivial)
low, high = interval(d)
cases.append({"task": "regression", "costs": None, "labels": y.tolist(), "predictions": pred.tolist(),
              "metric": "mae", "baseline": float(mean_absolute_error(y, trivial)), "model": float(mean_absolute_error(y, pred)),
              "ci_low": low, "ci_high": high})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "trivial_baseline.json"), "w", encoding="utf-8") as f:
    json.dump({"confidence": CONFIDENCE, "cases": cases}, f)
