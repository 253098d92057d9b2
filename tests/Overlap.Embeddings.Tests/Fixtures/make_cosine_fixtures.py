#!/usr/bin/python3
"""Writes cosines.json: the cosine of every pair of the vectors in reference-vectors.json, as numpy computes it
(float64 dot product over the product of the norms), to check Overlap's VectorSimilarity.Cosine.

Run with Debian's python3 (python3-numpy), after the vectors are recorded (see README.md beside this script):
    /usr/bin/python3 tests/Overlap.Embeddings.Tests/Fixtures/make_cosine_fixtures.py
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "reference-vectors.json"), encoding="utf-8") as f:
    recorded = json.load(f)
v = np.array([s["vector"] for s in recorded["sentences"]], dtype=np.float32).astype(np.float64)
norms = np.linalg.norm(v, axis=1)
cosine = (v @ v.T) / np.outer(norms, norms)
out = {"numpy": np.__version__, "texts": [s["text"] for s in recorded["sentences"]],
       "cosine": [[float(x) for x in row] for row in cosine]}
with open(os.path.join(HERE, "cosines.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
