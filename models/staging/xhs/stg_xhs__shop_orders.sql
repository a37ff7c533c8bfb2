with

source as (select * from {{ kol_attr.raw_source('xhs_shop_orders') }}),

deduplicated as (
    select distinct * from source
),

renamed as (
    select
        order_id as order_ref,
        user_id as xhs_user_id,
        source_note_id,
        order_status as raw_status,
        {{ kol_attr.normalise_code('coupon_code') }} as promo_code,
        {{ kol_attr.fen_to_cny('total_pay_amount_fen') }} as gross_amount,
        {{ kol_attr.fen_to_cny('coalesce(refund_amount_fen, 0)') }} as refund_amount,
        {{ kol_attr.fen_to_cny('coalesce(red_discount_fen, 0)') }} as platform_discount_cny,
        {{ kol_attr.epoch_ms_to_timestamp('paid_time') }} as ordered_at,
        paid_time as raw_time
    from deduplicated
),

ranked as (
    select
        renamed.*,
        row_number() over (
            partition by renamed.order_ref
            order by renamed.raw_status asc, renamed.refund_amount desc, renamed.ordered_at asc, renamed.xhs_user_id asc
        ) as key_occurrence
    from renamed
),

final as (
    select
        'xhs_shop' as order_platform,
        order_ref,
        ordered_at,
        'CNY' as currency,
        gross_amount,
        refund_amount,
        case
            when raw_status = 'cancelled' then cast(0 as decimal(18, 2))
            when gross_amount is null then null  -- unreadable amount: unknown, not 0 (greatest() skips nulls)
            else cast(greatest(gross_amount - refund_amount, 0) as decimal(18, 2))
        end as net_amount,
        case
            when raw_status = 'cancelled' then 'cancelled'
            when refund_amount >= gross_amount and refund_amount > 0 then 'refunded'
            when raw_status = 'refunded' and refund_amount = 0 then 'refunded'
            when refund_amount > 0 then 'partially_refunded'
            else 'paid'
        end as order_status,
        promo_code,
        case
            when order_ref is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when gross_amount is null then 'unparseable_amount'
            when gross_amount < 0 or refund_amount < 0 then 'negative_amount'
            else {{ kol_attr.time_rejection('ordered_at', 'raw_time') }}
        end as rejection_reason,
        xhs_user_id,
        platform_discount_cny,
        source_note_id,
        raw_status
    from ranked
)

select * from final
