"""Input validation, path encoding and result assembly shared by the attribution models."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

BASELINE = "(baseline)"
"""Channel id of non-incremental (no-KOL) credit."""

OTHER = "(other)"
"""Channel id of the pooled path made of rare paths (see ``apply_min_support``)."""

REQUIRED_COLUMNS = ("path", "conversions", "non_conversions")
PER_PATH_COLUMNS = ["path_index", "channel", "share", "conversions"]


def validate_paths(paths: pd.DataFrame) -> pd.DataFrame:
    """Check a path summary and return a normalised copy.

    The copy has ``path`` as a Python ``list[str]`` per row and float ``conversions``,
    ``non_conversions`` (and ``revenue`` if present). The index is kept (it becomes
    ``path_index`` in per-path output).

    Raises:
        ValueError: not a DataFrame, a required column missing, a path that is not a
            list/tuple/array of strings, or a count that is negative, missing or infinite.
    """
    if not isinstance(paths, pd.DataFrame):
        raise ValueError(f"paths must be a pandas DataFrame, got {type(paths).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in paths.columns]
    if missing:
        raise ValueError(
            f"path summary is missing column(s) {missing}; required: {list(REQUIRED_COLUMNS)}"
            " (optional: 'revenue')"
        )
    out = paths.copy()
    raw = out["path"].tolist()
    clean: list[list[str]] = [
        p if type(p) is list else _as_list(p, label) for p, label in zip(raw, out.index, strict=True)
    ]
    flat_types = set(map(type, itertools.chain.from_iterable(clean)))
    if not flat_types <= {str}:
        for label, p in zip(out.index, clean, strict=True):
            for item in p:
                if not isinstance(item, str):
                    raise ValueError(
                        f"path at index {label!r} holds a non-string channel id {item!r} "
                        f"({type(item).__name__}); cast channel ids to str"
                    )
    out["path"] = pd.Series(clean, index=out.index, dtype=object)
    numeric = ["conversions", "non_conversions"] + (["revenue"] if "revenue" in out.columns else [])
    for col in numeric:
        try:
            values = pd.to_numeric(out[col], errors="raise").astype(float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"column {col!r} must be numeric: {exc}") from exc
        arr = values.to_numpy()
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"column {col!r} has missing or infinite values")
        if col != "revenue" and np.any(arr < 0):
            bad = out.index[arr < 0][0]
            raise ValueError(f"column {col!r} must be >= 0; index {bad!r} has {arr[arr < 0][0]}")
        out[col] = values
    return out


def _as_list(p: object, label: object) -> list[str]:
    """Accept a tuple / array path as a list; anything else (including a str) is an error."""
    if isinstance(p, str) or not isinstance(p, (list, tuple, np.ndarray)):
        raise ValueError(
            f"path at index {label!r} must be a list of channel id strings, got "
            f"{type(p).__name__} {p!r}; split delimited strings into lists first"
        )
    return list(p)


def has_revenue(paths: pd.DataFrame) -> bool:
    """True when the path summary carries a ``revenue`` column."""
    return "revenue" in paths.columns


def encode_paths(path_lists: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Flatten paths into integer channel codes.

    Returns ``(codes, row_of_token, lengths, channels)``: ``codes[t]`` is the channel code of
    token ``t`` (tokens of row 0 first, in path order), ``row_of_token[t]`` its row position,
    ``lengths[i]`` the path length of row ``i`` and ``channels[code]`` the channel id.
    """
    lengths = np.fromiter(map(len, path_lists), dtype=np.int64, count=len(path_lists))
    flat = list(itertools.chain.from_iterable(path_lists))
    if flat:
        codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
        channels = [str(u) for u in uniques]
    else:
        codes, channels = np.zeros(0, dtype=np.int64), []
    rows = np.repeat(np.arange(len(path_lists), dtype=np.int64), lengths)
    return np.asarray(codes, dtype=np.int64), rows, lengths, channels


def distinct_in_order(path: Sequence[str]) -> list[str]:
    """Distinct channels of a path in first-seen order."""
    return list(dict.fromkeys(path))


def totals_from_per_path(
    per_path: pd.DataFrame, revenue: bool, extra: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Sum per-path credit to one row per channel (``(baseline)`` last) and join ``extra``."""
    cols = ["conversions"] + (["revenue"] if revenue else [])
    if per_path.empty:
        out = empty_totals(revenue, [] if extra is None else [c for c in extra.columns if c != "channel"])
        return out
    grouped = per_path.groupby("channel", sort=False)[cols].sum().reset_index()
    order = grouped["channel"].eq(BASELINE).astype(int)
    grouped = grouped.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    if extra is not None:
        grouped = grouped.merge(extra, on="channel", how="left")
    return grouped


def empty_totals(revenue: bool, extra_columns: Sequence[str] = ()) -> pd.DataFrame:
    """Empty channel-level result with the documented columns."""
    cols: dict[str, pd.Series] = {
        "channel": pd.Series([], dtype=object),
        "conversions": pd.Series([], dtype=float),
    }
    if revenue:
        cols["revenue"] = pd.Series([], dtype=float)
    for c in extra_columns:
        cols[c] = pd.Series([], dtype=float)
    return pd.DataFrame(cols)


def empty_per_path(revenue: bool) -> pd.DataFrame:
    """Empty per-path result with the documented columns."""
    cols: dict[str, pd.Series] = {
        "path_index": pd.Series([], dtype=object),
        "channel": pd.Series([], dtype=object),
        "share": pd.Series([], dtype=float),
        "conversions": pd.Series([], dtype=float),
    }
    if revenue:
        cols["revenue"] = pd.Series([], dtype=float)
    return pd.DataFrame(cols)


def build_per_path(
    paths: pd.DataFrame,
    row_pos: np.ndarray,
    channel: Sequence[str] | np.ndarray,
    share: np.ndarray,
) -> pd.DataFrame:
    """Assemble per-path rows from parallel arrays (row position, channel, share).

    ``conversions`` and ``revenue`` of each row are the path's totals times ``share``.
    Rows with the same (path, channel) are summed.
    """
    revenue = has_revenue(paths)
    if not paths.index.is_unique:
        raise ValueError("per-path output needs a unique index on the path summary (it becomes path_index)")
    if len(row_pos) == 0:
        return empty_per_path(revenue)
    row_pos = np.asarray(row_pos, dtype=np.int64)
    df = pd.DataFrame(
        {
            "_pos": row_pos,
            "channel": pd.Series(np.asarray(channel, dtype=object), dtype=object),
            "share": np.asarray(share, dtype=float),
        }
    )
    df = df.groupby(["_pos", "channel"], sort=False, as_index=False)["share"].sum()
    pos = df["_pos"].to_numpy()
    df["conversions"] = df["share"].to_numpy() * paths["conversions"].to_numpy()[pos]
    if revenue:
        df["revenue"] = df["share"].to_numpy() * paths["revenue"].to_numpy()[pos]
    df.insert(0, "path_index", paths.index.to_numpy()[pos])
    df = df.sort_values("_pos", kind="stable").drop(columns="_pos").reset_index(drop=True)
    return df


def shapley_weights(k: int) -> np.ndarray:
    """Shapley weights w(s) = s! (k - s - 1)! / k! for coalition sizes s = 0..k-1."""
    return np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)])


def per_path_rows(paths: pd.DataFrame, per_path: bool | str) -> np.ndarray:
    """Positions of the rows that get per-path shares: all rows, or with ``per_path='converting'``
    only rows with conversions > 0 (the only ones a caller splitting conversions needs)."""
    if per_path == "converting":
        return np.flatnonzero(paths["conversions"].to_numpy() > 0)
    if isinstance(per_path, bool):
        return np.arange(len(paths), dtype=np.int64)
    raise ValueError(f"per_path must be True, False or 'converting', got {per_path!r}")
