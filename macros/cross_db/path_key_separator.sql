{#-
    path_key_separator(): the SQL expression of the character that joins the KOL ids of a path into
    its path_key (int_conversion_path_keys, int_path_summaries): the ASCII unit separator, chr(31),
    the same as kol_attr.credits.PATH_KEY_SEPARATOR in Python. chr() exists on DuckDB, Spark,
    Postgres and Snowflake; an engine without it gets its own dispatch implementation.
-#}
{% macro path_key_separator() %}
    {{- return(adapter.dispatch('path_key_separator', 'kol_attr')()) -}}
{% endmacro %}

{% macro default__path_key_separator() -%}
    chr(31)
{%- endmacro %}
