{#-
    KOL-matched touches with a time, each flagged whether it is a read-panel exposure: a note read not
    reached through a search click (int_reads_search_led). The one definition of an exposure that
    int_read_panel_person_days and int_read_panel_kol_days aggregate. Ephemeral: it only feeds those two.
-#}
{{ config(materialized='ephemeral') }}

with

touches as (
    select * from {{ ref('fct_touchpoints') }}
    where
        is_kol_matched
        and kol_id is not null
        and touched_at is not null
),

search_led as (select touchpoint_id from {{ ref('int_reads_search_led') }}),

final as (
    select
        ---------- ids
        touches.touchpoint_id,
        touches.person_id,
        touches.kol_id,
        ---------- strings
        touches.touch_signal,
        ---------- numerics
        case
            when
                touches.touch_signal = 'note_interaction'
                and touches.interaction_type = 'read'
                and search_led.touchpoint_id is null
                then 1
            else 0
        end as is_exposure,
        ---------- timestamps
        cast(touches.touched_at as date) as activity_date
    from touches
    left join search_led on touches.touchpoint_id = search_led.touchpoint_id
)

select * from final
