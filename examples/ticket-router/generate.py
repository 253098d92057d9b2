#!/usr/bin/env python3
"""Writes scored.csv: support tickets routed by a model to one of four queues, with the true queue.

    /usr/bin/python3 examples/ticket-router/generate.py
Seeded, so the file is the same on every run.
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
QUEUES = ["billing", "technical", "sales", "account"]
rng = np.random.default_rng(20260301)
n = 4000
truth = rng.choice(4, n, p=[0.35, 0.4, 0.15, 0.1])
language = rng.choice(["en", "de", "es"], n, p=[0.6, 0.25, 0.15])
plan = rng.choice(["free", "pro", "enterprise"], n, p=[0.5, 0.35, 0.15])
# Right 86% of the time in English, less in the other languages; mistakes mostly go to 'technical'.
right = rng.random(n) < np.where(language == "en", 0.88, np.where(language == "de", 0.82, 0.74))
wrong = np.where(rng.random(n) < 0.5, 1, rng.choice(4, n))
predicted = np.where(right, truth, np.where(wrong == truth, (truth + 1) % 4, wrong))
with open(os.path.join(HERE, "scored.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["ticket_id", "language", "plan", "queue", "predicted_queue"])
    for i in range(n):
        w.writerow([f"t{i:05d}", language[i], plan[i], QUEUES[truth[i]], QUEUES[predicted[i]]])
