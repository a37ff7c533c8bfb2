"""Compare one table as built by two engines (DuckDB and Apache Spark).

Used by the Spark parity test: row counts must match exactly, numeric columns within a
relative tolerance (default 1e-9, i.e. ``|a - b| <= rel_tol * max(|a|, |b|)``), and every
other column exactly after normalisation (nulls, timestamps as UTC wall time, booleans).

Rows are matched by sorting both frames on every non-float column (then on the float
columns rounded to 9 significant digits), so the comparison does not depend on the
order an engine returns rows in.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class TableDiff:
    """Outcome of comparing one table: empty ``problems`` means the tables match."""

    table: str
    rows_left: int
    rows_right: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def _normalise(value: object) -> object:
    """One canonical Python value per cell: None for every flavour of null, float for numbers,
    ISO text for timestamps (timezone-aware ones converted to UTC and made naive) and for
    dates (as midnight, the way pandas reads a DuckDB date)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()  # numpy scalars
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if _is_number(value):
        return float(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):  # pandas reads DuckDB dates as midnight timestamps
        return dt.datetime.combine(value, dt.time()).isoformat(sep=" ")
    if isinstance(value, (list, tuple)):
        return tuple(_normalise(v) for v in value)
    return value


def _column_is_numeric(values: list[object]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, float) for v in present)


def _sort_key(row: tuple, numeric: list[bool]) -> tuple:
    key = []
    for value, is_num in zip(row, numeric, strict=True):
        if value is None:
            key.append((0, ""))
        elif is_num:
            key.append((1, float(f"{value:.9g}")))
        else:
            key.append((1, str(value)))
    return tuple(key)


def compare_frames(
    table: str,
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    rel_tol: float = 1e-9,
    abs_tol: float = 0.0,
    max_examples: int = 3,
) -> TableDiff:
    """Compare ``left`` and ``right`` (column names compared case-insensitively)."""
    diff = TableDiff(table, len(left), len(right))
    lcols = [c.lower() for c in left.columns]
    rcols = [c.lower() for c in right.columns]
    if sorted(lcols) != sorted(rcols):
        diff.problems.append(
            f"columns differ: only left {sorted(set(lcols) - set(rcols))}, "
            f"only right {sorted(set(rcols) - set(lcols))}"
        )
        return diff
    if len(left) != len(right):
        diff.problems.append(f"row counts differ: {len(left)} vs {len(right)}")
        return diff
    right = right.set_axis(rcols, axis=1)[lcols]
    lrows = [tuple(_normalise(v) for v in row) for row in left.itertuples(index=False, name=None)]
    rrows = [tuple(_normalise(v) for v in row) for row in right.itertuples(index=False, name=None)]
    numeric = []
    for i in range(len(lcols)):
        lvals = [r[i] for r in lrows]
        rvals = [r[i] for r in rrows]
        numeric.append(_column_is_numeric(lvals) or _column_is_numeric(rvals))
    lrows.sort(key=lambda r: _sort_key(r, numeric))
    rrows.sort(key=lambda r: _sort_key(r, numeric))
    mismatches: dict[str, int] = {}
    examples: list[str] = []
    for lrow, rrow in zip(lrows, rrows, strict=True):
        for name, is_num, a, b in zip(lcols, numeric, lrow, rrow, strict=True):
            if a is None or b is None:
                same = a is None and b is None
            elif is_num and _is_number(a) and _is_number(b):
                same = math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=abs_tol)
            else:
                same = a == b
            if not same:
                mismatches[name] = mismatches.get(name, 0) + 1
                if len(examples) < max_examples:
                    examples.append(f"{name}: {a!r} vs {b!r}")
    if mismatches:
        diff.problems.append(f"values differ in {mismatches}; e.g. {examples}")
    return diff
