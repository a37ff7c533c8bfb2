{#-
    KOL-matched touches and read-panel exposures per KOL and day: the time profile the 'incremental'
    credit model spreads modelled credit with, and the span of days its fit covers. Grain: kol_id x
    activity_date (UTC). Exposures: int_kol_touches_exposure_flagged (reads not reached through a
    search click), by any person.
-#}
with

touches as (select * from {{ ref('int_kol_touches_exposure_flagged') }}),

final as (
    select
        ---------- ids
        kol_id,
        ---------- numerics
        count(*) as touches,
        sum(is_exposure) as exposures,
        ---------- timestamps
        activity_date
    from touches
    group by kol_id, activity_date
)

select * from final
