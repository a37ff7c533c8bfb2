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

CREDIT_EPSILON = 1e-12
"""A share or credit with ``|value| < CREDIT_EPSILON`` counts as exactly 0 (and so has no row).

The models' shares are sums and differences of floats; a share that is 0 in exact arithmetic comes
out as +-1e-17 or 0.0 depending on the order the engine handed the rows over, which decided whether
a long row was written (DuckDB and Spark kept different rows). Credits that small carry no money
(1e-12 of the largest demo order is far below one fen)."""


def _snap_to_zero(values: pd.Series) -> pd.Series:
    """``values`` with every ``|v| < CREDIT_EPSILON`` replaced by 0.0 (see :data:`CREDIT_EPSILON`)."""
    return values.where(values.abs() >= CREDIT_EPSILON, 0.0)


def _markov(summary: pd.DataFrame, order: int = 1, transform: str | None = "exposure") -> pd.DataFrame:
    return markov(
        summary.drop(columns=["max_interaction_weight"]),
        order=order,
        per_path="converting",
        transform=transform,
    )


def _shapley(summary: pd.DataFrame, l2: float = 1.0, max_channels: int = 12) -> pd.DataFrame:
    return shapley(
        summary,
        per_path="converting",
        l2=l2,
        max_channels=max_channels,
        control_columns=["max_interaction_weight"],
    )


def _counterfactual(summary: pd.DataFrame, transform: str | None = "exposure") -> pd.DataFrame:
    return counterfactual(
        summary.drop(columns=["max_interaction_weight"]), per_path="converting", transform=transform
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


def relation_to_pandas(relation: Any, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A dbt Python model's ``dbt.ref(...)`` as pandas: DuckDB relation, Spark DataFrame or pandas.

    ``columns``: only these columns cross into pandas (selected in the engine first), which keeps a
    Python model's memory to what it reads; a missing column is a clear error.
    """
    if columns is not None:
        available = list(relation.columns)
        missing = [c for c in columns if c not in available]
        if missing:
            raise ValueError(f"relation is missing column(s) {missing}; it has {available}")
        if isinstance(relation, pd.DataFrame):
            return relation[list(columns)]
        relation = relation.select(*columns)
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


PATH_KEY_SEPARATOR = "\x1f"
"""Joins the KOL ids of a path into its ``path_key`` (ASCII unit separator; SQL ``chr(31)``, see the
macro ``kol_attr.path_key_separator``). A KOL id containing it is refused (test on fct_touchpoints)."""

PATH_KEY_COLUMNS = ("conversion_id", "window_days", "path_key", "max_interaction_weight")
SUMMARY_COLUMNS = ("window_days", "path_key", "max_interaction_weight", "conversions", "non_conversions")


def _path_keys(touches: pd.DataFrame, key: str, window_days: int) -> pd.DataFrame:
    """One row per ``key`` value: its path (KOL ids, oldest touch first) joined into ``path_key``."""
    ordered = touches.sort_values([key, "recency_rank"], ascending=[True, False], kind="mergesort")
    grouped = ordered.groupby(key, sort=True)
    strength = (
        grouped["interaction_weight"].max()
        if "interaction_weight" in ordered.columns
        else pd.Series(0.0, index=grouped.size().index)
    )
    out = pd.DataFrame(
        {
            "path_key": grouped["kol_id"].agg(PATH_KEY_SEPARATOR.join),
            "max_interaction_weight": strength.astype(float).fillna(0.0),
        }
    ).reset_index()
    out.insert(1, "window_days", int(window_days))
    return out


def path_summaries(
    conversion_paths: pd.DataFrame, nonconversion_paths: pd.DataFrame, windows_days: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The path summaries of every window, in pandas: ``(conversion_path_keys, summaries)``.

    The same tables as the dbt models ``int_conversion_path_keys`` (conversion x window: the path's
    ``path_key`` and strongest interaction weight) and ``int_path_summaries`` (window x path_key x
    strength: ``conversions``, ``non_conversions``), which compute them in SQL at warehouse scale.
    Conversions with no touch in a window have no row (see the module docstring, step 2).
    """
    _check_columns(conversion_paths, CONVERSION_PATH_COLUMNS, "int_conversion_paths")
    _check_columns(nonconversion_paths, NONCONVERSION_PATH_COLUMNS, "int_nonconversion_paths")
    touches = conversion_paths[conversion_paths["touchpoint_id"].notna()]
    keys, non_keys = [], []
    for w in parse_windows(windows_days):
        keys.append(_path_keys(touches[touches["touch_age_days"] <= w], "conversion_id", w))
        non_keys.append(
            _path_keys(nonconversion_paths[nonconversion_paths["touch_age_days"] <= w], "person_id", w)
        )
    conversion_keys = pd.concat(keys, ignore_index=True)[list(PATH_KEY_COLUMNS)]
    non = pd.concat(non_keys, ignore_index=True)
    counted = pd.concat(
        [
            conversion_keys.assign(conversions=1.0, non_conversions=0.0),
            non.assign(conversions=0.0, non_conversions=1.0),
        ],
        ignore_index=True,
    )
    summaries = (
        counted.groupby(["window_days", "path_key", "max_interaction_weight"], sort=True)[
            ["conversions", "non_conversions"]
        ]
        .sum()
        .reset_index()
    )
    return conversion_keys, summaries[list(SUMMARY_COLUMNS)]


_CREDIT_DTYPES: dict[str, str] = {
    "window_days": "int32",
    "touch_position": "Int64",
    "path_length": "Int64",
    "credit": "float64",
    "attributed_revenue_cny": "float64",
    "is_unattributed": "bool",
    "touched_at": "datetime64[ns]",
    "converted_at": "datetime64[ns]",
}
"""Column types of a credit frame that pandas cannot infer from values (every other column is text)."""


def _empty_credits() -> pd.DataFrame:
    # typed, so an empty credit model writes the same column types as a full one (Spark's union in
    # fct_attribution_credits refuses a string is_unattributed next to a boolean one)
    return pd.DataFrame({c: pd.Series(dtype=_CREDIT_DTYPES.get(c, "object")) for c in CREDIT_COLUMNS})


def empty_credits() -> pd.DataFrame:
    """No credit rows, in the columns of ``fct_attribution_credits`` (a credit model that is switched off)."""
    return _empty_credits()


def config_flag(value: Any) -> bool:
    """A boolean dbt config value as rendered from a var: True / 'true' / 'True' / 1 are on."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", "none", ""):
        return False
    raise ValueError(f"not a boolean config value: {value!r}")


def credits_for_window(
    model_name: str,
    conversion_paths: pd.DataFrame,
    conversion_path_keys: pd.DataFrame,
    summaries: pd.DataFrame,
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
    path_length = touches.groupby("conversion_id").size()

    pieces: list[pd.DataFrame] = []
    baseline_share = pd.Series(dtype=float)
    if len(touches):
        summary = summaries[summaries["window_days"] == window_days].reset_index(drop=True)
        keys = conversion_path_keys[conversion_path_keys["window_days"] == window_days]
        model_input = pd.DataFrame(
            {
                "path": [key.split(PATH_KEY_SEPARATOR) for key in summary["path_key"]],
                "conversions": summary["conversions"].astype(float),
                "non_conversions": summary["non_conversions"].astype(float),
                "max_interaction_weight": summary["max_interaction_weight"].astype(float),
            }
        )
        per_path = MODELS[model_name](model_input, **model_options)
        per_path = per_path.assign(share=_snap_to_zero(per_path["share"].astype(float)))
        per_path = per_path[per_path["share"] > 0]
        path_rows = summary[["path_key", "max_interaction_weight"]].assign(path_index=np.arange(len(summary)))
        conv_rows = keys.merge(path_rows, on=["path_key", "max_interaction_weight"])[
            ["conversion_id", "path_index"]
        ]
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
    unattributed["credit"] = _snap_to_zero(unattributed["credit"].astype(float))
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


def credits_from_summaries(
    model_name: str,
    conversion_paths: pd.DataFrame,
    conversion_path_keys: pd.DataFrame,
    summaries: pd.DataFrame,
    windows_days: Any,
    **model_options: Any,
) -> pd.DataFrame:
    """Credit rows of one data-driven model for every window, from precomputed path summaries.

    The route of the dbt Python models: ``conversion_path_keys`` and ``summaries`` come from the SQL
    models ``int_conversion_path_keys`` and ``int_path_summaries`` (or from :func:`path_summaries`),
    so only distinct paths, not every non-converter's touches, reach Python.
    """
    _check_columns(conversion_paths, CONVERSION_PATH_COLUMNS, "int_conversion_paths")
    _check_columns(conversion_path_keys, PATH_KEY_COLUMNS, "int_conversion_path_keys")
    _check_columns(summaries, SUMMARY_COLUMNS, "int_path_summaries")
    windows = parse_windows(windows_days)
    # the engines hand rows over in different orders; a fixed order makes the models' float sums
    # (and so their shares, to the last bit) the same on DuckDB and Spark
    summaries = summaries.sort_values(list(SUMMARY_COLUMNS[:3]), kind="mergesort").reset_index(drop=True)
    frames = [
        credits_for_window(model_name, conversion_paths, conversion_path_keys, summaries, w, **model_options)
        for w in windows
    ]
    out = pd.concat(frames, ignore_index=True) if frames else _empty_credits()
    out["touch_position"] = out["touch_position"].astype("Int64")
    out["path_length"] = out["path_length"].astype("Int64")
    out["window_days"] = out["window_days"].astype("int32")
    out["is_unattributed"] = out["is_unattributed"].astype(bool)
    return out.reset_index(drop=True)


def data_driven_credits(
    model_name: str,
    conversion_paths: pd.DataFrame,
    nonconversion_paths: pd.DataFrame,
    windows_days: Any,
    **model_options: Any,
) -> pd.DataFrame:
    """Credit rows of one data-driven model for every window, in ``fct_attribution_credits`` columns.

    Without dbt: summarises the paths in pandas (:func:`path_summaries`), then
    :func:`credits_from_summaries`.
    """
    if model_name not in MODELS:
        raise ValueError(f"unknown data-driven model {model_name!r}; allowed: {sorted(MODELS)}")
    keys, summaries = path_summaries(conversion_paths, nonconversion_paths, windows_days)
    return credits_from_summaries(
        model_name, conversion_paths, keys, summaries, windows_days, **model_options
    )
