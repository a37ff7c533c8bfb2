"""kol_attr_sim: a simulator of a brand's Xiaohongshu KOL programme with ground truth.

Writes the 21 raw tables of ``contract/raw_sources.yml`` (CSV seeds or Parquet) and, beside
them, the ground truth no real export has (see :mod:`kol_attr_sim.truth`).
"""

from kol_attr_sim.config import SCALES, SCENARIOS, QuirkRates, SimConfig, make_config
from kol_attr_sim.generate import generate, simulate
from kol_attr_sim.world import World, build_world, realise

__all__ = [
    "SCALES",
    "SCENARIOS",
    "QuirkRates",
    "SimConfig",
    "World",
    "build_world",
    "generate",
    "make_config",
    "realise",
    "simulate",
]
