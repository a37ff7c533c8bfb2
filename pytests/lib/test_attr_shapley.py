"""Data-driven Shapley (known games, fitted value function, cap rule) and simplified Shapley."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from kol_attr.attribution import BASELINE, fit_conversion_model, shapley, simplified_shapley


def shares_of(pp: pd.DataFrame, row: object) -> pd.Series:
    return pp[pp["path_index"] == row].set_index("channel")["share"]


def test_additive_known_game() -> None:
    a = {"x": 0.1, "y": 0.2, "z": 0.3}

    def v(s: frozenset[str]) -> float:
        return 0.1 + sum(a[c] for c in s)

    df = pd.DataFrame(
        {"path": [["x", "y", "x", "z"], ["y"]], "conversions": [2.0, 1.0], "non_conversions": [1.0, 0.0]}
    )
    pp = shapley(df, value=v, per_path=True)
    s0 = shares_of(pp, 0)
    # phi_c = a_c; share = a_c / v(N) with v(N) = 0.7; baseline 0.1 / 0.7
    assert s0["x"] == pytest.approx(0.1 / 0.7)
    assert s0["z"] == pytest.approx(0.3 / 0.7)
    assert s0[BASELINE] == pytest.approx(0.1 / 0.7)
    assert s0.sum() == pytest.approx(1.0)
    tot = shapley(df, value=v).set_index("channel")
    assert tot.loc["y", "conversions"] == pytest.approx(2 * 0.2 / 0.7 + 0.2 / 0.3)
    assert tot["conversions"].sum() == pytest.approx(3.0)


def test_non_additive_known_game() -> None:
    # v(0)=0, v(a)=1, v(b)=0, v(ab)=2 -> phi_a = (1 + 2)/2 = 1.5, phi_b = (0 + 1)/2 = 0.5
    vals = {frozenset(): 0.0, frozenset("a"): 1.0, frozenset("b"): 0.0, frozenset("ab"): 2.0}
    df = pd.DataFrame({"path": [["b", "a"]], "conversions": [4.0], "non_conversions": [0.0]})
    res = shapley(df, value=vals.__getitem__).set_index("channel")
    assert res.loc["a", "conversions"] == pytest.approx(3.0)
    assert res.loc["b", "conversions"] == pytest.approx(1.0)
    assert BASELINE not in res.index  # v(empty) = 0: no baseline row


def synthetic(beta: dict[str, float], b0: float, persons: float = 1e5) -> pd.DataFrame:
    """Every subset of channels, expected (fractional) conversions under a logistic truth."""
    chans = list(beta)
    rows = []
    for k in range(len(chans) + 1):
        for s in itertools.combinations(chans, k):
            p = expit(b0 + sum(beta[c] for c in s))
            rows.append({"path": list(s), "conversions": persons * p, "non_conversions": persons * (1 - p)})
    return pd.DataFrame(rows)


def test_fit_recovers_logistic_truth() -> None:
    beta = {"a": 1.0, "b": 0.5, "c": 0.0}
    df = synthetic(beta, -3.0)
    # path length is collinear with the set size here; give the length control no room
    model = fit_conversion_model(df, l2=1e-6)
    # truth has no length term; allow the fit to share it only slightly
    assert model.converged
    lin = {c: model.coefficients[c] for c in beta}
    assert all(v >= 0 for v in lin.values())
    # predicted probabilities match the truth closely
    for _, r in df.iterrows():
        z = model.intercept + sum(lin[c] for c in set(r["path"]))
        z += model.control_coefficients[0] * math.log1p(len(r["path"]))
        p = r["conversions"] / (r["conversions"] + r["non_conversions"])
        assert expit(z) == pytest.approx(p, abs=2e-3)


def test_shapley_matches_brute_force_on_fitted_value() -> None:
    df = synthetic({"a": 1.0, "b": 0.5, "c": 0.2}, -3.0, persons=1000)
    model = fit_conversion_model(df)
    pp = shapley(df, per_path=True)
    row = int(df.index[df["path"].map(len) == 3][0])
    path = df.loc[row, "path"]
    z0 = model.intercept + model.control_coefficients[0] * math.log1p(len(path))

    def v(s: tuple[str, ...]) -> float:
        return float(expit(z0 + sum(model.coefficients[c] for c in s)))

    k = len(path)
    got = shares_of(pp, row)
    for j in path:
        others = [c for c in path if c != j]
        phi = sum(
            math.factorial(len(s)) * math.factorial(k - len(s) - 1) / math.factorial(k) * (v((*s, j)) - v(s))
            for n in range(k)
            for s in itertools.combinations(others, n)
        )
        assert got[j] == pytest.approx(phi / v(tuple(path)), rel=1e-9)
    assert got[BASELINE] == pytest.approx(v(()) / v(tuple(path)), rel=1e-9)
    # the strongest true channel gets the largest share
    assert got["a"] > got["b"] > got["c"]


def test_zero_effect_channel_gets_little_credit() -> None:
    df = synthetic({"a": 1.2, "b": 0.0, "c": 0.6}, -3.0)
    res = shapley(df).set_index("channel")
    assert res.loc["b", "share"] < 0.01
    assert res.loc["a", "share"] > res.loc["c", "share"] > 0.05


def test_cap_groups_extra_channels() -> None:
    chans = [f"k{i:02d}" for i in range(15)]
    df = pd.DataFrame(
        {
            "path": [chans, chans[:3], chans[3:9], chans[9:]],
            "conversions": [3.0, 1.0, 2.0, 1.0],
            "non_conversions": [10.0, 20.0, 15.0, 30.0],
        }
    )
    pp = shapley(df, per_path=True, max_channels=12)
    s0 = shares_of(pp, 0)
    assert set(chans) <= set(s0.index)
    assert s0.sum() == pytest.approx(1.0)
    assert (s0 >= 0).all()
    with pytest.raises(ValueError, match="max_channels"):
        shapley(df, max_channels=0)


def test_controls_and_conservation() -> None:
    rng = np.random.default_rng(0)
    chans = ["甲", "b>c", "d e"]
    rows = []
    for _ in range(80):
        p = list(rng.choice(chans, size=rng.integers(0, 5)))
        rows.append(
            {
                "path": p,
                "conversions": float(rng.integers(0, 3)) + 0.25,
                "non_conversions": float(rng.integers(0, 9)),
                "revenue": float(rng.integers(0, 500)),
                "max_interaction_weight": float(rng.choice([0.2, 1.0, 3.0])),
            }
        )
    df = pd.DataFrame(rows)
    model = fit_conversion_model(df)
    assert model.control_names == ["log1p_path_length", "max_interaction_weight"]
    res = shapley(df)
    assert res["conversions"].sum() == pytest.approx(df["conversions"].sum())
    assert res["revenue"].sum() == pytest.approx(df["revenue"].sum())
    assert (res["conversions"] >= 0).all()
    pp = shapley(df, per_path=True)
    assert np.allclose(pp.groupby("path_index")["share"].sum(), 1.0)
    empty_rows = df.index[df["path"].map(len) == 0]
    assert (pp[pp["path_index"].isin(empty_rows)]["channel"] == BASELINE).all()
    with pytest.raises(ValueError, match="control column"):
        shapley(df, control_columns=["nope"])


def test_simplified_shapley_is_linear_over_distinct() -> None:
    df = pd.DataFrame(
        {
            "path": [["a", "a", "b"], ["c"], []],
            "conversions": [2.0, 1.0, 0.5],
            "non_conversions": [0.0, 0.0, 1.0],
        }
    )
    res = simplified_shapley(df).set_index("channel")["conversions"]
    assert (
        res["a"] == pytest.approx(1.0) and res["b"] == pytest.approx(1.0) and res["c"] == pytest.approx(1.0)
    )
    assert res[BASELINE] == pytest.approx(0.5)
