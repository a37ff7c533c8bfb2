"""Same seed, same bytes; the committed demo seeds are exactly what the simulator generates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kol_attr_sim.__main__ import main
from kol_attr_sim.config import make_config
from kol_attr_sim.contract import table_names
from kol_attr_sim.generate import generate

REPO = Path(__file__).resolve().parents[2]


def digests(path: Path, ext: str) -> dict[str, str]:
    """sha256 of every ``<table>.<ext>`` file in ``path``."""
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(path.glob(f"*.{ext}"))}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes(tmp_path: Path, fmt: str) -> None:
    cfg = make_config("tiny", seed=99)
    generate(cfg, tmp_path / "a", fmt, None, progress=False)
    generate(cfg, tmp_path / "b", fmt, None, progress=False)
    a, b = digests(tmp_path / "a", fmt), digests(tmp_path / "b", fmt)
    assert len(a) == 21 and a == b


def test_other_seed_other_data(tmp_path: Path) -> None:
    generate(make_config("tiny", seed=1), tmp_path / "a", "csv", None, progress=False)
    generate(make_config("tiny", seed=2), tmp_path / "b", "csv", None, progress=False)
    a, b = digests(tmp_path / "a", "csv"), digests(tmp_path / "b", "csv")
    assert a["tmall_orders.csv"] != b["tmall_orders.csv"]


def test_committed_demo_seeds_match_fresh_generation(tmp_path: Path) -> None:
    """`make demo-seeds` (seed 42) regenerates seeds/demo/*.csv byte for byte; truth stays out of seeds."""
    out = tmp_path / "demo"
    assert (
        main(
            [
                "--scale",
                "demo",
                "--seed",
                "42",
                "--format",
                "csv",
                "--out",
                str(out),
                "--truth-out",
                str(tmp_path / "truth"),
                "--quiet",
            ]
        )
        == 0
    )
    committed = REPO / "seeds" / "demo"
    fresh = digests(out, "csv")
    assert set(fresh) == {f"{t}.csv" for t in table_names()}
    assert digests(committed, "csv") == fresh
    assert not any("truth" in f.name for f in committed.iterdir())
    assert (tmp_path / "truth" / "truth_incremental.csv").exists()
    size = sum(f.stat().st_size for f in committed.glob("*.csv"))
    assert size < 15_000_000
