with

source as (select * from {{ kol_attr.raw_source('jd_orders') }}),

deduplicated as (
    select distinct * from source
),

renamed as (
    select
        order_id as order_ref,
        pin_enc as jd_pin,
        order_state as raw_status,
        order_time as raw_time,
        {{ kol_attr.normalise_code('coupon_code') }} as promo_code,
        cast(order_amount as decimal(18, 2)) as gross_amount,
        {{ kol_attr.shanghai_local_to_utc('order_time') }} as ordered_at
    from deduplicated
),

ranked as (
    select
        renamed.*,
        row_number()
            over (partition by renamed.order_ref order by renamed.raw_status, renamed.ordered_at, renamed.jd_pin)
            as key_occurrence
    from renamed
),

final as (
    select
        'jd' as order_platform,
        order_ref,
        ordered_at,
        'CNY' as currency,
        gross_amount,
        case when raw_status = 'REFUNDED' then gross_amount else cast(0 as decimal(18, 2)) end as refund_amount,
        case when raw_status = 'FINISHED' then gross_amount else cast(0 as decimal(18, 2)) end as net_amount,
        case raw_status
            when 'FINISHED' then 'paid'
            when 'REFUNDED' then 'refunded'
            when 'CANCELLED' then 'cancelled'
        end as order_status,
        promo_code,
        case
            when order_ref is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when gross_amount is null then 'unparseable_amount'
            when gross_amount < 0 then 'negative_amount'
            when raw_status not in ('FINISHED', 'CANCELLED', 'REFUNDED') or raw_status is null then 'unknown_status'
            else {{ kol_attr.time_rejection('ordered_at', 'raw_time') }}
        end as rejection_reason,
        jd_pin,
        raw_status
    from ranked
)

select * from final
