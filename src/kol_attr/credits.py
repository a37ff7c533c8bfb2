"""Touch-level credit rows from the data-driven path models, for the dbt Python models.

The dbt models ``int_credits_markov``, ``int_credits_shapley`` and ``int_credits_counterfactual``
only fetch two relations and call :func:`data_driven_credits`; everything else is here, where
pytest reaches it.

Inputs
------
``conversion_paths`` has the columns of ``int_conversion_paths``: one row per attributable
conversion x KOL-matched touch within the longest window (``touch_age_days``, ``recency_rank``
1 = latest), plus one row with ``touchpoint_id`` null for a conversion with no touch at all.
``nonconversion_paths`` has the columns of ``int_nonconversion_paths``: one row per person who
never converted x touch, ``touch_age_days`` measured back from the person's last touch.

Method, for each window ``w``
----------------------------
1. A conversion's path is the KOL ids of its touches with ``touch_age_days <= w``, oldest first;
   a non-converter's path is the KOL ids of its touches within ``w`` days of its last touch.
2. Identical paths are counted into one path summary (``conversions``, ``non_conversions``;
   for Shapley also the strongest interaction weight on the path, a control of the value model).
   Conversions with no touch in the window are left out of the summary: no export observes the
   persons who were never touched and did not buy, so the empty path has no honest conversion rate.
3. The model (:mod:`kol_attr.attribution`) returns per-path channel shares summing to 1, the
   ``(baseline)`` share (non-incremental demand, where the model has one) included.
4. A conversion's credit goes to the KOLs on its own path in proportion to their share, split
   equally among that KOL's touches in the window; the baseline share goes to the conversion's
   unattributed row (``touchpoint_id`` null, ``is_unattributed`` true). A conversion with no touch
   in the window gets one unattributed row with credit 1. Credit therefore sums to 1 per
   conversion x model x window, and attributed revenue to the conversion's net revenue.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .attribution import BASELINE, counterfactual, markov, shapley

CREDIT_COLUMNS: list[str] = [
    "conversion_id",
    "touchpoint_id",
    "person_id",
    "kol_id",
    "note_id",
    "campaign_id",
    "order_platform",
    "touch_signal",
    "interaction_type",
    "attribution_model",
    "window_days",
    "touch_position",
    "path_length",
    "credit",
    "attributed_revenue_cny",
    "is_unattributed",
    "touched_at",
    "converted_at",
]

CONVERSION_PATH_COLUMNS = (
    "conversion_id",
    "touchpoint_id",
    "person_id",
    "kol_id",
    "note_id",
    "campaign_id",
    "order_platform",
    "touch_signal",
    "interaction_type",
    "revenue_cny",
    "interaction_weight",
    "touch_age_days",
    "recency_rank",
    "touched_at",
    "converted_at",
)
NONCONVERSION_PATH_COLUMNS = ("person_id", "kol_id", "touch_age_days", "recency_rank")

PathModel = Callable[[pd.DataFrame], pd.DataFrame]


def _markov(summary: pd.DataFrame, order: int = 1, transform: str | None = "exposure") -> pd.DataFrame:
    return markov(
        summary.drop(columns=["max_interaction_weight"]), order=order, per_path=True, transform=transform
    )


def _shapley(summary: pd.DataFrame, l2: float = 1.0, max_channels: int = 12) -> pd.DataFrame:
    return shapley(
        summary,
        per_path=True,
        l2=l2,
        max_channels=max_channels,
        control_columns=["max_interaction_weight"],
    )


def _counterfactual(summary: pd.DataFrame, transform: str | None = "exposure") -> pd.DataFrame:
    return counterfactual(
        summary.drop(columns=["max_interaction_weight"]), per_path=True, transform=transform
    )


MODELS: dict[str, Callable[..., pd.DataFrame]] = {
    "markov": _markov,
    "shapley": _shapley,
    "counterfactual": _counterfactual,
}


def parse_windows(windows: Any) -> list[int]:
    """Windows as a sorted list of positive ints, from a list or its text (dbt renders config as text)."""
    if isinstance(windows, str):
        try:
            windows = ast.literal_eval(windows)
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"windows_days {windows!r} is not a list of integers") from exc
    if isinstance(windows, (int, np.integer)):
        windows = [windows]
    if not isinstance(windows, Iterable) or isinstance(windows, (str, bytes)):
        raise ValueError(f"windows_days {windows!r} is not a list of integers")
    out = []
    for w in windows:
        if isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w <= 0:
            raise ValueError(f"windows_days: {w!r} is not a positive whole number of days")
        out.append(int(w))
    if not out or len(set(out)) != len(out):
        raise ValueError(f"windows_days {windows!r} must be a non-empty list without repeats")
    return sorted(out)


def relation_to_pandas(relation: Any) -> pd.DataFrame:
    """A dbt Python model's ``dbt.ref(...)`` as pandas: DuckDB relation, Spark DataFrame or pandas."""
    if isinstance(relation, pd.DataFrame):
        return relation
    if hasattr(relation, "df") and callable(relation.df):  # duckdb.DuckDBPyRelation
        return relation.df()
    if hasattr(relation, "toPandas"):  # pyspark.sql.DataFrame
        return relation.toPandas()
    raise TypeError(f"cannot turn {type(relation).__name__} into a pandas DataFrame")


def _check_columns(df: pd.DataFrame, required: Sequence[str], name: str) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} lacks column(s) {missing}; it must have the columns of the dbt model {name}"
        )


def _paths_by_key(touches: pd.DataFrame, key: str) -> pd.Series:
    """Ordered KOL paths (oldest touch first) per ``key`` value, as tuples."""
    ordered = touches.sort_values([key, "recency_rank"], ascending=[True, False], kind="mergesort")
    return ordered.groupby(key, sort=True)["kol_id"].agg(tuple)


def _summary(
    conv_paths: pd.Series, conv_strength: pd.Series, non_paths: pd.Series, non_strength: pd.Series
) -> tuple[pd.DataFrame, pd.Series]:
    """Path summary of identical (path, strongest interaction weight) pairs; each conversion's row in it."""
    counts: dict[tuple[tuple[str, ...], float], list[float]] = {}
    strengths = conv_strength.reindex(conv_paths.index).fillna(0.0).astype(float)
    conv_keys = list(zip(conv_paths.tolist(), strengths, strict=True))
    for key in conv_keys:
        counts.setdefault(key, [0.0, 0.0])[0] += 1.0
    non_weights = non_strength.reindex(non_paths.index).fillna(0.0).astype(float)
    for key in zip(non_paths.tolist(), non_weights, strict=True):
        counts.setdefault(key, [0.0, 0.0])[1] += 1.0
    keys = sorted(counts)
    row = {key: i for i, key in enumerate(keys)}
    summary = pd.DataFrame(
        {
            "path": [list(k[0]) for k in keys],
            "conversions": [counts[k][0] for k in keys],
            "non_conversions": [counts[k][1] for k in keys],
            "max_interaction_weight": [k[1] for k in keys],
        }
    )
    row_of_conversion = pd.Series([row[k] for k in conv_keys], index=conv_paths.index)
    return summary, row_of_conversion


def _empty_credits() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in CREDIT_COLUMNS})


def credits_for_window(
    model_name: str,
    conversion_paths: pd.DataFrame,
    nonconversion_paths: pd.DataFrame,
    window_days: int,
    **model_options: Any,
) -> pd.DataFrame:
    """Credit rows of one data-driven model for one window (see the module docstring)."""
    if model_name not in MODELS:
        raise ValueError(f"unknown data-driven model {model_name!r}; allowed: {sorted(MODELS)}")
    conversions = conversion_paths.drop_duplicates("conversion_id")[
        ["conversion_id", "person_id", "order_platform", "revenue_cny", "converted_at"]
    ].set_index("conversion_id")
    touches = conversion_paths[
        conversion_paths["touchpoint_id"].notna() & (conversion_paths["touch_age_days"] <= window_days)
    ]
    non = nonconversion_paths[nonconversion_paths["touch_age_days"] <= window_days]
    path_length = touches.groupby("conversion_id").size()

    pieces: list[pd.DataFrame] = []
    shares_by_touch = pd.DataFrame()
    baseline_share = pd.Series(dtype=float)
    if len(touches):
        conv_paths = _paths_by_key(touches, "conversion_id")
        conv_strength = touches.groupby("conversion_id")["interaction_weight"].max()
        if len(non):
            non_paths = _paths_by_key(non, "person_id")
            non_strength = (
                non.groupby("person_id")["interaction_weight"].max()
                if "interaction_weight" in non.columns
                else pd.Series(0.0, index=non_paths.index)
            )
        else:
            non_paths = pd.Series(dtype=object)
            non_strength = pd.Series(dtype=float)
        summary, row_of_conversion = _summary(conv_paths, conv_strength, non_paths, non_strength)
        per_path = MODELS[model_name](summary, **model_options)
        per_path = per_path[per_path["share"] > 0]
        conv_rows = pd.DataFrame(
            {"conversion_id": row_of_conversion.index, "path_index": row_of_conversion.to_numpy()}
        )
        channel_share = conv_rows.merge(per_path[["path_index", "channel", "share"]], on="path_index")
        baseline_share = channel_share[channel_share["channel"] == BASELINE].set_index("conversion_id")[
            "share"
        ]
        kol_share = channel_share[channel_share["channel"] != BASELINE].rename(columns={"channel": "kol_id"})
        touch_counts = touches.groupby(["conversion_id", "kol_id"]).size().rename("kol_touches").reset_index()
        shares_by_touch = touches.merge(
            kol_share[["conversion_id", "kol_id", "share"]], on=["conversion_id", "kol_id"]
        )
        shares_by_touch = shares_by_touch.merge(touch_counts, on=["conversion_id", "kol_id"])
        shares_by_touch["credit"] = shares_by_touch["share"] / shares_by_touch["kol_touches"]
        shares_by_touch["path_length"] = shares_by_touch["conversion_id"].map(path_length)
        shares_by_touch["touch_position"] = (
            shares_by_touch["path_length"] - shares_by_touch["recency_rank"] + 1
        )
        shares_by_touch["is_unattributed"] = False
        pieces.append(shares_by_touch)

    # one unattributed row per conversion: the baseline share, or 1 when nothing touched it in the window
    unattributed = conversions.copy()
    unattributed["credit"] = 1.0
    touched = unattributed.index.isin(path_length.index)
    unattributed.loc[touched, "credit"] = (
        baseline_share.reindex(unattributed.index[touched]).fillna(0.0).to_numpy()
    )
    unattributed = unattributed[unattributed["credit"] > 0].reset_index()
    unattributed["path_length"] = unattributed["conversion_id"].map(path_length).fillna(0).astype(int)
    unattributed["is_unattributed"] = True
    for column in ("touchpoint_id", "kol_id", "note_id", "campaign_id", "touch_signal", "interaction_type"):
        unattributed[column] = None
    unattributed["touch_position"] = np.nan
    unattributed["touched_at"] = pd.NaT
    pieces.append(unattributed)

    credits = pd.concat(pieces, ignore_index=True) if pieces else _empty_credits()
    credits["attribution_model"] = model_name
    credits["window_days"] = int(window_days)
    credits["credit"] = credits["credit"].astype(float)
    credits["attributed_revenue_cny"] = credits["credit"] * credits["revenue_cny"].astype(float)
    return credits[CREDIT_COLUMNS]


def data_driven_credits(
    model_name: str,
    conversion_paths: pd.DataFrame,
    nonconversion_paths: pd.DataFrame,
    windows_days: Any,
    **model_options: Any,
) -> pd.DataFrame:
    """Credit rows of one data-driven model for every window, in ``fct_attribution_credits`` columns."""
    _check_columns(conversion_paths, CONVERSION_PATH_COLUMNS, "int_conversion_paths")
    _check_columns(nonconversion_paths, NONCONVERSION_PATH_COLUMNS, "int_nonconversion_paths")
    windows = parse_windows(windows_days)
    frames = [
        credits_for_window(model_name, conversion_paths, nonconversion_paths, w, **model_options)
        for w in windows
    ]
    out = pd.concat(frames, ignore_index=True) if frames else _empty_credits()
    out["touch_position"] = out["touch_position"].astype("Int64")
    out["path_length"] = out["path_length"].astype("Int64")
    out["window_days"] = out["window_days"].astype("int32")
    out["is_unattributed"] = out["is_unattributed"].astype(bool)
    return out.reset_index(drop=True)
