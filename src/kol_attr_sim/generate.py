"""End-to-end generation: world -> observed raw tables (+ ground truth) -> files."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from kol_attr_sim.config import SimConfig
from kol_attr_sim.io import to_table, write_table
from kol_attr_sim.observe import BUILDERS, Observation, observe
from kol_attr_sim.world import World, build_world


@dataclass
class RunReport:
    """What a run wrote: rows and bytes per table, and seconds per stage."""

    rows: dict[str, int] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def simulate(cfg: SimConfig) -> tuple[World, Observation]:
    """Build the world and the shared observation state (no files written)."""
    world = build_world(cfg)
    return world, observe(world)


def generate(
    cfg: SimConfig, out: Path, fmt: str = "parquet", truth_out: Path | None = None, progress: bool = True
) -> RunReport:
    """Simulate ``cfg`` and write every contract table to ``out`` (and the truth to ``truth_out``).

    Tables are built and written one at a time so memory stays bounded by the largest table.
    """
    rep = RunReport()
    stages = 2 + len(BUILDERS) + (1 if truth_out is not None else 0)
    bar = tqdm(total=stages, desc=f"kol_attr_sim {cfg.scale}", unit="step", disable=not progress)
    bar.set_postfix_str("world")
    t = time.perf_counter()
    world = build_world(cfg)
    rep.seconds["world"] = time.perf_counter() - t
    bar.update()
    bar.set_postfix_str("observe")
    t = time.perf_counter()
    ob = observe(world)
    rep.seconds["observe"] = time.perf_counter() - t
    bar.update()
    for name, builder in BUILDERS.items():
        bar.set_postfix_str(name)
        t = time.perf_counter()
        table = to_table(name, builder(ob))
        path = write_table(table, name, out, fmt)
        rep.rows[name] = table.num_rows
        rep.bytes[name] = path.stat().st_size
        rep.seconds[name] = time.perf_counter() - t
        del table
        bar.update()
    if truth_out is not None:
        from kol_attr_sim.truth import write_truth

        bar.set_postfix_str("truth")
        t = time.perf_counter()
        write_truth(ob, truth_out, fmt="parquet" if fmt == "parquet" else "csv")
        rep.seconds["truth"] = time.perf_counter() - t
        bar.update()
    bar.close()
    return rep
