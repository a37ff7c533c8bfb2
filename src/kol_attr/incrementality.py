"""Aggregate (daily totals) incrementality of KOLs: adstocked engagement regression.

For brands that only have daily totals (Pugongying note engagement, alliance totals, own
orders) and no person-level paths.

Model (per platform, per outcome ``y`` in conversions / revenue)
---------------------------------------------------------------
1. Engagement index of unit ``k`` (a KOL, or any key such as campaign x KOL) on day ``t``:
   ``e_{k,t} = sum_m w_m * metric_{m,k,t}`` over ``reads, likes, saves, comments, shares`` with
   configurable weights ``w`` (default :data:`DEFAULT_ENGAGEMENT_WEIGHTS`: a save or share
   counts 3 likes, a comment 2, a read 0.05 of a like).
2. Geometric adstock (Broadbent 1979; Jin et al. 2017, Google, "Bayesian methods for media mix
   modeling with carryover and shape effects"): ``a_{k,t} = e_{k,t} + lambda * a_{k,t-1}``,
   computed over the full calendar (engagement days before the first outcome day carry over).
3. Linear regression with baseline, linear trend and day-of-week dummies:

       y_t = alpha + tau * t + sum_{d=1..6} delta_d * 1[dow(t) = d] + sum_k beta_k * a_{k,t} + eps_t,

   solved exactly with ``beta_k >= 0`` and the other coefficients free: the free columns are
   partialled out (Frisch-Waugh-Lovell) and the rest is a non-negative least squares
   (``scipy.optimize.nnls``). The decay ``lambda`` (one for all units) is either given or
   chosen on ``decay_grid`` by the smallest residual sum of squares of the conversions model;
   revenue uses the same ``lambda``.
4. Incremental conversions (revenue) of unit ``k`` over the fitted days:
   ``sum_t beta_k * a_{k,t}``. The ``(baseline)`` row holds the fitted non-KOL part
   ``sum_t (alpha + tau t + delta_dow(t))``.
5. Uncertainty: moving-block bootstrap over days (Kuensch 1989): blocks of ``block_days``
   consecutive fitted days are drawn with replacement (seeded) to a series of the original
   length; each replicate refits the coefficients (``lambda`` fixed at its point estimate, so
   the interval does not include decay-selection uncertainty) and applies them to the original
   adstocked engagement; the interval is the ``(1 - ci)/2`` and ``(1 + ci)/2`` percentiles.

Assumptions (state them next to any number this produces)
---------------------------------------------------------
* Additivity: KOL effects add up, linearly in adstocked engagement (no saturation).
* No interaction between KOLs, and none between KOLs and day-of-week or trend.
* Carry-over only through the geometric adstock with one decay for all KOLs; no effect before
  engagement (no anticipation) and nothing beyond the calendar's end.
* Engagement is exogenous given trend and day of week: a KOL whose engagement rises on the
  same days demand rises for other reasons (seasonality, promotions, targeting of high-intent
  days) gets that demand credited. Baseline is linear in time.
* Non-negativity: a KOL cannot lower sales; a truly harmful KOL is estimated at 0.
* Residuals: the block bootstrap allows autocorrelation within ``block_days``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import nnls

__all__ = [
    "DEFAULT_ENGAGEMENT_WEIGHTS",
    "ENGAGEMENT_METRICS",
    "IncrementalityFit",
    "design_matrix",
    "engagement_index",
    "fit_incrementality",
    "geometric_adstock",
]

ENGAGEMENT_METRICS = ("reads", "likes", "saves", "comments", "shares")
DEFAULT_ENGAGEMENT_WEIGHTS: dict[str, float] = {
    "reads": 0.05,
    "likes": 1.0,
    "saves": 3.0,
    "comments": 2.0,
    "shares": 3.0,
}
BASELINE = "(baseline)"


@dataclass
class IncrementalityFit:
    """Result of :func:`fit_incrementality`.

    ``table``: one row per (platform,) unit plus a ``(baseline)`` row per platform, with
    ``incremental_conversions`` and its ``_lo``/``_hi`` bounds, the same for revenue when given,
    ``beta_conversions`` / ``beta_revenue`` (per unit of adstocked engagement index) and ``decay``.
    ``decay``: chosen decay per platform. ``sse_by_decay``: grid search residual sums.
    """

    table: pd.DataFrame
    decay: dict[str, float]
    sse_by_decay: dict[str, dict[float, float]]


def geometric_adstock(x: np.ndarray, decay: float) -> np.ndarray:
    """Geometric adstock along axis 0: ``a_t = x_t + decay * a_{t-1}``, ``a_0 = x_0``."""
    if not 0.0 <= decay < 1.0:
        raise ValueError(f"decay must be in [0, 1), got {decay}")
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    acc = np.zeros(x.shape[1:])
    for t in range(x.shape[0]):
        acc = x[t] + decay * acc
        out[t] = acc
    return out


def engagement_index(
    engagement: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    *,
    date_col: str = "date",
    unit_col: str = "kol_id",
) -> pd.DataFrame:
    """Weighted daily engagement ``e_{k,t} = sum_m w_m metric_m`` per unit and day.

    Metrics absent from ``engagement`` count 0; weights must be >= 0. Returns columns
    ``date_col``, ``unit_col``, ``engagement_index`` (summed over duplicate rows).
    """
    w = dict(DEFAULT_ENGAGEMENT_WEIGHTS if weights is None else weights)
    unknown = set(w) - set(ENGAGEMENT_METRICS)
    if unknown:
        raise ValueError(
            f"unknown engagement metric(s) {sorted(unknown)}; allowed {list(ENGAGEMENT_METRICS)}"
        )
    if any(v < 0 for v in w.values()):
        raise ValueError(f"engagement weights must be >= 0, got {w}")
    for c in (date_col, unit_col):
        if c not in engagement.columns:
            raise ValueError(f"engagement is missing column {c!r}")
    present = [m for m in ENGAGEMENT_METRICS if m in engagement.columns]
    if not present:
        raise ValueError(f"engagement has none of the metric columns {list(ENGAGEMENT_METRICS)}")
    idx = np.zeros(len(engagement))
    for m in present:
        v = pd.to_numeric(engagement[m], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        if np.any(v < 0):
            raise ValueError(f"engagement metric {m!r} has negative values")
        idx += w.get(m, 0.0) * v
    out = pd.DataFrame(
        {
            date_col: pd.to_datetime(engagement[date_col]).dt.normalize(),
            unit_col: engagement[unit_col].astype(str),
            "engagement_index": idx,
        }
    )
    return out.groupby([date_col, unit_col], as_index=False, sort=True)["engagement_index"].sum()


def design_matrix(days: pd.DatetimeIndex) -> tuple[np.ndarray, list[str]]:
    """Baseline columns: intercept, trend (days since first day / 365), Tue..Sun dummies (Mon reference)."""
    t = (days - days.min()).days.to_numpy(dtype=float) / 365.0
    dow = days.day_of_week.to_numpy()
    cols = [np.ones(len(days)), t] + [(dow == d).astype(float) for d in range(1, 7)]
    names = ["intercept", "trend_per_year"] + [f"dow_{d}" for d in ("tue", "wed", "thu", "fri", "sat", "sun")]
    return np.column_stack(cols), names


def _fit(base: np.ndarray, media: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least squares of ``y`` on ``[base, media]`` with media coefficients >= 0, base coefficients free.

    Solved exactly by partialling out the free columns (Frisch-Waugh-Lovell): for any media
    coefficients ``b`` the best base coefficients are ``a(b) = B+ (y - M b)``, so the problem is
    ``min_{b >= 0} || Q (y - M b) ||`` with ``Q`` the projection off the base columns, a plain
    non-negative least squares (Lawson-Hanson, ``scipy.optimize.nnls``). Media columns are scaled to
    unit max for conditioning; returned coefficients are unscaled.
    """
    scale = media.max(axis=0) if media.size else np.zeros(0)
    scale = np.where(scale > 0, scale, 1.0)
    ms = media / scale
    pinv = np.linalg.pinv(base)
    y_res = y - base @ (pinv @ y)
    if ms.shape[1]:
        m_res = ms - base @ (pinv @ ms)
        b_scaled, _ = nnls(m_res, y_res, maxiter=50 * max(ms.shape[1], 1))
    else:
        b_scaled = np.zeros(0)
    a = pinv @ (y - ms @ b_scaled)
    coef = np.r_[a, b_scaled / scale]
    resid = y - np.hstack([base, media]) @ coef
    return coef, float(resid @ resid)


def fit_incrementality(
    daily: pd.DataFrame,
    engagement: pd.DataFrame,
    *,
    date_col: str = "date",
    unit_col: str = "kol_id",
    platform_col: str | None = None,
    conversions_col: str = "conversions",
    revenue_col: str | None = "revenue",
    weights: Mapping[str, float] | None = None,
    decay: float | None = None,
    decay_grid: Sequence[float] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    n_boot: int = 200,
    block_days: int = 7,
    ci: float = 0.9,
    seed: int = 0,
) -> IncrementalityFit:
    """Fit the adstocked engagement regression and report incremental outcomes per unit.

    Args:
        daily: one row per day (per platform when ``platform_col``) with ``conversions_col``
            and optionally ``revenue_col``; days absent from it are not fitted but adstock still
            runs through them.
        engagement: long table ``date_col``, ``unit_col``, and some of ``reads, likes, saves,
            comments, shares`` (shared by all platforms).
        weights: engagement metric weights (default :data:`DEFAULT_ENGAGEMENT_WEIGHTS`).
        decay: fixed adstock decay in [0, 1); ``None`` picks the best of ``decay_grid``.
        n_boot, block_days, ci, seed: moving-block bootstrap settings (``n_boot = 0`` skips it).

    Returns:
        :class:`IncrementalityFit` (formulas and assumptions in the module docstring).
    """
    for c in (date_col, conversions_col):
        if c not in daily.columns:
            raise ValueError(f"daily is missing column {c!r}")
    if platform_col is not None and platform_col not in daily.columns:
        raise ValueError(f"daily is missing platform column {platform_col!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci}")
    if block_days < 1:
        raise ValueError(f"block_days must be >= 1, got {block_days}")
    has_rev = revenue_col is not None and revenue_col in daily.columns
    eng = engagement_index(engagement, weights, date_col=date_col, unit_col=unit_col)
    d = daily.copy()
    for c in [conversions_col] + ([revenue_col] if has_rev else []):
        vals = pd.to_numeric(d[c], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(vals)):
            raise ValueError(f"daily column {c!r} has missing, non-numeric or infinite values")
        d[c] = vals
    d[date_col] = pd.to_datetime(d[date_col]).dt.normalize()
    units = sorted(eng[unit_col].unique().tolist())
    if len(d) == 0:
        return IncrementalityFit(_empty_table(platform_col, unit_col, has_rev), {}, {})
    start = min(d[date_col].min(), eng[date_col].min()) if len(eng) else d[date_col].min()
    calendar = pd.date_range(start, d[date_col].max(), freq="D")
    E = (
        (
            eng.pivot_table(index=date_col, columns=unit_col, values="engagement_index", aggfunc="sum")
            .reindex(index=calendar, columns=units)
            .fillna(0.0)
            .to_numpy()
        )
        if units
        else np.zeros((len(calendar), 0))
    )
    rng = np.random.default_rng(seed)
    platforms = [None] if platform_col is None else sorted(d[platform_col].astype(str).unique().tolist())
    tables = []
    decays: dict[str, float] = {}
    sse_tab: dict[str, dict[float, float]] = {}
    for plat in platforms:
        dp = d if plat is None else d[d[platform_col].astype(str) == plat]
        cols = [conversions_col] + ([revenue_col] if has_rev else [])
        dp = dp.groupby(date_col)[cols].sum()
        days = pd.DatetimeIndex(dp.index)
        pos = calendar.get_indexer(days)
        base, _ = design_matrix(days)
        y_conv = dp[conversions_col].to_numpy(dtype=float)
        grid = [decay] if decay is not None else list(decay_grid)
        sse = {}
        for lam in grid:
            _, sse[float(lam)] = _fit(base, geometric_adstock(E, lam)[pos], y_conv)
        lam = min(sse, key=sse.get)
        key = "all" if plat is None else plat
        decays[key], sse_tab[key] = lam, sse
        media = geometric_adstock(E, lam)[pos]
        outcomes = {"conversions": y_conv}
        if has_rev:
            outcomes["revenue"] = dp[revenue_col].to_numpy(dtype=float)
        res = {"unit": units + [BASELINE]}
        T = len(days)
        boot_idx = _block_indices(T, block_days, n_boot, rng) if n_boot > 0 else []
        for name, y in outcomes.items():
            coef, _ = _fit(base, media, y)
            nb = base.shape[1]
            beta = coef[nb:]
            incr = beta * media.sum(axis=0)
            base_total = float((base @ coef[:nb]).sum())
            res[f"incremental_{name}"] = np.r_[incr, base_total]
            res[f"beta_{name}"] = np.r_[beta, np.nan]
            if boot_idx:
                draws = np.empty((len(boot_idx), len(units) + 1))
                for b, ix in enumerate(boot_idx):
                    cb, _ = _fit(base[ix], media[ix], y[ix])
                    draws[b] = np.r_[cb[nb:] * media.sum(axis=0), (base @ cb[:nb]).sum()]
                lo, hi = np.quantile(draws, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
            else:
                lo = hi = np.full(len(units) + 1, np.nan)
            res[f"incremental_{name}_lo"] = lo
            res[f"incremental_{name}_hi"] = hi
        t = pd.DataFrame(res).rename(columns={"unit": unit_col})
        t["decay"] = lam
        if platform_col is not None:
            t.insert(0, platform_col, plat)
        tables.append(t)
    return IncrementalityFit(pd.concat(tables, ignore_index=True), decays, sse_tab)


def _block_indices(T: int, block: int, n_boot: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Moving-block bootstrap row indices: ceil(T/block) random blocks, truncated to T."""
    block = min(block, T)
    n_blocks = -(-T // block)
    out = []
    for _ in range(n_boot):
        starts = rng.integers(0, T - block + 1, n_blocks)
        out.append((starts[:, None] + np.arange(block)[None, :]).ravel()[:T])
    return out


def _empty_table(platform_col: str | None, unit_col: str, has_rev: bool) -> pd.DataFrame:
    cols = ([platform_col] if platform_col else []) + [unit_col]
    for name in ["conversions"] + (["revenue"] if has_rev else []):
        cols += [f"incremental_{name}", f"beta_{name}", f"incremental_{name}_lo", f"incremental_{name}_hi"]
    return pd.DataFrame({c: [] for c in cols + ["decay"]})
