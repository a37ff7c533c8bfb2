"""The SQL path summaries (int_conversion_path_keys, int_path_summaries) that the data-driven credit
models read equal the pandas reference kol_attr.credits.path_summaries on the demo build, and the
credit rows computed from them equal the pure-pandas route data_driven_credits."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from kol_attr.credits import data_driven_credits, path_summaries

pytestmark = pytest.mark.dbt

WINDOWS = [7, 14, 30, 60, 90, 120]


@pytest.fixture(scope="module")
def frames(demo_con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return {
        name: demo_con.sql(f"select * from {name}").df()
        for name in (
            "int_conversion_paths",
            "int_nonconversion_paths",
            "int_conversion_path_keys",
            "int_path_summaries",
            "int_credits_markov",
        )
    }


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys, kind="mergesort").reset_index(drop=True)


def test_sql_path_summaries_equal_the_pandas_reference(frames: dict[str, pd.DataFrame]) -> None:
    keys, summaries = path_summaries(
        frames["int_conversion_paths"], frames["int_nonconversion_paths"], WINDOWS
    )
    assert len(summaries) > 100 and summaries["non_conversions"].sum() > 0  # the demo really has both sides
    sql_keys = frames["int_conversion_path_keys"][list(keys.columns)]
    pd.testing.assert_frame_equal(
        _sorted(sql_keys, ["conversion_id", "window_days"]).astype({"window_days": "int64"}),
        _sorted(keys, ["conversion_id", "window_days"]).astype({"window_days": "int64"}),
        check_dtype=False,
    )
    sql_summaries = frames["int_path_summaries"][list(summaries.columns)]
    order = ["window_days", "path_key", "max_interaction_weight"]
    pd.testing.assert_frame_equal(
        _sorted(sql_summaries, order).astype({"window_days": "int64"}),
        _sorted(summaries, order).astype({"window_days": "int64"}),
        check_dtype=False,
    )


def test_dbt_markov_credits_equal_the_pandas_route(frames: dict[str, pd.DataFrame]) -> None:
    expected = data_driven_credits(
        "markov", frames["int_conversion_paths"], frames["int_nonconversion_paths"], WINDOWS
    )
    built = frames["int_credits_markov"]
    order = ["window_days", "conversion_id", "touchpoint_id"]
    left = _sorted(built[["window_days", "conversion_id", "touchpoint_id", "credit"]], order)
    right = _sorted(expected[["window_days", "conversion_id", "touchpoint_id", "credit"]], order)
    assert len(left) == len(right)
    assert (left["conversion_id"] == right["conversion_id"]).all()
    assert ((left["credit"] - right["credit"]).abs() < 1e-9).all()
