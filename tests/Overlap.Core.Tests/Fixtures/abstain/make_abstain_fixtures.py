#!/usr/bin/python3
"""Writes abstain.json: the abstain band's cost trade-off on the payments-fraud example, by brute force with numpy.

A band [low, high] around the decision threshold t sends every case whose score s has low <= s <= high to a person,
at `review_cost` each, and a person decides it rightly; outside the band the model decides (positive when s >= t).
The cost of a band is review_cost x cases in the band + false_positive x the negatives decided positive + false_negative
x the positives decided negative; per 1,000 cases, divided by all cases. The band that costs least is found here by
trying every pair of cut points (each distinct score below t as `low`, each distinct score at or above t as `high`, and
no band on either side), the narrowest of equal cost; the C# code finds it another way (each side on its own).
Also: the cost with no band, with the example contract's review band (0.4 to 0.6), and with bands t - w to t + w for
w = 0.01, 0.02, ..., 0.50 (cut at 0 and 1, rounded to 10 decimals).

Run with Debian's python3-numpy and python3-pandas:  /usr/bin/python3 make_abstain_fixtures.py
"""
import json
import os

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "..", "examples", "payments-fraud", "scored.csv")
T, FP, FN, REVIEW = 0.15, 2.0, 25.0, 1.5

frame = pd.read_csv(DATA)
scores = frame["p_fraud"].to_numpy(dtype=float)
labels = (frame["outcome"] == "fraud").to_numpy()
n = len(scores)


def band(low, high):
    """Counts and cost per 1,000 of a band (None, None = no band)."""
    inside = np.zeros(n, dtype=bool) if low is None else (scores >= low) & (scores <= high)
    decided = ~inside
    fp = int(np.sum(decided & (scores >= T) & ~labels))
    fn = int(np.sum(decided & (scores < T) & labels))
    reviewed = int(np.sum(inside))
    cost = REVIEW * reviewed + FP * fp + FN * fn
    return {
        "low": low,
        "high": high,
        "reviewed": reviewed,
        "false_positives": fp,
        "false_negatives": fn,
        "cost_per_1000": 1000.0 * cost / n,
    }


below = np.unique(scores[scores < T])
above = np.unique(scores[scores >= T])
# Every pair: lows as a column (None = no lower band), highs as a row (None = no upper band).
low_cuts = np.concatenate([below, [np.inf]])  # inf: nothing below t is reviewed
high_cuts = np.concatenate([[-np.inf], above])  # -inf: nothing at or above t is reviewed
below_scores, above_scores = scores[scores < T], scores[scores >= T]
below_pos, above_neg = labels[scores < T], ~labels[scores >= T]
# Lower side per cut: reviewed = below-t scores >= low; missed = positives below low.
low_reviewed = np.array([np.sum(below_scores >= c) for c in low_cuts])
low_missed = np.array([np.sum(below_pos & (below_scores < c)) for c in low_cuts])
high_reviewed = np.array([np.sum(above_scores <= c) for c in high_cuts])
high_flagged = np.array([np.sum(above_neg & (above_scores > c)) for c in high_cuts])
cost = (
    REVIEW * (low_reviewed[:, None] + high_reviewed[None, :])
    + FN * low_missed[:, None]
    + FP * high_flagged[None, :]
)
reviewed = low_reviewed[:, None] + high_reviewed[None, :]
best = cost.min()
ties = np.argwhere(np.isclose(cost, best, rtol=0, atol=1e-9))
i, j = min(ties, key=lambda ij: (reviewed[ij[0], ij[1]], -low_cuts[ij[0]], high_cuts[ij[1]]))
low = None if np.isinf(low_cuts[i]) else float(low_cuts[i])
high = None if np.isinf(high_cuts[j]) else float(high_cuts[j])
# A band open on one side is closed at t on it, as the C# code states it.
optimal = band(low if low is not None else T, high if high is not None else T) if (low, high) != (None, None) else band(None, None)
if low is None and high is not None:
    # Nothing below t reviewed: the band starts at t.
    optimal = band(T, high)
if high is None and low is not None:
    # Nothing at or above t reviewed: the band must stop below t; the largest score below t is its top.
    optimal = band(low, float(below.max()))
assert abs(optimal["cost_per_1000"] - 1000.0 * best / n) < 1e-9, (optimal, best)

curve = []
for k in range(1, 51):
    w = k / 100.0
    curve.append(band(max(0.0, round(T - w, 10)), min(1.0, round(T + w, 10))) | {"width": w})

result = {
    "source": "examples/payments-fraud/scored.csv",
    "threshold": T,
    "false_positive": FP,
    "false_negative": FN,
    "review_cost": REVIEW,
    "n": n,
    "none": band(None, None),
    "current": band(0.4, 0.6),
    "optimal": optimal,
    "optimal_cost_per_1000": 1000.0 * float(best) / n,
    "curve": curve,
}
with open(os.path.join(HERE, "abstain.json"), "w") as f:
    json.dump(result, f, indent=1)
print(json.dumps({k: result[k] for k in ("none", "current", "optimal")}, indent=1))
