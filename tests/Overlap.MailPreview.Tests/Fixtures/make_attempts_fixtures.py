#!/usr/bin/python3
"""Writes attempts.json: statsmodels' t interval at 95% for the mean attempts per guarded call, when k of n calls were
asked twice and the rest once (the mail-preview contract allows two attempts), for n from 1 to 80, cut at 0.

The production test of the mail-preview scenario counts, from the stand-in model's script, how many previews of each
replayed day needed a second try, and looks up the interval the server must report for attempts_per_call here. With
one call the interval is undefined (null), as the server reports it.

Run with Debian's python3-statsmodels:  /usr/bin/python3 make_attempts_fixtures.py
"""
import json
import math
import os

from statsmodels.stats.weightstats import DescrStatsW

intervals = {}
for n in range(1, 81):
    rows = []
    for k in range(n + 1):
        d = DescrStatsW([2.0] * k + [1.0] * (n - k))
        low, high = d.tconfint_mean(alpha=0.05)
        if math.isnan(low) or math.isnan(high):
            rows.append([float(d.mean), None, None])
        else:
            rows.append([float(d.mean), max(0.0, float(low)), max(0.0, float(high))])
    intervals[str(n)] = rows

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "attempts.json"), "w") as f:
    json.dump({"confidence": 0.95, "intervals": intervals}, f, separators=(",", ":"))
    f.write("\n")
