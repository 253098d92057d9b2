#!/usr/bin/python3
"""Writes judge_agreement.json: how far a model judge agrees with people on one rubric criterion.

Each case is a list of (people's grade, model's grade) pairs on one criterion: 0/1 on a pass_fail criterion, 1-5 on a
1-5 one (passing at pass_at). The figures, on pass/fail after pass_at:
- agreement: the share of outputs graded alike, with statsmodels' Wilson interval (proportion_confint(method="wilson"));
- kappa: sklearn.metrics.cohen_kappa_score(people, model), its asymptotic interval from
  statsmodels.stats.inter_rater.cohens_kappa(table): kappa -/+ norm.isf((1 - confidence) / 2) * std_kappa (statsmodels
  fixes alpha at 0.025, a 95% interval; its kappa_low/kappa_upp are checked equal at 95%);
- leniency: the model's pass rate minus people's on the same outputs, with Newcombe's hybrid score interval for a
  paired difference (method 10 of Newcombe 1998, Statistics in Medicine 17:2635-2650), built by the published formula
  from statsmodels' Wilson bounds of each pass rate and the uncorrected phi = (ad - bc) / sqrt(product of margins)
  (0 when a margin is empty);
- on 1-5: the exact-grade agreement and cohen_kappa_score(..., weights="quadratic", labels=[1, 2, 3, 4, 5]).
A figure that cannot be computed (kappa when both sides give one same grade, anything with no output) is null.
The verdict: "stand_in" when the agreement interval's lower bound >= min_agreement, "cannot" when its upper bound is
below it, else "not_enough_data".

Run with Debian's python3-sklearn and python3-statsmodels:  /usr/bin/python3 make_judge_agreement_fixtures.py
"""
import json
import math
import os
import random
import warnings

import numpy as np
from scipy.stats import norm
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

rng = random.Random(20261203)


def pass_fail(n, people_pass, flip_to_pass, flip_to_fail):
    """n pairs: people pass with people_pass; the model agrees unless it flips a fail to pass or a pass to fail."""
    pairs = []
    for _ in range(n):
        p = 1 if rng.random() < people_pass else 0
        if p == 0 and rng.random() < flip_to_pass:
            m = 1
        elif p == 1 and rng.random() < flip_to_fail:
            m = 0
        else:
            m = p
        pairs.append([p, m])
    return pairs


def one_to_five(n, spread):
    """n pairs of 1-5 grades: the model's grade is people's moved by up to `spread`, kept in 1-5."""
    pairs = []
    for _ in range(n):
        p = rng.choice([1, 2, 3, 4, 5, 4, 5, 3])
        m = min(5, max(1, p + rng.randint(-spread, spread)))
        pairs.append([p, m])
    return pairs


CASES = [
    # name, scale, pass_at, pairs, confidence, min_agreement
    ("pass_fail, agreeing, large", "pass_fail", 4, pass_fail(180, 0.8, 0.25, 0.03), 0.95, 0.8),
    ("pass_fail, lenient judge", "pass_fail", 4, pass_fail(150, 0.6, 0.6, 0.02), 0.95, 0.8),
    ("pass_fail, small", "pass_fail", 4, pass_fail(14, 0.5, 0.1, 0.1), 0.9, 0.8),
    ("pass_fail, perfect agreement", "pass_fail", 4, [[1, 1]] * 30 + [[0, 0]] * 12, 0.95, 0.8),
    ("pass_fail, all pass on both sides", "pass_fail", 4, [[1, 1]] * 25, 0.95, 0.8),
    ("pass_fail, one output", "pass_fail", 4, [[1, 0]], 0.95, 0.8),
    ("pass_fail, no output", "pass_fail", 4, [], 0.95, 0.8),
    ("pass_fail, all disagree", "pass_fail", 4, [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]], 0.95, 0.5),
    ("pass_fail, strict judge", "pass_fail", 4, [[1, 1]] * 40 + [[1, 0]] * 15 + [[0, 0]] * 20 + [[0, 1]] * 2, 0.99, 0.7),
    ("1-5, close grades", "1-5", 4, one_to_five(160, 1), 0.95, 0.8),
    ("1-5, loose grades, pass at 3", "1-5", 3, one_to_five(60, 2), 0.95, 0.6),
    ("1-5, some grades unused", "1-5", 4, [[5, 5]] * 9 + [[4, 5]] * 4 + [[2, 2]] * 5 + [[2, 4]] * 2 + [[5, 4]] * 3, 0.95, 0.8),
]


def nullable(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def wilson(count, n, confidence):
    low, high = proportion_confint(count, n, alpha=1 - confidence, method="wilson")
    return float(low), float(high)


cases = []
for name, scale, pass_at, pairs, confidence, min_agreement in CASES:
    n = len(pairs)
    people = [p for p, _ in pairs]
    model = [m for _, m in pairs]
    passes = (lambda g: g == 1) if scale == "pass_fail" else (lambda g, t=pass_at: g >= t)
    pp = [1 if passes(g) else 0 for g in people]
    mp = [1 if passes(g) else 0 for g in model]
    case = {"name": name, "scale": scale, "pass_at": pass_at, "pairs": pairs, "confidence": confidence,
            "min_agreement": min_agreement, "n": n}
    if n == 0:
        case.update({k: None for k in ["agreeing", "share", "low", "high", "kappa", "kappa_low", "kappa_high",
                                       "exact_share", "weighted_kappa", "model_pass_rate", "people_pass_rate",
                                       "leniency", "leniency_low", "leniency_high"]})
        case["agreeing"] = 0
        case["verdict"] = "not_enough_data"
        cases.append(case)
        continue
    agreeing = sum(1 for a, b in zip(pp, mp) if a == b)
    low, high = wilson(agreeing, n, confidence)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = cohen_kappa_score(pp, mp, labels=[0, 1])
        table = np.zeros((2, 2))
        for a, b in zip(pp, mp):
            table[a, b] += 1
        result = cohens_kappa(table)
    kappa = nullable(kappa)
    half = norm.isf((1 - confidence) / 2) * result["std_kappa"]
    if kappa is not None and confidence == 0.95:
        assert abs(result["kappa_low"] - (kappa - half)) < 1e-12 and abs(result["kappa_upp"] - (kappa + half)) < 1e-12
    # statsmodels' kappa equals sklearn's whenever sklearn can compute it; check, so the fixture holds one kappa.
    if kappa is not None:
        assert abs(result["kappa"] - kappa) < 1e-12, (name, result["kappa"], kappa)
    a = sum(1 for x, y in zip(pp, mp) if x == 1 and y == 1)   # both pass
    b = sum(1 for x, y in zip(pp, mp) if x == 0 and y == 1)   # the model passes, people fail
    c = sum(1 for x, y in zip(pp, mp) if x == 1 and y == 0)   # people pass, the model fails
    d = n - a - b - c
    p1, p2 = (a + b) / n, (a + c) / n                         # model's and people's pass rates
    l1, u1 = wilson(a + b, n, confidence)
    l2, u2 = wilson(a + c, n, confidence)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0 if margins == 0 else (a * d - b * c) / math.sqrt(margins)
    lenient = p1 - p2
    len_low = lenient - math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    len_high = lenient + math.sqrt((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2)
    case.update({
        "agreeing": agreeing, "share": agreeing / n, "low": low, "high": high,
        "kappa": kappa,
        "kappa_low": None if kappa is None else nullable(kappa - half),
        "kappa_high": None if kappa is None else nullable(kappa + half),
        "model_pass_rate": p1, "people_pass_rate": p2,
        "leniency": lenient, "leniency_low": len_low, "leniency_high": len_high,
        "exact_share": None, "weighted_kappa": None,
    })
    if scale == "1-5":
        case["exact_share"] = sum(1 for x, y in pairs if x == y) / n
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            case["weighted_kappa"] = nullable(cohen_kappa_score(people, model, weights="quadratic",
                                                                labels=[1, 2, 3, 4, 5]))
    case["verdict"] = "stand_in" if low >= min_agreement else "cannot" if high < min_agreement else "not_enough_data"
    cases.append(case)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "judge_agreement.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1)
