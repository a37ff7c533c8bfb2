"""Static check (no dbt run): sources and demo seeds declare exactly the raw contract.

``contract/raw_sources.yml`` is binding. ``models/staging/_raw__sources.yml`` must declare all 21
tables under source ``raw`` with every column, the contract's DuckDB type as ``data_type`` and a
description; ``seeds/demo/_demo__seeds.yml`` must load every table with the same column types.
"""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "contract" / "raw_sources.yml"
SOURCES = REPO / "models" / "staging" / "_raw__sources.yml"
DEMO_SEEDS = REPO / "seeds" / "demo" / "_demo__seeds.yml"


def _norm_type(t: str) -> str:
    return t.lower().replace(" ", "")


def _contract() -> dict:
    return yaml.safe_load(CONTRACT.read_text())["tables"]


def test_contract_has_21_tables() -> None:
    assert len(_contract()) == 21


def test_sources_match_contract() -> None:
    contract = _contract()
    sources = yaml.safe_load(SOURCES.read_text())["sources"]
    assert [s["name"] for s in sources] == ["raw"]
    declared = {t["name"]: t for t in sources[0]["tables"]}
    assert set(declared) == set(contract), set(declared) ^ set(contract)
    for table, spec in contract.items():
        want = {col: _norm_type(c["type"]) for col, c in spec["columns"].items()}
        got = {c["name"]: _norm_type(c["data_type"]) for c in declared[table]["columns"]}
        assert got == want, table
        assert all(c.get("description") for c in declared[table]["columns"]), table


def test_demo_seeds_match_contract() -> None:
    contract = _contract()
    seeds = {s["name"]: s["config"]["column_types"] for s in yaml.safe_load(DEMO_SEEDS.read_text())["seeds"]}
    assert set(seeds) == set(contract), set(seeds) ^ set(contract)
    for table, spec in contract.items():
        want = {col: _norm_type(c["type"]) for col, c in spec["columns"].items()}
        assert {k: _norm_type(v) for k, v in seeds[table].items()} == want, table
