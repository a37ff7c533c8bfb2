"""kol_attr.engine_compare.compare_frames: what the Spark parity test counts as equal."""

from __future__ import annotations

import datetime as dt
import decimal

import numpy as np
import pandas as pd

from kol_attr.engine_compare import compare_frames


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "KOL_ID": ["k1", "k2", None, "k1"],
            "credit": [0.5, 0.25, 1.0, 0.125],
            "orders": pd.array([1, 2, None, 4], dtype="Int64"),
            "is_unattributed": [False, False, True, False],
            "converted_at": pd.to_datetime(
                ["2025-01-01 08:00:00", "2025-01-02 00:00:00", None, "2025-01-03 23:59:59.5"],
                format="ISO8601",
            ),
            "activity_date": [dt.date(2025, 1, 1), dt.date(2025, 1, 2), None, dt.date(2025, 1, 3)],
        }
    )


def test_equal_whatever_the_row_order_column_case_and_engine_types() -> None:
    left = _frame()
    right = left.iloc[[3, 1, 0, 2]].reset_index(drop=True).rename(columns=str.lower)
    # what Spark's Parquet gives: decimals for numbers, tz-aware UTC stamps, dates as midnight stamps,
    # NaN / NaT / pd.NA for null
    right["credit"] = [decimal.Decimal(str(v)) for v in right["credit"]]
    right["orders"] = right["orders"].astype("float64")
    right["converted_at"] = right["converted_at"].dt.tz_localize("UTC").dt.tz_convert("Asia/Shanghai")
    right["activity_date"] = pd.to_datetime(right["activity_date"])
    diff = compare_frames("t", left, right)
    assert diff.ok, diff.problems
    assert (diff.rows_left, diff.rows_right) == (4, 4)


def test_numbers_within_tolerance_and_zero_differences() -> None:
    left = pd.DataFrame({"id": ["a", "b"], "x": [1.0, 0.0]})
    right = pd.DataFrame({"id": ["a", "b"], "x": [1.0 + 5e-10, -8.9e-16]})
    assert compare_frames("t", left, right, rel_tol=1e-9, abs_tol=1e-9).ok
    assert not compare_frames("t", left, right, rel_tol=1e-9).ok  # 0 vs -8.9e-16 needs abs_tol
    far = pd.DataFrame({"id": ["a", "b"], "x": [1.0 + 5e-9, 0.0]})
    diff = compare_frames("t", left, far, rel_tol=1e-9, abs_tol=1e-9)
    assert diff.problems == [f"values differ in {{'x': 1}}; e.g. ['x: 1.0 vs {1.0 + 5e-9!r}']"]


def test_differences_are_counted_and_shown() -> None:
    left = _frame()
    right = left.copy()
    right.loc[0, "KOL_ID"] = "k9"
    right.loc[1, "is_unattributed"] = True
    right.loc[3, "converted_at"] = pd.Timestamp("2025-01-03 23:59:59")  # half a second off
    problems = compare_frames("t", left, right).problems
    assert len(problems) == 1
    for column in ("'kol_id'", "'is_unattributed'", "'converted_at'"):
        assert column in problems[0]


def test_nulls_equal_only_nulls() -> None:
    left = pd.DataFrame({"id": ["a", "b"], "x": [np.nan, 1.0], "s": [None, "x"]})
    assert compare_frames("t", left, left.assign(s=[pd.NA, "x"])).ok
    assert not compare_frames("t", left, left.assign(x=[0.0, 1.0])).ok
    assert not compare_frames("t", left, left.assign(s=["", "x"])).ok


def test_shape_differences() -> None:
    left = _frame()
    assert compare_frames("t", left, left.iloc[:3]).problems == ["row counts differ: 4 vs 3"]
    (problem,) = compare_frames("t", left, left.drop(columns=["credit"])).problems
    assert problem.startswith("columns differ: only left ['credit']")
