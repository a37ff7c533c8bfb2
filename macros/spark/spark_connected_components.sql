{#- Spark: the portable chain of CTEs (each round reads the previous one twice) is
    inlined by Catalyst into a plan that doubles every round, and the driver runs
    out of heap at 12 rounds (cached temporary views do not help: the analyser still
    expands each view's definition). Here every round is written to its own Parquet
    table next to the model (<model>__cc_*), so each round's plan is one join over
    plain tables (one statement per round: spread and pointer jump); the helper tables of
    earlier rounds are dropped as it goes and the last round's table stays beside the
    model. Needs `nodes` and `edges` to be relations (not CTE names of the calling
    model), because the rounds run as their own statements before the model's query;
    the model's query then reads the last round.
    In a unit test the inputs are fixture CTEs of the test query, which the separate
    statements cannot see, and the portable chain of CTEs hangs in Spark's analyser even
    on a handful of rows (the plan quadruples every round: 4^12 leaves). There
    spark_connected_components_linear runs instead: one CTE per round that reads the
    previous round once (plain min-label propagation without pointer jumping, so it
    covers components of diameter <= rounds: enough for hand-made fixtures, not for a
    real identity graph). -#}
{% macro spark__connected_components(nodes, edges, node_col, from_col, to_col, rounds) -%}
    {%- if nodes is string or edges is string or model.get('resource_type') == 'unit_test' -%}
        {{- return(kol_attr.spark_connected_components_linear(nodes, edges, node_col, from_col, to_col, rounds)) -}}
    {%- endif -%}
    {%- set prefix = this.schema ~ '.' ~ this.identifier ~ '__cc' -%}
    {%- if execute -%}
        {#- helper tables a previous run left behind (the last round's table stays): one listing, then
            only those are dropped, so a round costs two statements (create, drop of the round before) -#}
        {%- set leftovers = run_query("show tables in " ~ this.schema ~ " like '" ~ this.identifier ~ "__cc_*'") -%}
        {%- for row in leftovers if not row['isTemporary'] -%}
            {%- do run_query('drop table if exists ' ~ this.schema ~ '.' ~ row['tableName']) -%}
        {%- endfor -%}
        {%- set statements = [] -%}
        {%- do statements.append(
            'create table ' ~ prefix ~ '_edges as '
            ~ 'select ' ~ from_col ~ ' as node_a, ' ~ to_col ~ ' as node_b from ' ~ edges
            ~ ' union all select ' ~ to_col ~ ' as node_a, ' ~ from_col ~ ' as node_b from ' ~ edges) -%}
        {%- do statements.append(
            'create table ' ~ prefix ~ '_round_0 as select ' ~ node_col ~ ' as node_key, '
            ~ node_col ~ ' as label from ' ~ nodes) -%}
        {%- for i in range(1, rounds + 1) -%}
            {%- set prev = prefix ~ '_round_' ~ (i - 1) -%}
            {#- one statement per round: the min-label spread over the edges, then the pointer jump
                (each node takes its label's label), as in default__connected_components -#}
            {%- do statements.append(
                'create table ' ~ prefix ~ '_round_' ~ i ~ ' as with spread as ('
                ~ 'select own.node_key, '
                ~ 'least(own.label, coalesce(min(neighbour.label), own.label)) as label '
                ~ 'from ' ~ prev ~ ' as own '
                ~ 'left join ' ~ prefix ~ '_edges as e on own.node_key = e.node_a '
                ~ 'left join ' ~ prev ~ ' as neighbour on e.node_b = neighbour.node_key '
                ~ 'group by own.node_key, own.label) '
                ~ 'select spread.node_key, '
                ~ 'least(spread.label, coalesce(jump.label, spread.label)) as label '
                ~ 'from spread '
                ~ 'left join spread as jump on spread.label = jump.node_key') -%}
            {%- do statements.append('drop table if exists ' ~ prev) -%}
        {%- endfor -%}
        {%- for sql in statements -%}
            {%- do run_query(sql) -%}
        {%- endfor -%}
    {%- endif %}
    cc_final as (
        select
            node_key,
            label as component_key
        from {{ prefix }}_round_{{ rounds }}
    )
{%- endmacro %}


{#- Unit-test route of spark__connected_components (see above): each round takes, for
    every node, the minimum label over itself and its neighbours, reading the previous
    round once (the edges carry a self-loop per node), so the plan grows linearly. -#}
{% macro spark_connected_components_linear(nodes, edges, node_col, from_col, to_col, rounds) -%}
    cc_edges as (
        select {{ from_col }} as node_a, {{ to_col }} as node_b from {{ edges }}
        union all
        select {{ to_col }} as node_a, {{ from_col }} as node_b from {{ edges }}
        union all
        select {{ node_col }} as node_a, {{ node_col }} as node_b from {{ nodes }}
    ),

    cc_round_0 as (
        select {{ node_col }} as node_key, {{ node_col }} as label from {{ nodes }}
    ),
    {%- for i in range(1, rounds + 1) %}

    cc_round_{{ i }} as (
        select
            cc_edges.node_b as node_key,
            min(previous.label) as label
        from cc_round_{{ i - 1 }} as previous
        inner join cc_edges on previous.node_key = cc_edges.node_a
        group by cc_edges.node_b
    ),
    {%- endfor %}

    cc_final as (
        select
            node_key,
            label as component_key
        from cc_round_{{ rounds }}
    )
{%- endmacro %}
