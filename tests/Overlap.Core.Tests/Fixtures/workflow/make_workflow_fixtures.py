#!/usr/bin/python3
"""Writes workflow.json: a window's workflow rates as pandas and statsmodels compute them.

The calls (generated here with a fixed seed, written into the fixture so the test feeds the same ones): 2,400 guarded
calls of a reply drafter, each with the route the contract's guard took, how many times the model was asked, the checks
that failed on the way, and a segment value (channel: email, chat, or none).

Definitions (docs/workflow.md, "The figures", states the same):
- guarded calls: the predictions with a workflow trace; each rate is a share of them, with statsmodels'
  proportion_confint(method="wilson") at the contract's confidence;
- retry_rate: calls asked more than once (attempts >= 2), whatever route they ended on;
- fallback_rate, escalation_rate, abstention_rate, rejection_rate: calls whose route is fallback, escalate, abstain,
  reject;
- passed_after_retry_rate: among answered calls (route direct or retry), those with route retry;
- attempts_per_call: the mean of attempts with the t interval (DescrStatsW.tconfint_mean), cut at 0;
- per segment: the same over the calls with that value ("(missing)" for none);
- failed checks: per check name, the calls it failed in (once per call) and of those the ones with route retry, that
  share with its Wilson interval; most calls first, then by name;
- verdicts as DESIGN.md: max b passes when the upper bound <= b, fails when the lower bound > b, else inconclusive;
  a by: requirement fails if any segment fails, else is inconclusive if any is, else passes.

Run with Debian's python3-pandas and python3-statsmodels:  /usr/bin/python3 make_workflow_fixtures.py
"""
import json
import os

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

CONFIDENCE = 0.95
ROUTES = ["direct", "retry", "fallback", "escalate", "abstain", "reject"]
CHECKS = ["json_format", "tone", "no_refund_promise"]
rng = np.random.default_rng(20261203)

calls = []
for i in range(2400):
    channel = rng.choice(["email", "chat", None], p=[0.55, 0.4, 0.05])
    # Chat drafts fail their checks more often, so the segments differ.
    p = [0.86, 0.07, 0.025, 0.02, 0.015, 0.01] if channel == "chat" else [0.9, 0.055, 0.01, 0.01, 0.015, 0.01]
    route = str(rng.choice(ROUTES, p=p))
    if route == "direct":
        attempts, failed = 1, []
    elif route == "retry":
        attempts = int(rng.choice([2, 3], p=[0.8, 0.2]))
        failed = [str(rng.choice(CHECKS, p=[0.6, 0.25, 0.15])) for _ in range(attempts - 1)]
    elif route in ("fallback", "escalate"):
        attempts = 3
        failed = [str(rng.choice(CHECKS, p=[0.4, 0.3, 0.3])) for _ in range(3)]
    elif route == "abstain":
        attempts, failed = 1, []
    else:
        attempts, failed = 0, ["input_language"]
    calls.append({"route": route, "attempts": attempts, "failed_checks": failed, "channel": channel})

df = pd.DataFrame(calls)


def share(successes, trials):
    if trials == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    low, high = proportion_confint(successes, trials, alpha=1 - CONFIDENCE, method="wilson")
    return {"value": successes / trials, "ci_low": float(low), "ci_high": float(high), "n": int(trials)}


def figures(group):
    n = len(group)
    routes = {r: int((group.route == r).sum()) for r in ROUTES}
    answered = routes["direct"] + routes["retry"]
    metrics = {
        "retry_rate": share(int((group.attempts >= 2).sum()), n),
        "fallback_rate": share(routes["fallback"], n),
        "escalation_rate": share(routes["escalate"], n),
        "abstention_rate": share(routes["abstain"], n),
        "rejection_rate": share(routes["reject"], n),
        "passed_after_retry_rate": share(routes["retry"], answered),
    }
    stats = DescrStatsW(group.attempts.astype(float).to_numpy())
    low, high = stats.tconfint_mean(alpha=1 - CONFIDENCE)
    metrics["attempts_per_call"] = {
        "value": float(stats.mean),
        "ci_low": max(0.0, float(low)),
        "ci_high": float(high),
        "n": n,
    }
    return {"guarded": n, "routes": routes, "metrics": metrics}


segments = {}
for value, group in df.groupby(df.channel.fillna("(missing)")):
    segments[value] = figures(group)

checks = {}
for call in calls:
    for name in set(call["failed_checks"]):
        c = checks.setdefault(name, [0, 0])
        c[0] += 1
        c[1] += call["route"] == "retry"
failed = [
    {"check": name, "calls": c[0], "passed_after_retry": c[1], "passed_share": share(c[1], c[0])}
    for name, c in sorted(checks.items(), key=lambda kv: (-kv[1][0], kv[0]))
]


def verdict(low, high, bar):
    return "pass" if high <= bar else "fail" if low > bar else "inconclusive"


overall = figures(df)
requirements = []
for metric, bar in [("fallback_rate", 0.05), ("escalation_rate", 0.012), ("retry_rate", 0.05)]:
    m = overall["metrics"][metric]
    requirements.append({"metric": metric, "max": bar, "by": None, "verdict": verdict(m["ci_low"], m["ci_high"], bar)})
verdicts = [
    verdict(s["metrics"]["fallback_rate"]["ci_low"], s["metrics"]["fallback_rate"]["ci_high"], 0.02)
    for s in segments.values()
]
requirements.append(
    {
        "metric": "fallback_rate",
        "max": 0.02,
        "by": "channel",
        "verdict": "fail" if "fail" in verdicts else "inconclusive" if "inconclusive" in verdicts else "pass",
    }
)

out = {
    "confidence": CONFIDENCE,
    "calls": calls,
    "overall": overall,
    "segments": segments,
    "failed_checks": failed,
    "requirements": requirements,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "workflow.json"), "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps({"overall": overall, "requirements": requirements}, indent=1)[:2500])
