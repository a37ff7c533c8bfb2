{#-
    One row per observed identity with the person it belongs to. A person is a
    connected component of the identity graph (chains a-b, b-c included), and
    its person_id is a hash of the smallest identity_key in the component, so the
    same inputs always give the same ids.
    Incremental: identity links only accumulate, so a run only relabels the
    persons a new edge touches (an edge whose two identities were not in one
    stored person) together with the new identities; every other stored row
    keeps its person. The components are recomputed on that subgraph alone,
    which holds every edge of its nodes, so the result equals a full run.
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='identity_key',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
) }}

with

identities as (select * from {{ ref('int_identities_unioned') }}),

{% if is_incremental() %}
    all_edges as (select * from {{ ref('int_identity_edges') }}),

    previous_persons as (
        select
            identity_key,
            person_anchor_key
        from {{ this }}
    ),

    changed_edges as (
        select
            from_person.person_anchor_key as anchor_a,
            to_person.person_anchor_key as anchor_b
        from all_edges
        left join previous_persons as from_person on all_edges.from_key = from_person.identity_key
        left join previous_persons as to_person on all_edges.to_key = to_person.identity_key
        where
            from_person.person_anchor_key is null
            or to_person.person_anchor_key is null
            or from_person.person_anchor_key <> to_person.person_anchor_key
    ),

    touched_anchors as (
        select anchor_a as anchor_key from changed_edges
        where anchor_a is not null
        union
        select anchor_b as anchor_key from changed_edges
        where anchor_b is not null
    ),

    subgraph_nodes as (
        select identities.identity_key from identities
        where identities.identity_key not in (select previous_persons.identity_key from previous_persons)
        union
        select previous_persons.identity_key from previous_persons
        where previous_persons.person_anchor_key in (select touched_anchors.anchor_key from touched_anchors)
    ),

    subgraph_edges as (
        select
            all_edges.from_key,
            all_edges.to_key
        from all_edges
        where all_edges.from_key in (select subgraph_nodes.identity_key from subgraph_nodes)
    ),

    {{ kol_attr.connected_components(
        nodes='subgraph_nodes',
        edges='subgraph_edges',
        node_col='identity_key',
        from_col='from_key',
        to_col='to_key',
        rounds=var('kol_attr__identity_rounds'),
    ) }},
{% else %}
    {{ kol_attr.connected_components(
        nodes=ref('int_identities_unioned'),
        edges=ref('int_identity_edges'),
        node_col='identity_key',
        from_col='from_key',
        to_col='to_key',
        rounds=var('kol_attr__identity_rounds'),
    ) }},
{% endif %}

component_sizes as (
    select
        component_key,
        count(*) as identities_in_person
    from cc_final
    group by component_key
),

final as (
    select
        identities.identity_key,
        'p_' || substr({{ dbt.hash('cc_final.component_key') }}, 1, 20) as person_id,
        identities.identity_type,
        identities.identity_value,
        cc_final.component_key as person_anchor_key,
        component_sizes.identities_in_person
    from identities
    inner join cc_final on identities.identity_key = cc_final.node_key
    inner join component_sizes on cc_final.component_key = component_sizes.component_key
)

select * from final
