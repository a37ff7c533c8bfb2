"""Fractribution-style counterfactual (leave-one-out) attribution.

Source: Google fractribution (2020), ``fractribution.py``: ``_get_conversion_probability`` and
``_get_counterfactual_marginal_contributions``.

For a (transformed) path ``t = (t_1, ..., t_L)`` with empirical conversion probability
``P(t) = conversions / (conversions + non_conversions)`` summed over all rows with the same
transformed path, the marginal contribution of the touch at position ``i`` is

    m_i = max(P(t) - P(t without position i), 0)

and the path's channel shares are ``m_i / sum_j m_j`` (a channel at several positions gets the
sum). The default transform is fractribution's default, ``'exposure'``.

Baseline (an addition to fractribution). With a base rate ``b`` (``base_rate=`` or, when the
input has empty paths with enough support, their conversion rate ``P(())``), a share
``beta = min(b, P(t)) / P(t)`` of each conversion is the non-incremental ``(baseline)`` credit
and the channel shares are scaled by ``1 - beta``. Without a base rate ``beta = 0`` (pure
fractribution).

Fallbacks (documented choices):
* Single-touch path: the channel gets all non-baseline credit (``1 - beta``), as in
  fractribution (its counterfactual is the empty path, whose rate is the base rate).
* Unseen counterfactual path (not in the data, or support below ``min_support``):
  ``unseen='zero'`` (default, fractribution) uses ``P = 0``, i.e. full contribution ``P(t)``;
  ``unseen='base_rate'`` uses ``b`` (0 when no base rate).
* All ``m_i = 0`` (e.g. non-converting path, or every counterfactual converts at least as
  well): linear over the touches of the path.
* The path itself below ``min_support`` persons: its rate is the pooled rate of all such rare
  paths (the ``(other)`` pool of :func:`~kol_attr.attribution.transforms.apply_min_support`)
  and its non-baseline credit is linear over its touches.
* Empty path: ``(baseline)`` share 1.

Per-path output (``per_path=True``): ``path_index``, ``channel``, ``share``, ``conversions``,
``revenue``; shares sum to 1 per input row.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ._common import (
    BASELINE,
    build_per_path,
    empty_per_path,
    empty_totals,
    has_revenue,
    per_path_rows,
    totals_from_per_path,
    validate_paths,
)
from .transforms import TRANSFORMS, transform_path

__all__ = ["counterfactual"]


def counterfactual(
    paths: pd.DataFrame,
    *,
    per_path: bool | str = False,
    transform: str | None = "exposure",
    min_support: float = 0.0,
    base_rate: float | None = None,
    unseen: Literal["zero", "base_rate"] = "zero",
) -> pd.DataFrame:
    """Leave-one-out counterfactual gain attribution (formulas and fallbacks in the module docstring).

    Args:
        paths: path summary (``path``, ``conversions``, ``non_conversions``, optional ``revenue``).
        per_path: return per-path shares instead of channel totals (``'converting'``: only for
            rows with conversions > 0).
        transform: path transform applied before estimating ``P(path)`` (default ``'exposure'``).
        min_support: paths (after transform) with fewer persons are not estimated on their own.
        base_rate: no-touch conversion probability; default: rate of empty paths if present.
        unseen: probability used for an unseen counterfactual path: ``'zero'`` or ``'base_rate'``.

    Returns:
        Channel totals ``channel``, ``conversions``, ``revenue`` (if given), ``share`` (of all
        conversions), with a ``(baseline)`` row when a base rate exists; or per-path rows.
    """
    if unseen not in ("zero", "base_rate"):
        raise ValueError(f"unseen={unseen!r}; allowed: 'zero', 'base_rate'")
    if transform is not None and transform not in TRANSFORMS:
        raise ValueError(f"unknown path transform {transform!r}; allowed: {list(TRANSFORMS)} or None")
    if base_rate is not None and not 0.0 <= base_rate <= 1.0:
        raise ValueError(f"base_rate must be in [0, 1], got {base_rate}")
    df = validate_paths(paths)
    revenue = has_revenue(df)
    if len(df) == 0:
        return empty_per_path(revenue) if per_path else empty_totals(revenue, ["share"])
    keys: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
    for p in df["path"]:
        t, counts = transform_path(p, transform)
        keys.append((tuple(t), tuple(counts) if counts is not None else ()))
    y = df["conversions"].to_numpy()
    w = y + df["non_conversions"].to_numpy()
    stats: dict[tuple, list[float]] = {}
    for k, yi, wi in zip(keys, y, w, strict=True):
        s = stats.setdefault(k, [0.0, 0.0])
        s[0] += yi
        s[1] += wi
    threshold = max(min_support, np.finfo(float).tiny)
    prob = {k: s[0] / s[1] for k, s in stats.items() if s[1] >= threshold}
    rare = [s for k, s in stats.items() if k not in prob]
    rare_w = sum(s[1] for s in rare)
    pooled = sum(s[0] for s in rare) / rare_w if rare_w > 0 else 0.0
    b = base_rate if base_rate is not None else prob.get(((), ()))
    cf_fallback = (b or 0.0) if unseen == "base_rate" else 0.0

    cache: dict[tuple, tuple[list[str], list[float]]] = {}
    pos: list[int] = []
    chans: list[str] = []
    shares: list[float] = []
    for i in per_path_rows(df, per_path).tolist():
        key = keys[i]
        if key not in cache:
            cache[key] = _path_shares(key, prob, pooled, b, cf_fallback)
        c, s = cache[key]
        pos.extend([i] * len(c))
        chans.extend(c)
        shares.extend(s)
    pp = build_per_path(df, np.array(pos, dtype=np.int64), chans, np.array(shares))
    pp = pp[~((pp["channel"] == BASELINE) & (pp["share"] == 0.0))].reset_index(drop=True)
    if per_path:
        return pp
    out = totals_from_per_path(pp, revenue)
    tot = df["conversions"].sum()
    out["share"] = out["conversions"] / tot if tot > 0 else 0.0
    return out


def _path_shares(
    key: tuple[tuple[str, ...], tuple[int, ...]],
    prob: dict[tuple, float],
    pooled: float,
    b: float | None,
    cf_fallback: float,
) -> tuple[list[str], list[float]]:
    """Channel list (one entry per position, plus ``(baseline)``) and shares for one path key."""
    t, counts = key
    if not t:
        return [BASELINE], [1.0]
    seen = key in prob
    p_t = prob[key] if seen else pooled
    beta = min(b, p_t) / p_t if (b is not None and p_t > 0) else 0.0
    n = len(t)
    if not seen or n == 1 or p_t <= 0:
        m = np.ones(n)
    else:
        m = np.empty(n)
        for i in range(n):
            cf = (t[:i] + t[i + 1 :], counts[:i] + counts[i + 1 :] if counts else ())
            m[i] = max(p_t - prob.get(cf, cf_fallback), 0.0)
        if m.sum() <= 0:
            m = np.ones(n)
    sh = (1.0 - beta) * m / m.sum()
    return [*t, BASELINE], [*sh.tolist(), beta]
