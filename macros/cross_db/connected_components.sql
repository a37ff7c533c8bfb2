{#-
    connected_components(nodes, edges, node_col, from_col, to_col, rounds)

    Emits SQL (a chain of CTEs ending in a select) that labels every node of an
    undirected graph with the smallest node key of its connected component.

    Portable min-label propagation with pointer jumping: each round first takes
    the minimum label over a node and its neighbours, then replaces each label by
    the label of the label node ("jump"). With jumping, the number of rounds
    needed grows with the logarithm of the component diameter, so `rounds`
    (var kol_attr__identity_rounds, default 12) covers chains far longer than any
    identity graph holds; the singular test `assert_persons_converged` fails the
    build if a link still joins two different labels, so a too-small value can
    never pass silently. No recursive CTE: it runs unchanged on DuckDB and Spark.

    Arguments:
      nodes:    relation or CTE name with one row per node
      edges:    relation or CTE name with one row per undirected edge
      node_col: node key column in `nodes`
      from_col, to_col: the two endpoint columns in `edges`
      rounds:   number of propagation rounds (positive integer)
    Output columns: node_key, component_key.
-#}
{% macro connected_components(nodes, edges, node_col, from_col, to_col, rounds) -%}
    {%- if rounds is not number or rounds < 1 -%}
        {{ exceptions.raise_compiler_error(
            "connected_components: rounds must be a positive integer, got " ~ rounds
            ~ " (var kol_attr__identity_rounds)") }}
    {%- endif -%}
    {{- return(adapter.dispatch('connected_components', 'kol_attr')(nodes, edges, node_col, from_col, to_col, rounds)) -}}
{%- endmacro %}

{% macro default__connected_components(nodes, edges, node_col, from_col, to_col, rounds) -%}
    cc_edges as (
        select {{ from_col }} as node_a, {{ to_col }} as node_b from {{ edges }}
        union all
        select {{ to_col }} as node_a, {{ from_col }} as node_b from {{ edges }}
    ),

    cc_round_0 as {{ kol_attr.cte_materialized() }} (
        select {{ node_col }} as node_key, {{ node_col }} as label from {{ nodes }}
    ),
    {%- for i in range(1, rounds + 1) %}

    cc_spread_{{ i }} as {{ kol_attr.cte_materialized() }} (
        select
            own.node_key,
            least(own.label, coalesce(min(neighbour.label), own.label)) as label
        from cc_round_{{ i - 1 }} as own
        left join cc_edges on own.node_key = cc_edges.node_a
        left join cc_round_{{ i - 1 }} as neighbour on cc_edges.node_b = neighbour.node_key
        group by own.node_key, own.label
    ),

    cc_round_{{ i }} as {{ kol_attr.cte_materialized() }} (
        select
            spread.node_key,
            least(spread.label, coalesce(jump.label, spread.label)) as label
        from cc_spread_{{ i }} as spread
        left join cc_spread_{{ i }} as jump on spread.label = jump.node_key
    ),
    {%- endfor %}

    cc_final as (
        select
            node_key,
            label as component_key
        from cc_round_{{ rounds }}
    )
{%- endmacro %}

{#-
    cte_materialized(): the keyword that asks the engine to compute a CTE once
    when it is read more than once (DuckDB `materialized`); empty where the
    engine has no such hint.
-#}
{% macro cte_materialized() -%}
    {{- return(adapter.dispatch('cte_materialized', 'kol_attr')()) -}}
{%- endmacro %}

{% macro default__cte_materialized() -%}
{%- endmacro %}

{% macro duckdb__cte_materialized() -%}
    materialized
{%- endmacro %}
