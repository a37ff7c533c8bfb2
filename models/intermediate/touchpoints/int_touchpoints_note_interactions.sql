{#-
    User-level note events (clean-room / ad-link logs) as touches. The note
    decides the KOL and campaign; an event for a note the brand does not know
    stays a touch with kol_id null and match_status 'unknown_note'.
    `ad_link_click` events are the ad_link signal; every other event type is a
    note_interaction.
    Incremental: a run recomputes the events since incremental_cutoff() and the
    already built unknown-note events whose note has since arrived.
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='touchpoint_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
) }}
{%- set cutoff = kol_attr.incremental_cutoff('touched_at') %}

with

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),

interactions as (
    select * from {{ ref('stg_xhs__note_interactions') }}
    where
        rejection_reason is null
        and (
            {{ kol_attr.since_cutoff('occurred_at', cutoff) }}
            {%- if is_incremental() %}
                or event_id in (
                    select built.source_ref from {{ this }} as built
                    where built.kol_id is null and built.note_id in (select notes.note_id from notes)
                )
            {%- endif %}
        )
),

final as (
    select
        ---------- ids
        'ni:' || interactions.event_id as touchpoint_id,
        'xhs_user_id:' || interactions.xhs_user_id as identity_key,
        notes.kol_id,
        interactions.note_id,
        notes.campaign_id,
        interactions.event_id as source_ref,
        cast(null as {{ dbt.type_string() }}) as conversion_id,
        cast(null as {{ dbt.type_string() }}) as asset_id,
        ---------- strings
        case
            when interactions.interaction_type = 'ad_link_click' then 'ad_link'
            else 'note_interaction'
        end as touch_signal,
        interactions.interaction_type,
        case when notes.note_id is null then 'unknown_note' else 'matched' end as match_status,
        ---------- timestamps
        interactions.occurred_at as touched_at
    from interactions
    left join notes on interactions.note_id = notes.note_id
)

select * from final
