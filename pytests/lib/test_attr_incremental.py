"""kol_attr.attribution.incremental: the self-controlled fit, search-led reads, and the credit rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kol_attr.attribution.incremental import (
    MODELLED_PREFIX,
    fit_self_controlled,
    incremental_credits,
    search_led_reads,
)
from kol_attr.credits import CREDIT_COLUMNS

T0 = pd.Timestamp("2025-01-01")


def _simulate_sccs(theta: float, selection: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Persons with gamma baselines; exposed persons' baselines times ``selection`` (targeting)."""
    rng = np.random.default_rng(seed)
    n_persons, n_days, window = 4000, 200, 20
    exposures, conversions = [], []
    for i in range(n_persons):
        exposed = rng.random() < 0.5
        u = rng.gamma(2.0, 0.5) * 0.01 * (selection if exposed else 1.0)
        days = np.sort(rng.integers(0, n_days, rng.integers(1, 4))) if exposed else np.array([], int)
        n_by_day = np.zeros(n_days)
        for d in days:
            n_by_day[d : d + window] += 1
        counts = rng.poisson(u * (1.0 + theta * n_by_day))
        exposures += [(f"p{i}", int(d)) for d in days]
        for d in np.flatnonzero(counts):
            conversions += [(f"p{i}", int(d), float(n_by_day[d]))] * int(counts[d])
    return (
        pd.DataFrame(exposures, columns=["person_id", "day"]),
        pd.DataFrame(conversions, columns=["person_id", "day", "n_exposures"]),
    )


@pytest.mark.parametrize("selection", [1.0, 4.0])
def test_self_controlled_fit_recovers_theta_and_ignores_selection(selection: float) -> None:
    exposures, conversions = _simulate_sccs(theta=1.5, selection=selection, seed=3)
    fit = fit_self_controlled(exposures, conversions, np.ones(200), window_days=20)
    assert fit["theta"] == pytest.approx(1.5, rel=0.25)
    n = conversions["n_exposures"].to_numpy()
    assert np.allclose(fit["p"], fit["theta"] * n / (1 + fit["theta"] * n))


def test_self_controlled_fit_is_zero_without_effect_and_on_empty_input() -> None:
    exposures, conversions = _simulate_sccs(theta=0.0, selection=3.0, seed=5)
    fit = fit_self_controlled(exposures, conversions, np.ones(200), window_days=20)
    assert fit["theta"] < 0.15
    empty = fit_self_controlled(exposures, conversions.iloc[:0], np.ones(200), window_days=20)
    assert empty["theta"] == 0.0 and len(empty["p"]) == 0


def _touch(tid, person, kol, note, signal, itype, at):
    return {
        "touchpoint_id": tid,
        "person_id": person,
        "kol_id": kol,
        "note_id": note,
        "touch_signal": signal,
        "interaction_type": itype,
        "touched_at": T0 + pd.Timedelta(at),
    }


def test_search_led_reads() -> None:
    tp = pd.DataFrame(
        [
            _touch("s1", "a", "k1", "n1", "note_interaction", "search_click", "10D"),
            _touch("r1", "a", "k1", "n1", "note_interaction", "read", "10D 20s"),  # search-led
            _touch("r2", "a", "k1", "n2", "note_interaction", "read", "10D 30s"),  # other note
            _touch("r3", "a", "k1", "n1", "note_interaction", "read", "10D 20min"),  # too late
            _touch("r4", "b", "k1", "n1", "note_interaction", "read", "10D 20s"),  # other person
        ]
    )
    assert list(search_led_reads(tp)) == ["r1"]
    assert list(search_led_reads(tp[tp["interaction_type"] == "read"])) == []


def _world() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Panel persons a, b, c, d read KOL k1 (a, b convert soon after); e buys with k2's promo code
    twice; f, g and 60 others (outside the panel) buy without any touch, spread over the span."""
    touches = [
        _touch("ra", "a", "k1", "n1", "note_interaction", "read", "10D"),
        _touch("rb", "b", "k1", "n1", "note_interaction", "read", "12D"),
        _touch("rc", "c", "k1", "n1", "note_interaction", "read", "14D"),
        _touch("rd", "d", "k1", "n1", "note_interaction", "read", "60D"),
        _touch("ce1", "e", "k2", None, "promo_code", "promo_code", "15D 1h"),
        _touch("ce2", "e", "k2", None, "promo_code", "promo_code", "70D 1h"),
    ]
    tp = pd.DataFrame(touches)
    convs = [  # conversion, person, day, touches on its path
        ("ca", "a", "15D", ["ra"]),
        ("cb", "b", "16D", ["rb"]),
        ("cc", "c", "90D", []),
        ("cd", "d", "120D", []),
        ("ce1", "e", "15D 2h", ["ce1"]),
        ("ce2", "e", "70D 2h", ["ce2"]),
        ("cf", "f", "20D", []),
        ("cg", "g", "41D", []),
    ] + [(f"co{j}", f"o{j}", f"{2 * j}D 5h", []) for j in range(60)]
    rows = []
    by_id = tp.set_index("touchpoint_id")
    for cid, person, at, tids in convs:
        converted = T0 + pd.Timedelta(at)
        base = {
            "conversion_id": cid,
            "person_id": person,
            "order_platform": "tmall",
            "revenue_cny": 100.0,
            "converted_at": converted,
        }
        if not tids:
            rows.append(
                {
                    **base,
                    "touchpoint_id": None,
                    "kol_id": None,
                    "note_id": None,
                    "campaign_id": None,
                    "touch_signal": None,
                    "interaction_type": None,
                    "interaction_weight": None,
                    "touch_age_days": None,
                    "recency_rank": None,
                    "touched_at": pd.NaT,
                }
            )
        for rank, tid in enumerate(tids, start=1):
            t = by_id.loc[tid]
            rows.append(
                {
                    **base,
                    "touchpoint_id": tid,
                    "kol_id": t["kol_id"],
                    "note_id": t["note_id"],
                    "campaign_id": "c1",
                    "touch_signal": t["touch_signal"],
                    "interaction_type": t["interaction_type"],
                    "interaction_weight": 1.0,
                    "touch_age_days": (converted - t["touched_at"]) / pd.Timedelta(days=1),
                    "recency_rank": rank,
                    "touched_at": t["touched_at"],
                }
            )
    return pd.DataFrame(rows), tp


def test_credit_rows_invariants_evidence_and_modelled_shares() -> None:
    paths, tp = _world()
    n_conv = paths["conversion_id"].nunique()
    out = incremental_credits(paths, tp, [7, 30])
    assert list(out.columns) == CREDIT_COLUMNS
    sums = out.groupby(["conversion_id", "window_days"])["credit"].sum()
    assert len(sums) == n_conv * 2 and np.allclose(sums, 1.0)
    revenue = out.groupby("window_days")["attributed_revenue_cny"].sum()
    assert np.allclose(revenue, 100.0 * n_conv)
    assert not out.duplicated(["conversion_id", "touchpoint_id", "window_days"]).any()
    w30 = out[out["window_days"] == 30]
    # evidence: e's promo-code conversions go wholly to k2
    for cid in ("ce1", "ce2"):
        rows = w30[w30["conversion_id"] == cid]
        assert (
            len(rows) == 1 and rows["kol_id"].iloc[0] == "k2" and rows["credit"].iloc[0] == pytest.approx(1.0)
        )
    # the panel's conversions after a read: p = theta n / (1 + theta n) on the read, rest unattributed
    ca = w30[w30["conversion_id"] == "ca"].set_index("is_unattributed")["credit"]
    assert 0 < ca[False] < 1 and ca[False] + ca[True] == pytest.approx(1.0)
    assert w30.loc[(w30["conversion_id"] == "ca") & ~w30["is_unattributed"], "touchpoint_id"].tolist() == [
        "ra"
    ]
    # conversions nobody touched: modelled rows of k2 (the only KOL with evidence), q per conversion
    modelled = w30[w30["touch_signal"] == "modelled"]
    rest = set(paths["conversion_id"]) - {"ca", "cb", "ce1", "ce2"}
    assert set(modelled["conversion_id"]) <= rest and set(modelled["kol_id"]) == {"k2"}
    assert (modelled["touchpoint_id"] == MODELLED_PREFIX + modelled["kol_id"]).all()
    assert modelled["touched_at"].isna().all() and modelled["touch_position"].isna().all()
    panel_p = ca[False] + w30.loc[(w30["conversion_id"] == "cb") & ~w30["is_unattributed"], "credit"].sum()
    q = panel_p / 4  # the panel's conversions without evidence: ca, cb, cc, cd
    assert modelled.groupby("conversion_id")["credit"].sum().max() < 1  # no cap binds here
    assert modelled["credit"].sum() == pytest.approx(q * len(rest), rel=1e-9)
    # modelled credit sits near k2's evidence (days 15 and 70), none after day 70 + 30 - 15
    late = paths.loc[paths["converted_at"] > T0 + pd.Timedelta("86D"), "conversion_id"]
    assert not modelled["conversion_id"].isin(late).any()


def test_no_panel_no_evidence_leaves_everything_unattributed() -> None:
    paths, tp = _world()
    paths = paths[paths["touch_signal"].isna() | (paths["touch_signal"] == "none")]
    out = incremental_credits(paths, tp.iloc[:0], [30])
    assert out["is_unattributed"].all() and np.allclose(out["credit"], 1.0)
    assert set(out["conversion_id"]) == set(paths["conversion_id"])


def test_empty_and_malformed_input() -> None:
    paths, tp = _world()
    empty = incremental_credits(paths.iloc[:0], tp, [30])
    assert empty.empty and list(empty.columns) == CREDIT_COLUMNS
    with pytest.raises(ValueError, match="fct_touchpoints lacks"):
        incremental_credits(paths, tp.drop(columns=["note_id"]), [30])
    with pytest.raises(ValueError, match="int_conversion_paths lacks"):
        incremental_credits(paths.drop(columns=["touch_age_days"]), tp, [30])
    with pytest.raises(ValueError, match="DataFrame"):
        incremental_credits(paths, "not a frame", [30])
    with pytest.raises(ValueError, match="windows_days"):
        incremental_credits(paths, tp, [0])
