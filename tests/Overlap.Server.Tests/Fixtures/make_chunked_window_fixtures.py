#!/usr/bin/env python3
"""The figures of examples/payments-fraud/scored.csv judged as one window (all 6,000 predictions, threshold 0.15,
'fraud' positive): the confusion counts, recall, precision and false positive rate with statsmodels' Wilson interval
at 95%, recall per channel and per region, sklearn's ROC AUC and Brier score, and numpy's latency percentiles (linear).
ChunkedWindowTests checks the window read in chunks and judged from its cells against them. Regenerate with:

    /usr/bin/python3 tests/Overlap.Server.Tests/Fixtures/make_chunked_window_fixtures.py
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score
from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
THRESHOLD = 0.15

frame = pd.read_csv(os.path.join(ROOT, "examples", "payments-fraud", "scored.csv"))


def proportion(k, n):
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return {"value": k / n, "low": float(low), "high": float(high), "n": int(n)}


def judged(group):
    y = (group["outcome"] == "fraud").to_numpy()
    decided = (group["p_fraud"] >= THRESHOLD).to_numpy()
    tp = int((y & decided).sum())
    fp = int((~y & decided).sum())
    fn = int((y & ~decided).sum())
    tn = int((~y & ~decided).sum())
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "recall": proportion(tp, tp + fn)}


window = judged(frame)
y = (frame["outcome"] == "fraud").to_numpy().astype(int)
score = frame["p_fraud"].to_numpy()
window["precision"] = proportion(window["tp"], window["tp"] + window["fp"])
window["false_positive_rate"] = proportion(window["fp"], window["fp"] + window["tn"])
window["roc_auc"] = float(roc_auc_score(y, score))
window["brier"] = float(brier_score_loss(y, score))
latency = frame["latency_ms"].to_numpy()
window["latency"] = {q: float(np.percentile(latency, p)) for q, p in (("p50", 50), ("p95", 95), ("p99", 99))}
window["n"] = int(len(frame))
segments = {
    column: {str(value): judged(group) for value, group in frame.groupby(column)} for column in ("channel", "region")
}
with open(os.path.join(HERE, "chunked_window.json"), "w") as out:
    json.dump(
        {"generator": "statsmodels proportion_confint (wilson), sklearn, numpy.percentile (linear)",
         "window": window, "segments": segments},
        out,
        indent=1,
        sort_keys=True,
    )
    out.write("\n")
