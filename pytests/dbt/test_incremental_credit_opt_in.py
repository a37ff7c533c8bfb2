"""The data-driven 'incremental' credit model is built by default; var kol_attr__incremental_credit
switches it off.

On (the default): the demo build has its rows in fct_attribution_credits for every window, credit
sums to 1 per conversion x window, KOLs get credit, and modelled credit (conversions without an
observed touch) is packed: a conversion carries a few modelled KOL rows, not one per KOL.
Off: its table is empty and fct_attribution_credits has no 'incremental' rows, with every test of
both passing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.dbt


def test_on_by_default(demo_con: duckdb.DuckDBPyConnection) -> None:
    windows, worst = demo_con.execute(
        "select count(distinct window_days), max(abs(total - 1)) from (select conversion_id, window_days, "
        "sum(credit) as total from fct_attribution_credits where attribution_model = 'incremental' "
        "group by all)"
    ).fetchall()[0]
    kol_credit, modelled_credit = demo_con.execute(
        "select sum(credit), sum(credit) filter (where touch_signal = 'modelled') "
        "from fct_attribution_credits where attribution_model = 'incremental' and not is_unattributed"
    ).fetchall()[0]
    # packed: on a day, R conversions and K KOLs give at most R + K - 1 modelled rows (an even spread: R x K)
    days_over_bound, rows, spread = demo_con.execute(
        "select count(*) filter (where n > r + k - 1), sum(n), sum(r * k) from ("
        "select window_days, cast(converted_at as date), count(*) as n, count(distinct conversion_id) as r, "
        "count(distinct kol_id) as k from int_credits_incremental where touch_signal = 'modelled' "
        "group by all)"
    ).fetchall()[0]
    assert windows == 6
    assert worst < 1e-9
    assert kol_credit > modelled_credit > 0
    assert days_over_bound == 0 and rows < spread / 5


def test_off_when_the_var_is_false(demo_db: Path, tmp_path: Path, dbt_runner) -> None:
    db = tmp_path / "incremental_off.duckdb"
    shutil.copy(demo_db, db)
    result = dbt_runner(
        ["build", "--select", "int_credits_incremental", "fct_attribution_credits"],
        db,
        vars_yaml="{kol_attr__incremental_credit: false}",
        extra_env={"DBT_TARGET_PATH": str(tmp_path / "target")},
    )
    assert "ERROR=0" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from int_credits_incremental").fetchall()[0][0] == 0
    rows = con.execute(
        "select count(*) from fct_attribution_credits where attribution_model = 'incremental'"
    ).fetchall()[0][0]
    con.close()
    assert rows == 0
