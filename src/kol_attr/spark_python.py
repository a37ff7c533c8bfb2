"""Run the project's dbt Python models on a self-managed Apache Spark (no Databricks).

dbt-spark hands a Python model to a "submission helper"; the only helpers it ships submit
the compiled model to a Databricks cluster through the Databricks REST API. This module
adds one more helper, ``kol_attr_local``, registered by the dbt plugin ``dbt_kol_attr``
(src/dbt_kol_attr) and used by default only when the profile's ``method`` is ``session``
or ``thrift``. Any other method (``http`` / ``odbc``: Databricks) keeps dbt-spark's own
default (``all_purpose_cluster``), so the stock route there is unchanged.

How it runs the compiled model (the code dbt-spark compiles, with the project's override
of ``spark__create_table_as`` in macros/spark/spark_python.sql putting the call and the write
at the end):

* ``method: session``: the code is executed (``exec``) in the dbt process, where dbt-spark's
  session connection already runs the SparkSession; ``spark`` is that session, so
  ``dbt.ref(...)`` returns a Spark DataFrame. The model's result (pandas or Spark DataFrame)
  is written as a table in the model's file format (Parquet here) by ``write_model_result``.
* ``method: thrift``: the Spark Thrift Server runs SQL only. The code is executed in the
  dbt process with ``spark`` bound to :class:`ThriftSession`, whose ``table(name)`` reads a
  relation into pandas over the same Thrift connection; the result is written as a Parquet
  file into ``<warehouse>/_kol_attr_python/<schema>.<table>/`` and the table is created
  over it with SQL (``create table ... using parquet as select * from parquet.`<dir>```).
  This needs the driver of the Thrift server to see the dbt machine's files (a cluster on
  the same machine or a shared file system); the directory is taken from
  ``KOL_ATTR_SPARK_WAREHOUSE``.

Model code stays engine-neutral: it turns whatever ``dbt.ref`` returns into pandas with
``kol_attr.credits.relation_to_pandas`` (DuckDB relation, Spark DataFrame or pandas).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

SUBMISSION_METHOD = "kol_attr_local"
LOCAL_METHODS = ("session", "thrift")


def _spark_dataframe_from_pandas(spark: Any, df: pd.DataFrame) -> Any:
    """A Spark DataFrame from pandas with explicit column types (pandas dtypes -> Spark SQL)."""
    from pyspark.sql import types as T

    def spark_type(series: pd.Series) -> T.DataType:
        kind = series.dtype.kind
        if kind == "b":
            return T.BooleanType()
        if kind in "iu":
            return T.LongType()
        if kind == "f":
            return T.DoubleType()
        if kind == "M":
            return T.TimestampType()
        return T.StringType()

    schema = T.StructType([T.StructField(str(c), spark_type(df[c]), True) for c in df.columns])
    records = []
    for row in df.itertuples(index=False, name=None):
        values = []
        for value, field in zip(row, schema.fields, strict=True):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                values.append(None)
            elif isinstance(field.dataType, T.LongType):
                values.append(int(value))
            elif isinstance(field.dataType, T.DoubleType):
                values.append(float(value))
            elif isinstance(field.dataType, T.BooleanType):
                values.append(bool(value))
            elif isinstance(field.dataType, T.TimestampType):
                values.append(pd.Timestamp(value).to_pydatetime())
            else:
                values.append(str(value))
        records.append(tuple(values))
    return spark.createDataFrame(records, schema=schema)


def write_model_result(spark: Any, df: Any, target_relation: str, file_format: str) -> None:
    """Write a Python model's result as the table ``target_relation`` (overwrite)."""
    if isinstance(spark, ThriftSession):
        spark.write_table(_to_pandas(df), target_relation, file_format)
        return
    if isinstance(df, pd.DataFrame):
        df = _spark_dataframe_from_pandas(spark, df)
    if not hasattr(df, "write"):
        raise TypeError(f"{type(df).__name__} is not a supported result type for a dbt Python model")
    (
        df.write.mode("overwrite")
        .format(file_format)
        .option("overwriteSchema", "true")
        .saveAsTable(target_relation)
    )


def _to_pandas(df: Any) -> pd.DataFrame:
    from kol_attr.credits import relation_to_pandas

    return relation_to_pandas(df)


class ThriftSession:
    """The part of a SparkSession a compiled dbt Python model uses (``table``), over the
    Thrift connection dbt-spark already holds; plus writing a pandas result back."""

    def __init__(self, cursor_factory: Any, warehouse: str | os.PathLike[str]) -> None:
        self._cursor_factory = cursor_factory
        self.warehouse = Path(warehouse)

    def _execute(self, sql: str) -> Any:
        cursor = self._cursor_factory()
        cursor.execute(sql)
        return cursor

    def table(self, name: str) -> pd.DataFrame:
        cursor = self._execute(f"select * from {name}")
        rows = cursor.fetchall()
        columns = [d[0] for d in cursor.description]
        return pd.DataFrame.from_records([tuple(r) for r in rows], columns=columns)

    def write_table(self, df: pd.DataFrame, target_relation: str, file_format: str) -> None:
        if file_format != "parquet":
            raise ValueError(f"the Thrift route writes Parquet only, the model asks for {file_format!r}")
        out_dir = self.warehouse / "_kol_attr_python" / target_relation / uuid.uuid4().hex
        out_dir.mkdir(parents=True, exist_ok=True)
        df.to_parquet(
            out_dir / "part-0.parquet", index=False, coerce_timestamps="us", allow_truncated_timestamps=True
        )
        self._execute(f"drop table if exists {target_relation}")
        self._execute(
            f"create table {target_relation} using parquet as "
            f"select * from parquet.`file://{out_dir.resolve()}`"
        )


class LocalPythonJobHelper:
    """dbt-spark submission helper ``kol_attr_local`` (see the module docstring)."""

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.parsed_model = parsed_model
        self.credentials = credentials
        method = str(getattr(credentials, "method", ""))
        if method not in LOCAL_METHODS:
            raise ValueError(
                f"submission_method {SUBMISSION_METHOD!r} runs on a profile with method "
                f"{' or '.join(LOCAL_METHODS)}, this profile has method {method!r}"
            )
        self.method = method

    def _spark(self) -> Any:
        if self.method == "session":
            from pyspark.sql import SparkSession

            return SparkSession.builder.getOrCreate()  # the session dbt-spark's connection runs
        from pyhive import hive  # what dbt-spark's thrift method connects with

        creds = self.credentials
        conn = hive.connect(
            host=creds.host,
            port=int(creds.port or 10000),
            username=creds.user or None,
            database=creds.schema,
            auth=creds.auth or "NONE",
        )
        warehouse = os.environ.get("KOL_ATTR_SPARK_WAREHOUSE", "target/spark-warehouse")
        return ThriftSession(conn.cursor, warehouse)

    def submit(self, compiled_code: str) -> None:
        spark = self._spark()
        name = self.parsed_model.get("unique_id", "python_model")
        namespace: dict[str, Any] = {"__name__": f"dbt_python_model.{name}", "spark": spark}
        exec(compile(compiled_code, f"<dbt python model {name}>", "exec"), namespace)
        return None
