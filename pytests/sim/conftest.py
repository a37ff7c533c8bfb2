"""Shared fixtures: tiny simulated worlds written as Parquet and CSV (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol_attr_sim.config import SimConfig, make_config
from kol_attr_sim.generate import generate

TINY_SEED = 11


@pytest.fixture(scope="session")
def tiny_cfg() -> SimConfig:
    """The tiny test scale (a few thousand persons, 16 KOLs)."""
    return make_config("tiny", seed=TINY_SEED)


@pytest.fixture(scope="session")
def tiny_parquet(tmp_path_factory: pytest.TempPathFactory, tiny_cfg: SimConfig) -> Path:
    """Directory with the tiny world as Parquet, truth in ``_truth``."""
    out = tmp_path_factory.mktemp("tiny_parquet")
    generate(tiny_cfg, out, "parquet", out / "_truth", progress=False)
    return out


@pytest.fixture(scope="session")
def tiny_csv(tmp_path_factory: pytest.TempPathFactory, tiny_cfg: SimConfig) -> Path:
    """Directory with the same tiny world as CSV."""
    out = tmp_path_factory.mktemp("tiny_csv")
    generate(tiny_cfg, out, "csv", None, progress=False)
    return out
