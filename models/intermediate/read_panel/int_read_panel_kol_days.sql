{#-
    KOL-matched touches and read-panel exposures per KOL and day: the time profile the 'incremental'
    credit model spreads modelled credit with, and the span of days its fit covers. Grain: kol_id x
    activity_date (UTC). Exposures are note reads not reached through a search click
    (int_reads_search_led), by any person.
-#}
with

touches as (
    select * from {{ ref('fct_touchpoints') }}
    where
        is_kol_matched
        and kol_id is not null
        and touched_at is not null
),

search_led as (select touchpoint_id from {{ ref('int_reads_search_led') }}),

touches_flagged as (
    select
        touches.kol_id,
        cast(touches.touched_at as date) as activity_date,
        case
            when
                touches.touch_signal = 'note_interaction'
                and touches.interaction_type = 'read'
                and search_led.touchpoint_id is null
                then 1
            else 0
        end as is_exposure
    from touches
    left join search_led on touches.touchpoint_id = search_led.touchpoint_id
),

final as (
    select
        ---------- ids
        kol_id,
        ---------- numerics
        count(*) as touches,
        sum(is_exposure) as exposures,
        ---------- timestamps
        activity_date
    from touches_flagged
    group by kol_id, activity_date
)

select * from final
