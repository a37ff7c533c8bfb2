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

note_interactions as (select * from {{ ref('int_touchpoints_note_interactions') }}),

tracking_codes as (select * from {{ ref('int_touchpoints_tracking_codes') }}),

note_cards as (select * from {{ ref('int_touchpoints_note_cards') }}),

persons as (select * from {{ ref('int_persons_resolved') }}),

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),

all_touches as (
    select * from note_interactions
    union all
    select * from tracking_codes
    union all
    select * from note_cards
),

unioned as (
    select * from all_touches
    where {{ kol_attr.rebuilt_touches_filter('all_touches', cutoff) }}
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
