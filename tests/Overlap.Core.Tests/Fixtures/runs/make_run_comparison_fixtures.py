#!/usr/bin/env python3
"""Reference figures for comparing two evaluation runs on different examples (independent samples).

    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/runs/make_run_comparison_fixtures.py
rewrites run_comparison.json beside this script (Debian's python3-statsmodels, python3-sklearn, python3-numpy).

- "newcombe": the interval for the difference of two independent proportions, B minus A, as statsmodels'
  confint_proportions_2indep(count1=xb, nobs1=nb, count2=xa, nobs2=na, method="newcomb", compare="diff"), and the
  pooled two-proportion z-test as proportions_ztest([xb, xa], [nb, na]) (p null where the pooled share is 0 or 1:
  statsmodels divides by zero there).
- "bootstrap": two independent samples; each run's percentile bootstrap interval of a score metric (as the report
  carries it) and, for reference, the percentile interval of the difference from independent resamples of both
  (which the reports do not carry). The comparison's interval from the two runs' intervals (MOVER) is checked to be
  close to the latter.
- "examples": examples/payments-fraud/scored.csv as run A and current.csv as run B at the contract's threshold 0.15:
  counts per proportion metric, overall and per channel, with the same Newcombe intervals and z-tests.
"""
import csv
import json
import os

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))


def newcombe(xa, na, xb, nb, confidence):
    low, high = confint_proportions_2indep(xb, nb, xa, na, method="newcomb", compare="diff", alpha=1 - confidence)
    pooled = (xa + xb) / (na + nb)
    p = None if pooled in (0.0, 1.0) else float(proportions_ztest([xb, xa], [nb, na])[1])
    return {"xa": xa, "na": na, "xb": xb, "nb": nb, "confidence": confidence, "low": float(low), "high": float(high), "p_value": p}


CASES = [
    (113, 130, 95, 120, 0.95), (17, 130, 25, 120, 0.95), (153, 2870, 90, 2950, 0.95), (0, 50, 3, 60, 0.95),
    (50, 50, 58, 60, 0.95), (0, 40, 0, 70, 0.95), (12, 20, 4, 25, 0.9), (480, 1000, 520, 1000, 0.99),
    (1, 3, 2, 3, 0.95), (700, 800, 690, 800, 0.8),
]
newcombe_cases = [newcombe(*c) for c in CASES]

rng = np.random.default_rng(20261123)
RESAMPLES = 4000


def percentile(values, confidence):
    tail = (1 - confidence) / 2 * 100
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def sample(n, strength):
    y = (rng.random(n) < 0.25).astype(int)
    s = np.clip(strength * y + rng.random(n) * (1 - strength), 0, 1)
    return y, s


bootstrap_cases = []
for metric, f in [("roc_auc", roc_auc_score), ("brier", brier_score_loss)]:
    for na, nb, strength_a, strength_b in [(600, 800, 0.30, 0.38), (2000, 1500, 0.35, 0.35), (400, 400, 0.25, 0.45)]:
        ya, sa = sample(na, strength_a)
        yb, sb = sample(nb, strength_b)
        reps_a, reps_b = np.empty(RESAMPLES), np.empty(RESAMPLES)
        for r in range(RESAMPLES):
            ia = rng.integers(0, na, na)
            ib = rng.integers(0, nb, nb)
            reps_a[r] = f(ya[ia], sa[ia])
            reps_b[r] = f(yb[ib], sb[ib])
        a, b = float(f(ya, sa)), float(f(yb, sb))
        la, ua = percentile(reps_a, 0.95)
        lb, ub = percentile(reps_b, 0.95)
        dl, du = percentile(reps_b - reps_a, 0.95)
        bootstrap_cases.append({"metric": metric, "na": na, "nb": nb, "a": a, "a_low": la, "a_high": ua, "b": b, "b_low": lb,
                                "b_high": ub, "difference_low": dl, "difference_high": du})


def read(name):
    with open(os.path.join(ROOT, "examples", "payments-fraud", name), newline="") as f:
        return list(csv.DictReader(f))


def counts(rows):
    y = np.array([r["outcome"] == "fraud" for r in rows])
    d = np.array([float(r["p_fraud"]) >= 0.15 for r in rows])
    tp, fp, fn, tn = int((y & d).sum()), int((~y & d).sum()), int((y & ~d).sum()), int((~y & ~d).sum())
    return {"accuracy": (tp + tn, len(rows)), "precision": (tp, tp + fp), "recall": (tp, tp + fn),
            "false_positive_rate": (fp, fp + tn), "positive_rate": (tp + fp, len(rows))}


def compare(rows_a, rows_b):
    ca, cb = counts(rows_a), counts(rows_b)
    return {m: newcombe(ca[m][0], ca[m][1], cb[m][0], cb[m][1], 0.95) for m in ca}


scored, current = read("scored.csv"), read("current.csv")
examples = {"overall": compare(scored, current), "channel": {}}
for channel in sorted({r["channel"] for r in scored} & {r["channel"] for r in current}):
    examples["channel"][channel] = compare([r for r in scored if r["channel"] == channel], [r for r in current if r["channel"] == channel])

with open(os.path.join(HERE, "run_comparison.json"), "w") as out:
    json.dump({"newcombe": newcombe_cases, "bootstrap": bootstrap_cases, "examples": examples}, out, indent=1)
    out.write("\n")
