"""The loopback Spark cluster of ``make build-spark`` (scripts/spark_cluster_start.sh / stop.sh) and
the Thrift half of the Python-model route against it, end to end.

Opt-in (``KOL_ATTR_SPARK_CLUSTER_TEST=1``; needs Java 17 and dbt-spark's PyHive extra,
requirements-spark.txt): starting the master, the worker and the Thrift server takes about a minute
and three JVMs, too much for ``make test``. Every port is a free one picked here, so the test runs
beside another cluster.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("KOL_ATTR_SPARK_CLUSTER_TEST") != "1",
                       reason="starts a Spark cluster: opt in with KOL_ATTR_SPARK_CLUSTER_TEST=1"),
    pytest.mark.skipif(shutil.which("java") is None, reason="Apache Spark needs Java (17)"),
]
hive = pytest.importorskip("pyhive.hive", reason="needs dbt-spark's PyHive extra (requirements-spark.txt)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pids(run: Path) -> list[int]:
    return [int(p.read_text().strip()) for p in (run / "pids").glob("*.pid")]


def _alive(pid: int) -> bool:
    """Running (an exited daemon may linger as a zombie child of this process until reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _cluster_jvms(run: Path, ports: list[int]) -> list[int]:
    """Java processes of this cluster: the daemons (their ports on the command line) and the
    executor the worker starts (working directory under the run directory)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if "java" not in cmdline.split(" ", 1)[0] or not _alive(int(proc.name)):
            continue
        tokens = cmdline.split()
        uses_port = any(t == str(p) or t.endswith((f":{p}", f"={p}")) for t in tokens for p in ports)
        if cwd.startswith(str(run)) or str(run) in cmdline or uses_port:
            found.append(int(proc.name))
    return found


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    work = tmp_path_factory.mktemp("cluster")
    names = ("KOL_ATTR_THRIFT_PORT", "KOL_ATTR_SPARK_MASTER_PORT", "KOL_ATTR_SPARK_MASTER_WEBUI_PORT",
             "KOL_ATTR_SPARK_WORKER_WEBUI_PORT")
    ports = {name: _free_port() for name in names}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "PYTHON": sys.executable,
           "KOL_ATTR_SPARK_WAREHOUSE": str(work / "warehouse"), "KOL_ATTR_SPARK_RUN": str(work / "run"),
           "SPARK_WORKER_MEMORY": "1g", "KOL_ATTR_THRIFT_DRIVER_MEMORY": "1g",
           "KOL_ATTR_THRIFT_EXECUTOR_MEMORY": "1g"}
    started = subprocess.run([str(REPO / "scripts" / "spark_cluster_start.sh")], env=env,
                             capture_output=True, text=True)
    info = SimpleNamespace(env=env, run=work / "run", warehouse=work / "warehouse",
                           ports=list(ports.values()), port=ports["KOL_ATTR_THRIFT_PORT"],
                           pids=_pids(work / "run"))
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield info
    finally:
        subprocess.run([str(REPO / "scripts" / "spark_cluster_stop.sh")], env=env, capture_output=True)
        for pid in info.pids:  # the stop script failed to stop a daemon: do not leave it behind
            if _alive(pid):
                os.kill(pid, 9)


def test_python_model_runs_over_thrift_into_a_parquet_table(cluster: SimpleNamespace, monkeypatch) -> None:
    from kol_attr.spark_python import LocalPythonJobHelper

    assert len(cluster.pids) == 3  # master, worker, Thrift server
    connection = hive.connect(host="127.0.0.1", port=cluster.port, auth="NOSASL")
    cursor = connection.cursor()
    cursor.execute("create schema if not exists kol_attr")
    cursor.execute("create table kol_attr.paths using parquet as select * from values ('c1', 'k1', 2),"
                   " ('c1', 'k2', 1), ('c2', 'k1', 1) as t(conversion_id, kol_id, n)")
    compiled = '''
def model(dbt, session):
    from kol_attr.credits import relation_to_pandas
    paths = relation_to_pandas(dbt.ref("kol_attr.paths"), ["conversion_id", "kol_id", "n"])
    paths["credit"] = paths["n"] / paths.groupby("conversion_id")["n"].transform("sum")
    paths["computed_at"] = pd.Timestamp("2026-01-01 08:00")
    return paths[["conversion_id", "kol_id", "n", "credit", "computed_at"]]

import pandas as pd

class dbtObj:
    def __init__(self, load_df_function):
        self.ref = lambda name: load_df_function(name)

from kol_attr.spark_python import write_model_result
dbt = dbtObj(spark.table)
df = model(dbt, spark)
write_model_result(spark, df, "kol_attr.credits_out", "parquet")
'''
    credentials = SimpleNamespace(method="thrift", host="127.0.0.1", port=cluster.port, user=None,
                                  schema="kol_attr", auth="NOSASL", server_side_parameters={})
    monkeypatch.setenv("KOL_ATTR_SPARK_WAREHOUSE", str(cluster.warehouse))
    LocalPythonJobHelper({"unique_id": "model.kol_attr.test"}, credentials).submit(compiled)

    cursor.execute("describe kol_attr.credits_out")
    assert {r[0]: r[1] for r in cursor.fetchall()} == {
        "conversion_id": "string", "kol_id": "string", "n": "bigint", "credit": "double",
        "computed_at": "timestamp"}
    cursor.execute("select conversion_id, kol_id, credit, cast(computed_at as string)"
                   " from kol_attr.credits_out order by 1, 2")
    rows = pd.DataFrame(cursor.fetchall(), columns=["conversion_id", "kol_id", "credit", "at"])
    assert rows["credit"].tolist() == pytest.approx([2 / 3, 1 / 3, 1.0])
    assert set(rows["at"]) == {"2026-01-01 08:00:00"}  # UTC in, UTC out (the server's time zone)
    # a managed table in the warehouse, the staged file gone
    assert list((cluster.warehouse / "kol_attr.db" / "credits_out").glob("*.parquet"))
    assert not (cluster.warehouse / "_kol_attr_python").exists()
    connection.close()


def test_stop_script_leaves_no_jvm(cluster: SimpleNamespace) -> None:
    jvms = _cluster_jvms(cluster.run, cluster.ports)
    assert set(cluster.pids) <= set(jvms) and len(jvms) == 4  # + the executor the worker started
    stopped = subprocess.run([str(REPO / "scripts" / "spark_cluster_stop.sh")], env=cluster.env,
                             capture_output=True, text=True)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert [pid for pid in jvms if _alive(pid)] == []
    assert _cluster_jvms(cluster.run, cluster.ports) == []
