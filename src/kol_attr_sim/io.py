"""Writers: one file per contract table, CSV (dbt seeds) or Parquet, typed from the contract.

Columns arrive as Arrow arrays already carrying the contract's Arrow type (see
:mod:`kol_attr_sim.columns`). The CSV format is the one agreed with the dbt seed loader:
UTF-8, header, comma separated, minimal quoting, empty field = null, booleans ``true``/``false``,
dates ``YYYY-MM-DD``, timestamps ``YYYY-MM-DD HH:MM:SS``, decimals with two decimals, integers
without ``.0``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kol_attr_sim.contract import arrow_schema


def to_table(name: str, cols: dict[str, pa.Array]) -> pa.Table:
    """Assemble a contract table from typed columns; fails loudly on a missing column or wrong type."""
    schema = arrow_schema(name)
    missing = [f.name for f in schema if f.name not in cols]
    if missing:
        raise KeyError(f"{name}: missing columns {missing}")
    arrays = []
    for field in schema:
        arr = cols[field.name]
        if not isinstance(arr, pa.Array | pa.ChunkedArray):
            arr = pa.array(arr, type=field.type)
        if arr.type != field.type:
            arr = arr.cast(field.type)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)


def _csv_strings(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Render one column as the agreed CSV text (nulls stay null and become empty fields)."""
    t = arr.type
    if pa.types.is_timestamp(t):
        return pc.strftime(arr.cast(pa.timestamp("s")), format="%Y-%m-%d %H:%M:%S")
    if pa.types.is_string(t):
        return arr
    return pc.cast(arr, pa.string())


def write_table(table: pa.Table, name: str, out_dir: Path, fmt: str) -> Path:
    """Write ``table`` to ``out_dir/<name>.<fmt>`` and return the path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        path = out_dir / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)
        return path
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; allowed: csv, parquet")
    path = out_dir / f"{name}.csv"
    frame = pd.DataFrame(
        {c: _csv_strings(table.column(c)).to_pandas(types_mapper=None) for c in table.column_names}
    )
    frame.to_csv(
        path, index=False, na_rep="", lineterminator="\n", quoting=csv.QUOTE_MINIMAL, encoding="utf-8"
    )
    return path
