"""Path transforms and minimum support, shared by all attribution models.

Transforms (after fractribution, Google 2020, ``tuple_transforms``), for the example path
``(D, A, B, B, C, D, C, C)``:

* ``'identity'`` (or ``None``): the path as given. Fractribution calls this transform
  ``unique``; here ``unique`` has the meaning the kol_attr issue gives it (below).
* ``'unique'``: distinct channels in first-seen order: ``(D, A, B, C)``. Same output as
  ``'first'``; kept as a name because the rest of the project uses it.
* ``'exposure'``: collapse consecutive repeats: ``(D, A, B, C, D, C)`` (fractribution's default).
* ``'first'``: keep the first occurrence of each channel: ``(D, A, B, C)``.
* ``'frequency'``: remove repeats but keep a count: fractribution writes
  ``(D(2), A(1), B(2), C(3))``. To keep channel ids joinable to KOLs, here the path becomes
  ``(D, A, B, C)`` and a column ``touch_counts`` holds ``[2, 1, 2, 3]``. Models that group
  identical paths (``counterfactual``) treat two paths as identical only when both the
  channels and the counts agree, as fractribution does.

Minimum support: a path seen by fewer than ``min_persons`` persons
(``conversions + non_conversions``) is either pooled into one row whose path is
``['(other)']`` (``how='pool'``) or dropped (``how='drop'``); :func:`apply_min_support`
returns what was pooled or dropped so the caller can report it. The models' own
``min_support`` argument never drops credit: it only keeps rare paths out of estimation and
credits them by the documented fallback of each model.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from ._common import OTHER, validate_paths

TransformName = Literal["identity", "unique", "exposure", "first", "frequency"]
TRANSFORMS = ("identity", "unique", "exposure", "first", "frequency")


def transform_path(path: list[str], how: str | None) -> tuple[list[str], list[int] | None]:
    """Transform one path; returns ``(path, touch_counts)`` (counts only for ``'frequency'``)."""
    if how is None or how == "identity":
        return list(path), None
    if how in ("unique", "first"):
        return list(dict.fromkeys(path)), None
    if how == "exposure":
        out: list[str] = []
        for c in path:
            if not out or out[-1] != c:
                out.append(c)
        return out, None
    if how == "frequency":
        counts: dict[str, int] = {}
        for c in path:
            counts[c] = counts.get(c, 0) + 1
        return list(counts), list(counts.values())
    raise ValueError(f"unknown path transform {how!r}; allowed: {list(TRANSFORMS)} or None")


def transform_paths(
    paths: pd.DataFrame, how: str | None = "exposure", aggregate: bool = False
) -> pd.DataFrame:
    """Apply a path transform (see module docstring) to every row of a path summary.

    Args:
        paths: path summary (``path``, ``conversions``, ``non_conversions``, optional ``revenue``).
        how: ``'identity'``/``None``, ``'unique'``, ``'exposure'``, ``'first'`` or ``'frequency'``.
        aggregate: when True, rows whose transformed path (and ``touch_counts``) are equal are
            summed into one row and the index is reset (columns other than ``path``, the counts,
            ``revenue`` and ``touch_counts`` are dropped); otherwise one row per input row, index
            and all columns kept.

    Returns:
        A copy with ``path`` transformed (plus ``touch_counts`` for ``'frequency'``).
    """
    if how is not None and how not in TRANSFORMS:
        raise ValueError(f"unknown path transform {how!r}; allowed: {list(TRANSFORMS)} or None")
    df = validate_paths(paths)
    results = [transform_path(p, how) for p in df["path"]]
    df["path"] = pd.Series([r[0] for r in results], index=df.index, dtype=object)
    if how == "frequency":
        df["touch_counts"] = pd.Series([r[1] for r in results], index=df.index, dtype=object)
    if aggregate:
        key = df["path"].map(tuple)
        if how == "frequency":
            key = key + df["touch_counts"].map(tuple)
        sums = [c for c in ("conversions", "non_conversions", "revenue") if c in df.columns]
        df = df.assign(_key=key.map(repr))
        agg = df.groupby("_key", sort=False).agg(
            {
                "path": "first",
                **({"touch_counts": "first"} if how == "frequency" else {}),
                **dict.fromkeys(sums, "sum"),
            }
        )
        df = agg.reset_index(drop=True)
    return df


def apply_min_support(
    paths: pd.DataFrame, min_persons: float, how: Literal["pool", "drop"] = "pool"
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Pool or drop paths seen by fewer than ``min_persons`` persons.

    Support of a row is ``conversions + non_conversions`` (identical paths are summed first).

    Args:
        paths: path summary.
        min_persons: rows with support strictly below this are rare.
        how: ``'pool'`` sums all rare rows into one row with path ``['(other)']``;
            ``'drop'`` removes them.

    Returns:
        ``(frame, report)`` where ``report`` has ``rows``, ``persons``, ``conversions`` and
        ``revenue`` (0 when absent) of the rare paths.
    """
    if how not in ("pool", "drop"):
        raise ValueError(f"min support how={how!r}; allowed: 'pool', 'drop'")
    df = transform_paths(paths, None, aggregate=True)
    support = df["conversions"] + df["non_conversions"]
    rare = support < min_persons
    report = {
        "rows": float(rare.sum()),
        "persons": float(support[rare].sum()),
        "conversions": float(df.loc[rare, "conversions"].sum()),
        "revenue": float(df.loc[rare, "revenue"].sum()) if "revenue" in df.columns else 0.0,
    }
    kept = df.loc[~rare].reset_index(drop=True)
    if how == "pool" and rare.any():
        pooled = {
            c: [df.loc[rare, c].sum()] for c in ("conversions", "non_conversions", "revenue") if c in df
        }
        pooled_df = pd.DataFrame({"path": pd.Series([[OTHER]], dtype=object), **pooled})
        kept = pd.concat([kept, pooled_df], ignore_index=True)
    return kept, report
