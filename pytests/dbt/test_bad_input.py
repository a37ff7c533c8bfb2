"""Bad input: every contract quirk at high rates plus broken rows, through the Parquet route.

One simulated raw data set (tiny scale, quirks turned up: duplicates, messy codes, URL-encoded and
mixed-case UTMs, Z-offset times, unreadable order rows) gets broken rows injected: a null key, a
negative amount, a time in the future, an unknown currency, a URL that cannot be decoded. The build
must complete, set every broken row aside in fct_rejected_rows with its reason, and reconcile raw
orders with conversions plus orders set aside (fct_orders_reconciled and its tests). A raw table
missing a contract column must stop the build with an error naming the table, the column and the
rule.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.dbt

QUIRKS = [
    "dup_tmall=0.2",
    "dup_jd=0.2",
    "dup_xhs_shop=0.2",
    "dup_interactions=0.1",
    "dup_sessions=0.1",
    "z_offset=0.9",
    "code_messy=0.9",
    "utm_mixed_case=0.8",
    "utm_urlencoded=0.8",
    "utm_unknown_source=0.3",
    "report_missing_day=0.3",
    "report_dip=0.1",
    "unknown_note_events=0.1",
    "bad_rows=0.05",
]

# (raw table, key column, injected key, column overrides as SQL, expected rejection reason)
BROKEN = [
    ("tmall_orders", "tid", None, {}, "null_key"),
    ("tmall_orders", "tid", "BAD-FUTURE-1", {"pay_time": "'2031-01-01 10:00:00'"}, "future_timestamp"),
    (
        "jd_orders",
        "order_id",
        "BAD-NEG-1",
        {"order_amount": "cast(-88.00 as decimal(12, 2))"},
        "negative_amount",
    ),
    ("d2c_orders", "order_id", "BAD-CUR-1", {"currency": "'XYZ'"}, "unknown_currency"),
    (
        "web_sessions",
        "session_id",
        "BAD-URL-1",
        {"landing_url": "'https://www.brand.cn/p?utm_source=%E5%B0&utm_medium=xhs-note'"},
        "malformed_url",
    ),
    ("xhs_note_interactions", "event_id", None, {}, "null_key"),
]


def _inject(raw: Path, table: str, key_column: str, key: str | None, overrides: dict[str, str]) -> None:
    path = raw / f"{table}.parquet"
    con = duckdb.connect()
    columns = [row[0] for row in con.execute(f"describe select * from read_parquet('{path}')").fetchall()]
    values = {key_column: "cast(null as varchar)" if key is None else f"'{key}'", **overrides}
    select = ", ".join(f"{values[c]} as {c}" if c in values else c for c in columns)
    con.execute(
        f"copy (select * from read_parquet('{path}') union all "
        f"(select {select} from read_parquet('{path}') limit 1)) to '{path}.new' (format parquet)"
    )
    con.close()
    Path(f"{path}.new").replace(path)


@pytest.fixture(scope="module")
def base_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("bad_input") / "base"
    cmd = [sys.executable, "-m", "kol_attr_sim", "--scale", "tiny", "--seed", "11", "--format", "parquet"]
    cmd += ["--out", str(raw), "--no-truth", "--quiet"]
    for quirk in QUIRKS:
        cmd += ["--quirk", quirk]
    subprocess.run(cmd, check=True)
    return raw


@pytest.fixture(scope="module")
def broken_build(base_raw: Path, dbt_runner) -> Path:
    raw = base_raw.parent / "broken"
    shutil.copytree(base_raw, raw)
    for table, key_column, key, overrides, _ in BROKEN:
        _inject(raw, table, key_column, key, overrides)
    db = base_raw.parent / "broken_build" / "kol_attr.duckdb"
    db.parent.mkdir()
    dbt_runner(
        [
            "build",
            "--select",
            "+fct_rejected_rows",
            "+fct_orders_reconciled",
            "--exclude",
            "tag:demo",
            "--indirect-selection",
            "cautious",
        ],
        db,
        vars_yaml=f"{{kol_attr__raw_path: '{raw}'}}",
    )
    return db


@pytest.mark.parametrize(
    ("table", "key_column", "key", "overrides", "reason"), BROKEN, ids=[b[-1] for b in BROKEN]
)
def test_broken_row_is_set_aside_with_its_reason(
    broken_build: Path, table: str, key_column: str, key: str | None, overrides: dict[str, str], reason: str
) -> None:
    con = duckdb.connect(str(broken_build), read_only=True)
    rows = con.execute(
        "select rejection_reason from fct_rejected_rows "
        "where source_table = ? and (row_key = ? or (? is null and row_key is null))",
        [table, key, key],
    ).fetchall()
    con.close()
    assert (reason,) in rows, f"{table} row {key!r} not set aside as {reason}: {rows}"


def test_orders_reconcile_in_count_and_revenue(broken_build: Path) -> None:
    con = duckdb.connect(str(broken_build), read_only=True)
    rows = con.execute(
        "select order_platform, is_reconciled, staged_orders, conversions, set_aside_orders, "
        "staged_revenue_cny, conversions_revenue_cny, set_aside_revenue_cny from fct_orders_reconciled"
    ).fetchall()
    con.close()
    assert len(rows) == 5
    for platform, ok, staged, conversions, set_aside, revenue, conv_revenue, aside_revenue in rows:
        assert ok, platform
        assert staged == conversions + set_aside, platform
        assert abs(float(revenue) - float(conv_revenue) - float(aside_revenue or 0)) < 0.01, platform


def test_missing_column_stops_the_build_naming_table_column_and_rule(base_raw: Path, dbt_runner) -> None:
    raw = base_raw.parent / "missing_column"
    shutil.copytree(base_raw, raw)
    path = raw / "tmall_orders.parquet"
    con = duckdb.connect()
    con.execute(
        f"copy (select * exclude (payment) from read_parquet('{path}')) to '{path}.new' (format parquet)"
    )
    con.close()
    Path(f"{path}.new").replace(path)
    db = base_raw.parent / "missing_build" / "kol_attr.duckdb"
    db.parent.mkdir()
    result = dbt_runner(
        ["run", "--select", "stg_tmall__orders", "--exclude", "tag:demo"],
        db,
        vars_yaml=f"{{kol_attr__raw_path: '{raw}'}}",
        check=False,
    )
    assert result.returncode != 0
    message = " ".join(result.stdout.split())
    assert "raw table tmall_orders" in message and "missing column(s) payment" in message, message[-2000:]
    assert "Rule: every column of contract/raw_sources.yml must be present" in message
