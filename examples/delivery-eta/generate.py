#!/usr/bin/env python3
"""Writes scored.csv: predicted and actual delivery times in minutes, by city and vehicle.

    /usr/bin/python3 examples/delivery-eta/generate.py
Seeded, so the file is the same on every run.
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20260401)
n = 3000
city = rng.choice(["lisbon", "porto", "braga"], n, p=[0.5, 0.35, 0.15])
vehicle = rng.choice(["bike", "car"], n, p=[0.6, 0.4])
actual = np.round(rng.gamma(6, 5, n) + np.where(vehicle == "car", 8, 0), 1)
noise = rng.normal(0, np.where(city == "braga", 7.5, 4.5), n)
predicted = np.round(np.maximum(1, actual + noise), 1)
with open(os.path.join(HERE, "scored.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["order_id", "city", "vehicle", "actual_minutes", "predicted_minutes"])
    for i in range(n):
        w.writerow([f"o{i:05d}", city[i], vehicle[i], actual[i], predicted[i]])
