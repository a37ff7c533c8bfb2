"""Measure the simulator at benchmark scale: wall time, peak memory, rows and bytes.

Usage: ``.venv/bin/python bench/gen_large.py [--scale large] [--out /tmp/kol_attr_large]``

Runs ``python -m kol_attr_sim`` under ``/usr/bin/time -v`` (Parquet, truth included), then checks
the issue's targets for ``large``: >= 1,000,000 persons, 500 KOLs, 5,000 notes, >= 10,000,000
observed touchpoint rows, >= 300,000 orders, < 10 minutes, < 8 GB. Prints a JSON report and exits
non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

ORDER_TABLES = ("xhs_shop_orders", "tmall_orders", "jd_orders", "d2c_orders", "wechat_mp_orders")
TOUCH_TABLES = ("xhs_note_interactions", "web_sessions", *ORDER_TABLES)


def run(scale: str, out: Path, seed: int) -> dict[str, object]:
    """Generate ``scale`` into ``out`` under /usr/bin/time and return the measured figures."""
    cmd = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        "-m",
        "kol_attr_sim",
        "--scale",
        scale,
        "--seed",
        str(seed),
        "--format",
        "parquet",
        "--out",
        str(out),
        "--quiet",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-4000:])
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    parts = [float(x) for x in wall.group(1).split(":")] if wall else [0.0]
    seconds = sum(v * 60**i for i, v in enumerate(reversed(parts)))
    rows = {p.stem: pq.read_metadata(p).num_rows for p in sorted(out.glob("*.parquet"))}
    return {
        "scale": scale,
        "wall_seconds": round(seconds, 1),
        "peak_rss_gb": round(int(rss.group(1)) / 1024**2, 2) if rss else None,
        "raw_bytes": sum(p.stat().st_size for p in out.glob("*.parquet")),
        "truth_bytes": sum(p.stat().st_size for p in (out / "_truth").glob("*.parquet")),
        "rows": rows,
        "order_rows": sum(rows.get(t, 0) for t in ORDER_TABLES),
        "touchpoint_rows": sum(rows.get(t, 0) for t in TOUCH_TABLES),
    }


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="large")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("/tmp/kol_attr_large"))
    a = ap.parse_args()
    rep = run(a.scale, a.out, a.seed)
    failures = []
    if a.scale == "large":
        rows = rep["rows"]
        assert isinstance(rows, dict)
        checks = {
            "wall < 600 s": float(rep["wall_seconds"]) < 600,  # type: ignore[arg-type]
            "peak < 8 GB": (rep["peak_rss_gb"] or 99) < 8,  # type: ignore[operator]
            "notes == 5000": rows["pgy_notes"] == 5000,
            "touchpoints >= 10M": int(rep["touchpoint_rows"]) >= 10_000_000,  # type: ignore[arg-type]
            "orders >= 300k": int(rep["order_rows"]) >= 300_000,  # type: ignore[arg-type]
        }
        rep["checks"] = checks
        failures = [k for k, ok in checks.items() if not ok]
    print(json.dumps(rep, indent=1))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
