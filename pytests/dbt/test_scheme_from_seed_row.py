"""A scheme added as a seed row, with no SQL: U-shaped position weights x time decay x interaction weights.

Such a scheme's weight depends on the touch's position in each window, so int_conversion_paths
computes its normaliser in a second grouped pass (the shipped schemes need only one). The credits
the build writes are checked against an independent pandas computation from the path columns:
w_i = position(i, n) * 2^(-age_i / half_life) * interaction_weight_i, credit_i = w_i / sum_j w_j
over the touches of the window. A half-life too short for the longest window stops the compile
with a message naming the scheme.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.dbt

SCHEME = "u_shaped_decay"
WINDOWS = "[7, 30]"


def _with_scheme(demo_db: Path, tmp_path: Path, half_life_days: float) -> Path:
    db = tmp_path / "scheme.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    con.execute(
        "insert into attribution_schemes (scheme_id, position_rule, first_weight, middle_weight, "
        "last_weight, half_life_days, use_interaction_weights, description) values "
        f"('{SCHEME}', 'position_based', 0.4, 0.2, 0.4, {half_life_days}, true, 'test: U-shaped with decay')"
    )
    con.close()
    return db


def _position_weight(position: np.ndarray, n: np.ndarray) -> np.ndarray:
    middle = 0.2 / np.maximum(n - 2, 1)
    weight = np.where(position == 1, 0.4, np.where(position == n, 0.4, middle))
    weight = np.where(n == 2, 0.5, weight)
    return np.where(n == 1, 1.0, weight)


def test_u_shaped_decay_scheme_matches_pandas(demo_db: Path, tmp_path: Path, dbt_runner) -> None:
    db = _with_scheme(demo_db, tmp_path, half_life_days=7)
    dbt_runner(
        # a new scheme changes the attribution config: the incremental paths need a full refresh
        [
            "build",
            "--full-refresh",
            "--select",
            "int_conversion_paths",
            "int_credits_rule_based",
            "fct_attribution_credits",
        ],
        db,
        vars_yaml=f"{{kol_attr__schemes: [{SCHEME}, linear], kol_attr__windows_days: {WINDOWS}}}",
        extra_env={"DBT_TARGET_PATH": str(tmp_path / "target")},
    )
    con = duckdb.connect(str(db), read_only=True)
    paths = con.sql(
        "select conversion_id, touchpoint_id, touch_age_days, interaction_weight, recency_rank, "
        "path_length_7d, path_length_30d from int_conversion_paths where touchpoint_id is not null"
    ).df()
    built = con.sql(
        "select conversion_id, touchpoint_id, window_days, credit from fct_attribution_credits "
        f"where attribution_model = '{SCHEME}' and not is_unattributed"
    ).df()
    sums = con.execute(
        "select max(abs(total - 1)) from (select conversion_id, window_days, sum(credit) as total "
        f"from fct_attribution_credits where attribution_model = '{SCHEME}' group by all)"
    ).fetchall()[0][0]
    con.close()
    assert sums < 1e-9

    expected = []
    for window in (7, 30):
        n = paths[f"path_length_{window}d"].to_numpy()
        inside = paths.loc[(paths["touch_age_days"] <= window) & (n > 0)].copy()
        n_in = inside[f"path_length_{window}d"].to_numpy()
        position = n_in - inside["recency_rank"].to_numpy() + 1
        inside["w"] = (
            _position_weight(position, n_in)
            * np.power(2.0, -inside["touch_age_days"].to_numpy() / 7.0)
            * inside["interaction_weight"].to_numpy()
        )
        total = inside.groupby("conversion_id")["w"].transform("sum")
        inside["credit"] = inside["w"] / total
        inside["window_days"] = window
        expected.append(
            inside.loc[inside["credit"] > 0, ["conversion_id", "touchpoint_id", "window_days", "credit"]]
        )
    expected_df = pd.concat(expected)
    assert len(expected_df) > 1000  # the demo has many multi-touch paths in both windows
    merged = expected_df.merge(
        built, on=["conversion_id", "touchpoint_id", "window_days"], how="outer", indicator=True
    )
    assert (merged["_merge"] == "both").all(), merged["_merge"].value_counts()
    np.testing.assert_allclose(merged["credit_x"], merged["credit_y"], rtol=1e-9, atol=1e-12)


def test_half_life_too_short_for_the_window_stops_the_compile(
    demo_db: Path, tmp_path: Path, dbt_runner
) -> None:
    db = _with_scheme(demo_db, tmp_path, half_life_days=0.1)
    result = dbt_runner(
        ["compile", "--full-refresh", "--select", "int_conversion_paths"],
        db,
        vars_yaml="{kol_attr__windows_days: [7, 30, 120]}",
        check=False,
        extra_env={"DBT_TARGET_PATH": str(tmp_path / "target")},
    )
    assert result.returncode != 0
    assert f"scheme_id = '{SCHEME}'" in result.stdout
    assert "window / half-life must be <= 900" in result.stdout
