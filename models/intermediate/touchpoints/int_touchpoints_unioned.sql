{#-
    Every touch signal in one shape, tied to its person. Touches of the same
    person keep their own rows (de-duplication of repeats is an attribution
    option, not a loss here). A touch whose identity resolves to no person keeps
    its row with person_id null and match_status 'no_identity'.
-#}
with

note_interactions as (select * from {{ ref('int_touchpoints_note_interactions') }}),

tracking_codes as (select * from {{ ref('int_touchpoints_tracking_codes') }}),

note_cards as (select * from {{ ref('int_touchpoints_note_cards') }}),

persons as (select * from {{ ref('int_persons_resolved') }}),

unioned as (
    select * from note_interactions
    union all
    select * from tracking_codes
    union all
    select * from note_cards
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
