"""Rows of ``fct_kol_incrementality`` from daily totals (the dbt model only fetches and calls this).

Two fits of :func:`kol_attr.incrementality.fit_incrementality`, one with KOLs as units and one with
campaigns as units (a campaign's engagement is the sum over its notes), each for every order
platform and for all platforms together (``order_platform = 'all'``). Missing outcome days inside
the observed calendar are zeros. See :mod:`kol_attr.incrementality` for the model, its formulas and
its assumptions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .incrementality import BASELINE, fit_incrementality

OUTPUT_COLUMNS = [
    "unit_type",
    "unit_id",
    "order_platform",
    "incremental_conversions",
    "incremental_conversions_lo",
    "incremental_conversions_hi",
    "incremental_revenue_cny",
    "incremental_revenue_cny_lo",
    "incremental_revenue_cny_hi",
    "beta_conversions",
    "adstock_decay",
    "interval_level",
    "is_baseline",
]


def _complete_days(daily: pd.DataFrame) -> pd.DataFrame:
    """Every (day, platform) of the observed calendar, zero where no order happened, plus 'all'."""
    daily = daily.copy()
    daily["outcome_date"] = pd.to_datetime(daily["outcome_date"])
    days = pd.date_range(daily["outcome_date"].min(), daily["outcome_date"].max(), freq="D")
    platforms = sorted(daily["order_platform"].astype(str).unique())
    grid = pd.MultiIndex.from_product([days, platforms], names=["outcome_date", "order_platform"])
    per_platform = (
        daily.groupby(["outcome_date", "order_platform"])[["conversions", "revenue_cny"]]
        .sum()
        .reindex(grid, fill_value=0.0)
        .reset_index()
    )
    total = per_platform.groupby("outcome_date", as_index=False)[["conversions", "revenue_cny"]].sum()
    total["order_platform"] = "all"
    return pd.concat([per_platform, total], ignore_index=True)


def kol_incrementality(
    daily: pd.DataFrame,
    engagement: pd.DataFrame,
    *,
    n_boot: int = 200,
    ci: float = 0.9,
    seed: int = 0,
    **fit_options: Any,
) -> pd.DataFrame:
    """Incremental conversions and revenue per KOL and per campaign, with bootstrap intervals."""
    if len(daily) == 0 or len(engagement) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in OUTPUT_COLUMNS})
    outcomes = _complete_days(daily)
    eng = engagement.rename(columns={"engagement_date": "outcome_date"}).copy()
    eng["outcome_date"] = pd.to_datetime(eng["outcome_date"])
    frames = []
    for unit_type, unit_col in (("kol", "kol_id"), ("campaign", "campaign_id")):
        units = eng.dropna(subset=[unit_col])
        fit = fit_incrementality(
            outcomes,
            units,
            date_col="outcome_date",
            unit_col=unit_col,
            platform_col="order_platform",
            conversions_col="conversions",
            revenue_col="revenue_cny",
            n_boot=n_boot,
            ci=ci,
            seed=seed,
            **fit_options,
        )
        t = fit.table.rename(
            columns={
                unit_col: "unit_id",
                "incremental_revenue": "incremental_revenue_cny",
                "incremental_revenue_lo": "incremental_revenue_cny_lo",
                "incremental_revenue_hi": "incremental_revenue_cny_hi",
                "decay": "adstock_decay",
            }
        )
        t["is_baseline"] = t["unit_id"] == BASELINE
        t["unit_type"] = np.where(t["is_baseline"], "baseline", unit_type)
        t["unit_id"] = np.where(t["is_baseline"], f"{BASELINE}:{unit_type}_fit", t["unit_id"])
        t["interval_level"] = ci
        frames.append(t)
    out = pd.concat(frames, ignore_index=True)
    return out[OUTPUT_COLUMNS].reset_index(drop=True)
