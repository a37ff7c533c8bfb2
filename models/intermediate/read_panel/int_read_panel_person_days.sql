{#-
    The read panel per person and day, for the persons the 'incremental' credit model fits on: every
    person with a KOL-matched note event (the clean-room panel) who has an attributable conversion.
    Grain: person_id x activity_date (UTC). Exposures: int_kol_touches_exposure_flagged (reads not
    reached through a search click).
-#}
with

note_events as (
    select * from {{ ref('int_kol_touches_exposure_flagged') }}
    where
        person_id is not null
        and touch_signal = 'note_interaction'
),

converters as (
    select distinct person_id from {{ ref('fct_conversions') }}
    where
        is_attributable
        and person_id is not null
),

events_of_converters as (
    select note_events.*
    from note_events
    inner join converters on note_events.person_id = converters.person_id
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
