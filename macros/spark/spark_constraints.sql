{#- Contract constraints on Spark Parquet tables. dbt-spark applies a contract's
    not_null constraints with `alter table ... alter column ... set not null`, which
    only Delta tables support; on Parquet (the only format available here) the
    statement fails. The contract's column names and types are still checked by dbt
    before the table is created; nulls are caught only where the column also has a
    not_null data test (not verified column by column). On a Delta
    target (Databricks) dbt-spark's own implementation runs unchanged. -#}
{% macro spark__alter_column_set_constraints(relation, column_dict) %}
    {%- if config.get('file_format', 'parquet') == 'delta' -%}
        {{ return(dbt.spark__alter_column_set_constraints(relation, column_dict)) }}
    {%- endif -%}
{% endmacro %}
