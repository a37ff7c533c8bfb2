"""Incremental credit (model name ``incremental``): direct evidence, a self-controlled fit on the
read panel, and a calibrated share of the conversions nobody saw a touch for.

Why
---
The path models divide every *touched* conversion among KOLs and leave every untouched one
unattributed. Both are wrong in the same data: most conversions carry no observed touch (only the
clean-room sample's note events are visible, and only some of its persons' orders link to them),
and a touched conversion may have happened anyway. This model credits KOLs with the part of the
conversions it estimates they caused, touched or not; the rest stays on the conversion's
unattributed (baseline) row.

Method, for each window ``W`` (days)
------------------------------------
1. **Evidence.** A conversion whose path in the window carries a direct signal of a KOL (every
   ``touch_signal`` but ``note_interaction``: promo code, passphrase, note card, QR scan, WeChat
   attach, UTM session, ad link) is credited to those KOLs only, equally per KOL and equally among
   that KOL's signal touches (as ``fct_direct_signal_attribution`` reads them).
2. **Read panel, self-controlled.** The panel is every person with a note event. A read counts as
   an exposure unless it was reached through a search click on the same note by the same person
   within ``SEARCH_LED_SECONDS`` (a brand search shows intent already formed; counting it would
   credit the purchase to the note it landed on). A converting panel person's rate on day ``d`` is
   ``u_i s(d) (1 + theta n_i(d))``: ``u_i`` the person's own baseline, ``s(d)`` the seasonality of
   all attributable conversions (7-day centred mean, mean 1), ``n_i(d)`` the person's exposures in
   the ``W`` days up to ``d``. Conditioning on each person's number of conversions removes ``u_i``
   (self-controlled case series, Farrington 1995; persons who read more may simply buy more, e.g.
   when KOLs are targeted at high-intent buyers), leaving the concave one-parameter likelihood
   ``L(theta) = sum_c log(1 + theta n_c) - sum_i N_i log(S + theta E_i)``, ``S = sum_d s(d)``,
   ``E_i = sum_d s(d) n_i(d)``. A conversion's caused probability is
   ``p_c = theta n_c / (1 + theta n_c)``. A panel conversion without evidence and with exposures
   in the window gets ``p_c`` as KOL credit, split equally over those exposures.
3. **Everything else.** The panel's caused fraction among its conversions without evidence,
   ``q = sum p_c / n`` (assumption: the panel is a random sample of the buyers, as a clean room's
   sample is), is applied to every other conversion without evidence (buyer outside the panel, or
   no exposure in the window): the ``q N_rest`` expected caused conversions are placed on days and
   KOLs in proportion to ``a_k w_k(d)``, with ``a_k`` the KOL's evidence credit (step 1) and
   ``w_k(d)`` the KOL's panel exposures (its evidence days, shifted back ``W / 2``, when the panel
   never read it) in the ``W`` days up to ``d``, normalised over days: day ``d`` receives
   ``q N_rest a_k w_k(d) / sum_{k, d' with such conversions} a_k w_k(d')``, capped so that the
   day's conversions receive at most 1 each (so the total is ``q N_rest`` unless a cap binds).
   Every such conversion of the day receives the same total; the KOLs' masses are laid end to end
   over the day's conversions (:func:`_pack_day`), so a conversion carries a few KOL rows, not one
   per KOL, with the same totals per KOL and per conversion. These rows have no observed touch:
   ``touchpoint_id`` is ``'modelled:<kol_id>'``, ``touch_signal`` ``'modelled'``, touch columns null.

The read panel's inputs (search-led reads, exposures per person x day and per KOL x day) come
either from touchpoints in pandas (:func:`incremental_credits`, :func:`read_panel_tables`) or, in
the dbt model, from SQL (:func:`incremental_credits_from_panel`), so that no touch is held in memory.

Credit sums to 1 per conversion x window (KOL rows plus the unattributed row) and revenue is
conserved. Missing columns raise ``ValueError``; no conversions give no rows; no panel, no
evidence or no exposure give no modelled credit (conversions stay unattributed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MODEL_NAME = "incremental"
MODELLED_SIGNAL = "modelled"
MODELLED_PREFIX = "modelled:"
READ_SIGNAL = "note_interaction"
SEARCH_LED_SECONDS = 300

TOUCHPOINT_COLUMNS = (
    "touchpoint_id",
    "person_id",
    "kol_id",
    "note_id",
    "touch_signal",
    "interaction_type",
    "touched_at",
)
# what a credited touch row carries before the window and model columns are added
_PER_RUN_COLUMNS = ("attribution_model", "window_days", "attributed_revenue_cny", "is_unattributed")


def _touch_row_columns() -> list[str]:
    from ..credits import CREDIT_COLUMNS  # not at import time: kol_attr.credits imports this package

    return [c for c in CREDIT_COLUMNS if c not in _PER_RUN_COLUMNS] + ["revenue_cny"]


def _check(df: Any, required: Sequence[str], name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}")


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys, kind="mergesort", na_position="last").reset_index(drop=True)


def _isin(series: pd.Series, values: Any) -> pd.Series:
    """``series.isin(values)`` for id columns, through pyarrow's hash-based ``is_in``. pandas' isin on
    pyarrow-backed strings (the default ``str`` dtype of pandas 3, what DuckDB hands over) turns
    every value into a pyarrow scalar one by one in Python: 47 of 62 s of one window at brand scale."""
    import pyarrow as pa
    import pyarrow.compute as pc

    left = pa.array(series.to_numpy(dtype=object), from_pandas=True)
    right = pa.array(pd.Series(values, dtype=object).dropna().to_numpy(dtype=object), from_pandas=True)
    if len(right) == 0:
        return pd.Series(False, index=series.index)
    if left.type != right.type:  # e.g. an all-null column
        return series.isin(values)
    hit = pc.is_in(left, value_set=right, skip_nulls=True).fill_null(False)
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=series.index)


def search_led_reads(touchpoints: pd.DataFrame, seconds: int = SEARCH_LED_SECONDS) -> pd.Index:
    """touchpoint_ids of reads that follow a search click on the same note by the same person
    within ``seconds`` (step 2 of the module docstring)."""
    ni = touchpoints[touchpoints["touch_signal"] == READ_SIGNAL]
    reads = ni[ni["interaction_type"] == "read"][["touchpoint_id", "person_id", "note_id", "touched_at"]]
    clicks = ni[ni["interaction_type"] == "search_click"][["person_id", "note_id", "touched_at"]]
    reads = reads.dropna(subset=["person_id", "note_id", "touched_at"])
    clicks = clicks.dropna(subset=["person_id", "note_id", "touched_at"])
    if reads.empty or clicks.empty:
        return pd.Index([])
    r = reads.assign(t=pd.to_datetime(reads["touched_at"])).sort_values("t")
    c = clicks.assign(t=pd.to_datetime(clicks["touched_at"]))
    c = c.assign(t_click=c["t"]).sort_values("t")[["person_id", "note_id", "t", "t_click"]]
    m = pd.merge_asof(
        r,
        c,
        on="t",
        by=["person_id", "note_id"],
        direction="backward",
        tolerance=pd.Timedelta(seconds=seconds),
    )
    return pd.Index(m.loc[m["t_click"].notna(), "touchpoint_id"])


def fit_self_controlled(
    exposures: pd.DataFrame,
    conversions: pd.DataFrame,
    seasonality: np.ndarray,
    window_days: int,
    max_theta: float = 1e4,
) -> dict[str, Any]:
    """Self-controlled fit of the relative rate per exposure (module docstring, step 2).

    ``exposures``: person_id, day (day index) of the exposures of panel persons, one row per exposure
    or, with a column ``exposures``, one row per person x day carrying that day's count;
    ``conversions``: person_id, n_exposures (in the window up to the conversion) of every panel
    conversion; ``seasonality``: s(d) for d = 0 .. n_days - 1. Returns ``theta`` and ``p`` (caused
    probability of each conversion, aligned with ``conversions``).
    """
    from scipy.optimize import brentq, minimize_scalar

    if len(conversions) == 0:
        return {"theta": 0.0, "p": np.zeros(0)}
    s = np.asarray(seasonality, dtype=float)
    cum = np.concatenate([[0.0], np.cumsum(s)])
    buyers = pd.Index(conversions["person_id"].unique())
    e = exposures[_isin(exposures["person_id"], buyers)]
    start = np.clip(e["day"].to_numpy(), 0, len(s))
    stop = np.clip(e["day"].to_numpy() + window_days, 0, len(s))
    mass = cum[stop] - cum[start]  # seasonality mass of the W days an exposure counts in
    if "exposures" in e.columns:
        mass = mass * e["exposures"].to_numpy(dtype=float)
    e_i = pd.Series(mass).groupby(e["person_id"].to_numpy()).sum().reindex(buyers, fill_value=0.0).to_numpy()
    n_i = conversions.groupby("person_id").size().reindex(buyers).to_numpy().astype(float)
    n_c = conversions["n_exposures"].to_numpy(dtype=float)
    s_total = float(cum[-1])

    def negll(theta: float) -> float:
        return -float(np.log1p(theta * n_c).sum() - (n_i * np.log(s_total + theta * e_i)).sum())

    def slope(theta: float) -> float:  # d negll / d theta
        return -float((n_c / (1.0 + theta * n_c)).sum()) + float((n_i * e_i / (s_total + theta * e_i)).sum())

    theta = 0.0
    if (n_c > 0).any() and s_total > 0:
        res = minimize_scalar(negll, bounds=(0.0, max_theta), method="bounded", options={"xatol": 1e-10})
        x = float(res.x)
        # A minimiser of a function value only gets x to about sqrt(machine epsilon) relative, so two
        # engines that add the same numbers in a different order land ~1e-8 apart. Polish: the slope
        # is 0 at an interior minimum, and a root finder gets x to a few ulps.
        lo, hi = max(0.0, x * (1 - 1e-6) - 1e-12), min(max_theta, x * (1 + 1e-6) + 1e-12)
        if slope(lo) < 0.0 < slope(hi):
            x = float(brentq(slope, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=200))
        if negll(x) < negll(0.0):
            theta = x
    return {"theta": theta, "p": theta * n_c / (1.0 + theta * n_c)}


def _seasonality(conv_days: np.ndarray, n_days: int) -> np.ndarray:
    counts = np.bincount(conv_days, minlength=n_days).astype(float)
    smooth = pd.Series(counts).rolling(7, center=True, min_periods=1).mean().to_numpy()
    mean = smooth.mean()
    return smooth / mean if mean > 0 else np.ones(n_days)


PERSON_DAY_COLUMNS = ("person_id", "activity_date", "note_events", "exposures")
KOL_DAY_COLUMNS = ("kol_id", "activity_date", "touches", "exposures")
SEARCH_LED_COLUMNS = ("touchpoint_id",)


def read_panel_tables(
    touchpoints: pd.DataFrame, seconds: int = SEARCH_LED_SECONDS
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The read panel's three tables from KOL-matched touchpoints, in pandas: the reference for the
    SQL models int_read_panel_person_days, int_read_panel_kol_days and int_reads_search_led (which
    compute the same in the warehouse, so the dbt model never holds a touch in memory).

    Returns ``(person_days, kol_days, search_led)``: person_days has one row per person x UTC day
    with a note event (``note_events``; ``exposures`` = reads not search-led; the SQL model keeps
    only persons with an attributable conversion, which is all the fit reads); kol_days one row per
    KOL x day with a touch of any signal (``touches``) and its ``exposures`` by any person;
    search_led the touchpoint_ids of search-led reads (:func:`search_led_reads`).
    """
    _check(touchpoints, TOUCHPOINT_COLUMNS, "fct_touchpoints")
    tp = touchpoints[touchpoints["kol_id"].notna() & touchpoints["touched_at"].notna()]
    led = search_led_reads(tp[tp["touch_signal"] == READ_SIGNAL], seconds)
    is_exposure = (
        (tp["touch_signal"] == READ_SIGNAL)
        & (tp["interaction_type"] == "read")
        & ~_isin(tp["touchpoint_id"], led)
    )
    flagged = pd.DataFrame(
        {
            "person_id": tp["person_id"].to_numpy(),
            "kol_id": tp["kol_id"].to_numpy(),
            "is_note_event": (tp["touch_signal"] == READ_SIGNAL).to_numpy(),
            "activity_date": pd.to_datetime(tp["touched_at"]).dt.normalize().to_numpy(),
            "exposures": is_exposure.to_numpy().astype(int),
        }
    )
    events = flagged[flagged["is_note_event"] & flagged["person_id"].notna()]
    person_days = (
        events.groupby(["person_id", "activity_date"])
        .agg(note_events=("exposures", "size"), exposures=("exposures", "sum"))
        .reset_index()
    )
    kol_days = (
        flagged.groupby(["kol_id", "activity_date"])
        .agg(touches=("exposures", "size"), exposures=("exposures", "sum"))
        .reset_index()
    )
    return (
        person_days[list(PERSON_DAY_COLUMNS)],
        kol_days[list(KOL_DAY_COLUMNS)],
        pd.DataFrame({"touchpoint_id": pd.Series(led, dtype="object")}),
    )


def incremental_credits(
    conversion_paths: pd.DataFrame, touchpoints: pd.DataFrame, windows_days: Any
) -> pd.DataFrame:
    """Credit rows of the ``incremental`` model for every window, in ``fct_attribution_credits`` columns.

    ``conversion_paths``: the columns of ``int_conversion_paths`` (see :mod:`kol_attr.credits`);
    ``touchpoints``: the KOL-matched rows of ``fct_touchpoints`` (touchpoint_id, person_id, kol_id,
    note_id, touch_signal, interaction_type, touched_at). Method: the module docstring. Holds every
    touch in memory; the dbt model passes the SQL read panel to :func:`incremental_credits_from_panel`
    instead.
    """
    from ..credits import CONVERSION_PATH_COLUMNS

    # the paths before the panel is computed (read_panel_tables checks the touchpoints)
    _check(conversion_paths, CONVERSION_PATH_COLUMNS, "int_conversion_paths")
    return incremental_credits_from_panel(conversion_paths, *read_panel_tables(touchpoints), windows_days)


def incremental_credits_from_panel(
    conversion_paths: pd.DataFrame,
    person_days: pd.DataFrame,
    kol_days: pd.DataFrame,
    search_led: pd.DataFrame,
    windows_days: Any,
) -> pd.DataFrame:
    """:func:`incremental_credits` from the read panel's tables (:func:`read_panel_tables`, or the
    SQL models int_read_panel_person_days, int_read_panel_kol_days, int_reads_search_led): only the
    conversion paths and these aggregates are in memory.
    """
    from ..credits import CONVERSION_PATH_COLUMNS, CREDIT_COLUMNS, parse_windows

    _check(conversion_paths, CONVERSION_PATH_COLUMNS, "int_conversion_paths")
    _check(person_days, PERSON_DAY_COLUMNS, "int_read_panel_person_days")
    _check(kol_days, KOL_DAY_COLUMNS, "int_read_panel_kol_days")
    _check(search_led, SEARCH_LED_COLUMNS, "int_reads_search_led")
    windows = parse_windows(windows_days)
    # one row order whatever order the engine handed the rows over in: sums (and so the fit) are then
    # the same on DuckDB and Spark to the last bit
    conversion_paths = _sorted(conversion_paths, ["conversion_id", "touchpoint_id"])
    person_days = _sorted(person_days, ["person_id", "activity_date"])
    kol_days = _sorted(kol_days, ["kol_id", "activity_date"])
    search_led = _sorted(search_led, ["touchpoint_id"])
    panel = _read_panel(conversion_paths, person_days, kol_days, search_led)
    frames = [_credits_for_window(conversion_paths, panel, w) for w in windows] if panel else []
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CREDIT_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["touch_position"] = out["touch_position"].astype("Int64")
    out["path_length"] = out["path_length"].astype("Int64")
    out["window_days"] = out["window_days"].astype("int32")
    out["is_unattributed"] = out["is_unattributed"].astype(bool)
    out["credit"] = out["credit"].astype(float)
    out["attributed_revenue_cny"] = out["attributed_revenue_cny"].astype(float)
    return out[CREDIT_COLUMNS].reset_index(drop=True)


def _day_index(times: pd.Series, t0: pd.Timestamp) -> np.ndarray:
    return ((pd.to_datetime(times) - t0) // pd.Timedelta(days=1)).to_numpy().astype(int)


def _pack_day(conversion_ids: np.ndarray, kol_ids: np.ndarray, kol_mass: np.ndarray) -> pd.DataFrame:
    """Place one day's modelled KOL credit (``kol_mass``, summing to at most one per conversion) on
    that day's conversions, every conversion receiving the same total ``sum(kol_mass) / R``.

    The KOL masses are laid end to end on [0, sum) and conversion j takes the stretch
    [j t, (j + 1) t), t = sum / R: each KOL's total and each conversion's total are those of an even
    spread of every KOL over every conversion, but a conversion holds about 1 + K / R KOLs instead
    of K, so the rows grow as R + K per day, not R x K (DECISIONLOG "Incremental credit at brand
    scale").
    """
    r = len(conversion_ids)
    kol_edges = np.cumsum(kol_mass)
    total = float(kol_edges[-1]) if len(kol_edges) else 0.0
    if r == 0 or total <= 0:
        return pd.DataFrame({"conversion_id": [], "kol_id": [], "credit": []})
    t = total / r
    edges = np.union1d(np.concatenate([[0.0], kol_edges]), np.arange(1, r) * t)
    edges = edges[edges <= total]
    lo, hi = edges[:-1], edges[1:]
    length = hi - lo
    mid = (lo + hi) / 2.0
    keep = length > 1e-15
    mid, length = mid[keep], length[keep]
    conv_i = np.minimum((mid // t).astype(int), r - 1)
    kol_i = np.minimum(np.searchsorted(kol_edges, mid, side="right"), len(kol_ids) - 1)
    # both indexes are non-decreasing along the line, so every (conversion, KOL) pair is one segment
    return pd.DataFrame({"conversion_id": conversion_ids[conv_i], "kol_id": kol_ids[kol_i], "credit": length})


def _modelled_shares(
    rest: pd.DataFrame,
    evidence_credit: pd.Series,
    kol_exposures: pd.DataFrame,
    evidence_days: pd.DataFrame,
    q: float,
    window: int,
    n_days: int,
) -> pd.DataFrame:
    """Step 3: conversion_id, kol_id, credit of the modelled shares."""
    empty = pd.DataFrame({"conversion_id": [], "kol_id": [], "credit": []})
    a = evidence_credit[evidence_credit > 0]
    if rest.empty or a.empty or q <= 0:
        return empty
    kols = a.index
    profile = np.zeros((len(kols), n_days))
    box = np.ones(window)
    for i, k in enumerate(kols):
        mine = kol_exposures[kol_exposures["kol_id"] == k]
        days, weights = mine["day"].to_numpy(), mine["exposures"].to_numpy(dtype=float)
        if len(days) == 0:
            days = evidence_days.loc[evidence_days["kol_id"] == k, "day"].to_numpy() - window // 2
            weights = np.ones(len(days))
        starts = np.bincount(np.clip(days, 0, n_days - 1), weights=weights, minlength=n_days).astype(float)
        in_window = np.convolve(starts, box)[:n_days]  # exposures in the W days up to d
        if in_window.sum() > 0:
            profile[i] = in_window / in_window.sum()
    mass = profile * a.to_numpy()[:, None]
    rest_per_day = np.bincount(rest["day"].to_numpy(), minlength=n_days).astype(float)
    total = float(mass[:, rest_per_day > 0].sum())  # only days that have such conversions take mass
    if total <= 0:
        return empty
    day_mass = mass * (q * len(rest) / total)  # expected caused conversions per KOL x day
    day_mass = day_mass / np.maximum(day_mass.sum(axis=0) / np.maximum(rest_per_day, 1.0), 1.0)[None, :]
    kol_ids = kols.to_numpy()
    parts = []
    for day, group in rest.groupby("day", sort=True):
        column = day_mass[:, int(day)]
        on = column > 1e-12
        if on.any():
            ids = np.sort(group["conversion_id"].to_numpy())
            parts.append(_pack_day(ids, kol_ids[on], column[on]))
    return pd.concat(parts, ignore_index=True) if parts else empty


@dataclass(frozen=True)
class _Panel:
    """What does not depend on the window, computed once for all windows."""

    conv: pd.DataFrame  # one row per conversion with a time, and its day index
    n_days: int
    season: np.ndarray
    persons: pd.Index  # converting persons with a note event (the read panel)
    led: pd.Index  # touchpoint_ids of search-led reads
    person_exposures: pd.DataFrame  # person_id, day, exposures (> 0) of the read panel's converters
    kol_exposures: pd.DataFrame  # kol_id, day, exposures (> 0) per KOL


def _read_panel(
    paths: pd.DataFrame, person_days: pd.DataFrame, kol_days: pd.DataFrame, search_led: pd.DataFrame
) -> _Panel | None:
    conv = paths.drop_duplicates("conversion_id")[
        ["conversion_id", "person_id", "order_platform", "revenue_cny", "converted_at"]
    ].reset_index(drop=True)
    conv = conv[conv["converted_at"].notna()].reset_index(drop=True)
    if conv.empty:
        return None
    kd = kol_days[kol_days["kol_id"].notna() & kol_days["activity_date"].notna()]
    t0 = pd.to_datetime(conv["converted_at"]).min()
    if len(kd):
        t0 = min(t0, pd.to_datetime(kd["activity_date"]).min())
    t0 = t0.normalize()
    conv["day"] = _day_index(conv["converted_at"], t0)
    kd_days = _day_index(kd["activity_date"], t0)
    n_days = int(max(conv["day"].max(), kd_days.max() if len(kd) else 0)) + 1

    pd_ = person_days[_isin(person_days["person_id"], conv["person_id"])]
    pe = pd_[pd_["exposures"] > 0]
    ke = kd[kd["exposures"] > 0]
    return _Panel(
        conv=conv,
        n_days=n_days,
        season=_seasonality(conv["day"].to_numpy(), n_days),
        persons=pd.Index(pd_["person_id"].unique()),
        led=pd.Index(search_led["touchpoint_id"]),
        person_exposures=pd.DataFrame(
            {
                "person_id": pe["person_id"].to_numpy(),
                "day": _day_index(pe["activity_date"], t0),
                "exposures": pe["exposures"].to_numpy(dtype=float),
            }
        ),
        kol_exposures=pd.DataFrame(
            {
                "kol_id": ke["kol_id"].to_numpy(),
                "day": kd_days[(kd["exposures"] > 0).to_numpy()],
                "exposures": ke["exposures"].to_numpy(dtype=float),
            }
        ),
    )


def _credits_for_window(paths: pd.DataFrame, panel_data: _Panel, window: int) -> pd.DataFrame:
    from ..credits import CREDIT_COLUMNS

    conv = panel_data.conv.copy()
    season, n_days = panel_data.season, panel_data.n_days
    panel, led = panel_data.persons, panel_data.led
    age = pd.to_numeric(paths["touch_age_days"], errors="coerce")
    touches = paths[
        paths["touchpoint_id"].notna()
        & _isin(paths["conversion_id"], conv["conversion_id"])
        & (age <= window)
    ].copy()
    touches["recency_rank"] = pd.to_numeric(touches["recency_rank"], errors="coerce").astype(float)
    path_length = touches.groupby("conversion_id").size()
    touches["path_length"] = touches["conversion_id"].map(path_length).astype(float)
    touches["touch_position"] = touches["path_length"] - touches["recency_rank"] + 1

    # 1. evidence
    ev = touches[touches["touch_signal"] != READ_SIGNAL].copy()
    kols_on = ev.groupby("conversion_id")["kol_id"].transform("nunique")
    touches_of_kol = ev.groupby(["conversion_id", "kol_id"])["touchpoint_id"].transform("size")
    ev["credit"] = 1.0 / kols_on / touches_of_kol
    evidence_ids = pd.Index(ev["conversion_id"].unique())

    # 2. read panel (persons, search-led reads and exposures: _read_panel, once for every window)
    exposure_touches = touches[
        (touches["touch_signal"] == READ_SIGNAL)
        & (touches["interaction_type"] == "read")
        & ~_isin(touches["touchpoint_id"], led)
    ]
    n_exposures = exposure_touches.groupby("conversion_id").size()
    conv["n_exposures"] = conv["conversion_id"].map(n_exposures).fillna(0.0).to_numpy()
    in_panel = _isin(conv["person_id"], panel)
    panel_conv = conv[in_panel].copy()
    panel_conv["p"] = fit_self_controlled(panel_data.person_exposures, panel_conv, season, window)["p"]
    no_evidence = ~_isin(panel_conv["conversion_id"], evidence_ids)
    q = float(panel_conv.loc[no_evidence, "p"].mean()) if no_evidence.any() else 0.0
    read_credit = panel_conv[no_evidence & (panel_conv["p"] > 0)][["conversion_id", "p", "n_exposures"]]
    rc = exposure_touches.merge(read_credit, on="conversion_id")
    rc["credit"] = rc["p"] / rc["n_exposures"]

    # 3. modelled shares for every other conversion without evidence
    covered = _isin(conv["conversion_id"], evidence_ids) | (in_panel & (conv["n_exposures"] > 0))
    rest = conv[~covered]
    ev_days = ev[["conversion_id", "kol_id"]].merge(conv[["conversion_id", "day"]], on="conversion_id")
    modelled = _modelled_shares(
        rest, ev.groupby("kol_id")["credit"].sum(), panel_data.kol_exposures, ev_days, q, window, n_days
    ).merge(conv, on="conversion_id")
    modelled["touchpoint_id"] = MODELLED_PREFIX + modelled["kol_id"].astype(str)
    modelled["touch_signal"] = MODELLED_SIGNAL
    for column in ("note_id", "campaign_id", "interaction_type"):
        modelled[column] = None
    modelled["touch_position"] = np.nan
    modelled["path_length"] = modelled["conversion_id"].map(path_length).fillna(0)
    modelled["touched_at"] = pd.NaT

    row_columns = _touch_row_columns()
    kol_rows = pd.concat([ev[row_columns], rc[row_columns], modelled[row_columns]], ignore_index=True)
    kol_rows = kol_rows[kol_rows["credit"] > 0]
    kol_rows["is_unattributed"] = False

    # one unattributed row per conversion with what is left (1 when nothing is credited)
    unattributed = conv.copy()
    used = kol_rows.groupby("conversion_id")["credit"].sum()
    left = 1.0 - unattributed["conversion_id"].map(used).fillna(0.0)
    unattributed["credit"] = np.where(left < 1e-12, 0.0, left)
    unattributed = unattributed[unattributed["credit"] > 0]
    for column in ("touchpoint_id", "kol_id", "note_id", "campaign_id", "touch_signal", "interaction_type"):
        unattributed[column] = None
    unattributed["touch_position"] = np.nan
    unattributed["path_length"] = unattributed["conversion_id"].map(path_length).fillna(0)
    unattributed["touched_at"] = pd.NaT
    unattributed["is_unattributed"] = True

    out = pd.concat([kol_rows, unattributed[kol_rows.columns]], ignore_index=True)
    out["attribution_model"] = MODEL_NAME
    out["window_days"] = int(window)
    out["attributed_revenue_cny"] = out["credit"].astype(float) * out["revenue_cny"].astype(float)
    out = out[CREDIT_COLUMNS]
    # ids and labels as pyarrow-backed strings, not Python objects: about half the memory at brand scale
    text = [c for c in out.columns if out[c].dtype == object]
    return out.astype(dict.fromkeys(text, "str"))
