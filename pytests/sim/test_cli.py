"""CLI behaviour and scale presets."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from kol_attr_sim.__main__ import main
from kol_attr_sim.config import make_config


def test_cli_parquet_writes_truth_beside(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    rc = main(
        [
            "--scale",
            "tiny",
            "--seed",
            "3",
            "--persons",
            "1500",
            "--kols",
            "10",
            "--notes",
            "30",
            "--days",
            "150",
            "--start-date",
            "2025-10-01",
            "--clean-room-share",
            "0.4",
            "--scenario",
            "order_dependent",
            "--quirk",
            "dup_tmall=0.2",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert rc == 0
    assert len(list(out.glob("*.parquet"))) == 21
    summary = pq.read_table(out / "_truth" / "truth_summary.parquet").to_pandas()
    s = dict(zip(summary["metric"], summary["value"], strict=True))
    assert s["persons"] == "1500" and s["scenario"] == "order_dependent" and s["start_date"] == "2025-10-01"
    kols = pq.read_table(out / "pgy_kols.parquet").column("kol_id").to_pylist()
    assert len(set(kols)) == 10


def test_cli_refuses_truth_inside_csv_out(tmp_path: Path) -> None:
    rc = main(
        [
            "--scale",
            "tiny",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
            "--truth-out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert rc == 2
    assert not list(tmp_path.glob("*.csv"))


def test_scale_presets_meet_the_issue() -> None:
    large = make_config("large")
    assert large.persons >= 1_000_000 and large.kols == 500 and large.notes == 5_000 and large.days == 365
    demo = make_config("demo")
    assert 40 <= demo.kols <= 60 and 150 <= demo.notes <= 300 and 20_000 <= demo.persons <= 40_000
    assert demo.days >= 270
    assert demo.end_date.isoformat() < "2026-11-28"  # demo data lies in the past
