with

source as (select * from {{ kol_attr.raw_source('alliance_conversions') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        task_id,
        note_id,
        report_date,
        lower(trim(alliance)) as alliance,
        attribution_period_days,
        cast(read_uv as bigint) as read_uv,
        cast(enter_shop_uv as bigint) as enter_shop_uv,
        cast(add_cart_uv as bigint) as add_cart_uv,
        cast(order_uv as bigint) as order_uv,
        cast(order_gmv_cny as decimal(18, 2)) as order_gmv_cny,
        cast(new_customer_uv as bigint) as new_customer_uv
    from deduplicated
)

select * from final
