"""Every contract table and column is produced, with the contract's types, in Parquet and CSV."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from kol_attr_sim.contract import arrow_schema, columns, table_names

REPO = Path(__file__).resolve().parents[2]


def test_packaged_contract_is_the_repo_contract() -> None:
    packaged = REPO / "src" / "kol_attr_sim" / "raw_sources.yml"
    assert packaged.read_bytes() == (REPO / "contract" / "raw_sources.yml").read_bytes()


def test_contract_has_21_tables() -> None:
    assert len(table_names()) == 21


@pytest.mark.parametrize("table", table_names())
def test_parquet_schema_matches_contract(tiny_parquet: Path, table: str) -> None:
    schema = pq.read_schema(tiny_parquet / f"{table}.parquet")
    expected = arrow_schema(table)
    assert schema.names == expected.names
    for field in expected:
        assert schema.field(field.name).type == field.type, (table, field.name)
    assert pq.read_metadata(tiny_parquet / f"{table}.parquet").num_rows > 0


@pytest.mark.parametrize("table", table_names())
def test_duckdb_reads_parquet_with_contract_types(tiny_parquet: Path, table: str) -> None:
    con = duckdb.connect()
    rows = con.execute(f"describe select * from read_parquet('{tiny_parquet / table}.parquet')").fetchall()
    got = {r[0]: r[1].lower() for r in rows}
    for col, typ in columns(table).items():
        assert got[col] == typ.replace(" ", "").lower(), (table, col, got[col], typ)


@pytest.mark.parametrize("table", table_names())
def test_csv_loads_with_contract_types(tiny_csv: Path, tiny_parquet: Path, table: str) -> None:
    cols = columns(table)
    spec = ", ".join(f"'{c}': '{t}'" for c, t in cols.items())
    con = duckdb.connect()
    path = tiny_csv / f"{table}.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(cols)
    csv_rows = con.execute(
        f"select * from read_csv('{path}', header=true, auto_detect=false, columns={{{spec}}}) order by all"
    ).fetchall()
    pq_rows = con.execute(
        f"select * from read_parquet('{tiny_parquet / table}.parquet') order by all"
    ).fetchall()
    assert csv_rows == pq_rows


def test_csv_conventions(tiny_csv: Path) -> None:
    """Booleans true/false, integers without '.0', timestamps without zone."""
    kols = (tiny_csv / "pgy_kols.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert {line.split(",")[3] for line in kols} <= {"true", "false"}
    notes = (tiny_csv / "pgy_notes.csv").read_text(encoding="utf-8")
    assert ".0," not in notes
    con = duckdb.connect()
    ts = con.execute(
        f"select config_locked_at from read_csv('{tiny_csv}/brand_campaigns.csv', all_varchar=true)"
    )
    assert all(len(r[0]) == 19 for r in ts.fetchall())
