with

source as (select * from {{ kol_attr.raw_source('juguang_creative_daily') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        creative_id,
        note_id,
        report_date,
        cast(fee_cny as decimal(18, 2)) as fee_cny,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(interactions as bigint) as interactions,
        cast(search_after_read_num as bigint) as searches_after_read
    from deduplicated
)

select * from final
