#!/usr/bin/python3
"""Writes auc_expected.json: scikit-learn's roc_auc_score on the spam model's scores in holdout.csv and
production.csv, for Overlap's own ROC AUC to be checked against.

The two CSVs are the v1 model's scores (SpamModel trained on SpamDemoData.Split's training messages with the
default options) on the held-out early mail and on the later production mail, as SpamDemoData.WriteScoredCsv
writes them. To regenerate them, run the demo tests with OVERLAP_DEMO_WRITE_FIXTURES set to this folder:

    OVERLAP_DEMO_WRITE_FIXTURES=$PWD dotnet test tests/Overlap.Demo.Tests -c Release
    /usr/bin/python3 make_auc_fixtures.py

Debian's python3-sklearn (1.2.1) and only the standard csv module otherwise.
"""
import csv
import json
import os

import sklearn
from sklearn.metrics import roc_auc_score


def auc(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    y = [1 if r["is_spam"] == "spam" else 0 for r in rows]
    p = [float(r["p_spam"]) for r in rows]
    return {"n": len(rows), "positives": sum(y), "roc_auc": roc_auc_score(y, p)}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = {"sklearn": sklearn.__version__}
    for name in ("holdout", "production"):
        out[name] = auc(os.path.join(here, name + ".csv"))
    with open(os.path.join(here, "auc_expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
