"""Cost of adding one day incrementally against a full build (issue 7).

On a raw Parquet directory (the ``kol_attr__raw_path`` route, e.g. the simulator's ``large`` world:
``python -m kol_attr_sim --scale large --seed 7 --format parquet --out DIR``):

1. **full**: a ``--full-refresh`` build of the selection (default ``+fct_touchpoints +fct_conversions``,
   the models made incremental) with ``kol_attr__replay_as_of`` = the start of the last day of data,
   i.e. everything up to the day before the last;
2. **incremental**: an incremental run of the same selection at the end of the last day, which adds
   that day (plus the look-back, var ``kol_attr__lookback_days``).

The last day is the UTC date of the latest ``occurred_at`` in ``xhs_note_interactions.parquet``.
Prints the dbt wall-clock time of both (``elapsed_time`` of run_results.json, the same clock as dbt's
"Finished running ... in") and the process time, and the ratio incremental / full. The database goes
to ``--work`` (never into the raw directory, which is only read).

Usage::

    .venv/bin/python bench/incremental_day.py --raw /tmp/sim/large_bench --work /tmp/bench_incr
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")


def last_day(raw: Path) -> dt.datetime:
    """Midnight UTC of the last day with a note interaction in ``raw``."""
    path = raw / "xhs_note_interactions.parquet"
    latest = duckdb.sql(f"select max(occurred_at) from read_parquet('{path}')").fetchall()[0][0]
    return dt.datetime(latest.year, latest.month, latest.day)


def run_dbt(args: list[str], raw: Path, work: Path, as_of: dt.datetime) -> tuple[float, float]:
    """Run dbt; return (dbt elapsed seconds, process wall seconds)."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(work / "kol_attr.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    vars_yaml = f"{{kol_attr__raw_path: '{raw}', kol_attr__replay_as_of: '{as_of:%Y-%m-%d %H:%M:%S}'}}"
    started = time.perf_counter()
    result = subprocess.run(
        [str(DBT), *args, "--vars", vars_yaml], cwd=REPO, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"dbt {' '.join(args)} failed:\n" + "\n".join(result.stdout.splitlines()[-40:]))
    elapsed = json.loads((work / "target" / "run_results.json").read_text())["elapsed_time"]
    return float(elapsed), wall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--raw", type=Path, required=True, help="directory of <table>.parquet (read only)")
    parser.add_argument(
        "--work", type=Path, required=True, help="directory for the database, target and logs"
    )
    parser.add_argument("--select", nargs="+", default=["+fct_touchpoints", "+fct_conversions"])
    args = parser.parse_args(argv)
    raw, work = args.raw.resolve(), args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    (work / "kol_attr.duckdb").unlink(missing_ok=True)
    day = last_day(raw)
    selection = ["--select", *args.select]
    print(f"raw {raw}; last day {day:%Y-%m-%d}; selection {' '.join(args.select)}", flush=True)
    run_dbt(["seed", "--select", "tag:config"], raw, work, day)  # config seeds (tier bands, ...), not timed
    full, full_wall = run_dbt(["run", *selection, "--full-refresh"], raw, work, day)
    print(
        f"full build up to {day:%Y-%m-%d %H:%M}:   dbt {full:8.1f} s  (process {full_wall:8.1f} s)",
        flush=True,
    )
    nxt = day + dt.timedelta(days=1)
    incr, incr_wall = run_dbt(["run", *selection], raw, work, nxt)
    print(f"incremental run adding {day:%Y-%m-%d}: dbt {incr:8.1f} s  (process {incr_wall:8.1f} s)")
    print(f"ratio incremental / full: dbt {incr / full:.1%}  (process {incr_wall / full_wall:.1%})")


if __name__ == "__main__":
    main()
