{#-
    Every touch signal in one shape, tied to its person. Touches of the same
    person keep their own rows (de-duplication of repeats is an attribution
    option, not a loss here). A touch whose identity resolves to no person keeps
    its row with person_id null and match_status 'no_identity'.
    Incremental: a run recomputes the touches since incremental_cutoff(), the
    built touches of persons a new identity link merged away
    (vanished_person_ids) and the already built unknown-note touches whose note has
    since arrived.
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='touchpoint_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
) }}
{%- set cutoff = kol_attr.incremental_cutoff('touched_at') %}

with

persons as (select * from {{ ref('int_persons_resolved') }}),

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),
{%- if is_incremental() %}

    rebuilt_touch_ids as (
        {{ kol_attr.rebuilt_touch_ids() }}
    ),
{%- endif %}

unioned as (
    {#- the three touch tables are read by ref inside the macro, not through import CTEs: DuckDB
        materialises a CTE that is read twice (since the cut-off, and the rebuilt ids) in full #}
    {{ kol_attr.rebuilt_touches([
        ref('int_touchpoints_note_interactions'),
        ref('int_touchpoints_tracking_codes'),
        ref('int_touchpoints_note_cards'),
    ], cutoff) }}
),

final as (
    select
        ---------- ids
        unioned.touchpoint_id,
        persons.person_id,
        unioned.kol_id,
        unioned.note_id,
        unioned.campaign_id,
        unioned.asset_id,
        unioned.source_ref,
        unioned.conversion_id,
        unioned.identity_key,
        ---------- strings
        unioned.touch_signal,
        unioned.interaction_type,
        case when persons.person_id is null then 'no_identity' else unioned.match_status end as match_status,
        ---------- booleans
        unioned.kol_id is not null as is_kol_matched,
        ---------- timestamps
        unioned.touched_at
    from unioned
    left join persons on unioned.identity_key = persons.identity_key
)

select * from final
