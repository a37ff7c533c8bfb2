"""The data-driven 'incremental' credit model is opt-in (var kol_attr__incremental_credit).

Off (the default): its table is empty and fct_attribution_credits has no 'incremental' rows.
On: it builds on the demo data and every test of it and of fct_attribution_credits passes, among
them credit summing to 1 per conversion x model x window and the uniqueness of the grain.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.dbt


def test_off_by_default(demo_con: duckdb.DuckDBPyConnection) -> None:
    assert demo_con.execute("select count(*) from int_credits_incremental").fetchall()[0][0] == 0
    rows = demo_con.execute(
        "select count(*) from fct_attribution_credits where attribution_model = 'incremental'"
    ).fetchall()[0][0]
    assert rows == 0


def test_on_builds_and_passes_every_test(demo_db: Path, tmp_path: Path, dbt_runner) -> None:
    db = tmp_path / "incremental.duckdb"
    shutil.copy(demo_db, db)
    result = dbt_runner(
        ["build", "--select", "int_credits_incremental", "fct_attribution_credits"],
        db,
        vars_yaml="{kol_attr__incremental_credit: true}",
        extra_env={"DBT_TARGET_PATH": str(tmp_path / "target")},
    )
    assert "ERROR=0" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    windows, worst = con.execute(
        "select count(distinct window_days), max(abs(total - 1)) from (select conversion_id, window_days, "
        "sum(credit) as total from fct_attribution_credits where attribution_model = 'incremental' "
        "group by all)"
    ).fetchall()[0]
    kol_credit = con.execute(
        "select sum(credit) from fct_attribution_credits where attribution_model = 'incremental' "
        "and not is_unattributed"
    ).fetchall()[0][0]
    con.close()
    assert windows == 6
    assert worst < 1e-9
    assert kol_credit > 0
