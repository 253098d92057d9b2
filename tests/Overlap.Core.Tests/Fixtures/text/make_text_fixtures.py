#!/usr/bin/python3
"""Writes text_fixtures.json: reference figures for Overlap's text drift (ROC AUC of two score samples, the text
descriptors of fixed texts, the unbiased MMD² of fixed vectors).

Run with Debian's python3 (python3-numpy, python3-sklearn):
    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/text/make_text_fixtures.py
Seeded, so the output repeats exactly for the same library versions (recorded in the file).

The descriptors follow docs/drift.md ("Text columns"), written here independently of the C# code:
- length: the number of code points (Python's len);
- words: maximal runs of characters that are letters or numbers (str.isalpha() or str.isnumeric()), lower-cased;
- unknown words: the share of a text's words found in no reference text; for a reference text, in no *other*
  reference text (leave one out); None when the text has no words;
- non-ASCII letters: the share of letters (str.isalpha()) above U+007F; None when the text has no letters.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261203)


def auc_case(name, positives, negatives):
    y = [1] * len(positives) + [0] * len(negatives)
    s = list(positives) + list(negatives)
    return {"name": name, "positives": [float(x) for x in positives], "negatives": [float(x) for x in negatives],
            "auc": float(roc_auc_score(y, s))}


def words(text):
    out, cur = [], []
    for ch in text:
        if ch.isalpha() or ch.isnumeric():
            cur.append(ch.lower())
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def non_ascii(text):
    letters = [ch for ch in text if ch.isalpha()]
    return None if not letters else sum(1 for ch in letters if ord(ch) > 127) / len(letters)


reference = [
    "Thanks for writing in! Your refund was issued today.",
    "Your order shipped on Monday and should arrive this week.",
    "We are sorry the parcel arrived damaged; a replacement is on its way.",
    "Your refund will reach your card within 5 business days.",
    "",
    "Café orders are shipped from our Zürich warehouse.",
]
current = [
    "Ihre Rückerstattung wurde heute veranlasst.",
    "Your refund was issued today, thanks for your patience!",
    "El paquete llegó dañado; enviamos otro mañana.",
    "!!!",
    "Order 12345 shipped.",
]

rows_with_word = {}
for t in reference:
    for w in set(words(t)):
        rows_with_word[w] = rows_with_word.get(w, 0) + 1


def describe(text, own):
    ws = words(text)
    known = 1 if own else 0
    unknown = None if not ws else sum(1 for w in ws if rows_with_word.get(w, 0) <= known) / len(ws)
    return {"text": text, "length": len(text), "words": len(ws), "unknown_words": unknown,
            "non_ascii_letters": non_ascii(text)}


a = np.round(rng.normal(0.3, 1.0, 40), 3)
b = np.round(rng.normal(0.0, 1.0, 55), 3)
fixtures = {
    "versions": {"numpy": np.__version__, "sklearn": sklearn.__version__},
    "auc": [
        auc_case("separated", [3.0, 4.0, 5.0], [0.0, 1.0, 2.0]),
        auc_case("reversed", [0.0, 1.0], [2.0, 3.0, 4.0]),
        auc_case("ties", [1.0, 1.0, 2.0, 3.0, 3.0], [1.0, 2.0, 2.0, 3.0]),
        auc_case("all_tied", [0.5, 0.5], [0.5, 0.5, 0.5]),
        auc_case("normal", a, b),
    ],
    "descriptors": {
        "reference": [describe(t, True) for t in reference],
        "current": [describe(t, False) for t in current],
    },
}


def mmd_case(name, x, y):
    """Unbiased MMD² with a Gaussian kernel whose width is the median pairwise distance of the pooled rows."""
    x = np.round(np.asarray(x, dtype=np.float32), 4)
    y = np.round(np.asarray(y, dtype=np.float32), 4)
    z = np.vstack([x, y]).astype(np.float64)
    d2 = ((z[:, None, :] - z[None, :, :]) ** 2).sum(-1)
    iu = np.triu_indices(len(z), 1)
    sigma = float(np.median(np.sqrt(d2[iu])))
    k = np.exp(-d2 / (2 * sigma * sigma))
    n, m = len(x), len(y)
    kxx, kyy, kxy = k[:n, :n], k[n:, n:], k[:n, n:]
    mmd2 = ((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
            - 2 * kxy.mean())
    return {"name": name, "x": x.tolist(), "y": y.tolist(), "sigma": sigma, "mmd2": float(mmd2)}


fixtures["mmd"] = [
    mmd_case("same", rng.normal(0, 1, (20, 5)), rng.normal(0, 1, (25, 5))),
    mmd_case("shifted", rng.normal(0, 1, (20, 5)), rng.normal(1, 1, (25, 5))),
    mmd_case("odd_total", rng.normal(0, 1, (6, 3)), rng.normal(0, 2, (7, 3))),
]
with open(os.path.join(HERE, "text_fixtures.json"), "w", encoding="utf-8") as f:
    json.dump(fixtures, f, indent=1, ensure_ascii=False)
    f.write("\n")
