{#-
    raw_source(table_name): the relation of one raw table of the contract.

    Returns `source('raw', table_name)` (a table in schema `raw`, or the Parquet
    file `<kol_attr__raw_path>/<table>.parquet` when that var is set: see the
    external_location of the source). When the demo seeds are enabled it also
    registers the demo seed of the same name as a parent, so a fresh `dbt build`
    loads the seed before it creates the staging view over it.
-#}
{% macro raw_source(table_name) -%}
    {%- if kol_attr.demo_seeds_enabled() -%}
        {%- set _seed = ref(table_name) -%}
    {%- endif -%}
    {{- source('raw', table_name) -}}
{%- endmacro %}

{% macro demo_seeds_enabled() -%}
    {{- return(var('kol_attr__load_demo') and var('kol_attr__raw_path') is none) -}}
{%- endmacro %}
