with

snapshots as (select * from {{ ref('stg_pgy__kol_snapshots') }}),

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),

tiers as (select * from {{ ref('int_kol_tier_history') }}),

latest_snapshot as (
    select
        snapshots.*,
        row_number() over (partition by snapshots.kol_id order by snapshots.snapshot_date desc) as recency
    from snapshots
),

profile_history as (
    select
        kol_id,
        count(distinct kol_handle) as handles_seen,
        min(snapshot_date) as first_snapshot_date,
        max(snapshot_date) as last_snapshot_date
    from snapshots
    group by kol_id
),

current_tier as (
    select * from tiers
    where valid_to is null
),

note_counts as (
    select
        kol_id,
        count(*) as sponsored_notes,
        count(distinct campaign_id) as campaigns,
        min(published_at) as first_published_at
    from notes
    group by kol_id
),

all_kols as (
    select kol_id from snapshots
    union
    select kol_id from notes
),

final as (
    select
        ---------- ids
        cast(all_kols.kol_id as {{ dbt.type_string() }}) as kol_id,
        ---------- strings
        cast(latest_snapshot.kol_handle as {{ dbt.type_string() }}) as kol_handle,
        cast(current_tier.kol_tier as {{ dbt.type_string() }}) as kol_tier,
        cast(latest_snapshot.content_tags as {{ dbt.type_string() }}) as content_tags,
        ---------- numerics
        cast(latest_snapshot.follower_count as bigint) as follower_count,
        cast(latest_snapshot.picture_price_cny as decimal(18, 2)) as picture_price_cny,
        cast(latest_snapshot.video_price_cny as decimal(18, 2)) as video_price_cny,
        cast(coalesce(profile_history.handles_seen, 0) as {{ dbt.type_int() }}) as handles_seen,
        cast(coalesce(note_counts.sponsored_notes, 0) as {{ dbt.type_int() }}) as sponsored_notes,
        cast(coalesce(note_counts.campaigns, 0) as {{ dbt.type_int() }}) as campaigns,
        ---------- booleans
        cast(coalesce(latest_snapshot.is_celebrity, false) as boolean) as is_celebrity,
        cast(latest_snapshot.kol_id is not null as boolean) as has_profile,
        ---------- dates
        cast(profile_history.first_snapshot_date as date) as first_snapshot_date,
        cast(profile_history.last_snapshot_date as date) as last_snapshot_date,
        cast(note_counts.first_published_at as {{ dbt.type_timestamp() }}) as first_published_at
    from all_kols
    left join latest_snapshot
        on all_kols.kol_id = latest_snapshot.kol_id and latest_snapshot.recency = 1
    left join profile_history on all_kols.kol_id = profile_history.kol_id
    left join current_tier on all_kols.kol_id = current_tier.kol_id
    left join note_counts on all_kols.kol_id = note_counts.kol_id
)

select * from final
