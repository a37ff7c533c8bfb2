"""Build into a working database, publish it atomically: BI tools never see a half-built state.

DuckDB allows one writer per file, and a reader that opens the file while ``dbt build`` runs would
see some marts rebuilt and others not. The publisher therefore never lets dbt touch the file
readers use:

1. takes an exclusive lock (``<published>.lock``, ``flock``), so two builds never race;
2. copies the last published database to ``<published>.building.duckdb`` in the same directory
   (snapshots and incremental models continue from it; ``--fresh`` starts empty) after deleting any
   working file a killed build left behind;
3. runs dbt with ``KOL_ATTR_DB`` pointing at the working file;
4. only if dbt succeeds: stamps the working database (table ``kol_attr_build``: build_id,
   published_at, dbt invocation id and arguments), checkpoints and closes it, fsyncs it, and renames
   it over the published path with ``os.replace`` (atomic on POSIX), then fsyncs the directory.

A reader opens the published path read-only for each query (as a BI tool with a short-lived
connection does). Before the rename it gets the previous build, after it the new one, never a mix:
a connection already open keeps reading the file it opened (the old inode) until it closes. A dbt
failure, or a build killed at any point, leaves the published file untouched; the next build
removes the stale working file and proceeds.

Usage::

    .venv/bin/python -m kol_attr.publish                       # dbt build, publish to $KOL_ATTR_DB
    .venv/bin/python -m kol_attr.publish --published /srv/bi/kol_attr.duckdb -- build --exclude tag:demo
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]


class PublishError(RuntimeError):
    """The build did not succeed; the published database was left as it was."""


def working_path(published: Path) -> Path:
    """The working database next to ``published`` (same filesystem, so the rename is atomic)."""
    return published.with_name(published.stem + ".building" + published.suffix)


def _remove_database(path: Path) -> None:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stamp(working: Path, build_id: str, dbt_args: Sequence[str], target_path: Path) -> None:
    invocation = None
    run_results = target_path / "run_results.json"
    if run_results.exists():
        invocation = json.loads(run_results.read_text())["metadata"].get("invocation_id")
    con = duckdb.connect(str(working))
    try:
        con.execute(
            "create or replace table main.kol_attr_build as select ? as build_id, "
            "cast(? as timestamp) as published_at, ? as dbt_invocation_id, ? as dbt_args",
            [build_id, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), invocation, " ".join(dbt_args)],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    if working.with_name(working.name + ".wal").exists():
        raise PublishError(f"{working} still has a write-ahead log after checkpoint; not publishing")


def publish(
    published: Path,
    dbt_args: Sequence[str] = ("build",),
    *,
    fresh: bool = False,
    dbt: Path | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """Build with dbt into a working copy and publish it atomically; return the new build id.

    Raises :class:`PublishError` (published database untouched) when dbt fails.
    """
    published = published.resolve()
    published.parent.mkdir(parents=True, exist_ok=True)
    working = working_path(published)
    lock_path = published.with_name(published.name + ".lock")
    dbt = dbt or Path(sys.executable).with_name("dbt")
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PublishError(f"another build holds {lock_path}; not starting a second one") from exc
        _remove_database(working)  # left by a build that was killed
        if published.exists() and not fresh:
            shutil.copyfile(published, working)
        run_env = {**os.environ, **(env or {}), "KOL_ATTR_DB": str(working)}
        run_env.setdefault("DBT_PROFILES_DIR", str(REPO / "profiles"))
        target_path = Path(run_env.get("DBT_TARGET_PATH", REPO / "target"))
        if not target_path.is_absolute():
            target_path = REPO / target_path
        result = subprocess.run([str(dbt), *dbt_args], cwd=REPO, env=run_env)
        if result.returncode != 0:
            _remove_database(working)
            raise PublishError(
                f"dbt {' '.join(dbt_args)} failed (exit {result.returncode}); "
                f"{published} still holds the last good build"
            )
        build_id = uuid.uuid4().hex
        _stamp(working, build_id, dbt_args, target_path)
        _fsync(working)
        os.replace(working, published)
        _fsync(published.parent)
    return build_id


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    dbt_args = ["build"]
    if "--" in argv:
        cut = argv.index("--")
        argv, dbt_args = argv[:cut], argv[cut + 1 :] or ["build"]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--published",
        type=Path,
        default=Path(os.environ.get("KOL_ATTR_DB", REPO / "kol_attr.duckdb")),
        help="the database readers use (default: $KOL_ATTR_DB or kol_attr.duckdb in the repo root)",
    )
    ap.add_argument("--fresh", action="store_true", help="build from an empty database, not a copy")
    a = ap.parse_args(argv)
    try:
        build_id = publish(a.published, dbt_args, fresh=a.fresh)
    except PublishError as exc:
        print(f"kol_attr.publish: {exc}", file=sys.stderr)
        return 1
    print(f"kol_attr.publish: published build {build_id} to {a.published}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
