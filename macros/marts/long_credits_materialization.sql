{#- long_credits_materialization(): how fct_attribution_credits is materialised. A view by
    default (a projection of the wide credit columns, see the model). Spark: a table, because
    the view's SQL text (~all schemes x windows as union branches) is longer than the 32,700
    characters an embedded Derby Hive metastore stores for a view (dbt-spark session / local
    Thrift server; the error is a Derby truncation error on TBLS.VIEW_ORIGINAL_TEXT). -#}
{% macro long_credits_materialization() -%}
    {{ return(adapter.dispatch('long_credits_materialization', 'kol_attr')()) }}
{%- endmacro %}

{% macro default__long_credits_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__long_credits_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
