"""CLI: ``python -m kol_attr_sim --scale demo --seed 42 --format csv --out seeds/demo``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from kol_attr_sim.config import SCALES, SCENARIOS, QuirkRates, make_config
from kol_attr_sim.generate import generate


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(prog="python -m kol_attr_sim", description=__doc__)
    p.add_argument("--scale", choices=list(SCALES), default="demo")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", type=Path, required=True, help="directory for <table>.csv|parquet")
    p.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    p.add_argument(
        "--truth-out",
        type=Path,
        default=None,
        help="directory for ground truth (default <out>/_truth for parquet; none for csv)",
    )
    p.add_argument("--no-truth", action="store_true", help="do not write ground truth")
    p.add_argument("--scenario", choices=list(SCENARIOS), default=None)
    p.add_argument("--persons", type=int)
    p.add_argument("--kols", type=int)
    p.add_argument("--notes", type=int)
    p.add_argument("--campaigns", type=int)
    p.add_argument("--days", type=int)
    p.add_argument("--start-date", type=date.fromisoformat)
    p.add_argument("--clean-room-share", type=float)
    p.add_argument("--reads-per-person", type=float)
    p.add_argument("--orders-per-person-year", type=float)
    p.add_argument("--kol-share", type=float)
    p.add_argument("--no-bad-rows", action="store_true", help="set the bad-row rate to 0")
    p.add_argument(
        "--quirk",
        action="append",
        default=[],
        metavar="NAME=RATE",
        help=f"override a quirk rate; names: {', '.join(QuirkRates.__dataclass_fields__)}",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar / summary")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    a = build_parser().parse_args(argv)
    quirks: dict[str, object] = {}
    for q in a.quirk:
        name, _, val = q.partition("=")
        quirks[f"quirk_{name.strip()}"] = float(val)
    if a.no_bad_rows:
        quirks["quirk_bad_rows"] = 0.0
    cfg = make_config(
        a.scale,
        seed=a.seed,
        scenario=a.scenario,
        persons=a.persons,
        kols=a.kols,
        notes=a.notes,
        campaigns=a.campaigns,
        days=a.days,
        start_date=a.start_date,
        clean_room_share=a.clean_room_share,
        reads_per_person=a.reads_per_person,
        orders_per_person_year=a.orders_per_person_year,
        kol_share=a.kol_share,
        **quirks,
    )
    truth_out = a.truth_out
    if truth_out is None and a.format == "parquet" and not a.no_truth:
        truth_out = a.out / "_truth"
    if a.no_truth:
        truth_out = None
    if truth_out is not None and a.format == "csv" and truth_out.resolve() == a.out.resolve():
        print("refusing to write truth into the seed directory", file=sys.stderr)
        return 2
    t = time.perf_counter()
    rep = generate(cfg, a.out, a.format, truth_out, progress=not a.quiet)
    if not a.quiet:
        summary = {
            "scale": cfg.scale,
            "seed": cfg.seed,
            "scenario": cfg.scenario,
            "seconds": round(time.perf_counter() - t, 1),
            "rows": rep.rows,
            "total_bytes": sum(rep.bytes.values()),
            "stage_seconds": {k: round(v, 1) for k, v in rep.seconds.items()},
        }
        print(json.dumps(summary, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
