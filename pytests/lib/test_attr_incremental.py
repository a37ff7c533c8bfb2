"""kol_attr.attribution.incremental: the self-controlled fit, search-led reads, and the credit rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kol_attr.attribution.incremental import (
    MODELLED_PREFIX,
    _pack_day,
    fit_self_controlled,
    incremental_credits,
    incremental_credits_from_panel,
    read_panel_tables,
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


def test_self_controlled_fit_is_polished_to_a_stationary_point() -> None:
    """The fit is the root of the likelihood's slope to a few ulps, not a minimiser's ~1e-8 stop:
    engines that add the same numbers in another order must land on the same theta (Spark parity)."""
    exposures, conversions = _simulate_sccs(theta=1.5, selection=1.0, seed=3)
    fit = fit_self_controlled(exposures, conversions, np.ones(200), window_days=20)
    shuffled = fit_self_controlled(
        exposures.sample(frac=1.0, random_state=1),
        conversions.sample(frac=1.0, random_state=2),
        np.ones(200),
        window_days=20,
    )
    assert shuffled["theta"] == pytest.approx(fit["theta"], rel=1e-13, abs=0)


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


def test_row_order_of_the_input_does_not_change_a_bit() -> None:
    """DuckDB and Spark hand the rows over in different orders; the credits must be identical."""
    paths, tp = _world()
    person_days, kol_days, led = read_panel_tables(tp)
    first = incremental_credits_from_panel(paths, person_days, kol_days, led, [7, 30])
    again = incremental_credits_from_panel(
        paths.sample(frac=1.0, random_state=7),
        person_days.sample(frac=1.0, random_state=8),
        kol_days.sample(frac=1.0, random_state=9),
        led.sample(frac=1.0, random_state=10),
        [7, 30],
    )
    keys = ["window_days", "conversion_id", "touchpoint_id"]
    pd.testing.assert_frame_equal(
        first.sort_values(keys).reset_index(drop=True),
        again.sort_values(keys).reset_index(drop=True),
        check_exact=True,
    )


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


def test_pack_day_keeps_kol_and_conversion_totals_with_few_rows() -> None:
    """Masses 0.5, 1.0, 0.25 on 5 conversions: each conversion 0.35, each KOL its mass, 7 rows (not 15)."""
    ids = np.array([f"c{i}" for i in range(5)])
    out = _pack_day(ids, np.array(["a", "b", "c"]), np.array([0.5, 1.0, 0.25]))
    assert np.allclose(out.groupby("conversion_id")["credit"].sum().reindex(ids), 0.35)
    assert out.groupby("kol_id")["credit"].sum().to_dict() == pytest.approx({"a": 0.5, "b": 1.0, "c": 0.25})
    assert len(out) == 7
    # 1000 conversions, 3 KOLs: rows grow as R + K, and floating sums never lose the last conversion
    many = _pack_day(np.arange(1000).astype(str), np.array(["a", "b", "c"]), np.array([0.1, 0.2, 0.3]))
    assert len(many) <= 1000 + 3 and many["conversion_id"].nunique() == 1000
    assert np.allclose(many.groupby("conversion_id")["credit"].sum(), 0.6 / 1000)


def test_read_panel_tables_and_the_panel_route() -> None:
    """The panel's tables (what the SQL models int_read_panel_* and int_reads_search_led hold) give
    exactly the rows of the touch route."""
    paths, tp = _world()
    tp = pd.concat(
        [
            tp,
            pd.DataFrame(
                [
                    _touch("sa", "a", "k1", "n1", "note_interaction", "search_click", "10D"),
                    _touch("la", "a", "k1", "n1", "note_interaction", "like", "10D 1min"),
                ]
            ),
        ],
        ignore_index=True,
    )
    tp.loc[tp["touchpoint_id"] == "ra", "touched_at"] = T0 + pd.Timedelta("10D 30s")  # led by sa
    person_days, kol_days, led = read_panel_tables(tp)
    assert led["touchpoint_id"].tolist() == ["ra"]
    a10 = person_days[(person_days["person_id"] == "a")]
    assert a10[["note_events", "exposures"]].values.tolist() == [[3, 0]]  # click, read (led), like
    k1 = kol_days[kol_days["kol_id"] == "k1"].set_index("activity_date")
    assert (
        k1.loc[T0 + pd.Timedelta("10D"), "touches"] == 3
        and k1.loc[T0 + pd.Timedelta("10D"), "exposures"] == 0
    )
    assert k1["exposures"].sum() == 3  # rb, rc, rd
    by_touch = incremental_credits(paths, tp, [30])
    by_panel = incremental_credits_from_panel(paths, person_days, kol_days, led, [30])
    pd.testing.assert_frame_equal(by_touch, by_panel)
    # ca's only read was search-led: no read credit, ca is treated like a conversion nobody saw a touch for
    ca = by_panel[(by_panel["conversion_id"] == "ca") & ~by_panel["is_unattributed"]]
    assert set(ca["touch_signal"]) <= {"modelled"}
    with pytest.raises(ValueError, match="int_read_panel_kol_days lacks"):
        incremental_credits_from_panel(paths, person_days, kol_days.drop(columns=["touches"]), led, [30])
