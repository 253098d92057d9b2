#!/usr/bin/env python3
"""Reference figures for comparing two models on the same examples (statsmodels, scikit-learn).

    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/comparison/make_comparison_fixtures.py
rewrites comparison_fixtures.json beside this script.
"""
import json
import os

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from statsmodels.stats.contingency_tables import mcnemar

mcnemar_cases = []
for b, c in [(0, 0), (1, 0), (3, 9), (12, 12), (5, 19), (10, 14), (13, 12), (30, 12), (200, 170), (1000, 1100), (7, 40)]:
    exact = b + c < 25
    r = mcnemar([[100, b], [c, 100]], exact=exact, correction=True)
    mcnemar_cases.append({"b": b, "c": c, "exact": exact, "statistic": float(r.statistic), "p_value": float(r.pvalue)})

rng = np.random.default_rng(99)
n = 400
y = (rng.random(n) < 0.3).astype(int)
a = np.clip(0.3 * y + rng.random(n) * 0.7, 0, 1).round(3)
b = np.clip(0.45 * y + rng.random(n) * 0.55, 0, 1).round(3)
threshold = 0.5
pair = {"labels": y.tolist(), "a": a.tolist(), "b": b.tolist(), "threshold": threshold}
for name, f in [("roc_auc", roc_auc_score), ("pr_auc", average_precision_score), ("brier", brier_score_loss),
                ("log_loss", lambda yy, ss: log_loss(yy, ss, labels=[0, 1]))]:
    pair[name] = [float(f(y, a)), float(f(y, b))]
right_a = (a >= threshold) == (y == 1)
right_b = (b >= threshold) == (y == 1)
pair["only_a_right"] = int((right_a & ~right_b).sum())
pair["only_b_right"] = int((~right_a & right_b).sum())

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "comparison_fixtures.json"), "w") as f:
    json.dump({"mcnemar": mcnemar_cases, "pair": pair}, f, indent=1)
