#!/usr/bin/env python3
"""Overlap against the Python stack, side by side, on the same files and the same machine.

    /usr/bin/python3 bench/side_by_side.py            # 1,000,000 rows (the DESIGN.md targets)
    /usr/bin/python3 bench/side_by_side.py --rows 100000 --python-resamples 2

Needs Debian's python3-numpy, python3-pandas, python3-scipy and python3-sklearn, and the .NET SDK.

Eval: one CSV of scored examples with two segment columns (7 segment values). Overlap runs
`overlap eval` (CSV in, every metric overall and per segment, 1,000-resample bootstrap). Python reads
the CSV with pandas and computes the same metrics with scikit-learn for the overall group and each
segment value; its bootstrap is timed over --python-resamples resamples and scaled to 1,000 (a full
run takes tens of minutes), which the output says.

Drift: a reference and a current CSV of 10 numeric and 10 categorical columns. Overlap runs
`overlap drift` with its defaults (more than 1,000 reference rows: Wasserstein-1 / std for numeric,
Jensen-Shannon for categorical); Python reads both files with pandas and runs the same tests with scipy.

Prints wall times, peak memory (max RSS) and the ratios.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance
from sklearn.metrics import (average_precision_score, brier_score_loss, f1_score, log_loss,
                             roc_auc_score)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESAMPLES = 1000


def write_eval_data(path, rows, rng):
    score = rng.beta(1.5, 6.0, rows).round(6)
    label = (rng.random(rows) < np.clip(score * 1.3, 0, 1)).astype(int)
    channel = rng.choice(["web", "app", "pos"], rows, p=[0.5, 0.35, 0.15])
    region = rng.choice(["eu", "us", "apac", "latam"], rows, p=[0.45, 0.3, 0.15, 0.1])
    pd.DataFrame({"id": np.arange(rows), "score": score, "label": label,
                  "channel": channel, "region": region}).to_csv(path, index=False)


def write_drift_data(reference, current, rows, rng):
    for path, shift in ((reference, 0.0), (current, 0.15)):
        columns = {}
        for j in range(10):
            columns[f"num{j}"] = (rng.normal(shift * (j % 3), 1.0 + 0.1 * j, rows)).round(4)
        for j in range(10):
            k = 4 + j
            p = np.arange(1, k + 1, dtype=float)
            p = p / p.sum()
            if shift and j % 2 == 0:
                p = p[::-1]
            columns[f"cat{j}"] = rng.choice([f"v{i}" for i in range(k)], rows, p=p)
        pd.DataFrame(columns).to_csv(path, index=False)


def run_overlap(args):
    """Runs the CLI, polling its peak resident memory (VmHWM) until it exits."""
    start = time.perf_counter()
    process = subprocess.Popen(["dotnet", os.path.join(ROOT, "src/Overlap.Cli/bin/Release/net10.0/overlap.dll"), *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_kib = 0
    while process.poll() is None:
        try:
            with open(f"/proc/{process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak_kib = max(peak_kib, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read()
    if process.returncode not in (0, 1, 2):
        sys.exit(f"overlap {' '.join(args)} failed ({process.returncode}): {stderr}")
    return elapsed, peak_kib / 1024


def python_metrics(y, s, d):
    tp = int(((y == 1) & d).sum()); fp = int(((y == 0) & d).sum())
    fn = int(((y == 1) & ~d).sum()); tn = int(((y == 0) & ~d).sum())
    out = {"accuracy": (tp + tn) / len(y), "recall": tp / max(tp + fn, 1), "precision": tp / max(tp + fp, 1),
           "false_positive_rate": fp / max(fp + tn, 1), "f1": f1_score(y, d, zero_division=0)}
    if 0 < y.sum() < len(y):
        out["roc_auc"] = roc_auc_score(y, s)
        out["pr_auc"] = average_precision_score(y, s)
    out["brier"] = brier_score_loss(y, s)
    out["log_loss"] = log_loss(y, s, labels=[0, 1])
    bins = np.minimum((s * 10).astype(int), 9)
    out["ece"] = sum(abs(y[bins == b].mean() - s[bins == b].mean()) * (bins == b).mean() for b in range(10) if (bins == b).any())
    return out


def python_eval(path, threshold, resamples, rng):
    start = time.perf_counter()
    frame = pd.read_csv(path)
    y = frame["label"].to_numpy()
    s = frame["score"].to_numpy()
    d = s >= threshold
    groups = [np.ones(len(y), bool)] + [(frame[c] == v).to_numpy() for c in ("channel", "region") for v in frame[c].unique()]
    for g in groups:
        python_metrics(y[g], s[g], d[g])
    read_and_point = time.perf_counter() - start
    start = time.perf_counter()
    n = len(y)
    for _ in range(resamples):
        idx = rng.integers(0, n, n)
        yy, ss, dd = y[idx], s[idx], d[idx]
        for g in groups:
            gg = g[idx]
            python_metrics(yy[gg], ss[gg], dd[gg])
    per_resample = (time.perf_counter() - start) / resamples
    return read_and_point, per_resample


def python_drift(reference, current):
    start = time.perf_counter()
    ref = pd.read_csv(reference)
    cur = pd.read_csv(current)
    drifted = 0
    for column in ref.columns:
        if column.startswith("num"):
            a = ref[column].dropna().to_numpy(); b = cur[column].dropna().to_numpy()
            drifted += wasserstein_distance(a, b) / np.std(a) >= 0.1
        else:
            cats = sorted(set(ref[column].dropna()) | set(cur[column].dropna()))
            p = ref[column].value_counts().reindex(cats, fill_value=0).to_numpy()
            q = cur[column].value_counts().reindex(cats, fill_value=0).to_numpy()
            drifted += jensenshannon(p / p.sum(), q / q.sum()) >= 0.1
    return time.perf_counter() - start, int(drifted)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--python-resamples", type=int, default=3, help="bootstrap resamples Python actually runs (scaled to 1,000)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--only", choices=["eval", "drift"], help="run one of the two comparisons")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    if not args.skip_build:
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/Overlap.Cli"), "-c", "Release", "-nologo", "-v", "quiet"], check=True)

    with tempfile.TemporaryDirectory(prefix="overlap-bench-") as tmp:
        data = os.path.join(tmp, "scored.csv")
        contract = os.path.join(tmp, "overlap.yaml")
        reference = os.path.join(tmp, "reference.csv")
        current = os.path.join(tmp, "current.csv")
        print(f"generating {args.rows:,} scored rows and 2 x {args.rows:,} x 20 drift rows ...", flush=True)
        if args.only != "drift":
            write_eval_data(data, args.rows, rng)
        if args.only != "eval":
            write_drift_data(reference, current, args.rows, rng)
        with open(contract, "w") as f:
            f.write("feature: bench\ntask: binary\nlabels: { positive: 1, negative: 0 }\ncolumns: { id: id, label: label, score: score, segments: [channel, region] }\n"
                    "threshold: 0.3\nrequirements:\n  - { metric: recall, min: 0.5 }\n  - { metric: roc_auc, min: 0.7 }\n"
                    "  - { metric: recall, by: region, max_gap: 0.05 }\n")

        if args.only != "drift":
            overlap_eval, overlap_eval_mb = run_overlap(["eval", "--contract", contract, "--data", data, "--resamples", str(RESAMPLES), "--format", "json"])
            py_point, py_per_resample = python_eval(data, 0.3, args.python_resamples, rng)
            py_eval = py_point + RESAMPLES * py_per_resample
        if args.only != "eval":
            overlap_drift, overlap_drift_mb = run_overlap(["drift", "--reference", reference, "--current", current, "--format", "json"])
            py_drift, _ = python_drift(reference, current)

    print()
    if args.only != "drift":
        print_eval(args, overlap_eval, overlap_eval_mb, py_eval, py_point, py_per_resample)
    if args.only != "eval":
        print_drift(args, overlap_drift, overlap_drift_mb, py_drift)


def print_eval(args, overlap_eval, overlap_eval_mb, py_eval, py_point, py_per_resample):
    print(f"eval, {args.rows:,} rows, every metric overall and for 7 segment values, {RESAMPLES:,}-resample bootstrap")
    print(f"  overlap eval                   {overlap_eval:9.2f} s   peak {overlap_eval_mb:,.0f} MiB")
    print(f"  pandas + scikit-learn          {py_eval:9.2f} s   (read + point {py_point:.2f} s, {py_per_resample:.2f} s per resample x {RESAMPLES:,}; "
          f"{args.python_resamples} resamples run, scaled)")
    print(f"  ratio                          {py_eval / overlap_eval:9.1f} x faster   (target >= 100 x)")


def print_drift(args, overlap_drift, overlap_drift_mb, py_drift):
    print(f"drift, 2 x {args.rows:,} rows x 20 columns, default tests (Wasserstein / std and Jensen-Shannon)")
    print(f"  overlap drift                  {overlap_drift:9.2f} s   peak {overlap_drift_mb:,.0f} MiB")
    print(f"  pandas + scipy                 {py_drift:9.2f} s")
    print(f"  ratio                          {py_drift / overlap_drift:9.1f} x faster   (target >= 5 x)")


if __name__ == "__main__":
    main()
