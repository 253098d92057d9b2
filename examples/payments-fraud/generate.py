#!/usr/bin/env python3
"""Makes the example data for payments-fraud: a scored evaluation set and a later, drifted batch.

Run with Debian's Python (numpy): /usr/bin/python3 examples/payments-fraud/generate.py
The output is committed, so nobody needs to run this to try the example.
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def make(rng, n, start_day, shift=0.0):
    channel = rng.choice(["web", "app", "pos"], size=n, p=[0.5, 0.35, 0.15])
    region = rng.choice(["eu", "us", "apac", "latam"], size=n, p=[0.45, 0.3, 0.15, 0.1])
    fraud = rng.random(n) < np.where(channel == "web", 0.06, 0.03)
    amount = np.round(rng.lognormal(3.6 + shift + 0.8 * fraud, 0.9), 2)
    age = np.maximum(0, np.round(rng.exponential(400 * (1 - 0.7 * fraud) * (1 - 0.3 * shift)))).astype(int)
    items = rng.poisson(2 + 2 * fraud) + 1
    hour = (rng.normal(14 - 6 * fraud, 4) % 24).astype(int)
    logit = -3.2 + 2.6 * fraud + 0.35 * (np.log(amount) - 3.6) - 0.002 * age + rng.normal(0, 1.1, n)
    logit += np.where(region == "latam", -0.6 * fraud, 0.0)
    p = 1 / (1 + np.exp(-logit))
    latency = np.round(rng.gamma(4, 18, n), 1)
    rows = []
    for i in range(n):
        day = start_day + i * 30 // n
        rows.append({
            "payment_id": f"pay_{start_day:03d}_{i:06d}",
            "created_at": f"2026-{1 + day // 30:02d}-{1 + day % 30:02d}T{hour[i]:02d}:00:00Z",
            "amount": amount[i], "account_age_days": age[i], "items": items[i], "hour": hour[i],
            "channel": channel[i], "region": region[i],
            "p_fraud": round(float(p[i]), 6), "latency_ms": latency[i],
            "outcome": "fraud" if fraud[i] else "legit",
        })
    return rows


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


rng = np.random.default_rng(20260101)
write(os.path.join(HERE, "scored.csv"), make(rng, 6000, 0))
write(os.path.join(HERE, "reference.csv"), make(rng, 3000, 0))
write(os.path.join(HERE, "current.csv"), make(rng, 3000, 60, shift=0.35))

# The model in use today, on the same examples (shuffled; paired by payment_id): noisier scores.
scored = make(np.random.default_rng(20260101), 6000, 0)
noise = np.random.default_rng(5).normal(0, 0.08, len(scored))
baseline = [{"payment_id": r["payment_id"], "outcome": r["outcome"],
             "p_fraud": round(float(min(1.0, max(0.0, r["p_fraud"] + e))), 6)} for r, e in zip(scored, noise)]
np.random.default_rng(3).shuffle(baseline)
write(os.path.join(HERE, "baseline.csv"), baseline)
