{#-
    Each KOL's tier over time, from the daily Pugongying profile snapshots and
    the tier bands seed, compressed to one row per run of days with the same tier
    and celebrity flag. valid_from of a KOL's first run is pushed back to
    1900-01-01, so a note published before the first snapshot takes the tier of
    the earliest one; valid_to is exclusive, null for the current run.
-#}
with

snapshots as (select * from {{ ref('stg_pgy__kol_snapshots') }}),

bands as (select * from {{ ref('kol_tier_bands') }}),

tiered as (
    select
        snapshots.kol_id,
        snapshots.snapshot_date,
        snapshots.follower_count,
        snapshots.is_celebrity,
        bands.tier as kol_tier
    from snapshots
    left join bands
        on
            snapshots.follower_count >= bands.min_followers
            and (bands.max_followers is null or snapshots.follower_count < bands.max_followers)
),

flagged as (
    select
        tiered.*,
        case
            when lag(tiered.kol_tier) over (partition by tiered.kol_id order by tiered.snapshot_date) = tiered.kol_tier
                and lag(tiered.is_celebrity) over (partition by tiered.kol_id order by tiered.snapshot_date)
                = tiered.is_celebrity
                then 0
            else 1
        end as is_new_run
    from tiered
),

numbered as (
    select
        flagged.*,
        sum(flagged.is_new_run) over (
            partition by flagged.kol_id order by flagged.snapshot_date rows between unbounded preceding and current row
        ) as run_number
    from flagged
),

runs as (
    select
        kol_id,
        run_number,
        min(kol_tier) as kol_tier,
        bool_or(is_celebrity) as is_celebrity,
        min(snapshot_date) as first_snapshot_date,
        max(follower_count) as max_follower_count,
        min(follower_count) as min_follower_count
    from numbered
    group by kol_id, run_number
),

final as (
    select
        kol_id,
        kol_tier,
        is_celebrity,
        min_follower_count,
        max_follower_count,
        case
            when run_number = 1 then cast('1900-01-01' as date) else first_snapshot_date
        end as valid_from,
        lead(first_snapshot_date) over (partition by kol_id order by run_number) as valid_to
    from runs
)

select * from final
