#!/usr/bin/env python3
"""scikit-learn and statsmodels figures for the multiclass and regression examples in examples/.

    /usr/bin/python3 tests/Overlap.Cli.Tests/Fixtures/examples/make_example_figures.py
rewrites example_figures.json beside this script; the CLI tests compare `overlap eval --format json` with it.
"""
import json
import os

import pandas as pd
from sklearn.metrics import (accuracy_score, f1_score, mean_absolute_error, mean_absolute_percentage_error,
                             mean_squared_error, median_absolute_error, precision_score, r2_score, recall_score)
from statsmodels.stats.proportion import proportion_confint

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
CLASSES = ["billing", "technical", "sales", "account"]


def multiclass(frame):
    y, p = frame["queue"], frame["predicted_queue"]
    right = int((y == p).sum())
    low, high = proportion_confint(right, len(frame), alpha=0.05, method="wilson")
    kw = {"labels": CLASSES, "zero_division": 0}
    return {"n": len(frame), "accuracy": [accuracy_score(y, p), low, high],
            "macro_f1": f1_score(y, p, average="macro", **kw), "weighted_f1": f1_score(y, p, average="weighted", **kw),
            "macro_precision": precision_score(y, p, average="macro", **kw), "macro_recall": recall_score(y, p, average="macro", **kw)}


def regression(frame):
    y, p = frame["actual_minutes"], frame["predicted_minutes"]
    return {"n": len(frame), "mae": mean_absolute_error(y, p), "rmse": mean_squared_error(y, p) ** 0.5, "r2": r2_score(y, p),
            "mape": mean_absolute_percentage_error(y, p), "median_ae": median_absolute_error(y, p)}


def figures(frame, compute, segments):
    out = {"overall": compute(frame), "segments": {}}
    for column in segments:
        out["segments"][column] = {str(k): compute(g) for k, g in frame.groupby(column)}
    return out


tickets = pd.read_csv(os.path.join(ROOT, "examples/ticket-router/scored.csv"))
orders = pd.read_csv(os.path.join(ROOT, "examples/delivery-eta/scored.csv"))
result = {"ticket-router": figures(tickets, multiclass, ["language", "plan"]),
          "delivery-eta": figures(orders, regression, ["city", "vehicle"])}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "example_figures.json"), "w") as f:
    json.dump(result, f, indent=1)
