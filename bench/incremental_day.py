"""Cost of the daily incremental run against a full build (issue 7: target under 10%).

On a raw Parquet directory (the ``kol_attr__raw_path`` route, e.g. the simulator's ``large`` world:
``python -m kol_attr_sim --scale large --seed 7 --format parquet --out DIR``):

1. **full**: the whole project from an empty database, ``dbt build --exclude tag:demo`` (every model,
   seed and test, as ``bench/run.py`` times it), with ``kol_attr__replay_as_of`` = the start of the
   last day of data, i.e. everything up to the day before the last;
2. **daily**: the command a brand runs each morning (README "Daily incremental builds"),
   ``dbt build --selector daily --vars "{kol_attr__test_recent_days: 4}"``, at the end of the last
   day, which adds that day (plus the look-back, var ``kol_attr__lookback_days``).

The last day is the UTC date of the latest ``occurred_at`` in ``xhs_note_interactions.parquet``.
Prints the dbt wall-clock time of both (``elapsed_time`` of run_results.json, the same clock as dbt's
"Finished running ... in"), the process time (dbt start-up and parsing included), the ratio daily /
full, and the slowest nodes of the daily run. The database goes to ``--work`` (never into the raw
directory, which is only read).

The full build takes 8-20 minutes at ``large``. ``--keep-full`` saves a copy of the database right
after it and its timing (``full.duckdb``, ``full.json`` in ``--work``); ``--reuse-full`` then starts
from that copy and prints the recorded full time (marked as recorded), to re-measure the daily run
alone after a change that does not touch what the full build stored.

Usage::

    .venv/bin/python bench/incremental_day.py --raw /tmp/sim/large_bench --work /tmp/bench_incr
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")
FULL_ARGS = ["build", "--exclude", "tag:demo"]
DAILY_ARGS = ["build", "--selector", "daily"]
DAILY_VARS = "kol_attr__test_recent_days: 4"  # README: the look-back (3 days) + the new day


def last_day(raw: Path) -> dt.datetime:
    """Midnight UTC of the last day with a note interaction in ``raw``."""
    path = raw / "xhs_note_interactions.parquet"
    latest = duckdb.sql(f"select max(occurred_at) from read_parquet('{path}')").fetchall()[0][0]
    return dt.datetime(latest.year, latest.month, latest.day)


def run_dbt(
    args: list[str], raw: Path, work: Path, as_of: dt.datetime, extra_vars: str = ""
) -> tuple[float, float, list]:
    """Run dbt; return (dbt elapsed seconds, process wall seconds, run results)."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(work / "kol_attr.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    extra = f", {extra_vars}" if extra_vars else ""
    vars_yaml = f"{{kol_attr__raw_path: '{raw}', kol_attr__replay_as_of: '{as_of:%Y-%m-%d %H:%M:%S}'{extra}}}"
    started = time.perf_counter()
    result = subprocess.run(
        [str(DBT), *args, "--vars", vars_yaml], cwd=REPO, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"dbt {' '.join(args)} failed:\n" + "\n".join(result.stdout.splitlines()[-40:]))
    run_results = json.loads((work / "target" / "run_results.json").read_text())
    return float(run_results["elapsed_time"]), wall, run_results["results"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--raw", type=Path, required=True, help="directory of <table>.parquet (read only)")
    parser.add_argument(
        "--work", type=Path, required=True, help="directory for the database, target and logs"
    )
    parser.add_argument("--full-args", nargs="+", default=FULL_ARGS, help="dbt arguments of the full build")
    parser.add_argument("--daily-args", nargs="+", default=DAILY_ARGS, help="dbt arguments of the daily run")
    parser.add_argument("--daily-vars", default=DAILY_VARS, help="extra vars of the daily run (YAML items)")
    parser.add_argument("--keep-full", action="store_true", help="save full.duckdb and full.json in --work")
    parser.add_argument("--reuse-full", action="store_true", help="start from a kept full.duckdb")
    args = parser.parse_args(argv)
    raw, work = args.raw.resolve(), args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    database = work / "kol_attr.duckdb"
    database.unlink(missing_ok=True)
    day = last_day(raw)
    print(f"raw {raw}; last day {day:%Y-%m-%d}", flush=True)
    print(f"full:  dbt {' '.join(args.full_args)}  (as of {day:%Y-%m-%d %H:%M})", flush=True)
    if args.reuse_full:
        recorded = json.loads((work / "full.json").read_text())
        shutil.copyfile(work / "full.duckdb", database)
        full, full_wall = recorded["dbt_elapsed"], recorded["process"]
        note = f"recorded {recorded['finished']}"
    else:
        full, full_wall, _ = run_dbt(args.full_args, raw, work, day)
        note = "this run"
        if args.keep_full:
            shutil.copyfile(database, work / "full.duckdb")
            recorded = {"dbt_elapsed": full, "process": full_wall, "finished": dt.datetime.now().isoformat()}
            (work / "full.json").write_text(json.dumps(recorded))
    print(f"full build:     dbt {full:8.1f} s  (process {full_wall:8.1f} s; {note})", flush=True)
    nxt = day + dt.timedelta(days=1)
    command = f"dbt {' '.join(args.daily_args)} --vars {{{args.daily_vars}}}"
    print(f"daily: {command}  (as of {nxt:%Y-%m-%d %H:%M}, adds {day:%Y-%m-%d})", flush=True)
    daily, daily_wall, results = run_dbt(args.daily_args, raw, work, nxt, args.daily_vars)
    print(f"daily run:      dbt {daily:8.1f} s  (process {daily_wall:8.1f} s)")
    print(f"ratio daily / full: dbt {daily / full:.1%}  (process {daily_wall / full_wall:.1%})")
    tests = sum(r["execution_time"] for r in results if r["unique_id"].startswith(("test.", "unit_test.")))
    print(f"daily run: {len(results)} nodes; data and unit tests {tests:.1f} s of execution time")
    print("slowest nodes of the daily run (execution time, s):")
    for result in sorted(results, key=lambda r: -r["execution_time"])[:12]:
        print(f"  {result['execution_time']:7.1f}  {result['unique_id']}")


if __name__ == "__main__":
    main()
