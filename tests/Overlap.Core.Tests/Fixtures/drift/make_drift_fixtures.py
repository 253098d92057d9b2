#!/usr/bin/python3
"""Writes drift_fixtures.json: reference figures for Overlap's drift statistics.

Run with Debian's python3 (python3-numpy, python3-scipy, python3-statsmodels):
    /usr/bin/python3 tests/Overlap.Core.Tests/Fixtures/drift/make_drift_fixtures.py
Seeded, so the output repeats exactly for the same library versions (recorded in the file).
"""
import json
import os
import warnings

import numpy as np
import scipy
import scipy.stats as st
from scipy.spatial.distance import jensenshannon
import statsmodels
from statsmodels.stats.contingency_tables import mcnemar

rng = np.random.default_rng(20260301)
HERE = os.path.dirname(os.path.abspath(__file__))


def r6(a):
    """Rounded to 6 decimals so the JSON stays small; the rounded values are what every figure is computed on."""
    return np.round(np.asarray(a, dtype=float), 6)


def floats(a):
    return [float(x) for x in np.sort(np.asarray(a, dtype=float))]


def ks_case(name, a, b):
    a = np.sort(r6(a))
    b = np.sort(r6(b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = st.ks_2samp(a, b)  # method='auto', two-sided
    exact = max(len(a), len(b)) <= 10000
    return {"name": name, "a": floats(a), "b": floats(b), "statistic": float(r.statistic),
            "p_value": float(r.pvalue), "exact": exact}


def ks_cases():
    out = []
    out.append(ks_case("exact_equal_n", rng.normal(0, 1, 40), rng.normal(0.5, 1, 40)))
    out.append(ks_case("exact_unequal_n", rng.normal(0, 1, 37), rng.normal(0.3, 1.2, 91)))
    out.append(ks_case("exact_ties", rng.integers(0, 8, 60), rng.integers(1, 9, 45)))
    out.append(ks_case("exact_identical", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]))
    out.append(ks_case("exact_tiny_p", rng.normal(0, 1, 300), rng.normal(1.5, 1, 250)))
    out.append(ks_case("exact_mid_n", rng.normal(0, 1, 1000), rng.normal(0.05, 1, 2500)))
    out.append(ks_case("exact_same_n_large", rng.normal(0, 1, 3000), rng.normal(0.04, 1, 3000)))
    # asymptotic: the larger sample above 10,000 -> kstwo.sf(D, round(n1*n2/(n1+n2)))
    out.append(ks_case("asymp_small_en_durbin", rng.normal(0, 1, 120), rng.normal(0.1, 1, 12000)))
    out.append(ks_case("asymp_small_en_pomeranz", rng.normal(0, 1, 100), rng.normal(0.35, 1, 12000)))
    out.append(ks_case("asymp_small_en_tail", rng.normal(0, 1, 130), rng.normal(1.0, 1, 11000)))
    out.append(ks_case("asymp_mid_en", rng.normal(0, 1, 800), rng.normal(0.03, 1, 20000)))
    out.append(ks_case("asymp_mid_en_tail", rng.normal(0, 1, 900), rng.normal(0.25, 1, 15000)))
    out.append(ks_case("asymp_large_n", rng.normal(0, 1, 15000), rng.normal(0.01, 1, 20000)))
    out.append(ks_case("asymp_large_n_shift", rng.normal(0, 1, 30000), rng.normal(0.05, 1, 40000)))
    out.append(ks_case("asymp_ties", rng.integers(0, 50, 20000), rng.integers(0, 50, 11000)))
    return out


def kstwo_cases():
    # kstwo.sf directly at points that hit each branch of scipy's _kolmogn
    pts = [(50, 0.005), (50, 0.015), (50, 0.05), (50, 0.1), (50, 0.2), (50, 0.3), (50, 0.6), (50, 0.99),
           (140, 0.06), (140, 0.12), (140, 0.2), (141, 0.05), (141, 0.1), (141, 0.14), (141, 0.3),
           (1000, 0.01), (1000, 0.03), (1000, 0.05), (1000, 0.2), (5000, 0.01), (5000, 0.02),
           (100000, 0.001), (100000, 0.003), (200000, 0.002), (200000, 0.0035), (7, 0.9), (10, 0.95), (400, 0.0019)]
    return [{"n": n, "d": d, "sf": float(st.kstwo.sf(d, n))} for n, d in pts]


def wasserstein_cases():
    out = []
    for name, u, v in [
        ("normal_shift", rng.normal(0, 1, 500), rng.normal(0.3, 1.5, 700)),
        ("ties", rng.integers(0, 5, 50).astype(float), rng.integers(0, 7, 80).astype(float)),
        ("identical", [1.0, 2.0, 2.0, 5.0], [1.0, 2.0, 2.0, 5.0]),
        ("singletons", [0.0], [3.5]),
        ("large", rng.lognormal(3, 1, 20000), rng.lognormal(3.05, 1, 25000)),
    ]:
        u = np.sort(r6(u))
        v = np.sort(r6(v))
        out.append({"name": name, "u": floats(u), "v": floats(v), "distance": float(st.wasserstein_distance(u, v)),
                    "u_std": float(np.std(u))})
    return out


def chi_case(name, ref, cur):
    ref = np.asarray(ref)
    cur = np.asarray(cur)
    keep = (ref + cur) > 0
    stat, p, dof, _ = st.chi2_contingency(np.vstack([ref[keep], cur[keep]]), correction=False)
    return {"name": name, "reference": [int(x) for x in ref], "current": [int(x) for x in cur],
            "statistic": float(stat), "p_value": float(p), "dof": int(dof)}


def chi_cases():
    return [
        chi_case("three_categories", [120, 80, 40], [100, 90, 60]),
        chi_case("absent_in_current", [50, 30, 20, 10], [60, 35, 25, 0]),
        chi_case("absent_in_reference", [50, 30, 0, 10], [40, 30, 12, 9]),
        chi_case("zero_in_both_dropped", [50, 0, 30], [45, 0, 40]),
        chi_case("tiny_p", [900, 50, 50], [300, 400, 300]),
        chi_case("two_categories", [10, 15], [14, 9]),
    ]


def js_cases():
    out = []
    for name, p, q in [
        ("three", [120, 80, 40], [100, 90, 60]),
        ("disjoint", [10, 0], [0, 7]),
        ("absent", [500, 300, 200, 0], [450, 320, 200, 30]),
        ("identical_shares", [2, 4, 6], [1, 2, 3]),
    ]:
        out.append({"name": name, "p": p, "q": q, "distance": float(jensenshannon(np.asarray(p, float), np.asarray(q, float)))})
    return out


def psi_numeric(ref, cur):
    ref = np.sort(r6(ref))
    cur = np.sort(r6(cur))
    edges = np.quantile(ref, np.arange(1, 10) / 10.0)  # numpy's default linear method
    # bin i holds edges[i-1] < v <= edges[i]: searchsorted(side='left') gives exactly that index
    rb = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=10) / len(ref)
    cb = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=10) / len(cur)
    rb = np.where(rb == 0, 0.0001, rb)
    cb = np.where(cb == 0, 0.0001, cb)
    return float(np.sum((cb - rb) * np.log(cb / rb)))


def psi_categorical(ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    rs = ref / ref.sum()
    cs = cur / cur.sum()
    rs = np.where(rs == 0, 0.0001, rs)
    cs = np.where(cs == 0, 0.0001, cs)
    return float(np.sum((cs - rs) * np.log(cs / rs)))


def psi_cases():
    numeric = []
    for name, r, c in [
        ("normal_shift", rng.normal(0, 1, 2000), rng.normal(0.4, 1.1, 1500)),
        ("ties_empty_bins", rng.integers(0, 12, 400).astype(float), rng.integers(3, 20, 300).astype(float)),
        ("same", rng.normal(5, 2, 1000), rng.normal(5, 2, 1000)),
        ("outside_range", rng.uniform(0, 1, 500), rng.uniform(0.8, 2, 500)),
    ]:
        numeric.append({"name": name, "reference": floats(r6(r)), "current": floats(r6(c)), "psi": psi_numeric(r, c)})
    categorical = []
    for name, r, c in [
        ("three", [120, 80, 40], [100, 90, 60]),
        ("unseen", [500, 300, 200, 0], [450, 320, 200, 30]),
        ("vanished", [500, 300, 200], [700, 300, 0]),
    ]:
        categorical.append({"name": name, "reference": r, "current": c, "psi": psi_categorical(r, c)})
    return numeric, categorical


def mcnemar_cases():
    out = []
    for b, c in [(0, 0), (3, 9), (7, 7), (1, 12), (0, 24), (12, 12), (15, 10), (30, 12), (100, 140), (400, 300)]:
        exact = b + c < 25
        r = mcnemar([[50, b], [c, 60]], exact=exact, correction=True)
        out.append({"b": b, "c": c, "exact": exact, "statistic": float(r.statistic), "p_value": float(r.pvalue)})
    return out


def analyzer_case():
    """A DriftAnalyzer-level case: the figures the analyzer must report for each column."""
    n_small, n_large = 600, 5000
    cols = {}
    ref_small = r6(rng.normal(100, 15, n_small))
    cur_small = r6(rng.normal(104, 15, 700))
    ref_large = r6(rng.gamma(2.0, 30.0, n_large))
    cur_large = r6(rng.gamma(2.0, 36.0, 4000))
    cats = np.array(["web", "app", "pos"])
    ref_cat = rng.choice(cats, n_small, p=[0.5, 0.3, 0.2])
    cur_cat = rng.choice(cats, 700, p=[0.4, 0.35, 0.25])
    ref_cat_l = rng.choice(cats, n_large, p=[0.5, 0.3, 0.2])
    cur_cat_l = rng.choice(cats, 4000, p=[0.3, 0.3, 0.4])
    ks = st.ks_2samp(np.sort(ref_small), np.sort(cur_small))
    wd = st.wasserstein_distance(ref_large, cur_large) / max(np.std(ref_large), 0.001)
    keys = sorted(set(ref_cat) | set(cur_cat))
    rc = [int((ref_cat == k).sum()) for k in keys]
    cc = [int((cur_cat == k).sum()) for k in keys]
    chi = st.chi2_contingency([rc, cc], correction=False)
    keys_l = sorted(set(ref_cat_l) | set(cur_cat_l))
    rcl = np.array([(ref_cat_l == k).sum() for k in keys_l], float)
    ccl = np.array([(cur_cat_l == k).sum() for k in keys_l], float)
    js = jensenshannon(rcl, ccl)
    psi = psi_numeric(ref_large, cur_large)
    return {
        "small": {"reference": {"amount": [float(x) for x in ref_small], "channel": [str(x) for x in ref_cat]},
                  "current": {"amount": [float(x) for x in cur_small], "channel": [str(x) for x in cur_cat]},
                  "amount_ks": {"statistic": float(ks.statistic), "p_value": float(ks.pvalue)},
                  "channel_chi_square": {"statistic": float(chi[0]), "p_value": float(chi[1])}},
        "large": {"reference": {"amount": [float(x) for x in ref_large], "channel": [str(x) for x in ref_cat_l]},
                  "current": {"amount": [float(x) for x in cur_large], "channel": [str(x) for x in cur_cat_l]},
                  "amount_wasserstein_norm": float(wd),
                  "amount_psi": psi,
                  "channel_jensen_shannon": float(js)},
    }


def main():
    psi_n, psi_c = psi_cases()
    data = {
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "ks": ks_cases(),
        "kstwo": kstwo_cases(),
        "wasserstein": wasserstein_cases(),
        "chi_square": chi_cases(),
        "jensen_shannon": js_cases(),
        "psi_numeric": psi_n,
        "psi_categorical": psi_c,
        "mcnemar": mcnemar_cases(),
        "analyzer": analyzer_case(),
    }
    with open(os.path.join(HERE, "drift_fixtures.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
