"""relation_to_pandas: what a thin dbt Python model hands to the library, narrowed to what it reads."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from kol_attr.credits import config_flag, relation_to_pandas


def test_duckdb_relation_is_narrowed_before_it_reaches_pandas() -> None:
    con = duckdb.connect()
    relation = con.sql("select 1 as a, 'x' as b, 2.5 as c")
    out = relation_to_pandas(relation, ["c", "a"])
    assert list(out.columns) == ["c", "a"]
    assert out.iloc[0].tolist() == [2.5, 1]
    assert list(relation_to_pandas(relation).columns) == ["a", "b", "c"]


def test_pandas_input_is_narrowed_too() -> None:
    frame = pd.DataFrame({"a": [1], "b": ["x"]})
    assert list(relation_to_pandas(frame, ["b"]).columns) == ["b"]


def test_missing_column_is_a_clear_error() -> None:
    con = duckdb.connect()
    with pytest.raises(ValueError, match=r"missing column\(s\) \['z'\]"):
        relation_to_pandas(con.sql("select 1 as a"), ["a", "z"])


def test_unknown_relation_type_is_rejected() -> None:
    with pytest.raises(TypeError, match="cannot turn int"):
        relation_to_pandas(3)


@pytest.mark.parametrize(
    ("value", "expected"), [(True, True), ("True", True), ("false", False), (False, False)]
)
def test_config_flag_reads_rendered_vars(value: object, expected: bool) -> None:
    assert config_flag(value) is expected


def test_config_flag_rejects_anything_else() -> None:
    with pytest.raises(ValueError, match="not a boolean"):
        config_flag("sometimes")
