"""kol_attr.publish: readers never see a half-built or mixed database; a killed build changes nothing.

Both tests start from a copy of the demo build (the ``demo_db`` fixture) as the published database
and publish a second, different build over it: the rule-based credits rebuilt for windows 7 and 30
only, so a reader can tell the two builds apart by their content as well as by their build id.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from kol_attr.publish import working_path

pytestmark = pytest.mark.dbt

REPO = Path(__file__).resolve().parents[2]
SECOND_BUILD = [
    "run",
    "--select",
    "int_credits_rule_based",
    "fct_attribution_credits",
    "--vars",
    "{kol_attr__windows_days: [7, 30]}",
]


def _publish_cmd(published: Path, dbt_args: list[str]) -> list[str]:
    return [sys.executable, "-m", "kol_attr.publish", "--published", str(published), "--", *dbt_args]


def _env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }


def _observe(published: Path) -> tuple[str, int]:
    """One BI-style read: a fresh read-only connection, the build id and a mart's content, closed."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        build_id = con.execute("select build_id from kol_attr_build").fetchone()[0]
        windows = con.execute(
            "select count(distinct window_days) from fct_attribution_credits "
            "where attribution_model = 'linear'"
        ).fetchone()[0]
    finally:
        con.close()
    return build_id, windows


@pytest.fixture
def published(demo_db: Path, tmp_path: Path) -> Path:
    """A published copy of the demo build, stamped as the first build."""
    path = tmp_path / "bi" / "kol_attr.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    con.execute("create table kol_attr_build as select 'first' as build_id")
    con.close()
    return path


def test_reader_in_a_loop_never_errors_and_never_sees_a_mix(published: Path, tmp_path: Path) -> None:
    assert _observe(published) == ("first", 6)
    seen: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append(_observe(published))
            except BaseException as exc:  # noqa: BLE001 - any failure of a reader is the finding
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = subprocess.run(
            _publish_cmd(published, SECOND_BUILD), env=_env(tmp_path), capture_output=True, text=True
        )
        time.sleep(0.5)
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert not errors, f"a reader failed while the build ran: {errors[0]!r}"
    final_id, final_windows = _observe(published)
    assert final_id != "first" and final_windows == 2
    # every observation is one whole build: the first (6 windows) or the new one (2 windows)
    assert set(seen) <= {("first", 6), (final_id, 2)}, set(seen)
    assert seen[0] == ("first", 6) and seen[-1] == (final_id, 2)
    assert len(seen) > 10  # the reader really ran during the build
    assert not working_path(published).exists()


def test_killed_build_leaves_the_published_database_and_the_next_build_succeeds(
    published: Path, tmp_path: Path
) -> None:
    proc = subprocess.Popen(
        _publish_cmd(published, SECOND_BUILD),
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while not working_path(published).exists() and time.time() < deadline:
        time.sleep(0.05)
    assert working_path(published).exists(), "the build never started its working copy"
    time.sleep(2.0)  # dbt is starting / running models on the working copy
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _observe(published) == ("first", 6)  # untouched and readable

    result = subprocess.run(
        _publish_cmd(published, SECOND_BUILD), env=_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    build_id, windows = _observe(published)
    assert build_id != "first" and windows == 2
    assert not working_path(published).exists()


def test_failed_build_keeps_the_last_good_one(published: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        _publish_cmd(
            published,
            ["run", "--select", "int_credits_rule_based", "--vars", "{kol_attr__windows_days: [0]}"],
        ),
        env=_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "still holds the last good build" in result.stderr
    assert _observe(published) == ("first", 6)
    assert not working_path(published).exists()
