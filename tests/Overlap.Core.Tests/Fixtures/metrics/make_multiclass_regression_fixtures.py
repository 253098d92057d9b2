#!/usr/bin/python3
"""Golden figures for the multiclass and regression engines (MulticlassEvaluatorTests, RegressionEvaluatorTests).

Run with Debian's python3-sklearn / python3-statsmodels:  /usr/bin/python3 make_multiclass_regression_fixtures.py
Writes multiclass_cases.json and regression_cases.json beside this script. Undefined figures are null.
"""
import json
import os
import warnings

import numpy as np
import sklearn
import statsmodels
from sklearn.metrics import (confusion_matrix, f1_score, mean_absolute_error, mean_absolute_percentage_error,
                             mean_squared_error, median_absolute_error, precision_recall_fscore_support,
                             precision_score, r2_score, recall_score)
from statsmodels.stats.proportion import proportion_confint

warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning for the empty and one-row groups
HERE = os.path.dirname(os.path.abspath(__file__))
CONFIDENCE = 0.95


def num(x):
    x = float(x)
    return None if np.isnan(x) else x


def wilson(successes, trials):
    if trials == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    low, high = proportion_confint(successes, trials, alpha=1 - CONFIDENCE, method="wilson")
    return {"value": successes / trials, "ci_low": float(low), "ci_high": float(high), "n": int(trials)}


def multiclass_group(y, p, k):
    labels = list(range(k))
    n = len(y)
    cm = confusion_matrix(y, p, labels=labels) if n else np.zeros((k, k), dtype=int)
    group = {"n": n, "confusion": cm.tolist()}
    if n == 0:
        group["metrics"] = {m: None for m in ("macro_f1", "weighted_f1", "macro_precision", "macro_recall")}
        group["accuracy"] = wilson(0, 0)
    else:
        group["metrics"] = {
            "macro_f1": float(f1_score(y, p, labels=labels, average="macro", zero_division=0)),
            "weighted_f1": float(f1_score(y, p, labels=labels, average="weighted", zero_division=0)),
            "macro_precision": float(precision_score(y, p, labels=labels, average="macro", zero_division=0)),
            "macro_recall": float(recall_score(y, p, labels=labels, average="macro", zero_division=0)),
        }
        group["accuracy"] = wilson(int(np.trace(cm)), n)
    classes = []
    if n:
        _, _, f1, _ = precision_recall_fscore_support(y, p, labels=labels, average=None, zero_division=0)
    for c in labels:
        support = int(cm[c, :].sum())
        predicted = int(cm[:, c].sum())
        hits = int(cm[c, c])
        # The engine reports undefined per-class figures as NaN where sklearn's zero_division=0 gives 0.
        classes.append({
            "support": support,
            "predicted": predicted,
            "precision": wilson(hits, predicted),
            "recall": wilson(hits, support),
            "f1": float(f1[c]) if support + predicted > 0 else None,
        })
    group["classes"] = classes
    return group


def with_segments(make_group, columns, *arrays):
    case = {"overall": make_group(*arrays), "segments": []}
    for column in columns:
        codes = np.asarray(column["codes"])
        values = [make_group(*[a[codes == v] for a in arrays]) for v in range(len(column["values"]))]
        case["segments"].append({"name": column["name"], "values": values})
    return case


def multiclass_case(name, classes, y, p, columns):
    k = len(classes)
    case = {"name": name, "classes": classes, "labels": y.tolist(), "predictions": p.tolist(),
            "columns": [{"name": c["name"], "values": c["values"], "codes": c["codes"].tolist()} for c in columns]}
    case.update(with_segments(lambda a, b: multiclass_group(a, b, k), columns, y, p))
    return case


def noisy(rng, y, k, accuracy):
    p = y.copy()
    wrong = rng.random(len(y)) > accuracy
    p[wrong] = rng.integers(0, k, wrong.sum())
    return p


def multiclass_cases():
    rng = np.random.default_rng(20240611)
    cases = []

    # Imbalanced four classes, a segment with missing codes.
    n = 600
    y = rng.choice(4, size=n, p=[0.6, 0.25, 0.1, 0.05])
    p = noisy(rng, y, 4, 0.75)
    region = rng.choice([-1, 0, 1, 2], size=n, p=[0.1, 0.5, 0.3, 0.1])
    cases.append(multiclass_case("imbalanced", ["a", "b", "c", "d"], y, p,
                                 [{"name": "region", "values": ["eu", "us", "apac"], "codes": region}]))

    # Class "rare" is never predicted: precision undefined, recall 0.
    n = 300
    y = rng.choice(3, size=n, p=[0.5, 0.4, 0.1])
    p = noisy(rng, y, 2, 0.8)
    p[p == 2] = 0
    size = rng.choice(2, size=n)
    cases.append(multiclass_case("never_predicted", ["cat", "dog", "rare"], y, p,
                                 [{"name": "size", "values": ["small", "large"], "codes": size}]))

    # Class 3 absent from channel "web" and never predicted there (it still counts 0 in that value's macro
    # means, as sklearn with labels=); channel "mail" has no rows at all.
    n = 400
    y = rng.choice(4, size=n, p=[0.3, 0.3, 0.2, 0.2])
    p = noisy(rng, y, 4, 0.7)
    seg = rng.choice(2, size=n)
    seg[y == 3] = 1
    p[(seg == 0) & (p == 3)] = 0
    # A second column where class 3 is absent from "x" but predicted there a few times.
    other = np.where(y == 3, 1, rng.choice(2, size=n))
    p[np.flatnonzero((other == 0) & (y == 0) & (seg == 1))[:5]] = 3
    cases.append(multiclass_case("absent_in_segment", ["w", "x", "y", "z"], y, p, [
        {"name": "channel", "values": ["web", "app", "mail"], "codes": seg},
        {"name": "tier", "values": ["x", "y"], "codes": other},
    ]))
    return cases


def regression_group(y, p):
    n = len(y)
    if n == 0:
        return {"n": 0, "metrics": {m: None for m in ("mae", "rmse", "r2", "mape", "median_ae")}}
    return {"n": n, "metrics": {
        "mae": float(mean_absolute_error(y, p)),
        "rmse": float(mean_squared_error(y, p, squared=False)),
        "r2": num(r2_score(y, p)),
        "mape": float(mean_absolute_percentage_error(y, p)),
        "median_ae": float(median_absolute_error(y, p)),
    }}


def regression_case(name, y, p, columns):
    case = {"name": name, "targets": y.tolist(), "predictions": p.tolist(),
            "columns": [{"name": c["name"], "values": c["values"], "codes": c["codes"].tolist()} for c in columns]}
    case.update(with_segments(regression_group, columns, y, p))
    return case


def regression_cases():
    rng = np.random.default_rng(7)
    cases = []

    # Constant segment values: "flat" (y = 2.5, wrong predictions, r2 0), "exact" (y = 4, exact, r2 1),
    # "single" (one row, r2 undefined) and "none" (no rows).
    n = 400
    y = rng.normal(10, 3, n)
    p = y + rng.normal(0, 1.5, n)
    band = rng.choice([0, 1, -1], size=n, p=[0.5, 0.4, 0.1])
    band[:20] = 2
    y[:20] = 2.5
    band[20:30] = 3
    y[20:30] = 4.0
    p[20:30] = 4.0
    band[30] = 4
    cases.append(regression_case("constant_segments", y, p, [
        {"name": "band", "values": ["low", "high", "flat", "exact", "single", "none"], "codes": band}]))

    # Zeros among the targets: MAPE divides by eps there.
    n = 250
    y = np.round(rng.exponential(2.0, n), 1)
    y[rng.random(n) < 0.1] = 0.0
    p = np.maximum(0, y + rng.normal(0, 0.5, n))
    p[:3] = y[:3]
    kind = rng.choice(2, size=n)
    cases.append(regression_case("zeros_in_target", y, p,
                                 [{"name": "kind", "values": ["a", "b"], "codes": kind}]))

    # Even count with tied errors, large offset (mean 1e6) for the centring.
    y = 1e6 + np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    p = y + np.array([0.5, -0.5, 1.0, -1.0, 0.5, 2.0, -3.0, 0.25, 0.5, 1.0])
    half = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    cases.append(regression_case("even_ties_offset", y, p,
                                 [{"name": "half", "values": ["first", "second"], "codes": half}]))
    return cases


def main():
    meta = {"sklearn": sklearn.__version__, "numpy": np.__version__, "statsmodels": statsmodels.__version__,
            "confidence": CONFIDENCE}
    for file, cases in (("multiclass_cases.json", multiclass_cases()), ("regression_cases.json", regression_cases())):
        with open(os.path.join(HERE, file), "w", encoding="utf-8") as f:
            json.dump({"generator": meta, "cases": cases}, f, allow_nan=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
