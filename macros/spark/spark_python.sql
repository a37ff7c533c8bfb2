{#- Python models on a self-managed Spark (profile method session or thrift). dbt-spark's
    spark__create_table_as turns a Python model into the compiled model plus its
    py_write_table code, which writes the result with `format(config file_format or 'delta')`
    (py_write_table is called directly inside dbt-spark, so only this dispatched macro can
    be overridden). On these targets the code that the submission helper `kol_attr_local`
    runs (src/kol_attr/spark_python.py, registered by the dbt plugin src/dbt_kol_attr) calls
    the model and writes its result through kol_attr.spark_python.write_model_result in the
    model's file format (default Parquet: no Delta jars here). Any other method (Databricks:
    http, odbc) and every SQL model get dbt-spark's own macro unchanged.
    The profile's `method` is not visible in Jinja (target has no `method` key), so the
    test is the one dbt-spark's own validation implies: http and odbc need `cluster` or
    `endpoint`, session and thrift have neither. -#}
{% macro spark__create_table_as(temporary, relation, compiled_code, language='sql') -%}
  {%- if language == 'python' and kol_attr.spark_is_self_managed() -%}
    {{ return(kol_attr.spark_py_write_table_local(compiled_code, relation)) }}
  {%- endif -%}
  {{ return(dbt.spark__create_table_as(temporary, relation, compiled_code, language)) }}
{%- endmacro %}


{% macro spark_py_write_table_local(compiled_code, target_relation) %}
{{ compiled_code }}
# --- kol_attr: run the model in the local Spark session / over Thrift (macros/spark/spark_python.sql) --- #
from kol_attr.spark_python import write_model_result
dbt = dbtObj(spark.table)
df = model(dbt, spark)
write_model_result(spark, df, "{{ target_relation }}", "{{ config.get('file_format') or 'parquet' }}")
{%- endmacro %}


{% macro spark_is_self_managed() -%}
    {{ return(target.type == 'spark' and not target.get('cluster') and not target.get('endpoint')) }}
{%- endmacro %}
