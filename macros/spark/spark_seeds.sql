{#- Seeds on Spark. The seed yml files carry the raw contract's column types in
    DuckDB / ANSI spelling (varchar, integer, timestamp, decimal(p,s)); Spark 4
    rejects a bare varchar (it needs a length), so the two dbt-spark seed macros are
    overridden here only to translate the type names through kol_attr.spark_type_name().
    Everything else is dbt-spark's own code (1.11.0). -#}

{% macro spark_type_name(type_name) -%}
    {%- set t = (type_name | string | trim | lower) -%}
    {%- if t in ('varchar', 'text', 'char', 'character varying') -%}string
    {%- elif t in ('integer', 'int4') -%}int
    {%- elif t in ('double precision', 'float8') -%}double
    {%- elif t == 'timestamptz' -%}timestamp
    {%- else -%}{{ type_name }}
    {%- endif -%}
{%- endmacro %}


{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}

    {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = kol_attr.spark_type_name(column_override.get(col_name, inferred_type)) -%}
            {%- set column_name = (col_name | string) -%}
            {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
    {% endset %}

    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}

    {{ return(sql) }}
{% endmacro %}


{#- Loading rows. By default the CSV file is read by Spark itself: a temporary view
    `using csv` over the seed file (every column read as a string, RFC 4180 quoting,
    multi-line values allowed), then one `insert into ... select cast(col as <type>)`
    with the seed's declared types, so the table's types are exactly the contract's.
    Values that do not cast fail the load (ANSI mode), as a bad contract type should.
    This needs the Spark driver to see the project's files (session, or a Thrift
    server on the same machine); on Databricks / a remote cluster set
    kol_attr__spark_seed_read_file: false and rows go in as escaped literals in
    batches (slow: the Spark SQL parser on long VALUES lists). -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set types = [] %}
    {% for col_name in agate_table.column_names %}
        {% do types.append(kol_attr.spark_type_name(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)))) %}
    {% endfor %}
    {% set read_file = var('kol_attr__spark_seed_read_file', true) %}
    {% if read_file not in (true, false) %}
        {% do exceptions.raise_compiler_error(
            "kol_attr__spark_seed_read_file must be true or false, got '" ~ read_file ~ "'") %}
    {% endif %}
    {% if read_file %}
        {{ return(kol_attr.spark_load_csv_file(model, agate_table, types)) }}
    {% endif %}
    {{ return(kol_attr.spark_load_csv_literals(model, agate_table, types)) }}
{% endmacro %}


{% macro spark_seed_file_path(model) -%}
    {%- set path = model['root_path'] ~ '/' ~ model['original_file_path'] -%}
    {{ return(path.replace('\\', '/')) }}
{%- endmacro %}


{% macro spark_load_csv_file(model, agate_table, types) %}
    {%- set delimiter = model['config'].get('delimiter', ',') or ',' -%}
    {%- set view_name = this.identifier ~ '__seed_csv' -%}
    {% set create_view %}
        create or replace temporary view {{ view_name }}
        using csv
        options (
            path '{{ kol_attr.spark_seed_file_path(model) }}',
            header 'true',
            sep '{{ delimiter }}',
            quote '"',
            escape '"',
            multiLine 'true',
            encoding 'UTF-8',
            inferSchema 'false',
            mode 'FAILFAST'
        )
    {% endset %}
    {% set sql %}
        insert into {{ this.render() }}
        select
        {%- for col_name in agate_table.column_names %}
            cast(`{{ col_name }}` as {{ types[loop.index0] }}){%- if not loop.last %},{%- endif %}
        {%- endfor %}
        from {{ view_name }}
    {% endset %}
    {% do adapter.add_query(create_view, abridge_sql_log=True) %}
    {% do adapter.add_query(sql, abridge_sql_log=True) %}
    {% do adapter.add_query('drop view if exists ' ~ view_name, abridge_sql_log=True) %}
    {{ return(sql) }}
{% endmacro %}


{#- Rows as escaped literals, not bindings: dbt-spark's session cursor fills
    bindings with `sql % params` without escaping quotes (a value like "campaign's"
    breaks the statement). Batches of 2000 rows keep Spark's parser fast. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}null
    {%- elif value is sameas true -%}true
    {%- elif value is sameas false -%}false
    {%- elif value is number -%}{{ value }}
    {%- else -%}'{{ (value | string).replace('\\', '\\\\').replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}


{% macro spark_load_csv_literals(model, agate_table, types) %}
    {% set statements = [] %}

    {% for chunk in agate_table.rows | batch(2000) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ kol_attr.spark_seed_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %},{%- endif %}
                {%- endfor -%})
                {%- if not loop.last %},{%- endif %}
            {%- endfor %}
        {% endset %}

        {% do adapter.add_query(sql, abridge_sql_log=True) %}

        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}

    {{ return(statements[0]) }}
{% endmacro %}
