{#-
    The read panel per person and day, for the persons the 'incremental' credit model fits on: every
    person with a KOL-matched note event (the clean-room panel) who has an attributable conversion.
    Grain: person_id x activity_date (UTC). Exposures are reads that were not reached through a
    search click (int_reads_search_led).
-#}
with

note_events as (
    select * from {{ ref('fct_touchpoints') }}
    where
        is_kol_matched
        and kol_id is not null
        and touched_at is not null
        and person_id is not null
        and touch_signal = 'note_interaction'
),

converters as (
    select distinct person_id from {{ ref('fct_conversions') }}
    where
        is_attributable
        and person_id is not null
),

search_led as (select touchpoint_id from {{ ref('int_reads_search_led') }}),

events_of_converters as (
    select
        note_events.person_id,
        cast(note_events.touched_at as date) as activity_date,
        case
            when note_events.interaction_type = 'read' and search_led.touchpoint_id is null then 1 else 0
        end as is_exposure
    from note_events
    inner join converters on note_events.person_id = converters.person_id
    left join search_led on note_events.touchpoint_id = search_led.touchpoint_id
),

final as (
    select
        ---------- ids
        person_id,
        ---------- numerics
        count(*) as note_events,
        sum(is_exposure) as exposures,
        ---------- timestamps
        activity_date
    from events_of_converters
    group by person_id, activity_date
)

select * from final
