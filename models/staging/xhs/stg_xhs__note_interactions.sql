with

source as (select * from {{ kol_attr.raw_source('xhs_note_interactions') }}),

deduplicated as (
    select distinct * from source
),

ranked as (
    select
        deduplicated.*,
        row_number() over (
            partition by deduplicated.event_id
            order by
                deduplicated.occurred_at, deduplicated.xhs_user_id, deduplicated.note_id, deduplicated.interaction_type
        ) as key_occurrence
    from deduplicated
),

final as (
    select
        event_id,
        xhs_user_id,
        note_id,
        lower(trim(interaction_type)) as interaction_type,
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        case
            when event_id is null or xhs_user_id is null or note_id is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when lower(trim(interaction_type)) not in (
                    'impression', 'read', 'like', 'save', 'comment', 'share', 'follow', 'search_click', 'ad_link_click'
                ) or interaction_type is null then 'unknown_interaction_type'
            else {{ kol_attr.time_rejection('occurred_at', 'occurred_at') }}
        end as rejection_reason
    from ranked
)

select * from final
