{#- Enforced model contracts on Spark. The model yml files declare contract types in
    the project's (DuckDB / ANSI) spelling; dbt checks a contract by comparing the
    model's column types with those of `select cast(null as <data_type>)`, and Spark 4
    rejects a bare `varchar`. Same as dbt's default__get_empty_schema_sql, with the
    type name translated by kol_attr.spark_type_name() (varchar -> string, ...). -#}
{% macro spark__get_empty_schema_sql(columns) %}
    {%- set col_err = [] -%}
    select
    {% for i in columns %}
        {%- set col = columns[i] -%}
        {%- if col['data_type'] is not defined -%}
            {%- do col_err.append(col['name']) -%}
        {%- endif -%}
        {%- set col_name = adapter.quote(col['name']) if col.get('quote') else col['name'] -%}
        cast(null as {{ kol_attr.spark_type_name(col.get('data_type', 'string')) }}) as {{ col_name }}{{ ", " if not loop.last }}
    {%- endfor -%}
    {%- if (col_err | length) > 0 -%}
        {{ exceptions.column_type_missing(column_names=col_err) }}
    {%- endif -%}
{% endmacro %}
