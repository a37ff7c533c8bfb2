"""The whole project at brand scale, side by side with its baselines, in one run.

For the simulator's ``large`` scale (1M persons, 12M+ touchpoints, 330k orders, 365 days; Parquet,
built through the ``kol_attr__raw_path`` route) this script prints, for the same data in the same run:

* the full ``dbt build`` (every model, seed, snapshot and test) wall time and peak memory of the
  process (``/usr/bin/time -v``; DuckDB and the Python models run inside the dbt process);
* the ten slowest nodes from ``run_results.json``;
* the floor: one hand-written DuckDB last-touch query over a single 30-day window
  (``bench/attribution_speed.py``'s ``LAST_TOUCH_30D``), and the ratio of the rule-based credit
  engine to it (``int_conversion_paths`` as dbt built it + materialising every scheme x window of
  ``int_credits_rule_based``, as ``bench/attribution_speed.py`` measures it);
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


def floor_and_engine(db: Path, raw: Path, work: Path) -> dict[str, float]:
    """Side by side on the built database, nothing else running: the hand-written last-touch floor,
    then the rule-based engine rebuilt by dbt (its models' own times from run_results.json)."""
    con = duckdb.connect(str(db))
    floors = []
    for _ in range(2):  # the first run reads the touch table from disk; report the warm one, as for dbt
        t0 = time.perf_counter()
        con.execute(LAST_TOUCH_30D)
        floors.append(time.perf_counter() - t0)
    con.execute("drop table bench_last_touch_30d")
    con.close()
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
    floor = floors[-1]
    engine = sum(parts.values())
    long = long_rows(db)
    return {
        "floor_seconds": floor,
        "floor_cold_seconds": floors[0],
        **{f"engine_{name}_seconds": value for name, value in parts.items()},
        "engine_seconds": engine,
        "ratio": engine / floor,
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
    print(f"floor: last touch, one 30-day window, hand-written DuckDB: {fe['floor_seconds']:.2f} s")
    paths_s = fe["engine_int_conversion_paths_seconds"]
    credits_s = fe["engine_int_credits_rule_based_seconds"]
    print(
        f"engine: int_conversion_paths {paths_s:.2f} s + int_credits_rule_based (every scheme x window) "
        f"{credits_s:.2f} s = {fe['engine_seconds']:.2f} s"
    )
    print(f"ratio: {fe['ratio']:.1f}x (target <= 3x)")
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
