"""dbt plugin of this project: lets dbt-spark run the project's Python models on a
self-managed Spark (profile ``method: session`` or ``thrift``).

dbt-core loads every importable top-level module whose name starts with ``dbt_`` and
instantiates the classes listed in its ``plugins`` attribute (dbt.plugins.manager). This
one adds the submission helper ``kol_attr_local`` (kol_attr.spark_python) to dbt-spark's
``python_submission_helpers`` and makes it the default submission method only when the
profile's method is ``session`` or ``thrift``. On Databricks (``http`` / ``odbc``) nothing
changes: dbt-spark's own helpers and default (``all_purpose_cluster``) stay as they are.
Without dbt-spark installed the plugin does nothing.
"""

from __future__ import annotations

from dbt.plugins.manager import dbtPlugin


def _patch_spark_adapter() -> None:
    try:
        from dbt.adapters.spark.impl import SparkAdapter
    except ImportError:  # dbt-spark not installed: nothing to do
        return
    if getattr(SparkAdapter, "_kol_attr_patched", False):
        return
    from kol_attr.spark_python import LOCAL_METHODS, SUBMISSION_METHOD, LocalPythonJobHelper

    stock_helpers = SparkAdapter.python_submission_helpers
    stock_default = SparkAdapter.default_python_submission_method

    def python_submission_helpers(self):  # type: ignore[no-untyped-def]
        return {**stock_helpers.fget(self), SUBMISSION_METHOD: LocalPythonJobHelper}

    def default_python_submission_method(self):  # type: ignore[no-untyped-def]
        method = str(getattr(self.config.credentials, "method", ""))
        return SUBMISSION_METHOD if method in LOCAL_METHODS else stock_default.fget(self)

    SparkAdapter.python_submission_helpers = property(python_submission_helpers)
    SparkAdapter.default_python_submission_method = property(default_python_submission_method)
    SparkAdapter._kol_attr_patched = True


class KolAttrSparkPythonPlugin(dbtPlugin):
    """Registers the ``kol_attr_local`` submission helper with dbt-spark (see module docstring)."""

    def initialize(self) -> None:
        _patch_spark_adapter()


plugins = [KolAttrSparkPythonPlugin]
