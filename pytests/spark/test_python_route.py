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


def test_thrift_session_reads_a_relation_into_pandas() -> None:
    from kol_attr.spark_python import ThriftSession

    class Cursor:
        description = [("kol_id",), ("credit",)]

        def execute(self, sql: str) -> None:
            assert sql == "select * from kol_attr.int_conversion_paths"

        def fetchall(self) -> list[tuple]:
            return [("k1", 0.5), ("k2", 0.25)]

    frame = ThriftSession(Cursor, "/tmp").table("kol_attr.int_conversion_paths")
    assert list(frame.columns) == ["kol_id", "credit"]
    assert frame["credit"].tolist() == [0.5, 0.25]


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
        # what dbt-spark compiles: the model, dbt's dbtObj, and (project override) the write call
        compiled = '''
def model(dbt, session):
    from kol_attr.credits import relation_to_pandas
    paths = relation_to_pandas(dbt.ref("paths"))
    paths["credit"] = paths["n"] / paths.groupby("conversion_id")["n"].transform("sum")
    return paths[["conversion_id", "kol_id", "credit"]]

class dbtObj:
    def __init__(self, load_df_function):
        self.ref = lambda name: load_df_function(name)

from kol_attr.spark_python import write_model_result
dbt = dbtObj(spark.table)
df = model(dbt, spark)
write_model_result(spark, df, "credits_out", "parquet")
'''
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
