"""Fractribution-style counterfactual attribution: hand cases and every documented fallback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kol_attr.attribution import BASELINE, counterfactual


def frame(rows: list[tuple[list[str], float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "path": [r[0] for r in rows],
            "conversions": [r[1] for r in rows],
            "non_conversions": [r[2] for r in rows],
        }
    )


def per_path(df: pd.DataFrame, **kw: object) -> dict[int, pd.Series]:
    pp = counterfactual(df, per_path=True, **kw)
    return {i: g.set_index("channel")["share"] for i, g in pp.groupby("path_index")}


def test_leave_one_out_hand_computed() -> None:
    # P(a,b) = 0.5, P(b) = 0.2, P(a) = 0.4 -> m_a = 0.5 - 0.2 = 0.3, m_b = 0.5 - 0.4 = 0.1
    df = frame([(["a", "b"], 5, 5), (["b"], 2, 8), (["a"], 4, 6)])
    s = per_path(df)[0]
    assert s["a"] == pytest.approx(0.75) and s["b"] == pytest.approx(0.25)
    assert BASELINE not in s.index  # no empty paths, no base rate
    res = counterfactual(df).set_index("channel")
    assert res.loc["a", "conversions"] == pytest.approx(5 * 0.75 + 4)
    assert res["conversions"].sum() == pytest.approx(11)


def test_negative_gain_floored_and_unseen_zero() -> None:
    # P(a,b,c) = 0.3; without a: (b,c) P = 0.6 -> floored 0; without b: (a,c) unseen -> P = 0
    # -> m_b = 0.3; without c: (a,b) P = 0.1 -> m_c = 0.2
    df = frame([(["a", "b", "c"], 3, 7), (["b", "c"], 6, 4), (["a", "b"], 1, 9)])
    s = per_path(df)[0]
    assert s["a"] == pytest.approx(0.0)
    assert s["b"] == pytest.approx(0.6) and s["c"] == pytest.approx(0.4)


def test_base_rate_from_empty_paths_and_unseen_base_rate() -> None:
    # P(empty) = 0.1 -> baseline share of (a,b) = 0.1 / 0.5 = 0.2
    df = frame([(["a", "b"], 5, 5), (["b"], 2, 8), ([], 1, 9)])
    s = per_path(df)[0]
    assert s[BASELINE] == pytest.approx(0.2)
    # unseen (a) -> 'zero': m_b = 0.5; (b) seen: m_a = 0.3 -> a 0.8*3/8, b 0.8*5/8
    assert s["a"] == pytest.approx(0.8 * 0.3 / 0.8) and s["b"] == pytest.approx(0.8 * 0.5 / 0.8)
    s2 = per_path(df, unseen="base_rate")[0]
    # unseen (a) -> P = 0.1: m_b = 0.4, m_a = 0.3
    assert s2["b"] == pytest.approx(0.8 * 0.4 / 0.7)
    # single touch (b): channel gets 1 - baseline; empty path: baseline 1
    s1 = per_path(df)[1]
    assert s1[BASELINE] == pytest.approx(0.5) and s1["b"] == pytest.approx(0.5)
    assert per_path(df)[2][BASELINE] == pytest.approx(1.0)
    res = counterfactual(df)
    assert res["conversions"].sum() == pytest.approx(8.0)


def test_explicit_base_rate_and_cap_at_path_rate() -> None:
    df = frame([(["a"], 1, 9)])  # P(a) = 0.1 < base 0.3 -> all baseline
    s = per_path(df, base_rate=0.3)[0]
    assert s[BASELINE] == pytest.approx(1.0) and s["a"] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="base_rate"):
        counterfactual(df, base_rate=1.5)


def test_all_zero_gains_fall_back_to_linear_and_repeat_channels_sum() -> None:
    # (a,b,a) after 'identity' transform: every counterfactual converts better -> linear per touch
    df = frame([(["a", "b", "a"], 1, 9), (["b", "a"], 9, 1), (["a", "a"], 9, 1), (["a", "b"], 9, 1)])
    s = per_path(df, transform=None)[0]
    assert s["a"] == pytest.approx(2 / 3) and s["b"] == pytest.approx(1 / 3)


def test_rare_paths_pooled_linear() -> None:
    df = frame([(["a", "b"], 5, 5), (["b"], 2, 8), (["x", "y"], 1, 0), (["y", "z"], 0, 1)])
    s = per_path(df, min_support=3)[2]
    assert s["x"] == pytest.approx(0.5) and s["y"] == pytest.approx(0.5)
    res = counterfactual(df, min_support=3)
    assert res["conversions"].sum() == pytest.approx(8.0)


def test_frequency_transform_keys_on_counts() -> None:
    # frequency: (a,a,b) and (a,b) are different paths (counts differ)
    df = frame([(["a", "a", "b"], 4, 6), (["a", "b"], 1, 9), (["b"], 1, 9), (["a"], 2, 8)])
    s = per_path(df, transform="frequency")[0]
    # P(a2,b1) = 0.4; without a: (b1) = 0.1 -> 0.3; without b: (a2) unseen -> 0.4
    assert s["a"] == pytest.approx(0.3 / 0.7) and s["b"] == pytest.approx(0.4 / 0.7)


def test_revenue_and_nonconverting_paths() -> None:
    df = frame([(["a", "b"], 5, 5), (["b"], 0, 8), (["a"], 4, 6)]).assign(revenue=[50.0, 0.0, 40.0])
    res = counterfactual(df)
    assert res["revenue"].sum() == pytest.approx(90.0)
    pp = counterfactual(df, per_path=True)
    assert np.allclose(pp.groupby("path_index")["share"].sum(), 1.0)
    with pytest.raises(ValueError, match="unseen"):
        counterfactual(df, unseen="linear")
