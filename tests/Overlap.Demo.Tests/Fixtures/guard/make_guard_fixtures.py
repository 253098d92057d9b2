#!/usr/bin/python3
"""Reference figures for the spam demo's guard, computed with pandas and statsmodels, independently of Overlap's code.

Reads the demo's contract (examples/spam-filter/overlap.yaml) and the v1 model's committed scores
(../scores/holdout.csv and ../scores/production.csv). An email failing one of the workflow's input expectations is
rejected; else a score inside the abstain band (bounds included) abstains; else the threshold decides it.

Writes guard_expected.json beside this script:
- "all": every real email of both files checked against the input expectations (none may be rejected: a real email
  the contract refuses would be a bug in the contract), and the emails per route;
- "replay": the first 21 days of production mail, as DemoGuardTests replays them through the guard into a real
  server: the emails per route, the abstention rate with its Wilson interval at the contract's confidence
  (statsmodels' proportion_confint(method="wilson")), and the sentence the demo's report prints about them.

Run from anywhere: /usr/bin/python3 tests/Overlap.Demo.Tests/Fixtures/guard/make_guard_fixtures.py
Debian's python3-pandas (1.5.3), python3-statsmodels (0.13.5) and python3-yaml.
"""

import json
import os

import pandas as pd
import statsmodels
import yaml
from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
REPLAY_DAYS = 21

with open(os.path.join(ROOT, "examples/spam-filter/overlap.yaml"), encoding="utf-8") as f:
    contract = yaml.safe_load(f)
workflow = contract["workflow"]
expect = workflow["input"]
words = contract["words"]
low, high = (float(x) for x in workflow["abstain"].removeprefix("score between ").split(" and "))
threshold = float(contract["threshold"])
confidence = float(contract["confidence"])


def scores(name):
    d = pd.read_csv(os.path.join(HERE, "..", "scores", name + ".csv"))
    d["received_at"] = pd.to_datetime(d.received_at, utc=True)
    return d


def routes(d):
    failed = pd.DataFrame({f"required.{c}": d[c].isna() | (d[c].astype(str).str.strip() == "") for c in expect["required"]})
    for column, bounds in expect["ranges"].items():
        outside = pd.Series(False, index=d.index)
        if "min" in bounds:
            outside |= d[column] < bounds["min"]
        if "max" in bounds:
            outside |= d[column] > bounds["max"]
        failed[f"range.{column}"] = outside
    unseen = pd.Series(False, index=d.index)
    for column, allowed in expect["categories"].items():
        unseen |= ~d[column].isin(allowed)
    failed["categories"] = unseen
    reject = failed.any(axis=1)
    abstain = ~reject & (d.p_spam >= low) & (d.p_spam <= high)
    direct = ~reject & ~abstain
    return {"direct": int(direct.sum()), "abstain": int(abstain.sum()), "reject": int(reject.sum())}


# As Overlap's Phrasing writes them: 0.086 -> "8.6%", 0.12 -> "12%"; 3493 emails -> "3,493 emails".
def percent(share):
    p = share * 100
    return (f"{p:.1f}".rstrip("0").rstrip(".") if abs(p) < 10 and round(p) != p else f"{p:.0f}") + "%"


def number(x):
    return f"{x:g}"


def main():
    holdout, production = scores("holdout"), scores("production")
    start = production.received_at.min().normalize()
    replay = production[production.received_at < start + pd.Timedelta(days=REPLAY_DAYS)]
    r = routes(replay)
    n = len(replay)
    ci_low, ci_high = proportion_confint(r["abstain"], n, alpha=1 - confidence, method="wilson")
    example = words["example"]
    sentence = (
        f"The guard left {r['abstain']:,} of {n:,} {example}s ({percent(r['abstain'] / n)}, {percent(ci_low)} to "
        f"{percent(ci_high)} at {confidence:.0%} confidence) to a person: their scores were in the contract's uncertain "
        f"band, {number(low)} to {number(high)}, where a person decides. No {example} failed the contract's input "
        f"expectations; the model decided {r['direct']:,} by the threshold ({number(threshold)}) on its own."
    )
    out = {
        "statsmodels": statsmodels.__version__,
        "pandas": pd.__version__,
        "band": {"low": low, "high": high},
        "all": {"holdout": routes(holdout), "production": routes(production)},
        "replay": {
            "from": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "days": REPLAY_DAYS,
            "n": n,
            "routes": r,
            "abstention_rate": {"value": r["abstain"] / n, "low": ci_low, "high": ci_high},
            "statement": sentence,
        },
    }
    with open(os.path.join(HERE, "guard_expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
