"""Reference figures for the generative evaluation of examples/support-replies (GenerativeEvaluationTests).

Re-implements the example contract's checks and the acceptable rule independently, then computes every rate's
Wilson interval with statsmodels' proportion_confint(method="wilson") and every mean or percentile point with numpy,
overall, per channel and per tag. Bootstrap intervals are not reproducible across languages (the resampling draws
differ), so the test checks them replicate by replicate against a naive recomputation instead.

With --baseline (examples/support-replies/baseline.jsonl, the same tickets drafted by an earlier prompt) the
acceptable outputs are compared by statsmodels' mcnemar (exact below 25 discordant pairs) and the tone grades'
paired mean difference by numpy (its bootstrap interval is checked like the others).

Run from this folder with /usr/bin/python3 make_generative_fixtures.py; it writes generative.json.
"""

import json
import os
import re

import numpy as np
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "..", "..", "examples", "support-replies")
CASES = os.path.join(EXAMPLE, "cases.jsonl")
CONFIDENCE = 0.95


def checks(draft):
    if draft is None or draft == "":
        return {"greets": False, "no_refund_promise": False, "short_enough": False, "says_something": False}
    return {
        "greets": re.search(r"^(Hi|Hello|Dear|Hola)\b", draft) is not None,
        "no_refund_promise": not any(t in draft for t in ["guarantee a refund", "I guarantee a refund"]),
        "short_enough": len(draft) <= 600,
        "says_something": len(draft) >= 20,
    }


def tags_of(value):
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    else:
        items = value.split(";")
    out = []
    for t in (s.strip() for s in items):
        if t and t not in out:
            out.append(t)
    return out


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rows.append(judge(json.loads(line)))
    return rows


def judge(r):
    c = checks(r["draft"])
    factual = {"pass": True, "fail": False, None: None}[r["rubric.factual"]]
    tone = r["rubric.tone"]
    results = dict(c)
    results["factual"] = factual
    results["tone"] = None if tone is None else tone >= 4
    known = all(v is not None for v in results.values())
    return {
        "id": r["ticket_id"],
        "checks": c,
        "factual": factual,
        "tone": tone,
        "acceptable": all(results.values()) if known else None,
        "channel": r["channel"],
        "tags": tags_of(r.get("tags")),
        "tokens": r["tokens"],
        "cost": r["cost"],
        "latency": r.get("latency_ms"),
    }


rows = read(CASES)


def wilson(values):
    present = [v for v in values if v is not None]
    n = len(present)
    k = sum(1 for v in present if v)
    if n == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    low, high = proportion_confint(k, n, alpha=1 - CONFIDENCE, method="wilson")
    return {"value": k / n, "ci_low": float(low), "ci_high": float(high), "n": n}


def figures(group):
    out = {"acceptable_rate": wilson([r["acceptable"] for r in group])}
    for name in ["greets", "no_refund_promise", "short_enough", "says_something"]:
        out[f"check.{name}.pass_rate"] = wilson([r["checks"][name] for r in group])
    out["rubric.factual.pass_rate"] = wilson([r["factual"] for r in group])
    out["rubric.tone.pass_rate"] = wilson([None if r["tone"] is None else r["tone"] >= 4 for r in group])
    tones = [r["tone"] for r in group if r["tone"] is not None]
    out["rubric.tone.mean"] = {"value": float(np.mean(tones)) if tones else None, "n": len(tones)}
    out["tokens_per_output"] = {"value": float(np.mean([r["tokens"] for r in group])), "n": len(group)}
    out["cost_per_1000"] = {"value": float(np.mean([r["cost"] * 1000 for r in group])), "n": len(group)}
    latency = [r["latency"] for r in group]
    for name, q in [("latency_p50_ms", 50), ("latency_p95_ms", 95), ("latency_p99_ms", 99)]:
        out[name] = {"value": float(np.percentile(latency, q)), "n": len(group)}
    return out


groups = {"overall": figures(rows)}
for channel in sorted({r["channel"] for r in rows}):
    groups[f"channel={channel}"] = figures([r for r in rows if r["channel"] == channel])
for tag in sorted({t for r in rows for t in r["tags"]}):
    groups[f"tags={tag}"] = figures([r for r in rows if tag in r["tags"]])

baseline = {r["id"]: r for r in read(os.path.join(EXAMPLE, "baseline.jsonl"))}
pairs = [(baseline[r["id"]]["acceptable"], r["acceptable"]) for r in rows]
pairs = [(b, c) for b, c in pairs if b is not None and c is not None]
only_baseline = sum(1 for b, c in pairs if b and not c)
only_candidate = sum(1 for b, c in pairs if c and not b)
table = [[0, only_baseline], [only_candidate, 0]]
test = mcnemar(table, exact=(only_baseline + only_candidate) < 25)
tones = [(baseline[r["id"]]["tone"], r["tone"]) for r in rows]
tones = [(b, c) for b, c in tones if b is not None and c is not None]
comparison = {
    "n": len(pairs),
    "acceptable_rate": {
        "baseline": sum(1 for b, _ in pairs if b) / len(pairs),
        "candidate": sum(1 for _, c in pairs if c) / len(pairs),
        "p_value": float(test.pvalue),
    },
    "rubric.tone.mean": {
        "baseline": float(np.mean([b for b, _ in tones])),
        "candidate": float(np.mean([c for _, c in tones])),
        "n": len(tones),
    },
}

with open(os.path.join(HERE, "generative.json"), "w", encoding="utf-8") as f:
    json.dump({"confidence": CONFIDENCE, "n": len(rows), "groups": groups, "comparison": comparison}, f, indent=2)
    f.write("\n")
