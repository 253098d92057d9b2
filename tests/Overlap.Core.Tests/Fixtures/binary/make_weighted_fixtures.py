#!/usr/bin/env python3
"""Reference figures for binary metrics over rows that stand for many examples (sample_weight in scikit-learn).

Run with Debian's python3-sklearn and python3-statsmodels:
    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/binary/make_weighted_fixtures.py
It rewrites weighted_fixtures.json beside this script. Each case holds the rows (score, label, segment code) with
their integer frequency, and the figures scikit-learn and statsmodels give with those frequencies as weights.
"""
import json
import os

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from statsmodels.stats.proportion import proportion_confint

CONFIDENCE = 0.95
THRESHOLD = 0.5


def wilson(successes, trials):
    low, high = proportion_confint(successes, trials, alpha=1 - CONFIDENCE, method="wilson")
    return {"value": successes / trials, "ci_low": float(low), "ci_high": float(high), "n": int(trials)}


def figures(scores, labels, weights):
    decided = scores >= THRESHOLD
    tp = int(weights[decided & (labels == 1)].sum())
    fp = int(weights[decided & (labels == 0)].sum())
    fn = int(weights[~decided & (labels == 1)].sum())
    tn = int(weights[~decided & (labels == 0)].sum())
    # ECE: 10 equal-width bins, bin min(floor(10 s), 9), weighted.
    bins = np.minimum((scores * 10).astype(int), 9)
    ece = 0.0
    total = weights.sum()
    for b in range(10):
        m = bins == b
        n = weights[m].sum()
        if n > 0:
            ece += n / total * abs((weights[m] * labels[m]).sum() / n - (weights[m] * scores[m]).sum() / n)
    return {
        "n": int(total),
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "recall": wilson(tp, tp + fn),
        "precision": wilson(tp, tp + fp),
        "false_positive_rate": wilson(fp, fp + tn),
        "accuracy": wilson(tp + tn, tp + fp + fn + tn),
        "f1": 2 * tp / (2 * tp + fp + fn),
        "roc_auc": float(roc_auc_score(labels, scores, sample_weight=weights)),
        "pr_auc": float(average_precision_score(labels, scores, sample_weight=weights)),
        "brier": float(brier_score_loss(labels, scores, sample_weight=weights)),
        "log_loss": float(log_loss(labels, scores, sample_weight=weights, labels=[0, 1])),
        "ece": float(ece),
    }


def case(name, seed, rows):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, rows)
    scores = np.clip(np.round(rng.beta(2 + 3 * labels, 5 - 3 * labels), 3), 0, 1)
    codes = rng.integers(0, 3, rows)
    weights = rng.integers(1, 60, rows)
    result = {
        "name": name,
        "threshold": THRESHOLD,
        "scores": scores.tolist(),
        "labels": labels.tolist(),
        "codes": codes.tolist(),
        "segment_values": ["a", "b", "c"],
        "frequencies": weights.tolist(),
        "overall": figures(scores, labels, weights),
        "segments": {v: figures(scores[codes == i], labels[codes == i], weights[codes == i]) for i, v in enumerate(["a", "b", "c"])},
    }
    return result


def main():
    cases = [case("small", 11, 300), case("larger", 12, 3000)]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weighted_fixtures.json")
    with open(out, "w") as f:
        json.dump({"cases": cases}, f)


if __name__ == "__main__":
    main()
