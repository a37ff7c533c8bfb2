{#-
    The one staging model that is not a view: 12M raw rows at brand scale, de-duplicated with a
    window per event_id, read by two intermediate models. As a view every reader recomputed the
    de-duplication (~60-70 s each at large scale), so it is an incremental table (issue 7). An
    incremental run re-reads only the raw rows of the event_ids that have a row arrived since
    incremental_cutoff() over the accepted rows (every row of those events, so conflicting
    duplicates rank exactly as in a full build), and the rows without an event_id that are newer
    than every stored row (they have no key to replace).
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='event_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
) }}
{%- set cutoff = kol_attr.incremental_cutoff('case when rejection_reason is null then occurred_at end') %}

with

source as (
    select * from {{ kol_attr.raw_source('xhs_note_interactions') }} as raw_rows
    {% if is_incremental() %}
        where
            event_id in (
                select recent.event_id from {{ kol_attr.raw_source('xhs_note_interactions') }} as recent
                where {{ kol_attr.since_cutoff('recent.occurred_at', cutoff) }}
            )
            or (
                event_id is null
                and occurred_at > coalesce(
                    (select max(built.occurred_at) from {{ this }} as built),
                    cast('1900-01-01' as {{ dbt.type_timestamp() }})
                )
            )
    {% endif %}
),

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
