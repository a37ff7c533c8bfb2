with

source as (select * from {{ kol_attr.raw_source('pgy_kols') }}),

deduplicated as (
    select distinct * from source
),

ranked as (
    select
        deduplicated.*,
        row_number() over (
            partition by deduplicated.kol_id, deduplicated.snapshot_date
            order by deduplicated.follower_count desc, deduplicated.kol_handle asc
        ) as key_occurrence
    from deduplicated
    where deduplicated.kol_id is not null and deduplicated.snapshot_date is not null
),

final as (
    select
        kol_id,
        trim(kol_handle) as kol_handle,
        cast(follower_count as bigint) as follower_count,
        coalesce(is_celebrity, false) as is_celebrity,
        content_tags,
        cast(picture_price_cny as decimal(18, 2)) as picture_price_cny,
        cast(video_price_cny as decimal(18, 2)) as video_price_cny,
        snapshot_date
    from ranked
    where key_occurrence = 1
)

select * from final
