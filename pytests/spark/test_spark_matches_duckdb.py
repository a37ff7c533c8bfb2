"""The demo built on Apache Spark equals the demo built on DuckDB, mart by mart.

Every model under models/marts is read from both builds and compared with
kol_attr.engine_compare.compare_frames: row counts exactly, numeric columns within 1e-9
relative (or 1e-9 absolute, see ABS_TOL), every other column exactly (after normalising nulls,
dates and timestamps).

Builds: the DuckDB one is ``KOL_ATTR_BUILT_DB`` when set (``make test`` builds it), else a
fresh ``dbt build``; the Spark one is the warehouse named by ``KOL_ATTR_SPARK_BUILT_WAREHOUSE``
when set (``make test`` runs ``make build-spark-session`` first when Java is present), else a
fresh ``dbt build --target spark`` (about 7-10 minutes on 2 cores). The Spark marts are read
from the Parquet files Spark wrote (every mart is a table on Spark), with DuckDB's reader, so
the comparison itself starts no JVM. Skipped without Java or pyspark.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from kol_attr.engine_compare import compare_frames

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
# A numeric column may be a difference of two sums that is 0 in exact arithmetic (e.g. last-touch
# minus model conversions): the engines add in different orders, so one gives 0.0 and the other
# -8.9e-16. Relative tolerance cannot absorb that; values within 1e-9 absolutely (a billionth of a
# conversion or of a CNY) count as equal, anything else must be within 1e-9 relative.
ABS_TOL = 1e-9
MARTS = sorted(p.stem for p in (REPO / "models" / "marts").rglob("*") if p.suffix in (".sql", ".py"))

pytestmark = [
    pytest.mark.dbt,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Apache Spark needs Java (17)"),
    pytest.mark.skipif(
        os.environ.get("KOL_ATTR_SKIP_SPARK_PARITY") == "1",
        reason="run by make spark-parity once the Spark build is there (make test does both)",
    ),
]
pyspark = pytest.importorskip("pyspark")


def _env(work: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        **extra,
    }


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-60:])
        command = " ".join(cmd)
        raise AssertionError(f"{command} failed ({result.returncode}):\n{tail}\n{result.stderr[-2000:]}")


@pytest.fixture(scope="module")
def duckdb_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    prebuilt = os.environ.get("KOL_ATTR_BUILT_DB")
    work = tmp_path_factory.mktemp("duck")
    db = work / "demo.duckdb"
    if prebuilt and Path(prebuilt).exists():
        shutil.copy(prebuilt, db)
    else:
        _run([str(DBT), "build"], REPO, _env(work, KOL_ATTR_DB=str(db)))
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def spark_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Spark warehouse's schema directory (``<warehouse>/kol_attr.db``)."""
    prebuilt = os.environ.get("KOL_ATTR_SPARK_BUILT_WAREHOUSE")
    if prebuilt and (Path(prebuilt) / "derby").exists():
        warehouse = Path(prebuilt)
    else:
        work = tmp_path_factory.mktemp("spark")
        warehouse = work / "warehouse"
        warehouse.mkdir()
        env = _env(
            work,
            KOL_ATTR_SPARK_WAREHOUSE=str(warehouse),
            PYSPARK_SUBMIT_ARGS="--driver-memory 3g pyspark-shell",
        )
        _run([str(DBT), "build", "--project-dir", str(REPO), "--target", "spark"], warehouse, env)
    return warehouse / "kol_attr.db"


def _spark_mart(schema_dir: Path, mart: str) -> pd.DataFrame:
    """A mart as Spark wrote it: every mart is a Parquet table on Spark (no views), stored at the
    warehouse's default location ``<schema>.db/<table>/``. Read with DuckDB's Parquet reader: the
    files are Spark's output byte for byte, and no JVM has to start for the comparison."""
    files = sorted((schema_dir / mart).glob("*.parquet"))
    assert files, f"{mart}: no Parquet files under {schema_dir / mart} (not built on Spark?)"
    with duckdb.connect() as con:
        return con.sql(f"select * from read_parquet({[str(f) for f in files]!r})").df()


def test_every_mart_is_compared() -> None:
    assert len(MARTS) >= 27, MARTS


@pytest.mark.parametrize("mart", MARTS)
def test_mart_matches(mart: str, duckdb_build: duckdb.DuckDBPyConnection, spark_build: Path) -> None:
    duck = duckdb_build.sql(f"select * from main.{mart}").df()
    spark_df = _spark_mart(spark_build, mart)
    diff = compare_frames(mart, duck, spark_df, rel_tol=1e-9, abs_tol=ABS_TOL)
    assert diff.ok, f"{mart}: DuckDB {diff.rows_left} rows, Spark {diff.rows_right} rows; {diff.problems}"
