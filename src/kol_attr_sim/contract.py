"""Machine-readable copy of the raw data contract (``contract/raw_sources.yml``).

The package ships a copy of the contract as package data (``raw_sources.yml``); a test
asserts it is identical to ``contract/raw_sources.yml`` in the repository. Column order and
types of every table the simulator writes are driven from here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import pyarrow as pa
import yaml

CONTRACT_FILE = "raw_sources.yml"


@lru_cache(maxsize=1)
def load_contract() -> dict[str, Any]:
    """Return the parsed contract shipped with the package."""
    text = resources.files("kol_attr_sim").joinpath(CONTRACT_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def table_names() -> list[str]:
    """Names of the raw tables, in contract order."""
    return list(load_contract()["tables"].keys())


def columns(table: str) -> dict[str, str]:
    """Ordered mapping column name -> DuckDB type string for one contract table."""
    cols = load_contract()["tables"][table]["columns"]
    return {name: str(spec["type"]) for name, spec in cols.items()}


_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")


def arrow_type(duckdb_type: str) -> pa.DataType:
    """Arrow type that DuckDB reads back as ``duckdb_type`` (timestamps without zone, in us)."""
    t = duckdb_type.strip().lower()
    m = _DECIMAL.fullmatch(t)
    if m:
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    mapping = {
        "varchar": pa.string(),
        "bigint": pa.int64(),
        "integer": pa.int32(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
        "double": pa.float64(),
    }
    if t not in mapping:
        raise ValueError(f"unsupported contract type {duckdb_type!r}")
    return mapping[t]


def arrow_schema(table: str) -> pa.Schema:
    """Arrow schema of a contract table, columns in contract order."""
    return pa.schema([pa.field(c, arrow_type(t)) for c, t in columns(table).items()])
