#!/usr/bin/python3
"""Writes agreement.json: reviewer agreement as scikit-learn and statsmodels compute it.

Each case is a list of (first opinion, second opinion) label pairs; the figures are the share of matching pairs with
statsmodels' Wilson interval (proportion_confint(method="wilson")) and sklearn.metrics.cohen_kappa_score.
A kappa sklearn cannot compute (chance agreement of 1) is written as null.

Run with Debian's python3-sklearn and python3-statsmodels:  /usr/bin/python3 make_agreement_fixtures.py
"""
import json
import math
import os
import random
import warnings

from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.proportion import proportion_confint

rng = random.Random(20261123)


def noisy(labels, n, flip):
    """n pairs: the first opinion drawn from labels, the second the same unless flipped to another label."""
    pairs = []
    for _ in range(n):
        a = rng.choice(labels)
        b = a if rng.random() >= flip else rng.choice([x for x in labels if x != a])
        pairs.append([a, b])
    return pairs


CASES = [
    ("binary, mostly agreeing", noisy(["spam", "ham"], 200, 0.1), 0.95),
    ("binary, small", [["1", "1"], ["1", "0"], ["0", "0"], ["0", "0"], ["1", "1"]], 0.95),
    ("three classes, noisy", noisy(["billing", "bug", "other"], 120, 0.35), 0.9),
    ("skewed: rare positive", [["0", "0"]] * 90 + [["1", "1"]] * 4 + [["1", "0"]] * 3 + [["0", "1"]] * 3, 0.95),
    ("all disagree", [["a", "b"], ["b", "a"], ["a", "b"]], 0.95),
    ("both sides always one label", [["x", "x"]] * 7, 0.99),
    ("labels only one side uses", [["a", "a"], ["a", "c"], ["b", "b"], ["b", "d"]], 0.8),
]

cases = []
for name, pairs, confidence in CASES:
    first = [p[0] for p in pairs]
    second = [p[1] for p in pairs]
    agreeing = sum(1 for a, b in pairs if a == b)
    low, high = proportion_confint(agreeing, len(pairs), alpha=1 - confidence, method="wilson")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = cohen_kappa_score(first, second)
    cases.append({
        "name": name,
        "pairs": pairs,
        "confidence": confidence,
        "agreeing": agreeing,
        "share": agreeing / len(pairs),
        "low": low,
        "high": high,
        "kappa": None if kappa is None or math.isnan(kappa) else kappa,
    })

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "agreement.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1)
