{#-
    One row per observed identity with the person it belongs to. A person is a
    connected component of the identity graph (chains a-b, b-c included), and
    its person_id is a hash of the smallest identity_key in the component, so the
    same inputs always give the same ids.
-#}
with

identities as (select * from {{ ref('int_identities_unioned') }}),

{{ kol_attr.connected_components(
    nodes=ref('int_identities_unioned'),
    edges=ref('int_identity_edges'),
    node_col='identity_key',
    from_col='from_key',
    to_col='to_key',
    rounds=var('kol_attr__identity_rounds'),
) }},

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
