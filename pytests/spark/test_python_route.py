"""The route that runs the project's dbt Python models on a self-managed Spark.

* the dbt plugin registers ``kol_attr_local`` with dbt-spark and makes it the default only for
  profiles with ``method: session`` / ``thrift``; Databricks methods keep dbt-spark's default;
* the helper executes compiled model code in the active SparkSession and the result (pandas)
  becomes a Parquet table with the expected column types and rows (needs Java).
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pandas as pd
import pytest

spark_impl = pytest.importorskip("dbt.adapters.spark.impl")


def _fake_adapter(method: str) -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(credentials=SimpleNamespace(method=method)))


def test_plugin_adds_helper_and_default_only_for_local_methods() -> None:
    import dbt_kol_attr
    from kol_attr.spark_python import SUBMISSION_METHOD, LocalPythonJobHelper

    dbt_kol_attr._patch_spark_adapter()
    adapter_cls = spark_impl.SparkAdapter
    helpers = adapter_cls.python_submission_helpers.fget(_fake_adapter("session"))
    assert helpers[SUBMISSION_METHOD] is LocalPythonJobHelper
    assert {"job_cluster", "all_purpose_cluster"} <= set(helpers)  # dbt-spark's own stay
    default = adapter_cls.default_python_submission_method.fget
    assert default(_fake_adapter("session")) == SUBMISSION_METHOD
    assert default(_fake_adapter("thrift")) == SUBMISSION_METHOD
    assert default(_fake_adapter("http")) == "all_purpose_cluster"
    assert default(_fake_adapter("odbc")) == "all_purpose_cluster"


def test_helper_refuses_databricks_methods() -> None:
    from kol_attr.spark_python import LocalPythonJobHelper

    with pytest.raises(ValueError, match="method 'http'"):
        LocalPythonJobHelper({"unique_id": "model.x.y"}, SimpleNamespace(method="http"))


class _RecordingCursor:
    """A PyHive cursor stand-in: records the SQL, answers with fixed rows and a Thrift description."""

    def __init__(self, log: list[str], rows: list[tuple], description: list[tuple]) -> None:
        self.log, self.rows, self.description = log, rows, description

    def execute(self, sql: str) -> None:
        self.log.append(sql)

    def fetchall(self) -> list[tuple]:
        return [] if self.log[-1].endswith("limit 0") else self.rows


def test_thrift_session_reads_lazily_and_only_the_selected_columns() -> None:
    from kol_attr.credits import relation_to_pandas
    from kol_attr.spark_python import ThriftSession

    log: list[str] = []
    description = [("conversion_id", "STRING_TYPE"), ("kol_id", "STRING_TYPE")]
    session = ThriftSession(lambda: _RecordingCursor(log, [("c1", "k1")], description), "/tmp")
    relation = session.table("kol_attr.int_conversion_paths")
    assert log == []  # a bare dbt.ref (dependency only) reads nothing
    frame = relation_to_pandas(relation, ["kol_id"])
    assert log == ["select * from kol_attr.int_conversion_paths limit 0",
                   "select `kol_id` from kol_attr.int_conversion_paths"]
    assert list(frame.columns) == ["conversion_id", "kol_id"]  # what the fake returned, as given
    with pytest.raises(ValueError, match="missing column"):
        relation_to_pandas(session.table("kol_attr.int_conversion_paths"), ["no_such_column"])


def test_thrift_rows_get_the_dtypes_a_spark_session_gives() -> None:
    import datetime as dt

    from kol_attr.spark_python import ThriftSession

    description = [("n", "BIGINT_TYPE"), ("n_null", "INT_TYPE"), ("share", "DOUBLE_TYPE"),
                   ("flag", "BOOLEAN_TYPE"), ("day", "DATE_TYPE"), ("at", "TIMESTAMP_TYPE"),
                   ("kol_id", "STRING_TYPE")]
    # PyHive hands over dates as text and timestamps already parsed
    rows = [(1, 5, 0.5, True, "2026-01-02", dt.datetime(2026, 1, 2, 3, 4, 5), "k1"),
            (2, None, None, False, None, None, None)]
    log: list[str] = []
    frame = ThriftSession(lambda: _RecordingCursor(log, rows, description), "/tmp").table("t").toPandas()
    assert log == ["select * from t"]
    assert frame["n"].dtype == "int64" and frame["n"].tolist() == [1, 2]
    assert frame["n_null"].dtype == "float64" and frame["n_null"].isna().tolist() == [False, True]
    assert frame["share"].dtype == "float64"
    assert frame["flag"].dtype == "bool"
    assert frame["day"].tolist() == [dt.date(2026, 1, 2), None]
    assert frame["at"].dtype.kind == "M" and frame["at"].iloc[0] == pd.Timestamp("2026-01-02 03:04:05")
    empty = ThriftSession(lambda: _RecordingCursor(log, [], description), "/tmp").table("t").toPandas()
    assert len(empty) == 0 and empty["n"].dtype == "int64" and empty["share"].dtype == "float64"


def test_thrift_write_makes_a_typed_parquet_table_and_cleans_up(tmp_path) -> None:
    import datetime as dt

    import pyarrow.parquet as pq

    from kol_attr.spark_python import ThriftSession

    seen: dict[str, object] = {}
    log: list[str] = []

    class Cursor(_RecordingCursor):
        def execute(self, sql: str) -> None:
            super().execute(sql)
            if sql.startswith("create table"):  # the file must exist while the server reads it
                path = sql.split("parquet.`file://", 1)[1].rstrip("`")
                seen["schema"] = pq.read_schema(f"{path}/part-0.parquet")
                seen["rows"] = pq.read_table(path).num_rows

    result = pd.DataFrame({
        "conversion_id": ["c1", "c2"], "window_days": [7, 30], "credit": [0.25, 1.0],
        "is_unattributed": [False, True],
        "computed_at": pd.to_datetime(["2026-01-01 08:00", "2026-01-02 00:00"]),
        "day": [dt.date(2026, 1, 1), None],
    })
    session = ThriftSession(lambda: Cursor(log, [], []), tmp_path / "wh")
    session.write_table(result, "kol_attr.int_credits_markov", "parquet")
    assert log[0] == "drop table if exists kol_attr.int_credits_markov"
    assert log[1].startswith("create table kol_attr.int_credits_markov using parquet as select * from parquet.`file://")
    schema = seen["schema"]
    # the session route's types (_spark_dataframe_from_pandas): bigint, double, boolean, timestamp
    # (a UTC instant, which Spark reads as TIMESTAMP, not TIMESTAMP_NTZ), anything else string
    assert {f.name: str(f.type) for f in schema} == {  # type: ignore[attr-defined]
        "conversion_id": "string", "window_days": "int64", "credit": "double",
        "is_unattributed": "bool", "computed_at": "timestamp[us, tz=UTC]", "day": "string"}
    assert seen["rows"] == 2
    assert not (tmp_path / "wh" / "_kol_attr_python").exists()  # the staged file is removed
    with pytest.raises(ValueError, match="Parquet only"):
        session.write_table(result, "kol_attr.x", "delta")


def test_thrift_route_runs_a_compiled_model_end_to_end(tmp_path, monkeypatch) -> None:
    """The helper over a fake Thrift connection backed by DuckDB: the compiled model reads its
    input through ThriftSession, and its result becomes the table the CTAS creates."""
    import re

    import duckdb

    from kol_attr.spark_python import LocalPythonJobHelper

    db = duckdb.connect()
    db.sql("create schema kol_attr")
    db.sql("create table kol_attr.paths as select * from (values ('c1', 'k1', 2), ('c1', 'k2', 1),"
           " ('c2', 'k1', 1)) as t(conversion_id, kol_id, n)")
    hive_types = {"VARCHAR": "STRING_TYPE", "INTEGER": "INT_TYPE", "BIGINT": "BIGINT_TYPE",
                  "DOUBLE": "DOUBLE_TYPE"}

    class DuckCursor:
        description: list[tuple] = []

        def execute(self, sql: str) -> None:
            sql = re.sub(r"using parquet as select \* from parquet\.`file://(.*)`",
                         r"as select * from read_parquet('\1/*.parquet')", sql)
            self.result = db.sql(sql.replace("`", '"'))
            if sql.startswith("select"):
                self.description = [(name, hive_types[str(t)]) for name, t in
                                    zip(self.result.columns, self.result.types, strict=True)]

        def fetchall(self) -> list[tuple]:
            return self.result.fetchall()

    closed = []
    connection = SimpleNamespace(cursor=DuckCursor, close=lambda: closed.append(True))
    monkeypatch.setenv("KOL_ATTR_SPARK_WAREHOUSE", str(tmp_path / "wh"))
    helper = LocalPythonJobHelper({"unique_id": "model.kol_attr.test"}, SimpleNamespace(method="thrift"))
    monkeypatch.setattr(helper, "_thrift_connection", lambda: connection)
    helper.submit(_compiled_model("kol_attr.paths", "kol_attr.credits_out"))
    out = db.sql("select * from kol_attr.credits_out order by conversion_id, kol_id").df()
    types = [str(t) for t in db.sql("select * from kol_attr.credits_out").types]
    assert types == ["VARCHAR", "VARCHAR", "DOUBLE"]
    expected = pd.DataFrame({"conversion_id": ["c1", "c1", "c2"], "kol_id": ["k1", "k2", "k1"],
                             "credit": [2 / 3, 1 / 3, 1.0]})
    pd.testing.assert_frame_equal(out, expected, check_dtype=False)
    assert closed == [True]


# what dbt-spark compiles for a Python model on these targets: the model, dbt's dbtObj, and the
# project's write call (macros/spark/spark_python.sql)
_COMPILED_MODEL = '''
def model(dbt, session):
    from kol_attr.credits import relation_to_pandas
    paths = relation_to_pandas(dbt.ref("SOURCE"), ["conversion_id", "kol_id", "n"])
    paths["credit"] = paths["n"] / paths.groupby("conversion_id")["n"].transform("sum")
    return paths[["conversion_id", "kol_id", "credit"]]

class dbtObj:
    def __init__(self, load_df_function):
        self.ref = lambda name: load_df_function(name)

from kol_attr.spark_python import write_model_result
dbt = dbtObj(spark.table)
df = model(dbt, spark)
write_model_result(spark, df, "TARGET", "parquet")
'''


def _compiled_model(source: str, target: str) -> str:
    return _COMPILED_MODEL.replace("SOURCE", source).replace("TARGET", target)


@pytest.mark.skipif(shutil.which("java") is None, reason="Apache Spark needs Java (17)")
def test_helper_runs_compiled_model_in_the_session(tmp_path) -> None:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from kol_attr.spark_python import LocalPythonJobHelper

    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.sql.warehouse.dir", str(tmp_path / "wh"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        spark.sql("create table paths using parquet as select * from values ('c1', 'k1', 2), ('c1', 'k2', 1),"
                  " ('c2', 'k1', 1) as t(conversion_id, kol_id, n)")
        compiled = _compiled_model("paths", "credits_out")
        helper = LocalPythonJobHelper({"unique_id": "model.kol_attr.test"}, SimpleNamespace(method="session"))
        helper.submit(compiled)
        out = spark.table("credits_out")
        assert dict(out.dtypes) == {"conversion_id": "string", "kol_id": "string", "credit": "double"}
        rows = out.toPandas().sort_values(["conversion_id", "kol_id"]).reset_index(drop=True)
        expected = pd.DataFrame({"conversion_id": ["c1", "c1", "c2"], "kol_id": ["k1", "k2", "k1"],
                                 "credit": [2 / 3, 1 / 3, 1.0]})
        pd.testing.assert_frame_equal(rows, expected)
        provider = spark.sql("describe extended credits_out").filter("col_name = 'Provider'").first()
        assert provider[1] == "parquet"
    finally:
        spark.stop()
