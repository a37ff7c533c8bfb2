"""CLI: ``python -m kol_attr_report --db kol_attr.duckdb --out reports/kol_attr_report.html``."""

from __future__ import annotations

import argparse
import sys

from .render import render_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kol_attr_report",
        description="Render one self-contained HTML page with plots from the marts of a DuckDB build.",
    )
    parser.add_argument("--db", required=True, help="DuckDB file built by `dbt build` (opened read-only)")
    parser.add_argument("--out", default="reports/kol_attr_report.html", help="HTML file to write")
    parser.add_argument("--model", default="linear", help="attribution model for ROAS and lag curves")
    parser.add_argument(
        "--window", type=int, default=30, help="attribution window (days) for ROAS and comparison"
    )
    args = parser.parse_args(argv)
    try:
        out = render_report(args.db, args.out, model=args.model, window=args.window)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
