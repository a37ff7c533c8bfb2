with

source as (select * from {{ kol_attr.raw_source('xhs_brand_account_daily') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        account_id,
        report_date,
        cast(follower_count as bigint) as follower_count,
        cast(like_and_save_count as bigint) as like_and_save_count
    from deduplicated
)

select * from final
