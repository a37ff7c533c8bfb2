"""Rule-based credit build time against a hand-written DuckDB last-touch query, side by side.

Generates (or reuses) simulator output as Parquet, builds the project up to the touchpoint and
conversion tables through the ``kol_attr__raw_path`` route, then, on the same database and in the
same run:

1. the floor: one hand-written DuckDB query giving last-touch credit over a single 30-day window
   (``create table ... as``, so it writes its result like a model does);
2. the engine: ``int_conversion_paths`` plus ``int_credits_rule_based`` (every rule-based scheme x
   window computed and stored, one credit column each), both built by dbt, their times taken from
   ``run_results.json``;
3. for transparency, what it costs to write out the long rows of ``fct_attribution_credits`` (a
   view: conversion x touch x model x window) for every rule-based scheme and window, and to read
   one model x window from it as a BI tool does;

and prints both times, the ratio and the row counts. Usage::

    .venv/bin/python bench/attribution_speed.py --scale medium --seed 1 [--out bench/out/speed]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

LAST_TOUCH_30D = """
create or replace table bench_last_touch_30d as
with candidates as (
    select
        c.conversion_id,
        t.touchpoint_id,
        t.kol_id,
        c.revenue_cny,
        row_number() over (partition by c.conversion_id order by t.touched_at desc, t.touchpoint_id) as rn
    from fct_conversions as c
    join fct_touchpoints as t
        on t.person_id = c.person_id
        and t.is_kol_matched
        and t.touched_at < c.converted_at
        and t.touched_at >= c.converted_at - interval 30 day
    where c.is_attributable
)
select conversion_id, touchpoint_id, kol_id, 1.0 as credit, revenue_cny as attributed_revenue_cny
from candidates
where rn = 1
"""


def dbt(args: list[str], env: dict[str, str]) -> float:
    """Run one dbt command; return its wall time in seconds."""
    t0 = time.perf_counter()
    res = subprocess.run([str(BIN / "dbt"), *args], cwd=REPO, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(args[:3])} failed:\n{res.stdout[-3000:]}")
    return time.perf_counter() - t0


def model_seconds(target: Path) -> dict[str, float]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="medium")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "speed")
    a = ap.parse_args(argv)
    raw = a.out / f"{a.scale}_{a.seed}" / "raw"
    if not (raw / "xhs_note_interactions.parquet").exists():
        cmd = [str(BIN / "python"), "-m", "kol_attr_sim", "--scale", a.scale, "--seed", str(a.seed)]
        subprocess.run([*cmd, "--format", "parquet", "--out", str(raw), "--no-truth", "--quiet"], check=True)
    db = raw.parent / "kol_attr.duckdb"
    db.unlink(missing_ok=True)
    target = raw.parent / "target"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(db),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(raw.parent / "logs"),
    }
    raw_vars = ["--vars", f"{{kol_attr__raw_path: '{raw}'}}"]
    dbt(["seed", "--select", "tag:config", *raw_vars], env)
    core = ["+fct_touchpoints", "+fct_conversions"]
    prep = dbt(["run", "--select", *core, "--exclude", "tag:demo", *raw_vars], env)
    print(f"scale {a.scale}: touchpoints and conversions built in {prep:.1f}s")

    con = duckdb.connect(str(db))
    n_touch = con.execute("select count(*) from fct_touchpoints").fetchone()[0]
    n_conv = con.execute("select count(*) from fct_conversions where is_attributable").fetchone()[0]
    t0 = time.perf_counter()
    con.execute(LAST_TOUCH_30D)
    floor = time.perf_counter() - t0
    n_floor = con.execute("select count(*) from bench_last_touch_30d").fetchone()[0]
    con.close()

    engine_wall = dbt(["run", "--select", *RULE_BASED_ENGINE, *raw_vars], env)
    seconds = model_seconds(target)
    paths_s = seconds.get("int_conversion_paths", float("nan"))
    credits_s = seconds.get("int_credits_rule_based", float("nan"))
    # the long view also unions the data-driven models, which this benchmark does not build: empty stand-ins
    con = duckdb.connect(str(db))
    for name in DATA_DRIVEN:
        con.execute(
            f"create table if not exists {name} as select * from ("
            "select cast(null as varchar) as conversion_id, cast(null as varchar) as touchpoint_id, "
            "cast(null as varchar) as person_id, cast(null as varchar) as kol_id, "
            "cast(null as varchar) as note_id, "
            "cast(null as varchar) as campaign_id, cast(null as varchar) as order_platform, "
            "cast(null as varchar) as touch_signal, cast(null as varchar) as interaction_type, "
            "cast(null as varchar) as attribution_model, cast(null as integer) as window_days, "
            "cast(null as integer) as touch_position, cast(null as integer) as path_length, "
            "cast(null as double) as credit, cast(null as double) as attributed_revenue_cny, "
            "cast(null as boolean) as is_unattributed, cast(null as timestamp) as touched_at, "
            "cast(null as timestamp) as converted_at) where false"
        )
    con.close()
    dbt(["run", "--select", "fct_attribution_credits", *raw_vars], env)
    long = long_rows(db)
    engine = paths_s + credits_s
    print(f"touchpoints {n_touch:,}; attributable conversions {n_conv:,}")
    print(f"floor: hand-written last-touch, one 30-day window: {floor:.2f}s ({n_floor:,} rows)")
    print(
        f"engine: int_conversion_paths {paths_s:.2f}s + int_credits_rule_based {credits_s:.2f}s"
        f" ({long['scheme_windows']} scheme x window credit columns) = {engine:.2f}s;"
        f" dbt wall incl. start-up {engine_wall:.1f}s"
    )
    print(f"ratio engine / floor: {engine / floor:.1f}x (target <= 3x)")
    print(
        f"long rows (fct_attribution_credits, a view) for every rule-based scheme x window: "
        f"{long['rows']:,} rows written out in {long['write_seconds']:.2f}s; "
        f"one model x window read in {long['one_seconds']:.2f}s"
    )
    return 0


RULE_BASED_ENGINE = ("int_conversion_paths", "int_credits_rule_based")
DATA_DRIVEN = ("int_credits_markov", "int_credits_shapley", "int_credits_counterfactual")


def long_rows(db: Path) -> dict[str, float]:
    """Write out every rule-based long row of the fct_attribution_credits view; read one model x window."""
    con = duckdb.connect(str(db))
    rule_based = "attribution_model not in ('markov', 'shapley', 'counterfactual')"
    t0 = time.perf_counter()
    con.execute(
        "create or replace table bench_rule_based_long as "
        f"select * from fct_attribution_credits where {rule_based}"
    )
    write_seconds = time.perf_counter() - t0
    rows = con.execute("select count(*) from bench_rule_based_long").fetchone()[0]
    pairs = con.execute(
        "select count(*) from (select distinct attribution_model, window_days from bench_rule_based_long)"
    ).fetchone()[0]
    con.execute("drop table bench_rule_based_long")
    t0 = time.perf_counter()
    con.execute(
        "select kol_id, sum(credit) from fct_attribution_credits "
        "where attribution_model = 'linear' and window_days = 30 group by kol_id"
    ).fetchall()
    one_seconds = time.perf_counter() - t0
    con.close()
    return {"rows": rows, "scheme_windows": pairs, "write_seconds": write_seconds, "one_seconds": one_seconds}


if __name__ == "__main__":
    raise SystemExit(main())
