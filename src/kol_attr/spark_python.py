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
  dbt process with ``spark`` bound to :class:`ThriftSession` over a Thrift connection of its
  own; ``table(name)`` is a lazy :class:`ThriftRelation` that fetches only the columns the model
  selects, with the dtypes a session's ``toPandas()`` gives. The result is written as a Parquet
  file into ``<warehouse>/_kol_attr_python/<schema>.<table>/<uuid>/`` with the session route's
  column types, the table is created from it with SQL (``create table ... using parquet as
  select * from parquet.`<dir>```, which copies the rows into the warehouse) and the file is
  removed. This needs the Thrift server's driver and executors to see the dbt machine's files
  at the same path (a cluster on the same machine or a shared POSIX mount); the directory is
  taken from ``KOL_ATTR_SPARK_WAREHOUSE``.

Model code stays engine-neutral: it turns whatever ``dbt.ref`` returns into pandas with
``kol_attr.credits.relation_to_pandas`` (DuckDB relation, Spark DataFrame or pandas).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

SUBMISSION_METHOD = "kol_attr_local"
LOCAL_METHODS = ("session", "thrift")


def _result_kind(series: pd.Series) -> str:
    """How a result column is stored on Spark: boolean, bigint, double, timestamp or string.

    One mapping for both routes, so a Python model's table has the same column types whether it
    was written in the session (``_spark_dataframe_from_pandas``) or over Thrift (Parquet file).
    """
    kind = series.dtype.kind
    if kind == "b":
        return "boolean"
    if kind in "iu":
        return "bigint"
    if kind == "f":
        return "double"
    if kind == "M":
        return "timestamp"
    return "string"


def _spark_dataframe_from_pandas(spark: Any, df: pd.DataFrame) -> Any:
    """A Spark DataFrame from pandas with explicit column types (pandas dtypes -> Spark SQL)."""
    from pyspark.sql import types as T

    spark_types = {
        "boolean": T.BooleanType(),
        "bigint": T.LongType(),
        "double": T.DoubleType(),
        "timestamp": T.TimestampType(),
        "string": T.StringType(),
    }
    schema = T.StructType(
        [T.StructField(str(c), spark_types[_result_kind(df[c])], True) for c in df.columns]
    )
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


def _arrow_table(df: pd.DataFrame) -> Any:
    """The result as an Arrow table with the column types of ``_result_kind`` (timestamps as UTC
    instants, which Spark reads as TIMESTAMP; tz-naive Parquet timestamps would be TIMESTAMP_NTZ)."""
    import pyarrow as pa

    arrow_types = {
        "boolean": pa.bool_(),
        "bigint": pa.int64(),
        "double": pa.float64(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "string": pa.string(),
    }
    arrays, fields = [], []
    for column in df.columns:
        series = df[column]
        kind = _result_kind(series)
        if kind == "timestamp":
            series = pd.to_datetime(series)
            if series.dt.tz is None:
                series = series.dt.tz_localize("UTC")
            values = series.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
        elif kind == "string":
            values = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                      for v in series]
        else:
            values = series
        arrays.append(pa.array(values, type=arrow_types[kind], from_pandas=True))
        fields.append(pa.field(str(column), arrow_types[kind], nullable=True))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# Thrift result column types (PyHive's description type codes) -> how a column is turned into what
# a Spark session's ``toPandas()`` gives for it (PyHive already parses TIMESTAMP and DECIMAL).
_INTEGER_TYPES = ("TINYINT_TYPE", "SMALLINT_TYPE", "INT_TYPE", "BIGINT_TYPE")
_FLOAT_TYPES = ("FLOAT_TYPE", "DOUBLE_TYPE")


def _typed_frame(rows: list[Any], description: list[tuple]) -> pd.DataFrame:
    """Rows fetched over Thrift as pandas with the dtypes a Spark session's ``toPandas()`` gives:
    integers int64 (float64 when a value is null), floats float64, booleans bool (object with
    nulls), timestamps datetime64, dates ``datetime.date`` objects (Thrift sends dates as text)."""
    columns = [str(d[0]) for d in description]
    frame = pd.DataFrame.from_records([tuple(r) for r in rows], columns=columns)
    for position in range(len(columns)):
        type_code = description[position][1] if len(description[position]) > 1 else None
        series = frame.iloc[:, position]
        has_nulls = bool(series.isna().any())
        if type_code in _INTEGER_TYPES:
            series = series.astype("float64" if has_nulls else "int64")
        elif type_code in _FLOAT_TYPES:
            series = series.astype("float64")
        elif type_code == "BOOLEAN_TYPE" and not has_nulls:
            series = series.astype("bool")
        elif type_code == "TIMESTAMP_TYPE":
            series = pd.to_datetime(series)
        elif type_code == "DATE_TYPE":
            dates = [None if v is None or pd.isna(v) else pd.Timestamp(v).date() for v in series]
            series = pd.Series(dates, index=frame.index, dtype=object)
        else:
            continue
        frame.isetitem(position, series)
    return frame


class ThriftRelation:
    """A relation read over Thrift, lazily: the part of a Spark DataFrame the project's Python
    models use (``columns``, ``select``, ``toPandas``; see ``kol_attr.credits.relation_to_pandas``).
    Nothing is fetched until ``toPandas``, and only the selected columns then."""

    def __init__(self, session: ThriftSession, name: str, columns: tuple[str, ...] | None = None) -> None:
        self._session = session
        self.name = name
        self._columns = columns

    @property
    def columns(self) -> list[str]:
        if self._columns is None:
            cursor = self._session._execute(f"select * from {self.name} limit 0")
            cursor.fetchall()
            self._columns = tuple(str(d[0]) for d in cursor.description)
        return list(self._columns)

    def select(self, *columns: str) -> ThriftRelation:
        return ThriftRelation(self._session, self.name, tuple(columns))

    def _select_list(self) -> str:
        if self._columns is None:
            return "*"
        return ", ".join(f"`{c.replace('`', '``')}`" for c in self._columns)

    def toPandas(self) -> pd.DataFrame:  # noqa: N802 (the pyspark name)
        cursor = self._session._execute(f"select {self._select_list()} from {self.name}")
        rows = cursor.fetchall()
        return _typed_frame(rows, list(cursor.description))


class ThriftSession:
    """The part of a SparkSession a compiled dbt Python model uses (``table``), over a Thrift
    connection to the Spark Thrift Server; plus writing a pandas result back as a Parquet table."""

    def __init__(self, cursor_factory: Any, warehouse: str | os.PathLike[str]) -> None:
        self._cursor_factory = cursor_factory
        self.warehouse = Path(warehouse)

    def _execute(self, sql: str) -> Any:
        cursor = self._cursor_factory()
        cursor.execute(sql)
        return cursor

    def table(self, name: str) -> ThriftRelation:
        return ThriftRelation(self, name)

    def write_table(self, df: pd.DataFrame, target_relation: str, file_format: str) -> None:
        """Write ``df`` to a Parquet file under ``<warehouse>/_kol_attr_python/`` and create
        ``target_relation`` from it (a managed table: the Thrift server copies the rows into the
        warehouse), then remove the file. The Thrift server must see this machine's files."""
        import pyarrow.parquet as pq

        if file_format != "parquet":
            raise ValueError(f"the Thrift route writes Parquet only, the model asks for {file_format!r}")
        out_dir = self.warehouse / "_kol_attr_python" / target_relation / uuid.uuid4().hex
        out_dir.mkdir(parents=True, exist_ok=True)
        try:
            pq.write_table(_arrow_table(df), out_dir / "part-0.parquet")
            self._execute(f"drop table if exists {target_relation}")
            self._execute(
                f"create table {target_relation} using parquet as "
                f"select * from parquet.`file://{out_dir.resolve()}`"
            )
        finally:
            shutil.rmtree(out_dir, ignore_errors=True)
            for parent in (out_dir.parent, out_dir.parent.parent):
                try:
                    parent.rmdir()  # only when empty
                except OSError:
                    break


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

    def _thrift_connection(self) -> Any:
        from pyhive import hive  # what dbt-spark's thrift method connects with

        creds = self.credentials
        return hive.connect(
            host=creds.host,
            port=int(creds.port or 10000),
            username=creds.user or None,
            database=creds.schema,
            auth=creds.auth or "NONE",
            # the session settings dbt-spark's own thrift connections open with
            configuration=dict(getattr(creds, "server_side_parameters", None) or {}),
        )

    def submit(self, compiled_code: str) -> None:
        connection = None
        if self.method == "session":
            from pyspark.sql import SparkSession

            spark: Any = SparkSession.builder.getOrCreate()  # the session dbt-spark's connection runs
        else:
            connection = self._thrift_connection()
            warehouse = os.environ.get("KOL_ATTR_SPARK_WAREHOUSE", "target/spark-warehouse")
            spark = ThriftSession(connection.cursor, warehouse)
        name = self.parsed_model.get("unique_id", "python_model")
        namespace: dict[str, Any] = {"__name__": f"dbt_python_model.{name}", "spark": spark}
        try:
            exec(compile(compiled_code, f"<dbt python model {name}>", "exec"), namespace)
        finally:
            if connection is not None:
                try:
                    connection.close()
                except Exception:  # noqa: BLE001
                    # best effort: the Spark 4.3 Thrift server from the pyspark wheel can fail
                    # CloseSession (NoClassDefFoundError LlapSigner$Signable, a Hive jar the wheel
                    # lacks) after the model's table is written; the socket closes regardless
                    pass
        return None
