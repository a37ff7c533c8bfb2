"""Aggregate incrementality: adstock by hand, recovery of known effects on noisy synthetic data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kol_attr.incrementality import (
    BASELINE,
    engagement_index,
    fit_incrementality,
    geometric_adstock,
)


def test_geometric_adstock_by_hand() -> None:
    x = np.array([[10.0, 0.0], [0.0, 4.0], [0.0, 0.0], [2.0, 0.0]])
    a = geometric_adstock(x, 0.5)
    assert a[:, 0].tolist() == [10.0, 5.0, 2.5, 3.25]
    assert a[:, 1].tolist() == [0.0, 4.0, 2.0, 1.0]
    with pytest.raises(ValueError, match="decay"):
        geometric_adstock(x, 1.0)


def test_engagement_index_weights() -> None:
    eng = pd.DataFrame(
        {
            "date": ["2026-01-01", "2026-01-01"],
            "kol_id": ["k", "k"],
            "likes": [10, 1],
            "saves": [2, 0],
            "reads": [100, 0],
        }
    )
    out = engagement_index(eng)
    assert out["engagement_index"].item() == pytest.approx(11 * 1.0 + 2 * 3.0 + 100 * 0.05)
    out2 = engagement_index(eng, {"likes": 1.0, "saves": 5.0})
    assert out2["engagement_index"].item() == pytest.approx(21.0)
    with pytest.raises(ValueError, match="unknown engagement metric"):
        engagement_index(eng, {"hearts": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        engagement_index(eng, {"likes": -1.0})


def simulate(seed: int = 1, T: int = 240, decay: float = 0.6):
    rng = np.random.default_rng(seed)
    K = 5
    days = pd.date_range("2026-01-01", periods=T, freq="D")
    active = rng.random((T, K)) < 0.25
    likes = rng.poisson(60, (T, K)) * active
    saves = rng.poisson(12, (T, K)) * active
    e = likes + 3.0 * saves
    A = geometric_adstock(e, decay)
    beta = np.array([0.04, 0.0, 0.015, 0.08, 0.0])
    dow_effect = np.array([0.0, 1.0, 1.5, 2.0, 3.0, 8.0, 6.0])[days.day_of_week]
    base = 25 + 6 * np.arange(T) / 365 + dow_effect
    y = base + A @ beta + rng.normal(0, 2.0, T)
    daily = pd.DataFrame({"date": days, "conversions": y, "revenue": 150.0 * y})
    eng = pd.DataFrame(
        [
            {"date": days[t], "kol_id": f"kol_{k}", "likes": likes[t, k], "saves": saves[t, k]}
            for t in range(T)
            for k in range(K)
        ]
    )
    truth = pd.Series(beta * A.sum(axis=0), index=[f"kol_{k}" for k in range(K)])
    return daily, eng, truth, base.sum()


def test_recovers_known_effects_and_decay() -> None:
    daily, eng, truth, base_total = simulate()
    fit = fit_incrementality(daily, eng, n_boot=100, seed=3)
    assert fit.decay["all"] == pytest.approx(0.6)
    t = fit.table.set_index("kol_id")
    for k in ["kol_0", "kol_3"]:  # the two large effects: within 15%, 90% interval covers the truth
        est = t.loc[k, "incremental_conversions"]
        assert est == pytest.approx(truth[k], rel=0.15), k
        assert t.loc[k, "incremental_conversions_lo"] <= truth[k] <= t.loc[k, "incremental_conversions_hi"], k
    # the small effect (about 2% of sales) is noisy with 240 days and noise sd 2/day: within 35%
    assert t.loc["kol_2", "incremental_conversions"] == pytest.approx(truth["kol_2"], rel=0.35)
    assert t.loc[list(truth.index), "incremental_conversions"].sum() == pytest.approx(truth.sum(), rel=0.1)
    for k in ["kol_1", "kol_4"]:  # zero-effect KOLs: near zero next to the real ones
        assert t.loc[k, "incremental_conversions"] < 0.1 * truth["kol_3"]
    assert (t["incremental_conversions"].drop(BASELINE) >= 0).all()
    assert t.loc[BASELINE, "incremental_conversions"] == pytest.approx(base_total, rel=0.05)
    # revenue is 150x conversions in the simulation
    assert t.loc["kol_3", "incremental_revenue"] == pytest.approx(
        150 * t.loc["kol_3", "incremental_conversions"]
    )
    # incremental + baseline equals the fitted total, close to the observed total
    total = t["incremental_conversions"].sum()
    assert total == pytest.approx(daily["conversions"].sum(), rel=1e-6)


def test_fixed_decay_platforms_and_seeded_bootstrap() -> None:
    daily, eng, _, _ = simulate(seed=2, T=120)
    two = pd.concat(
        [daily.assign(platform="tmall"), daily.assign(platform="jd", conversions=daily["conversions"] / 2)]
    )
    a = fit_incrementality(two, eng, platform_col="platform", decay=0.6, n_boot=20, seed=9)
    b = fit_incrementality(two, eng, platform_col="platform", decay=0.6, n_boot=20, seed=9)
    pd.testing.assert_frame_equal(a.table, b.table)
    t = a.table.set_index(["platform", "kol_id"])
    assert t.loc[("jd", "kol_3"), "incremental_conversions"] == pytest.approx(
        t.loc[("tmall", "kol_3"), "incremental_conversions"] / 2, rel=1e-6
    )
    assert a.decay == {"jd": 0.6, "tmall": 0.6}


def test_bad_input() -> None:
    daily, eng, _, _ = simulate(T=30)
    with pytest.raises(ValueError, match="missing column"):
        fit_incrementality(daily.drop(columns="conversions"), eng)
    with pytest.raises(ValueError, match="ci"):
        fit_incrementality(daily, eng, ci=1.5)
    with pytest.raises(ValueError, match="platform"):
        fit_incrementality(daily, eng, platform_col="platform")
    with pytest.raises(ValueError, match="missing, non-numeric or infinite"):
        fit_incrementality(daily.assign(revenue=np.nan), eng, n_boot=0)
    with pytest.raises(ValueError, match="missing, non-numeric or infinite"):
        fit_incrementality(daily.assign(conversions=np.inf), eng, n_boot=0)
    empty = fit_incrementality(daily.iloc[:0], eng)
    assert len(empty.table) == 0 and "incremental_conversions" in empty.table.columns
