{#-
    KOL-matched note reads reached through a search: a read that follows a search click on the same
    note by the same person within kol_attr__search_led_seconds (the click at or before the read).
    Grain: touchpoint_id. Read by int_read_panel_person_days, int_read_panel_kol_days and the
    'incremental' credit model (such a read shows intent already formed, so it is not an exposure).
-#}
{%- set seconds = kol_attr.get_search_led_seconds(var('kol_attr__search_led_seconds')) -%}
with

note_events as (
    select * from {{ ref('fct_touchpoints') }}
    where
        is_kol_matched
        and kol_id is not null
        and touched_at is not null
        and person_id is not null
        and note_id is not null
        and touch_signal = 'note_interaction'
        and interaction_type in ('read', 'search_click')
),

reads_with_last_click as (
    select
        touchpoint_id,
        person_id,
        kol_id,
        note_id,
        interaction_type,
        touched_at,
        max(case when interaction_type = 'search_click' then touched_at end) over (
            partition by person_id, note_id
            order by touched_at asc
            range between unbounded preceding and current row
        ) as last_search_click_at
    from note_events
),

final as (
    select
        ---------- ids
        touchpoint_id,
        person_id,
        kol_id,
        note_id,
        ---------- timestamps
        last_search_click_at,
        touched_at
    from reads_with_last_click
    where
        interaction_type = 'read'
        and last_search_click_at >= {{ dbt.dateadd('second', -1 * seconds, 'touched_at') }}
)

select * from final
