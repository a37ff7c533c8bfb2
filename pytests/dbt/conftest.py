"""Shared fixtures for tests that build the dbt project.

``demo_db`` is one `dbt build` of the whole project on the demo seeds, made once per
test session. When the environment variable ``KOL_ATTR_BUILT_DB`` names an existing
DuckDB file (``make test`` sets it to the database its own ``dbt build`` step just
made), that file is reused instead of building again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


def run_dbt(
    args: Sequence[str],
    db_path: Path,
    *,
    vars_yaml: str | None = None,
    check: bool = True,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one dbt command against ``db_path`` from the repo root and return the result.

    Target and log paths go next to the database so parallel runs never share them.
    """
    work = db_path.parent
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "KOL_ATTR_DB": str(db_path),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        **(extra_env or {}),
    }
    cmd = [str(DBT), *args]
    if vars_yaml:
        cmd += ["--vars", vars_yaml]
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-60:])
        command = " ".join(args)
        raise AssertionError(f"dbt {command} failed ({result.returncode}):\n{tail}\n{result.stderr[-2000:]}")
    return result


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Path of a DuckDB file holding a full `dbt build` of the demo data (read it read-only)."""
    prebuilt = os.environ.get("KOL_ATTR_BUILT_DB")
    if prebuilt and Path(prebuilt).exists():
        copy = tmp_path_factory.mktemp("prebuilt") / "demo.duckdb"
        shutil.copy(prebuilt, copy)
        yield copy
        return
    db_path = tmp_path_factory.mktemp("demo_build") / "demo.duckdb"
    run_dbt(["build"], db_path)
    yield db_path


@pytest.fixture(scope="session")
def demo_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the demo build."""
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def dbt_runner() -> Callable[..., subprocess.CompletedProcess[str]]:
    """:func:`run_dbt` for test modules (they cannot import conftest by name)."""
    return run_dbt
