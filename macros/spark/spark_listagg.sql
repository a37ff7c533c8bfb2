{#- dbt.listagg on Spark. dbt-spark's spark__listagg ignores order_by_clause (it only warns),
    so a path key ('order by recency_rank desc') would come out in whatever order the
    shuffle delivers rows. Here the values are collected with their sort key as structs,
    sorted (array_sort orders structs field by field), and joined. order_by_clause:
    'order by <expr> [asc|desc][, <expr> [asc|desc] ...]' with one direction for all keys;
    null measures are skipped as in listagg. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if not order_by_clause -%}
        {%- set collected = 'collect_list(' ~ measure ~ ')' -%}
        {%- if limit_num -%}{%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}{%- endif -%}
        {{ return('array_join(' ~ collected ~ ', ' ~ delimiter_text ~ ')') }}
    {%- endif -%}
    {%- set body = modules.re.sub('^\\s*order\\s+by\\s+', '', order_by_clause, flags=modules.re.I) -%}
    {%- set keys = [] -%}
    {%- set directions = [] -%}
    {%- for item in body.split(',') -%}
        {%- set m = modules.re.match('^\\s*(.+?)\\s+(asc|desc)\\s*$', item, flags=modules.re.I) -%}
        {%- if m -%}
            {%- do keys.append(m.group(1)) -%}
            {%- do directions.append(m.group(2) | lower) -%}
        {%- else -%}
            {%- do keys.append(item | trim) -%}
            {%- do directions.append('asc') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if directions | unique | list | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "spark__listagg: order_by_clause '" ~ order_by_clause ~ "' mixes asc and desc; one direction only") }}
    {%- endif -%}
    {%- set fields -%}
        {%- for key in keys -%}{{ key }} as k{{ loop.index }}, {% endfor -%}{{ measure }} as v
    {%- endset -%}
    {%- set sorted -%}
        array_sort(collect_list(case when {{ measure }} is not null then struct({{ fields }}) end))
    {%- endset -%}
    {%- if directions[0] == 'desc' -%}
        {%- set sorted = 'reverse(' ~ sorted ~ ')' -%}
    {%- endif -%}
    {%- set values = 'transform(' ~ sorted ~ ', x -> x.v)' -%}
    {%- if limit_num -%}
        {%- set values = 'slice(' ~ values ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    array_join({{ values }}, {{ delimiter_text }})
{%- endmacro %}
