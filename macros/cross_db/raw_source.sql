{#-
    raw_source(table_name): the relation of one raw table of the contract.

    Returns `source('raw', table_name)` (a table in schema `raw`, or the Parquet
    file `<kol_attr__raw_path>/<table>.parquet` when that var is set: see the
    external_location of the source). When the demo seeds are enabled it also
    registers the demo seed of the same name as a parent, so a fresh `dbt build`
    loads the seed before it creates the staging view over it.

    During a replay (var kol_attr__replay_as_of set, macros/incremental/replay.sql) the relation is
    wrapped in a subquery that hides the rows that had not yet arrived at that instant.

    When dbt executes, it first checks that the raw table has every column the contract gives it
    (assert_raw_columns): a missing column stops the build with an error naming the table, the
    column and the rule, instead of a binder error deep inside a staging model.
-#}
{% macro raw_source(table_name) -%}
    {%- if kol_attr.demo_seeds_enabled() -%}
        {%- set _seed = ref(table_name) -%}
    {%- endif -%}
    {%- set relation = source('raw', table_name) -%}
    {%- if execute and model is mapping and model.get('resource_type') == 'model' -%}
        {%- do kol_attr.assert_raw_columns(table_name, relation) -%}
    {%- endif -%}
    {{- kol_attr.replay_filtered(relation, table_name) -}}
{%- endmacro %}


{#-
    assert_raw_columns(table_name, relation): raise a compiler error naming the table, every missing
    column and the rule when `relation` lacks a column that source `raw`.`table_name` declares
    (the columns of contract/raw_sources.yml). Extra columns are allowed. Names compare
    case-insensitively.
-#}
{% macro assert_raw_columns(table_name, relation) -%}
    {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
        | selectattr('name', 'equalto', table_name) | first -%}
    {%- if node is not defined or node is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set present = run_query('select * from ' ~ relation ~ ' limit 0').column_names | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in node.columns if column | lower not in present -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error("raw table " ~ table_name ~ " (" ~ relation ~ ") is missing column(s) "
            ~ missing | join(', ') ~ ". Rule: every column of contract/raw_sources.yml must be present in the raw "
            ~ "table (add it, null if the export lacks it); columns found: " ~ present | join(', ') ~ ".") }}
    {%- endif -%}
{%- endmacro %}

{% macro demo_seeds_enabled() -%}
    {{- return(var('kol_attr__load_demo') and var('kol_attr__raw_path') is none) -}}
{%- endmacro %}
