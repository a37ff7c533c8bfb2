"""Path transforms, minimum support, and input validation shared by every model."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from kol_attr.attribution import (
    OTHER,
    apply_min_support,
    counterfactual,
    markov,
    shapley,
    simplified_shapley,
    transform_paths,
)

EXAMPLE = list("DABBCDCC")  # fractribution's documented example


def one(path: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"path": [path], "conversions": [1.0], "non_conversions": [0.0]})


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (None, list("DABBCDCC")),
        ("identity", list("DABBCDCC")),
        ("unique", list("DABC")),
        ("first", list("DABC")),
        ("exposure", list("DABCDC")),
        ("frequency", list("DABC")),
    ],
)
def test_transforms(how: str | None, expected: list[str]) -> None:
    out = transform_paths(one(EXAMPLE), how)
    assert out["path"].iloc[0] == expected
    if how == "frequency":
        assert out["touch_counts"].iloc[0] == [2, 1, 2, 3]


def test_transform_aggregate_and_unknown() -> None:
    df = pd.DataFrame(
        {
            "path": [["a", "a", "b"], ["a", "b"], ["b"]],
            "conversions": [1.0, 2.0, 0.5],
            "non_conversions": [1.0, 1.0, 1.0],
        }
    )
    agg = transform_paths(df, "exposure", aggregate=True)
    assert len(agg) == 2
    assert agg.loc[agg["path"].map(tuple) == ("a", "b"), "conversions"].item() == 3.0
    freq = transform_paths(df, "frequency", aggregate=True)
    assert len(freq) == 3  # (a2,b1) and (a1,b1) stay apart
    with pytest.raises(ValueError, match="unknown path transform"):
        transform_paths(df, "dedupe")


def test_min_support_pool_and_drop() -> None:
    df = pd.DataFrame(
        {
            "path": [["a"], ["b"], ["c"], ["a"]],
            "conversions": [1.0, 0.0, 1.0, 2.0],
            "non_conversions": [5.0, 1.0, 0.5, 0.0],
            "revenue": [10.0, 0.0, 7.0, 20.0],
        }
    )
    pooled, rep = apply_min_support(df, 3)
    # identical paths are summed first: (a) has 8 persons; (b) 1 and (c) 1.5 are rare
    assert rep == {"rows": 2.0, "persons": 2.5, "conversions": 1.0, "revenue": 7.0}
    assert pooled["path"].iloc[-1] == [OTHER]
    assert pooled["conversions"].sum() == pytest.approx(4.0)
    dropped, rep2 = apply_min_support(df, 3, how="drop")
    assert len(dropped) == 1 and rep2 == rep
    with pytest.raises(ValueError, match="how"):
        apply_min_support(df, 3, how="merge")


MODELS: list[Callable[..., pd.DataFrame]] = [markov, shapley, simplified_shapley, counterfactual]


@pytest.mark.parametrize("model", MODELS)
def test_empty_input(model: Callable[..., pd.DataFrame]) -> None:
    empty = pd.DataFrame({"path": [], "conversions": [], "non_conversions": [], "revenue": []})
    res = model(empty)
    assert len(res) == 0 and {"channel", "conversions", "revenue"} <= set(res.columns)
    pp = model(empty, per_path=True)
    assert len(pp) == 0 and {"path_index", "channel", "share", "conversions", "revenue"} <= set(pp.columns)
    res2 = model(empty.drop(columns="revenue"))
    assert "revenue" not in res2.columns


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"path": [["a"]], "conversions": [1.0]}), "missing column"),
        (
            pd.DataFrame({"path": ["a>b"], "conversions": [1.0], "non_conversions": [0.0]}),
            "list of channel id",
        ),
        (
            pd.DataFrame({"path": [None], "conversions": [1.0], "non_conversions": [0.0]}),
            "list of channel id",
        ),
        (pd.DataFrame({"path": [["a", 3]], "conversions": [1.0], "non_conversions": [0.0]}), "non-string"),
        (pd.DataFrame({"path": [["a"]], "conversions": [-1.0], "non_conversions": [0.0]}), ">= 0"),
        (
            pd.DataFrame({"path": [["a"]], "conversions": [np.nan], "non_conversions": [0.0]}),
            "missing or infinite",
        ),
        (pd.DataFrame({"path": [["a"]], "conversions": ["x"], "non_conversions": [0.0]}), "numeric"),
        ([["a"]], "DataFrame"),
    ],
)
def test_malformed_input(model: Callable[..., pd.DataFrame], frame: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        model(frame)


@pytest.mark.parametrize("model", MODELS)
def test_per_path_index_labels_and_conservation(model: Callable[..., pd.DataFrame]) -> None:
    rng = np.random.default_rng(5)
    chans = ["kol a", "kol>b", "达人c", "d"]
    n = 40
    df = pd.DataFrame(
        {
            "path": [list(rng.choice(chans, size=rng.integers(0, 5))) for _ in range(n)],
            "conversions": rng.random(n) * 3,
            "non_conversions": rng.integers(0, 10, n).astype(float),
            "revenue": rng.random(n) * 300,
        },
        index=[f"conv_{i}" for i in range(n)],
    )
    df["path"] = df["path"].map(tuple)  # tuples are accepted too
    pp = model(df, per_path=True)
    assert set(pp["path_index"]) == set(df.index)
    assert np.allclose(pp.groupby("path_index")["share"].sum(), 1.0)
    assert (pp["share"] >= -1e-12).all()
    tot = model(df)
    assert tot["conversions"].sum() == pytest.approx(df["conversions"].sum())
    assert tot["revenue"].sum() == pytest.approx(df["revenue"].sum())
    assert pp["revenue"].sum() == pytest.approx(df["revenue"].sum())


@pytest.mark.parametrize("model", MODELS)
def test_per_path_needs_unique_index(model: Callable[..., pd.DataFrame]) -> None:
    df = pd.DataFrame(
        {"path": [["a"], ["b"]], "conversions": [1.0, 1.0], "non_conversions": [1.0, 2.0]}, index=[7, 7]
    )
    with pytest.raises(ValueError, match="unique index"):
        model(df, per_path=True)


@pytest.mark.parametrize("model", MODELS)
def test_arrow_list_columns_accepted(model: Callable[..., pd.DataFrame]) -> None:
    """DuckDB / pyarrow list columns arrive as numpy arrays (or ArrowDtype lists)."""
    pa = pytest.importorskip("pyarrow")
    table = pa.table(
        {
            "path": pa.array([["a", "b"], ["b"], []], type=pa.list_(pa.string())),
            "conversions": [1.0, 2.0, 0.5],
            "non_conversions": [3.0, 1.0, 4.0],
        }
    )
    plain = model(
        pd.DataFrame(
            {
                "path": [["a", "b"], ["b"], []],
                "conversions": [1.0, 2.0, 0.5],
                "non_conversions": [3.0, 1.0, 4.0],
            }
        )
    )
    for df in (table.to_pandas(), table.to_pandas(types_mapper=pd.ArrowDtype)):
        res = model(df)
        pd.testing.assert_frame_equal(res, plain, check_dtype=False)
