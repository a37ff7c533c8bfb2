"""kol_attr.credits: channel credit becomes touch credit, sums to 1, conserves revenue."""

from __future__ import annotations

import pandas as pd
import pytest

from kol_attr.attribution import BASELINE
from kol_attr.credits import (
    CREDIT_COLUMNS,
    CREDIT_EPSILON,
    MODELS,
    credits_from_summaries,
    data_driven_credits,
    empty_credits,
    parse_windows,
    path_summaries,
)

T0 = pd.Timestamp("2026-03-01 12:00:00")


def _conv_rows(
    conversion_id: str, person: str, revenue: float, touches: list[tuple[str, float, str]]
) -> list[dict]:
    """Rows of int_conversion_paths for one conversion; touches = (kol_id, age_days, interaction_type)."""
    if not touches:
        return [
            dict(
                conversion_id=conversion_id,
                touchpoint_id=None,
                person_id=person,
                kol_id=None,
                note_id=None,
                campaign_id=None,
                order_platform="tmall",
                touch_signal=None,
                interaction_type=None,
                revenue_cny=revenue,
                interaction_weight=None,
                touch_age_days=None,
                recency_rank=None,
                touched_at=pd.NaT,
                converted_at=T0,
            )
        ]
    ordered = sorted(touches, key=lambda t: t[1])  # youngest first = recency rank 1
    return [
        dict(
            conversion_id=conversion_id,
            touchpoint_id=f"{conversion_id}-t{rank}",
            person_id=person,
            kol_id=kol,
            note_id=f"n-{kol}",
            campaign_id="c1",
            order_platform="tmall",
            touch_signal="note_interaction",
            interaction_type=itype,
            revenue_cny=revenue,
            interaction_weight=3.0 if itype == "save" else 1.0,
            touch_age_days=age,
            recency_rank=rank,
            touched_at=T0 - pd.Timedelta(days=age),
            converted_at=T0,
        )
        for rank, (kol, age, itype) in enumerate(ordered, start=1)
    ]


def _non_rows(person: str, touches: list[tuple[str, float]]) -> list[dict]:
    ordered = sorted(touches, key=lambda t: t[1])
    return [
        dict(person_id=person, kol_id=kol, touch_age_days=age, recency_rank=rank, interaction_weight=1.0)
        for rank, (kol, age) in enumerate(ordered, start=1)
    ]


@pytest.fixture()
def paths() -> tuple[pd.DataFrame, pd.DataFrame]:
    conv = pd.DataFrame(
        _conv_rows("tmall:1", "p1", 100.0, [("A", 3.0, "read"), ("B", 1.0, "save"), ("A", 0.5, "like")])
        + _conv_rows("tmall:2", "p2", 50.0, [("B", 20.0, "read")])
        + _conv_rows("tmall:3", "p3", 80.0, [])
        + _conv_rows("tmall:4", "p4", 10.0, [("A", 2.0, "read")])
    )
    non = pd.DataFrame(
        _non_rows("q1", [("A", 0.0)])
        + _non_rows("q2", [("A", 0.0), ("C", 5.0)])
        + _non_rows("q3", [("B", 0.0)])
        + _non_rows("q4", [("C", 0.0)])
        + _non_rows("q5", [("C", 0.0), ("A", 1.0)])
    )
    return conv, non


@pytest.mark.parametrize("model", ["markov", "shapley", "counterfactual"])
def test_credit_sums_to_one_and_revenue_is_conserved(
    model: str, paths: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    conv, non = paths
    out = data_driven_credits(model, conv, non, [7, 30])
    assert list(out.columns) == CREDIT_COLUMNS
    assert set(out["window_days"]) == {7, 30}
    sums = out.groupby(["conversion_id", "window_days"])["credit"].sum()
    assert len(sums) == 4 * 2  # every conversion in every window
    assert (sums - 1.0).abs().max() < 1e-9
    assert out["credit"].between(0, 1).all()
    revenue = out.groupby("window_days")["attributed_revenue_cny"].sum()
    assert revenue.to_dict() == pytest.approx({7: 240.0, 30: 240.0})
    assert (out["attribution_model"] == model).all()


@pytest.mark.parametrize("model", ["markov", "shapley", "counterfactual"])
def test_window_limits_the_path(model: str, paths: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    conv, non = paths
    out = data_driven_credits(model, conv, non, [7, 30])
    # conversion 2's only touch is 20 days old: unattributed at 7 days, on a KOL at 30 days
    seven = out[(out["conversion_id"] == "tmall:2") & (out["window_days"] == 7)]
    assert len(seven) == 1 and bool(seven["is_unattributed"].iloc[0]) and seven["credit"].iloc[0] == 1.0
    assert seven["path_length"].iloc[0] == 0
    thirty = out[(out["conversion_id"] == "tmall:2") & (out["window_days"] == 30) & ~out["is_unattributed"]]
    assert set(thirty["kol_id"]) == {"B"}
    # a conversion with no touch at all: one unattributed row, credit 1, in every window
    none = out[out["conversion_id"] == "tmall:3"]
    assert len(none) == 2 and none["is_unattributed"].all() and (none["credit"] == 1.0).all()


def test_touches_of_one_kol_split_its_share_and_positions_follow_time(
    paths: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    conv, non = paths
    out = data_driven_credits("markov", conv, non, [30])
    c1 = out[(out["conversion_id"] == "tmall:1") & ~out["is_unattributed"]].sort_values("touch_position")
    assert list(c1["kol_id"]) == ["A", "B", "A"]
    assert list(c1["touch_position"]) == [1, 2, 3]
    assert (c1["path_length"] == 3).all()
    a_rows = c1[c1["kol_id"] == "A"]
    assert a_rows["credit"].iloc[0] == pytest.approx(a_rows["credit"].iloc[1])


def test_markov_credits_kols_on_the_path_only(paths: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    conv, non = paths
    out = data_driven_credits("markov", conv, non, [30])
    c4 = out[out["conversion_id"] == "tmall:4"]
    assert set(c4["kol_id"].dropna()) == {"A"}
    assert c4.loc[~c4["is_unattributed"], "credit"].sum() == pytest.approx(1.0)


def test_errors_are_clear(paths: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    conv, non = paths
    with pytest.raises(ValueError, match="unknown data-driven model"):
        data_driven_credits("magic", conv, non, [7])
    with pytest.raises(ValueError, match="lacks column"):
        data_driven_credits("markov", conv.drop(columns=["recency_rank"]), non, [7])
    with pytest.raises(ValueError, match="positive whole number"):
        parse_windows([7, -1])
    assert parse_windows("[30, 7]") == [7, 30]


def test_near_zero_shares_write_no_row(
    paths: tuple[pd.DataFrame, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A share below CREDIT_EPSILON (float noise of an exact 0) is 0: no KOL row, no unattributed row."""

    def noisy(summary: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for index, path in enumerate(summary["path"]):
            first, *others = list(dict.fromkeys(path))
            rows.append({"path_index": index, "channel": first, "share": 1.0})
            rows += [{"path_index": index, "channel": kol, "share": 4e-17} for kol in others]
            rows.append({"path_index": index, "channel": BASELINE, "share": 5e-17})
        return pd.DataFrame(rows)

    monkeypatch.setitem(MODELS, "markov", noisy)
    conv, non = paths
    out = data_driven_credits("markov", conv, non, [30])
    c1 = out[out["conversion_id"] == "tmall:1"]
    # path A -> B -> A: only A's two touches, each 0.5; B's 4e-17 and the baseline's 5e-17 are dropped
    assert list(c1["kol_id"]) == ["A", "A"] and not c1["is_unattributed"].any()
    assert c1["credit"].tolist() == [0.5, 0.5]
    assert CREDIT_EPSILON == 1e-12


@pytest.mark.parametrize("model", ["markov", "shapley", "counterfactual"])
def test_row_order_of_the_summaries_does_not_change_credits(
    model: str, paths: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    """DuckDB and Spark hand the SQL path summaries over in different orders: same credits, bit for bit."""
    conv, non = paths
    keys, summaries = path_summaries(conv, non, [7, 30])
    reference = credits_from_summaries(model, conv, keys, summaries, [7, 30])
    shuffled = summaries.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert not shuffled.equals(summaries)
    again = credits_from_summaries(model, conv, keys, shuffled, [7, 30])
    order = ["window_days", "conversion_id", "touchpoint_id"]
    pd.testing.assert_frame_equal(
        reference.sort_values(order).reset_index(drop=True),
        again.sort_values(order).reset_index(drop=True),
        check_exact=True,
    )


def test_a_switched_off_model_writes_typed_empty_columns() -> None:
    """An empty credit frame has the column types of a full one (Spark's union refuses string vs boolean)."""
    empty = empty_credits()
    assert list(empty.columns) == CREDIT_COLUMNS and len(empty) == 0
    kinds = {c: empty[c].dtype.kind for c in ("window_days", "credit", "is_unattributed", "converted_at")}
    assert kinds == {"window_days": "i", "credit": "f", "is_unattributed": "b", "converted_at": "M"}
    assert str(empty["touch_position"].dtype) == "Int64" and empty["conversion_id"].dtype == object
