"""The two ways raw data reaches staging, proved on simulator output.

* parquet route: var ``kol_attr__raw_path`` set, every source reads ``<raw_path>/<table>.parquet``
  (dbt-duckdb external sources);
* schema route: a ``raw`` schema loaded by someone else, built with ``dbt build --exclude tag:demo``
  (the demo seeds never run).

Both build only the sources' tests and the staging layer on the simulator's ``tiny`` world, with a
fixed ``kol_attr__as_of`` so "future" rows are the same in both. The staging views must hold every
distinct raw row (bad rows kept with a reason, never dropped) and be identical across the two routes.
The static contract check lives in ``test_sources_match_contract.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
CONTRACT = REPO / "contract" / "raw_sources.yml"
AS_OF = "{kol_attr__as_of: '2030-01-01 00:00:00'}"

# raw table -> staging model (one per table)
STAGING = {
    "pgy_kols": "stg_pgy__kol_snapshots",
    "brand_campaigns": "stg_brand__campaigns",
    "brand_tracking_assets": "stg_brand__tracking_assets",
    "pgy_notes": "stg_pgy__notes",
    "pgy_note_report_daily": "stg_pgy__note_reports_daily",
    "juguang_creative_daily": "stg_juguang__creatives_daily",
    "xhs_note_interactions": "stg_xhs__note_interactions",
    "web_sessions": "stg_web__sessions",
    "xhs_shop_orders": "stg_xhs__shop_orders",
    "tmall_orders": "stg_tmall__orders",
    "jd_orders": "stg_jd__orders",
    "d2c_orders": "stg_d2c__orders",
    "wechat_mp_orders": "stg_wechat__mp_orders",
    "fx_rates_daily": "stg_finance__fx_rates_daily",
    "identity_links": "stg_crm__identity_links",
    "post_purchase_surveys": "stg_survey__responses",
    "alliance_conversions": "stg_alliance__conversions",
    "xhs_search_rank_daily": "stg_xhs__search_ranks_daily",
    "xhs_brand_account_daily": "stg_xhs__brand_account_daily",
    "xhs_ugc_notes": "stg_xhs__ugc_notes",
    "xhs_note_comments": "stg_xhs__note_comments",
}
# models whose grain is not "one row per distinct raw row": expected count as SQL over the raw table
EXPECTED_ROWS_SQL = {
    # one row per note and day (two different reports of a day keep the larger counters; null keys dropped)
    "pgy_note_report_daily": "select count(*) from (select distinct note_id, report_date from {rel}"
    " where note_id is not null and report_date is not null)",
}


def run_dbt(args: list[str], db_path: Path, vars_yaml: str) -> None:
    """Run dbt against ``db_path`` (target and logs next to it) and fail with the log tail on error."""
    work = db_path.parent
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(db_path),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    cmd = [str(DBT), *args, "--vars", vars_yaml]
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{tail}\n{result.stderr[-2000:]}"


def _contract() -> dict:
    return yaml.safe_load(CONTRACT.read_text())["tables"]


@pytest.fixture(scope="module")
def sim_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "raw"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kol_attr_sim",
            "--scale",
            "tiny",
            "--seed",
            "7",
            "--format",
            "parquet",
            "--out",
            str(out),
            "--no-truth",
            "--quiet",
        ],
        cwd=REPO,
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def parquet_route_db(sim_parquet: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("parquet_route") / "p.duckdb"
    vars_yaml = f"{{kol_attr__raw_path: '{sim_parquet}', kol_attr__as_of: '2030-01-01 00:00:00'}}"
    run_dbt(["build", "--select", "source:raw", "staging"], db, vars_yaml=vars_yaml)
    return db


@pytest.fixture(scope="module")
def schema_route_db(sim_parquet: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("schema_route") / "s.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema raw")
    for table in _contract():
        path = sim_parquet / f"{table}.parquet"
        con.execute(f"create table raw.{table} as select * from read_parquet('{path}')")
    con.close()
    run_dbt(["build", "--select", "source:raw", "staging", "--exclude", "tag:demo"], db, vars_yaml=AS_OF)
    return db


def _raw_counts(con: duckdb.DuckDBPyConnection, rel_of) -> dict[str, int]:
    counts = {}
    for table in STAGING:
        rel = rel_of(table)
        sql = EXPECTED_ROWS_SQL.get(table, "select count(*) from (select distinct * from {rel})")
        counts[table] = con.execute(sql.format(rel=rel)).fetchone()[0]
    return counts


@pytest.mark.dbt
def test_parquet_route_keeps_every_row(sim_parquet: Path, parquet_route_db: Path) -> None:
    con = duckdb.connect(str(parquet_route_db), read_only=True)
    # the schema `raw` was never created: the views read the Parquet files
    raw_schemas = "select count(*) from information_schema.schemata where schema_name = 'raw'"
    assert con.execute(raw_schemas).fetchone()[0] == 0
    expected = _raw_counts(con, lambda t: f"read_parquet('{sim_parquet / t}.parquet')")
    for table, model in STAGING.items():
        got = con.execute(f"select count(*) from main.{model}").fetchone()[0]
        assert got == expected[table] > 0, (model, got, expected[table])
    con.close()


@pytest.mark.dbt
def test_schema_route_matches_parquet_route(schema_route_db: Path, parquet_route_db: Path) -> None:
    con = duckdb.connect(str(schema_route_db), read_only=True)
    expected = _raw_counts(con, lambda t: f"raw.{t}")
    for table, model in STAGING.items():
        got = con.execute(f"select count(*) from main.{model}").fetchone()[0]
        assert got == expected[table] > 0, (model, got, expected[table])
    # no demo seed was loaded: raw holds exactly the 21 contract tables
    raw_sql = "select table_name from information_schema.tables where table_schema = 'raw'"
    raw_tables = {r[0] for r in con.execute(raw_sql).fetchall()}
    assert raw_tables == set(STAGING)
    con.execute(f"attach '{parquet_route_db}' as parquet_route (read_only)")
    for model in STAGING.values():
        here, there = f"main.{model}", f"parquet_route.main.{model}"
        diff = con.execute(
            f"select count(*) from ((select * from {here} except all select * from {there})"
            f" union all (select * from {there} except all select * from {here}))"
        ).fetchone()[0]
        assert diff == 0, model
    con.close()


@pytest.mark.dbt
def test_bad_rows_are_kept_with_a_reason(parquet_route_db: Path) -> None:
    """The simulator plants bad rows; staging keeps them, each with a reason from the documented list."""
    con = duckdb.connect(str(parquet_route_db), read_only=True)
    reasons: set[str] = set()
    for model in STAGING.values():
        cols = {r[0] for r in con.execute(f"describe main.{model}").fetchall()}
        if "rejection_reason" in cols:
            rows = con.execute(f"select distinct rejection_reason from main.{model}").fetchall()
            reasons |= {r[0] for r in rows}
    allowed = {
        None,
        "null_key",
        "conflicting_duplicate",
        "unparseable_amount",
        "negative_amount",
        "unknown_status",
        "unknown_currency",
        "no_identity",
        "null_timestamp",
        "unparseable_timestamp",
        "future_timestamp",
        "unknown_interaction_type",
        "unknown_id_type",
    }
    assert reasons - allowed == set(), reasons - allowed
    assert len(reasons - {None}) >= 1, "the simulator's bad rows should surface as rejection reasons"
    con.close()
