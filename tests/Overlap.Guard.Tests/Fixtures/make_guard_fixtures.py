"""Reference decisions of the spam filter's guard on the demo's held-out scores, computed with pandas.

Reads tests/Overlap.Demo.Tests/Fixtures/scores/holdout.csv (the SpamDemo model's scores) and applies, independently of
Overlap's code, what Fixtures/spam-workflow.yaml and examples/spam-filter/overlap.yaml say: an email failing an input
expectation is rejected; else a score in the review band [0.5, 0.8] abstains; else spam when the score is at or above
the threshold 0.8. Writes guard_expected.json beside this script.

Run from the repository root: /usr/bin/python3 tests/Overlap.Guard.Tests/Fixtures/make_guard_fixtures.py
"""

import json
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
d = pd.read_csv(os.path.join(ROOT, "tests/Overlap.Demo.Tests/Fixtures/scores/holdout.csv"))

failed = pd.DataFrame(
    {
        "range.subject_length": d.subject_length < 1,
        "range.body_length": (d.body_length < 1) | (d.body_length > 20000),
        "range.links": (d.links < 0) | (d.links > 30),
        "categories": ~d.sender_domain_type.isin(["freemail", "com_net", "edu_org", "other"]),
    }
)
rejected = failed.any(axis=1)
abstain = ~rejected & (d.p_spam >= 0.5) & (d.p_spam <= 0.8)
decided = ~rejected & ~abstain
positive = decided & (d.p_spam >= 0.8)
negative = decided & (d.p_spam < 0.8)
spam = d.is_spam == "spam"

expected = {
    "n": int(len(d)),
    "outcomes": {
        "positive": int(positive.sum()),
        "negative": int(negative.sum()),
        "abstain": int(abstain.sum()),
        "reject": int(rejected.sum()),
    },
    "failed_checks": {name: int(col.sum()) for name, col in failed.items() if col.sum() > 0},
    "rejected_ids": sorted(d.message_id[rejected].tolist()),
    "abstained_ids": sorted(d.message_id[abstain].tolist()),
    # Wrong automatic decisions among the decided emails, and among the abstained ones had the model decided them.
    "wrong_decided": int(((positive & ~spam) | (negative & spam)).sum()),
    "wrong_if_abstained_were_decided": int((abstain & (((d.p_spam >= 0.8) & ~spam) | ((d.p_spam < 0.8) & spam))).sum()),
}
with open(os.path.join(HERE, "guard_expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, indent=2)
    f.write("\n")
