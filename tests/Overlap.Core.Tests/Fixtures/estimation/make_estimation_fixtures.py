#!/usr/bin/env python3
"""Fixtures for label-free performance estimation (CBPE, as NannyML describes it).

Isotonic calibration is checked against scikit-learn's IsotonicRegression(out_of_bounds="clip"); the expected
confusion matrix and the metrics built from it are plain numpy arithmetic on the calibrated probabilities:
    E[TP] = sum of p over predicted positives, E[FP] = sum of 1-p over predicted positives,
    E[FN] = sum of p over predicted negatives, E[TN] = sum of 1-p over predicted negatives;
the expected ROC AUC is the ROC curve of the raw scores (thresholds at each distinct score, as sklearn's
roc_curve) with each example counted p positive and 1-p negative, integrated with the trapezoid rule.

Experiment arms (experiment_arms.json): two model versions whose scores mean different things (the control's are
over-confident, the truth is score**1.8; the treatment's under-confident, the truth is score**0.5). Each arm's
predictions awaiting labels are estimated with an IsotonicRegression fitted on that arm's own labelled predictions
("per_arm"), and, for contrast, with one fitted on both arms' labelled predictions together ("shared"), which is what
a calibration not kept per arm would give; "realised" is what the awaiting predictions' generated labels show.

    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/estimation/make_estimation_fixtures.py
"""
import json
import os

import numpy as np
from sklearn.isotonic import IsotonicRegression

HERE = os.path.dirname(os.path.abspath(__file__))


def expected_auc(scores, p):
    order = np.argsort(-scores, kind="mergesort")
    s, w = scores[order], p[order]
    distinct = np.where(np.diff(s))[0]
    ends = np.r_[distinct, len(s) - 1]
    tps = np.cumsum(w)[ends]
    fps = np.cumsum(1 - w)[ends]
    tpr = np.r_[0, tps / tps[-1]]
    fpr = np.r_[0, fps / fps[-1]]
    return float(np.trapz(tpr, fpr))


def case(name, rng, n_ref, n_cur, threshold, shift, rounding):
    ref_scores = np.round(rng.beta(1.2, 3.0, n_ref), rounding)
    ref_labels = (rng.random(n_ref) < ref_scores ** 1.6).astype(int)  # over-confident scores
    cur_scores = np.round(np.clip(rng.beta(1.2 + shift, 3.0, n_cur), 0, 1), rounding)
    # Some current scores outside the reference range, to exercise clipping.
    cur_scores[:3] = [0.0, 1.0, float(ref_scores.max()) + 0.001 if ref_scores.max() < 0.999 else 1.0]
    iso = IsotonicRegression(out_of_bounds="clip").fit(ref_scores, ref_labels)
    p = iso.predict(cur_scores)
    d = cur_scores >= threshold
    tp, fp = p[d].sum(), (1 - p[d]).sum()
    fn, tn = p[~d].sum(), (1 - p[~d]).sum()
    return {
        "name": name,
        "threshold": threshold,
        "reference_scores": ref_scores.tolist(),
        "reference_labels": ref_labels.tolist(),
        "current_scores": cur_scores.tolist(),
        "calibrated": p.tolist(),
        "expected": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "metrics": {
            "precision": tp / (tp + fp),
            "recall": tp / (tp + fn),
            "false_positive_rate": fp / (fp + tn),
            "specificity": tn / (fp + tn),
            "accuracy": (tp + tn) / len(p),
            "f1": 2 * tp / (2 * tp + fp + fn),
            "roc_auc": expected_auc(cur_scores, p),
        },
    }


def cbpe(scores, p, threshold):
    d = scores >= threshold
    tp, fp = p[d].sum(), (1 - p[d]).sum()
    fn, tn = p[~d].sum(), (1 - p[~d]).sum()
    return {
        "precision": tp / (tp + fp),
        "recall": tp / (tp + fn),
        "false_positive_rate": fp / (fp + tn),
        "specificity": tn / (fp + tn),
        "accuracy": (tp + tn) / len(p),
        "f1": 2 * tp / (2 * tp + fp + fn),
    }


def realised(scores, labels, threshold):
    d = scores >= threshold
    y = labels == 1
    tp, fp, fn, tn = (d & y).sum(), (d & ~y).sum(), (~d & y).sum(), (~d & ~y).sum()
    return {"recall": tp / (tp + fn), "false_positive_rate": fp / (fp + tn), "precision": tp / (tp + fp)}


def experiment_arms():
    rng = np.random.default_rng(20261203)
    threshold = 0.5
    arms = []
    for version, power in [("v1", 1.8), ("v2", 0.5)]:
        scores = np.round(rng.beta(1.5, 1.5, 2400), 3)
        labels = (rng.random(len(scores)) < scores ** power).astype(int)
        arms.append({"version": version, "scores": scores, "labels": labels, "labelled": 1600})
    pooled_scores = np.concatenate([a["scores"][: a["labelled"]] for a in arms])
    pooled_labels = np.concatenate([a["labels"][: a["labelled"]] for a in arms])
    shared = IsotonicRegression(out_of_bounds="clip").fit(pooled_scores, pooled_labels)
    out = []
    for a in arms:
        k = a["labelled"]
        own = IsotonicRegression(out_of_bounds="clip").fit(a["scores"][:k], a["labels"][:k])
        awaiting = a["scores"][k:]
        out.append({
            "version": a["version"],
            "labelled_scores": a["scores"][:k].tolist(),
            "labels": a["labels"][:k].tolist(),
            "awaiting_scores": awaiting.tolist(),
            "per_arm": cbpe(awaiting, own.predict(awaiting), threshold),
            "shared": cbpe(awaiting, shared.predict(awaiting), threshold),
            "realised": {k2: float(v) for k2, v in realised(awaiting, a["labels"][k:], threshold).items()},
        })
    return {"generator": "sklearn.isotonic.IsotonicRegression + numpy", "threshold": threshold, "arms": out}


def main():
    rng = np.random.default_rng(20261123)
    cases = [
        case("small, many ties", rng, 300, 200, 0.3, 0.0, 2),
        case("larger, shifted", rng, 3000, 1500, 0.25, 0.4, 4),
        case("fine scores", rng, 2000, 800, 0.5, -0.2, 6),
    ]
    with open(os.path.join(HERE, "estimation_fixtures.json"), "w") as out:
        json.dump({"generator": "sklearn.isotonic.IsotonicRegression + numpy", "cases": cases}, out)
        out.write("\n")
    with open(os.path.join(HERE, "experiment_arms.json"), "w") as out:
        json.dump(experiment_arms(), out)
        out.write("\n")


if __name__ == "__main__":
    main()
