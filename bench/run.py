"""The whole project at brand scale, side by side with its baselines, in one run.

For the simulator's ``large`` scale (1M persons, 12M+ touchpoints, 330k orders, 365 days; Parquet,
built through the ``kol_attr__raw_path`` route) this script prints, for the same data in the same run:

* the full ``dbt build`` (every model, seed, snapshot and test) wall time and peak memory of the
  process (``/usr/bin/time -v``; DuckDB and the Python models run inside the dbt process);
* the ten slowest nodes from ``run_results.json``;
* the floor: one hand-written DuckDB last-touch query over a single 30-day window
  (``bench/attribution_speed.py``'s ``LAST_TOUCH_30D``), and the ratio of the rule-based credit
  engine to it: the engine's compiled SQL (``int_conversion_paths`` and the view
  ``int_credits_rule_based``, every scheme x window) alternated with the floor in one connection,
  plus the same engine as dbt nodes (with dbt's per-node overhead);
* the exact Markov model against ChannelAttribution's ``markov_model`` on the same path summary
  (the 30-day ``int_path_summaries``): both times, the ratio and the gap in credit shares;
* the same build at the ``small`` and ``medium`` scales: how time and memory grow with touchpoints.

Usage::

    .venv/bin/python bench/run.py                              # generate large (seed 7) + small + medium
    .venv/bin/python bench/run.py --raw /data/large --raw-small /data/small --raw-medium /data/medium
    .venv/bin/python bench/run.py --skip-growth --skip-ca      # large build, floor and ratio only

Writes every figure to ``<out>/bench.json`` (default ``bench/out/run``, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "bench"))

from attribution_speed import LAST_TOUCH_30D, RULE_BASED_ENGINE, long_rows  # noqa: E402
from kol_attr.attribution import markov  # noqa: E402
from kol_attr.credits import PATH_KEY_SEPARATOR  # noqa: E402
from markov_vs_channelattribution import compare_with_channelattribution  # noqa: E402


def ensure_raw(scale: str, seed: int, raw: Path | None, out: Path) -> Path:
    """The Parquet directory of ``scale``: ``raw`` when given, else generated once under ``out``."""
    if raw is not None:
        if not (raw / "xhs_note_interactions.parquet").exists():
            raise SystemExit(f"{raw} has no xhs_note_interactions.parquet: not a simulator Parquet directory")
        return raw
    target = out / f"{scale}_{seed}" / "raw"
    if not (target / "xhs_note_interactions.parquet").exists():
        cmd = [str(BIN / "python"), "-m", "kol_attr_sim", "--scale", scale, "--seed", str(seed)]
        cmd += ["--format", "parquet", "--out", str(target), "--no-truth", "--quiet"]
        print(f"generating {scale} (seed {seed}) into {target} ...", flush=True)
        subprocess.run(cmd, check=True, cwd=REPO)
    return target


def timed_build(raw: Path, work: Path) -> dict[str, object]:
    """``dbt build`` of the whole project on ``raw`` under ``/usr/bin/time -v``; figures and run results."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / "kol_attr.duckdb"
    for stale in (db, work / "kol_attr.duckdb.wal"):
        stale.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(db),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    cmd = ["/usr/bin/time", "-v", str(BIN / "dbt"), "build", "--exclude", "tag:demo"]
    cmd += ["--vars", f"{{kol_attr__raw_path: '{raw}'}}"]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    (work / "dbt_build.log").write_text(res.stdout)
    if res.returncode != 0:
        tail = "\n".join(res.stdout.splitlines()[-40:])
        raise SystemExit(f"dbt build failed on {raw}:\n{tail}\n{res.stderr[-2000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    nodes = pd.DataFrame(
        {
            "node": [r["unique_id"].split(".", 2)[-1] for r in results],
            "kind": [r["unique_id"].split(".", 1)[0] for r in results],
            "status": [r["status"] for r in results],
            "seconds": [r["execution_time"] for r in results],
        }
    )
    done = re.findall(r"Done\. (PASS=\d+ WARN=\d+ ERROR=\d+ SKIP=\d+)", res.stdout)
    con = duckdb.connect(str(db), read_only=True)
    touchpoints = con.sql("select count(*) from fct_touchpoints").fetchall()[0][0]
    conversions = con.sql("select count(*) from fct_conversions").fetchall()[0][0]
    con.close()
    return {
        "db": db,
        "raw": raw,
        "wall_seconds": wall,
        "peak_rss_gb": rss_kb / 1024**2,
        "dbt_summary": done[-1] if done else "",
        "load_average_at_start": load_before,
        "touchpoints": touchpoints,
        "conversions": conversions,
        "nodes": nodes,
    }


def engine_sql(target: Path) -> list[str]:
    """The statements dbt ran to build the rule-based engine, as compiled: a CTAS of int_conversion_paths
    (into a scratch table) and the view int_credits_rule_based (under a scratch name)."""
    compiled = target / "compiled" / "kol_attr" / "models" / "intermediate"
    paths_sql = (compiled / "paths" / "int_conversion_paths.sql").read_text()
    credits_sql = (compiled / "credits" / "int_credits_rule_based.sql").read_text()
    return [
        f"create or replace table bench_engine_paths as {paths_sql}",
        f"create or replace view bench_engine_credits as {credits_sql}",
    ]


def floor_and_engine(db: Path, raw: Path, work: Path, reps: int = 3) -> dict[str, float]:
    """Side by side on the built database, nothing else running.

    1. dbt rebuilds the rule-based engine (``RULE_BASED_ENGINE``); its node times from run_results.json.
    2. In ONE DuckDB connection, alternately ``reps`` times: the hand-written last-touch floor, then the
       engine's own compiled SQL (the same statements dbt ran). Both are CTAS into a table of the same
       database, equally warm; the minimum of each is reported, and their ratio is the figure the
       target (<= 3x) is about. dbt's own per-node overhead (compile, comments, renames) is reported
       apart, from step 1.
    """
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(db),
        "DBT_TARGET_PATH": str(work / "target_engine"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    cmd = [
        str(BIN / "dbt"),
        "run",
        "--select",
        *RULE_BASED_ENGINE,
        "--vars",
        f"{{kol_attr__raw_path: '{raw}'}}",
    ]
    subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True)
    results = json.loads((work / "target_engine" / "run_results.json").read_text())["results"]
    parts = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}
    statements = engine_sql(work / "target_engine")

    con = duckdb.connect(str(db))
    floors, engines = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        con.execute(LAST_TOUCH_30D)
        floors.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for statement in statements:
            con.execute(statement)
        engines.append(time.perf_counter() - t0)
    con.execute("drop view bench_engine_credits")
    con.execute("drop table bench_engine_paths")
    con.execute("drop table bench_last_touch_30d")
    con.close()
    floor, engine = min(floors), min(engines)
    long = long_rows(db)
    return {
        "floor_seconds": floor,
        "floor_runs": floors,
        "engine_seconds": engine,
        "engine_runs": engines,
        "ratio": engine / floor,
        **{f"dbt_{name}_seconds": value for name, value in parts.items()},
        "dbt_engine_seconds": sum(parts.values()),
        "dbt_ratio": sum(parts.values()) / floor,
        "long_rows": long["rows"],
        "long_rows_write_seconds": long["write_seconds"],
        "one_model_window_read_seconds": long["one_seconds"],
    }


def markov_vs_ca(db: Path, window_days: int = 30) -> dict[str, float | str]:
    """Exact Markov vs ChannelAttribution on the project's own path summary of one window."""
    con = duckdb.connect(str(db), read_only=True)
    summary = con.sql(
        f"""
        select path_key, sum(conversions) as conversions, sum(non_conversions) as non_conversions
        from int_path_summaries
        where window_days = {int(window_days)}
        group by path_key
        """
    ).df()
    con.close()
    paths = pd.DataFrame(
        {
            "path": [key.split(PATH_KEY_SEPARATOR) for key in summary["path_key"]],
            "conversions": summary["conversions"].astype(float),
            "non_conversions": summary["non_conversions"].astype(float),
        }
    )
    t0 = time.perf_counter()
    ours = markov(paths, order=1)
    ours_seconds = time.perf_counter() - t0
    ca = compare_with_channelattribution(paths, ours)
    return {
        "distinct_paths": len(paths),
        "channels": int(paths["path"].explode().nunique()),
        "exact_seconds": ours_seconds,
        **ca,
        "ca_over_exact": float(ca["ca_seconds"]) / ours_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--raw", type=Path, help="existing large-scale Parquet directory (else generated)")
    ap.add_argument("--raw-small", type=Path)
    ap.add_argument("--raw-medium", type=Path)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "run")
    ap.add_argument("--skip-growth", action="store_true", help="large scale only")
    ap.add_argument("--skip-ca", action="store_true", help="no ChannelAttribution comparison")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {
        "machine": f"{os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d %H:%M UTC"),
    }

    scales = [("large", a.raw)]
    if not a.skip_growth:
        scales = [("small", a.raw_small), ("medium", a.raw_medium), *scales]
    builds: dict[str, dict[str, object]] = {}
    for scale, raw_arg in scales:
        raw = ensure_raw(scale, a.seed, raw_arg, a.out)
        print(f"building {scale} from {raw} ...", flush=True)
        builds[scale] = timed_build(raw, a.out / scale)
        b = builds[scale]
        print(
            f"  {scale}: {b['touchpoints']:,} touchpoints, {b['conversions']:,} conversions: "
            f"dbt build {b['wall_seconds']:.0f} s, peak {b['peak_rss_gb']:.2f} GB ({b['dbt_summary']})",
            flush=True,
        )

    large = builds["large"]
    nodes = large["nodes"]
    slowest = nodes.sort_values("seconds", ascending=False).head(10)
    print("\n== large: full dbt build ==")
    print(f"wall {large['wall_seconds']:.0f} s ({large['wall_seconds'] / 60:.1f} min; target < 10 min)")
    print(f"peak memory {large['peak_rss_gb']:.2f} GB (target < 6 GB); {large['dbt_summary']}")
    print(f"load average when it started: {large['load_average_at_start']:.2f}")
    print("slowest ten nodes:")
    print(slowest.to_string(index=False, float_format=lambda x: f"{x:.1f}"))

    fe = floor_and_engine(large["db"], large["raw"], a.out / "large")
    print("\n== rule-based engine vs the hand-written floor (same database) ==")
    runs = lambda key: ", ".join(f"{x:.2f}" for x in fe[key])  # noqa: E731
    print(
        "floor: last touch, one 30-day window, hand-written DuckDB: "
        f"{fe['floor_seconds']:.2f} s ({runs('floor_runs')})"
    )
    print(
        "engine: every rule-based scheme x window, its compiled SQL in the same connection: "
        f"{fe['engine_seconds']:.2f} s ({runs('engine_runs')})"
    )
    print(f"ratio: {fe['ratio']:.2f}x (target <= 3x; minimum of alternating runs)")
    paths_s = fe["dbt_int_conversion_paths_seconds"]
    credits_s = fe["dbt_int_credits_rule_based_seconds"]
    print(
        f"as dbt nodes (fresh process, with dbt's per-node overhead): int_conversion_paths {paths_s:.2f} s"
        f" + int_credits_rule_based (view) {credits_s:.2f} s = {fe['dbt_engine_seconds']:.2f} s, "
        f"{fe['dbt_ratio']:.2f}x the floor"
    )
    print(
        "long rows of every rule-based scheme x window (fct_attribution_credits is a view): "
        f"{fe['long_rows']:,} written out in {fe['long_rows_write_seconds']:.2f} s; "
        "one model x window read in "
        f"{fe['one_model_window_read_seconds']:.2f} s"
    )

    ca: dict[str, float | str] = {}
    if not a.skip_ca:
        ca = markov_vs_ca(large["db"])
        print("\n== exact Markov vs ChannelAttribution.markov_model (30-day path summary) ==")
        print(f"{ca['distinct_paths']:,} distinct paths over {ca['channels']} KOLs")
        print(
            f"exact {ca['exact_seconds']:.2f} s; ChannelAttribution {ca['ca_seconds']:.2f} s; "
            f"ratio {ca['ca_over_exact']:.1f}x"
        )
        print(f"credit share gap: max {ca['max_share_gap']:.5f}, mean {ca['mean_share_gap']:.5f}")

    growth = []
    for scale, b in builds.items():
        growth.append(
            {
                "scale": scale,
                "touchpoints": b["touchpoints"],
                "conversions": b["conversions"],
                "wall_seconds": round(float(b["wall_seconds"]), 1),
                "peak_rss_gb": round(float(b["peak_rss_gb"]), 2),
                "seconds_per_million_touchpoints": round(
                    float(b["wall_seconds"]) / (b["touchpoints"] / 1e6), 1
                ),
            }
        )
    if len(growth) > 1:
        print("\n== growth with data size ==")
        print(pd.DataFrame(growth).to_string(index=False))

    report.update(
        {
            "builds": growth,
            "large_slowest_nodes": slowest.to_dict("records"),
            "large_dbt_summary": large["dbt_summary"],
            "floor_and_engine": fe,
            "markov_vs_channelattribution": ca,
        }
    )
    (a.out / "bench.json").write_text(json.dumps(report, indent=1, default=str))
    print(f"\nfigures: {a.out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
