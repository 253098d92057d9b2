#!/usr/bin/python3
"""Writes usage.json: a feature's users and business impact as pandas, scipy and statsmodels compute them.

The events (generated here with a fixed seed, written into the fixture so the test feeds the same ones): eight weeks
of a binary fraud filter's predictions, each with a user (a tenth without one), a model version, a score (decision:
score >= 0.5 is "fraud"), for most a label; feedback on some predictions and business events ("purchase" with a value,
"refund") on others, a few predictions with two events of a kind.

Definitions (docs/usage.md states the same):
- periods are UTC weeks starting on Monday; a prediction counts in the week of its time;
- users: distinct user values among the week's predictions; new users: users whose first prediction in the range falls
  in that week;
- a feedback kind's rate: the share of the week's predictions with at least one feedback of that kind, with
  statsmodels' Wilson interval;
- a business event's conversion: the share of predictions followed by at least one event of that name (Wilson); its
  value per prediction: the sum of its values on each prediction (0 for none), averaged, with the t interval
  (DescrStatsW.tconfint_mean), cut at 0 when no value is negative; each also by the model's decision and, over the range, by model version;
- money (binary): among the week's labelled predictions, false positives x the contract's false_positive cost plus false
  negatives x its false_negative cost;
- activation: a new user whose first UTC day and the 7 days after it have all ended is activated when they use the
  feature on one of those 7 days (Wilson interval on the share);
- weekly cohorts: users by the week of their first use; for each later week k that has ended, the share of the cohort
  with a prediction in week k; week-1 retention pooled over the cohorts whose week 1 has ended (Wilson).

Run with Debian's python3-pandas, python3-scipy and python3-statsmodels:  /usr/bin/python3 make_usage_fixtures.py
"""
import json
import os

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

CONFIDENCE = 0.95
FROM = pd.Timestamp("2026-01-05T00:00:00Z")
TO = pd.Timestamp("2026-03-02T00:00:00Z")
NOW = pd.Timestamp("2026-03-02T00:00:00Z")
ACTIVATION_DAYS = 7
COST_FP, COST_FN = 4.0, 25.0

rng = np.random.default_rng(20261203)
rows = []
n_users = 320
span = (TO - FROM).total_seconds()
for u in range(n_users):
    first = FROM + pd.Timedelta(seconds=float(rng.uniform(0, span * 0.9)))
    t = first
    uses = 0
    while t < TO and uses < 40:
        rows.append((f"u{u:03d}", t))
        uses += 1
        if rng.random() < 0.35:
            break
        t = t + pd.Timedelta(hours=float(rng.exponential(60)))
for k in range(120):
    rows.append((None, FROM + pd.Timedelta(seconds=float(rng.uniform(0, span)))))
rows.sort(key=lambda r: (r[1], r[0] or ""))
predictions = []
for i, (user, t) in enumerate(rows):
    t = t.floor("s")
    score = round(float(rng.uniform(0, 1)), 3)
    label = None
    if rng.random() < 0.7:
        label = "fraud" if rng.random() < score * 0.8 else "legit"
    predictions.append({
        "id": f"p{i:05d}", "time": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "user": user, "score": score, "label": label,
        "version": "v1" if rng.random() < 0.5 else "v2",
    })
feedback, business = [], []
for p in predictions:
    r = rng.random()
    if r < 0.08:
        feedback.append({"prediction": p["id"], "kind": "thumbs_down"})
        if rng.random() < 0.2:
            feedback.append({"prediction": p["id"], "kind": "thumbs_down"})
    elif r < 0.14:
        feedback.append({"prediction": p["id"], "kind": "thumbs_up"})
    buy = 0.08 if p["score"] >= 0.5 else 0.3
    if rng.random() < buy:
        business.append({"prediction": p["id"], "name": "purchase", "value": round(float(rng.exponential(40)), 2)})
        if rng.random() < 0.15:
            business.append({"prediction": p["id"], "name": "purchase", "value": round(float(rng.exponential(20)), 2)})
    if rng.random() < 0.03:
        business.append({"prediction": p["id"], "name": "refund", "value": 1.0})

df = pd.DataFrame(predictions)
df["time"] = pd.to_datetime(df["time"], utc=True)
df = df[(df["time"] >= FROM) & (df["time"] < TO)].copy()
df["decision"] = np.where(df["score"] >= 0.5, "fraud", "legit")
df["week"] = (df["time"].dt.floor("D") - pd.to_timedelta(df["time"].dt.dayofweek, unit="D"))
fb = pd.DataFrame(feedback)
bz = pd.DataFrame(business)


def wilson(k, n):
    if n == 0:
        return None
    low, high = proportion_confint(k, n, alpha=1 - CONFIDENCE, method="wilson")
    return {"k": int(k), "n": int(n), "value": k / n, "low": float(low), "high": float(high)}


def mean_t(values):
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return None
    out = {"n": int(len(values)), "value": float(values.mean())}
    if len(values) >= 2 and values.std(ddof=1) > 0:
        low, high = DescrStatsW(values).tconfint_mean(alpha=1 - CONFIDENCE)
        if values.min() >= 0:
            low = max(low, 0.0)  # a mean of values that cannot be negative is not below 0
        out.update({"low": float(low), "high": float(high)})
    return out


kinds = sorted(fb["kind"].unique())
names = sorted(bz["name"].unique())
feedback_sets = {k: set(fb[fb["kind"] == k]["prediction"]) for k in kinds}
value = {n: bz[bz["name"] == n].groupby("prediction")["value"].sum() for n in names}
for n in names:
    df["value_" + n] = df["id"].map(value[n]).fillna(0.0)
    df["did_" + n] = df["id"].isin(value[n].index)

first = df.dropna(subset=["user"]).groupby("user")["time"].min()
first_week = first.dt.floor("D") - pd.to_timedelta(first.dt.dayofweek, unit="D")


def business_figures(part):
    out = {}
    for n in names:
        out[n] = {"conversion": wilson(int(part["did_" + n].sum()), len(part)), "value": mean_t(part["value_" + n])}
    return out


periods = []
for week in pd.date_range(FROM, TO - pd.Timedelta(days=1), freq="7D"):
    part = df[df["week"] == week]
    labelled = part.dropna(subset=["label"])
    fp = int(((labelled["decision"] == "fraud") & (labelled["label"] == "legit")).sum())
    fn = int(((labelled["decision"] == "legit") & (labelled["label"] == "fraud")).sum())
    periods.append({
        "start": week.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "predictions": int(len(part)),
        "users": int(part["user"].dropna().nunique()),
        "new_users": int((first_week == week).sum()),
        "decisions": {d: int(c) for d, c in part["decision"].value_counts().sort_index().items()},
        "feedback": {k: wilson(int(part["id"].isin(feedback_sets[k]).sum()), len(part)) for k in kinds},
        "business": business_figures(part),
        "business_by_decision": {d: business_figures(g) for d, g in part.groupby("decision")},
        "labelled": int(len(labelled)),
        "false_positives": fp,
        "false_negatives": fn,
        "cost": fp * COST_FP + fn * COST_FN,
    })

by_version = {v: business_figures(g) for v, g in df.groupby("version")}

# Activation: new users whose first day and the 7 days after it have ended; activated by a use on one of those 7 days.
users = df.dropna(subset=["user"])
first_day = first.dt.floor("D")
eligible = first_day[first_day + pd.Timedelta(days=ACTIVATION_DAYS + 1) <= NOW]
activated = 0
for user, d0 in eligible.items():
    days = users[users["user"] == user]["time"].dt.floor("D")
    if ((days > d0) & (days <= d0 + pd.Timedelta(days=ACTIVATION_DAYS))).any():
        activated += 1
activation = wilson(activated, len(eligible))

# Weekly cohorts.
users = users.assign(cohort=users["user"].map(first_week))
cohorts = []
kept1, size1 = 0, 0
for week, members in first_week.groupby(first_week):
    size = len(members)
    retained = []
    k = 1
    while week + pd.Timedelta(weeks=k + 1) <= NOW:
        active = users[(users["cohort"] == week) & (users["week"] == week + pd.Timedelta(weeks=k))]["user"].nunique()
        retained.append(int(active))
        k += 1
    if retained:
        kept1 += retained[0]
        size1 += size
    cohorts.append({"week": week.strftime("%Y-%m-%dT%H:%M:%SZ"), "size": int(size), "retained": retained})

out = {
    "from": FROM.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": TO.strftime("%Y-%m-%dT%H:%M:%SZ"),
    "now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "activation_days": ACTIVATION_DAYS, "confidence": CONFIDENCE,
    "costs": {"false_positive": COST_FP, "false_negative": COST_FN},
    "events": {"predictions": predictions, "feedback": feedback, "business": business},
    "periods": periods, "by_version": by_version, "activation": activation, "cohorts": cohorts,
    "retention_week1": wilson(kept1, size1),
    "users": int(first.size),
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "usage.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(len(predictions), "predictions;", len(first), "users; activation", activation, "; week-1", out["retention_week1"])
