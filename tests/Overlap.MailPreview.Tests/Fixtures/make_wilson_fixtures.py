#!/usr/bin/python3
"""Writes wilson.json: statsmodels' Wilson interval at 95% for every k successes of n trials, n from 1 to 80.

The production test of the mail-preview scenario counts, from the scripted readers' and reviewers' rules, how many of
the replayed previews each rate should hold, and looks the interval the server must report up here.

Run with Debian's python3-statsmodels:  /usr/bin/python3 make_wilson_fixtures.py
"""
import json
import os

from statsmodels.stats.proportion import proportion_confint

intervals = {}
for n in range(1, 81):
    rows = []
    for k in range(n + 1):
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        rows.append([float(low), float(high)])
    intervals[str(n)] = rows

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "wilson.json"), "w") as f:
    json.dump({"confidence": 0.95, "intervals": intervals}, f, separators=(",", ":"))
    f.write("\n")
