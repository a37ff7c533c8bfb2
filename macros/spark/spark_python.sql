{#- Python models on a self-managed Spark (profile method session or thrift). dbt-spark's
    py_write_table appends to the compiled model the code that calls it and writes the
    result with `format(config file_format or 'delta')`. On these targets the code the
    project's submission helper `kol_attr_local` runs (src/kol_attr/spark_python.py,
    registered by the dbt plugin src/dbt_kol_attr) calls the model and writes its result
    through kol_attr.spark_python.write_model_result in the model's file format (default
    Parquet: no Delta jars here). Any other method (Databricks: http, odbc) gets dbt-spark's
    own code unchanged. -#}
{% macro py_write_table(compiled_code, target_relation) %}
{%- if target.type == 'spark' and target.get('method') in ('session', 'thrift') -%}
{{ compiled_code }}
# --- kol_attr: run the model in the local Spark session / over Thrift (macros/spark/spark_python.sql) --- #
from kol_attr.spark_python import write_model_result
dbt = dbtObj(spark.table)
df = model(dbt, spark)
write_model_result(spark, df, "{{ target_relation }}", "{{ config.get('file_format') or 'parquet' }}")
{%- else -%}
{{ dbt.py_write_table(compiled_code, target_relation) }}
{%- endif -%}
{%- endmacro %}
