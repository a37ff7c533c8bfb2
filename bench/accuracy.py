"""Accuracy of every attribution model against the simulator's ground truth.

For each scenario and seed: simulate a world (``kol_attr_sim``, Parquet plus truth), build the dbt
project on it through the ``kol_attr__raw_path`` route, and score each model per KOL at one window:

* **TVD**: total variation distance between the model's credit shares over KOLs and the true
  incremental shares (``truth_incremental``, unit_type kol, incremental_conversions at the window):
  ``0.5 * sum_k |credit_k / sum credit - inc_k / sum inc|``; 0 is perfect, 1 is disjoint.
* **ratio**: total conversions credited to KOLs (unattributed / baseline credit excluded) divided by
  the true incremental conversions of all KOLs at that window; 1 is right, above 1 over-credits.
* **zero_share**: share of the model's KOL credit given to KOLs whose true effect is zero.

Usage::

    .venv/bin/python bench/accuracy.py --scale small --seeds 1 2 3 --window 30 [--out bench/out/accuracy]

``--scale small`` (about 2 min per world, 12 worlds) is the scale the README quotes; at the default
``demo`` scale sampling noise hides the differences between models.

Prints one table per scenario and the averages; writes ``accuracy.csv`` under ``--out``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SCENARIOS = ["independent", "targeted", "search", "order_dependent"]
DATA_DRIVEN = {"markov", "shapley", "counterfactual", "incremental", "incrementality"}


def simulate(scenario: str, seed: int, scale: str, out: Path) -> Path:
    raw = out / "raw"
    if (
        not (raw / "_truth" / "truth_incremental.parquet").exists()
        and not (raw / "_truth" / "truth_incremental.csv").exists()
    ):
        cmd = [str(BIN / "python"), "-m", "kol_attr_sim", "--scale", scale, "--seed", str(seed)]
        cmd += ["--scenario", scenario, "--format", "parquet", "--out", str(raw), "--quiet"]
        subprocess.run(cmd, check=True, cwd=REPO)
    return raw


def build(raw: Path, out: Path) -> Path:
    db = out / "kol_attr.duckdb"
    if db.exists():
        db.unlink()
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(db),
        "DBT_TARGET_PATH": str(out / "target"),
        "DBT_LOG_PATH": str(out / "logs"),
    }
    raw_vars = ["--vars", f"{{kol_attr__raw_path: '{raw}', kol_attr__incremental_credit: true}}"]
    steps = [
        ["seed", "--select", "tag:config"],
        ["run", "--select", "+fct_attribution_credits", "+fct_kol_incrementality", "--exclude", "tag:demo"],
    ]
    for step in steps:
        res = subprocess.run(
            [str(BIN / "dbt"), *step, *raw_vars], cwd=REPO, env=env, capture_output=True, text=True
        )
        if res.returncode != 0:
            raise RuntimeError(f"dbt {step[0]} failed for {raw}:\n{res.stdout[-4000:]}")
    return db


def read_truth(raw: Path, name: str) -> pd.DataFrame:
    base = raw / "_truth" / name
    for ext, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        if base.with_suffix(ext).exists():
            return reader(base.with_suffix(ext))
    raise FileNotFoundError(base)


def score(db: Path, raw: Path, window: int) -> pd.DataFrame:
    truth = read_truth(raw, "truth_incremental")
    truth = truth[(truth["unit_type"] == "kol") & (truth["window_days"] == window)]
    true_inc = truth.set_index("unit_id")["incremental_conversions"].astype(float).clip(lower=0)
    kols = read_truth(raw, "truth_kols").set_index("kol_id")
    zero_effect = set(kols.index[kols["is_zero_effect"].astype(str).str.lower() == "true"])
    con = duckdb.connect(str(db), read_only=True)
    credits = con.sql(
        f"""
        select attribution_model, kol_id, sum(credit) as credit
        from fct_attribution_credits
        where window_days = {window} and not is_unattributed and kol_id is not null
        group by all
        """
    ).df()
    tables = {r[0] for r in con.sql("show tables").fetchall()}
    if "fct_kol_incrementality" in tables:
        inc = con.sql(
            """
            select 'incrementality' as attribution_model, unit_id as kol_id,
                greatest(incremental_conversions, 0) as credit
            from fct_kol_incrementality
            where unit_type = 'kol' and order_platform = 'all'
            """
        ).df()
        credits = pd.concat([credits, inc], ignore_index=True)
    con.close()
    rows = []
    q = true_inc / true_inc.sum() if true_inc.sum() > 0 else true_inc
    for model, part in credits.groupby("attribution_model"):
        c = part.groupby("kol_id")["credit"].sum().clip(lower=0)
        all_kols = q.index.union(c.index)
        p = (
            (c / c.sum()).reindex(all_kols, fill_value=0.0)
            if c.sum() > 0
            else c.reindex(all_kols, fill_value=0)
        )
        qq = q.reindex(all_kols, fill_value=0.0)
        rows.append(
            {
                "model": model,
                "kind": "data-driven" if model in DATA_DRIVEN else "rule-based",
                "tvd": 0.5 * float((p - qq).abs().sum()),
                "ratio": float(c.sum() / true_inc.sum()) if true_inc.sum() > 0 else float("nan"),
                "zero_share": float(c[c.index.isin(zero_effect)].sum() / c.sum()) if c.sum() > 0 else 0.0,
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", nargs="+", default=SCENARIOS, choices=SCENARIOS)
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    ap.add_argument("--scale", default="demo")
    ap.add_argument("--window", type=int, default=30)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "accuracy")
    ap.add_argument("--reuse", action="store_true", help="score the databases already built under --out")
    a = ap.parse_args(argv)
    results = []
    for scenario in a.scenarios:
        for seed in a.seeds:
            work = a.out / f"{scenario}_{a.scale}_{seed}"
            work.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            raw = simulate(scenario, seed, a.scale, work)
            built = work / "kol_attr.duckdb"
            db = built if a.reuse and built.exists() else build(raw, work)
            s = score(db, raw, a.window)
            s["scenario"], s["seed"] = scenario, seed
            results.append(s)
            print(f"{scenario} seed {seed}: built and scored in {time.perf_counter() - t0:.0f}s", flush=True)
    table = pd.concat(results, ignore_index=True)
    a.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(a.out / "accuracy.csv", index=False)
    pd.set_option("display.width", 160)
    by = table.groupby(["scenario", "kind", "model"])[["tvd", "ratio", "zero_share"]].mean().round(3)
    print(f"\nPer scenario (mean over seeds {a.seeds}, window {a.window} days):\n{by.to_string()}")
    overall = table.groupby(["kind", "model"])[["tvd", "ratio", "zero_share"]].mean().round(3)
    print(f"\nAll scenarios:\n{overall.sort_values('tvd').to_string()}")
    best = table.groupby(["scenario", "kind", "model"])["tvd"].mean().reset_index()
    per_kind = best.groupby(["scenario", "kind"])["tvd"].min().unstack("kind")
    if {"rule-based", "data-driven"} <= set(per_kind.columns):
        per_kind["margin"] = per_kind["rule-based"] - per_kind["data-driven"]
        print(f"\nBest TVD per scenario (margin = best rule-based - best data-driven):\n{per_kind.round(3)}")
        margin = per_kind["margin"]
        print(f"\nmean margin: {margin.mean():.3f}; worst scenario margin: {margin.min():.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
