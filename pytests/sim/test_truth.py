"""Ground truth is self-consistent: counterfactual re-simulation reproduces the incremental tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kol_attr_sim.config import WINDOWS_DAYS, make_config
from kol_attr_sim.observe import observe
from kol_attr_sim.truth import _realised, truth_tables
from kol_attr_sim.world import build_world, realise


@pytest.fixture(scope="module", params=["independent", "order_dependent", "targeted", "search"])
def scenario_world(request: pytest.FixtureRequest) -> tuple:
    """A tiny world per scenario with its observation and truth tables."""
    cfg = make_config("tiny", seed=21, scenario=request.param)
    w = build_world(cfg)
    ob = observe(w)
    return w, ob, truth_tables(ob)


def test_removing_every_note_leaves_exactly_the_baseline(scenario_world: tuple) -> None:
    w, ob, _ = scenario_world
    none = realise(w, np.zeros(len(w.notes), dtype=bool))
    full = realise(w)
    assert len(none) < len(full)
    pd.testing.assert_frame_equal(none.reset_index(drop=True), full[full["kind"] == 0].reset_index(drop=True))


def test_incremental_equals_counterfactual_resimulation(scenario_world: tuple) -> None:
    """For every KOL and a few campaigns and notes: orders that vanish when the unit's notes are removed
    (same draws) equal the truth table's whole-span incremental orders, offline purchases and revenue."""
    w, ob, tt = scenario_world
    inc = tt["truth_incremental"]
    pur = _realised(ob)
    full_ids = set(pur["candidate_id"])
    by_id = pur.set_index("candidate_id")
    units = [("kol", i, w.notes["kol_idx"].to_numpy() == i, w.kols["kol_id"][i]) for i in range(len(w.kols))]
    units += [
        ("campaign", i, w.notes["campaign_idx"].to_numpy() == i, w.campaigns["campaign_id"][i])
        for i in range(len(w.campaigns))
    ]
    units += [
        ("note", i, np.arange(len(w.notes)) == i, w.notes["note_id"][i]) for i in range(0, len(w.notes), 7)
    ]
    checked_nonzero = 0
    for ut, _, removed, uid in units:
        cf = set(realise(w, ~removed)["candidate_id"])
        gone = by_id.loc[sorted(full_ids - cf)]
        online = gone[~gone["is_offline"] & ~gone["is_bad_row"]]
        row = inc[(inc["unit_type"] == ut) & (inc["unit_id"] == uid) & inc["window_days"].isna()].iloc[0]
        assert row["incremental_orders"] == len(online), (ut, uid)
        assert row["incremental_offline_purchases"] == int(gone["is_offline"].sum()), (ut, uid)
        assert row["incremental_revenue_cny"] == pytest.approx(online["net_cny"].sum(), abs=0.02)
        checked_nonzero += int(len(online) > 0)
    assert checked_nonzero >= 3


def test_zero_effect_kols(scenario_world: tuple) -> None:
    w, _, tt = scenario_world
    inc = tt["truth_incremental"]
    kinc = inc[(inc["unit_type"] == "kol") & inc["window_days"].isna()].set_index("unit_id")
    zero = w.kols[w.kols["is_zero_effect"]]
    assert len(zero) >= 1
    for kid, aware in zip(zero["kol_id"], zero["is_awareness"], strict=True):
        n = kinc.loc[kid, "incremental_orders"]
        if w.cfg.scenario == "order_dependent" and aware:
            continue  # an awareness KOL still primes others' effects in this scenario
        assert n == 0
    effective = kinc.loc[w.kols.loc[~w.kols["is_zero_effect"], "kol_id"], "incremental_orders"]
    assert effective.sum() > 0


def test_windows_nest(scenario_world: tuple) -> None:
    _, _, tt = scenario_world
    inc = tt["truth_incremental"].copy()
    inc["w"] = inc["window_days"].fillna(10_000).astype(int)
    wide = inc.pivot_table(index=["unit_type", "unit_id"], columns="w", values="incremental_orders")
    cols = [*WINDOWS_DAYS, 10_000]
    assert (np.diff(wide[cols].to_numpy(), axis=1) >= 0).all()


def test_hazard_shares_sum_to_one(scenario_world: tuple) -> None:
    _, _, tt = scenario_world
    conv = tt["truth_conversions"].set_index("purchase_id")
    contrib = tt["truth_conversion_contributors"]
    assert (contrib["hazard_share"] > 0).all()
    total = conv["baseline_share"].add(contrib.groupby("purchase_id")["hazard_share"].sum(), fill_value=0)
    np.testing.assert_allclose(total.to_numpy(), 1.0, rtol=1e-9)
    # the causing KOL always has hazard at the purchase time
    caused = conv[~conv["is_baseline"]]
    pairs = set(zip(contrib["purchase_id"], contrib["kol_id"], strict=True))
    assert all((pid, k) in pairs for pid, k in zip(caused.index, caused["cause_kol_id"], strict=True))
    # baseline purchases carry on average more baseline share than caused ones
    assert conv.loc[conv["is_baseline"], "baseline_share"].mean() > caused["baseline_share"].mean()


def test_summary_counts(scenario_world: tuple) -> None:
    _, ob, tt = scenario_world
    s = dict(zip(tt["truth_summary"]["metric"], tt["truth_summary"]["value"], strict=True))
    conv = tt["truth_conversions"]
    assert int(s["offline_purchases_caused_by_kols"]) == int(
        (conv["is_offline"] & ~conv["is_baseline"]).sum()
    )
    assert int(s["offline_purchases_caused_by_kols"]) > 0
    assert int(s["purchases"]) == len(conv) == len(ob.purchases)


def test_scenarios_differ_as_designed() -> None:
    """targeted: readers have higher intent; search: caused purchases are preceded by search clicks."""
    ind = build_world(make_config("tiny", seed=8))
    tgt = build_world(make_config("tiny", seed=8, scenario="targeted"))

    def reader_intent(w: object) -> float:
        """Mean intent of the persons behind the reads."""
        return float(w.persons["intent"].to_numpy()[w.exposures["person"].to_numpy()].mean())  # type: ignore[attr-defined]

    assert reader_intent(tgt) > 1.3 * reader_intent(ind)
    from kol_attr_sim.observe import _search_touches

    s_ind = len(_search_touches(observe(ind)))
    s_sea = len(_search_touches(observe(build_world(make_config("tiny", seed=8, scenario="search")))))
    assert s_sea > 2 * s_ind


def test_survey_recalls_name_the_recalled_kol(scenario_world: tuple) -> None:
    """truth_survey_recalls has one row per survey response with a recall; each recall is made of the
    recalled KOL's handle characters (misspell: partial, dropped or swapped character, case, or
    '那个' + two characters + '的博主'), and a cause-KOL recall names the KOL that caused the order."""
    from kol_attr_sim.observe import t_post_purchase_surveys

    w, ob, tt = scenario_world
    rec = tt["truth_survey_recalls"]
    surveys = pd.DataFrame({k: v.to_pylist() for k, v in t_post_purchase_surveys(ob).items()})
    with_recall = surveys[surveys["kol_recall"].notna()]
    assert len(rec) > 0
    assert sorted(rec["response_id"]) == sorted(with_recall["response_id"])
    handles = dict(zip(w.kols["kol_id"], w.kols["kol_handle"], strict=True))
    merged = with_recall.merge(rec, on="response_id")
    for recall, kol_id in zip(merged["kol_recall"], merged["recalled_kol_id"], strict=True):
        core = recall.strip()
        if core.startswith("那个") and core.endswith("的博主"):
            core = core[2:-3]
        assert set(core.lower()) <= set(handles[kol_id].lower()), (recall, handles[kol_id])
    conv = tt["truth_conversions"][["order_platform", "order_ref", "cause_kol_id"]]
    caused = merged[merged["is_cause_kol"]].merge(conv, on=["order_platform", "order_ref"])
    assert len(caused) == int(merged["is_cause_kol"].sum()) > 0
    assert (caused["cause_kol_id"] == caused["recalled_kol_id"]).all()
