with

source as (select * from {{ kol_attr.raw_source('tmall_orders') }}),

deduplicated as (
    select distinct * from source
),

renamed as (
    select
        tid as order_ref,
        buyer_open_uid as tmall_open_uid,
        status as raw_status,
        payment as raw_payment,
        pay_time as raw_time,
        {{ kol_attr.normalise_code('coupon_code') }} as promo_code,
        {{ kol_attr.yuan_text_to_decimal('payment') }} as gross_amount,
        coalesce({{ kol_attr.yuan_text_to_decimal('refund_fee') }}, cast(0 as decimal(18, 2))) as refund_amount,
        {{ kol_attr.shanghai_local_to_utc('pay_time') }} as ordered_at
    from deduplicated
),

ranked as (
    select
        renamed.*,
        row_number() over (
            partition by renamed.order_ref
            order by
                renamed.raw_status asc, renamed.refund_amount desc, renamed.ordered_at asc, renamed.tmall_open_uid asc
        ) as key_occurrence
    from renamed
),

final as (
    select
        'tmall' as order_platform,
        order_ref,
        ordered_at,
        'CNY' as currency,
        gross_amount,
        refund_amount,
        case
            when raw_status in ('TRADE_CLOSED', 'TRADE_CLOSED_BY_TAOBAO') then cast(0 as decimal(18, 2))
            when gross_amount is null then null  -- unreadable amount: unknown, not 0 (greatest() skips nulls)
            else cast(greatest(gross_amount - refund_amount, 0) as decimal(18, 2))
        end as net_amount,
        case
            when raw_status in ('TRADE_CLOSED', 'TRADE_CLOSED_BY_TAOBAO') then 'cancelled'
            when refund_amount >= gross_amount and refund_amount > 0 then 'refunded'
            when refund_amount > 0 then 'partially_refunded'
            else 'paid'
        end as order_status,
        promo_code,
        case
            when order_ref is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when gross_amount is null then 'unparseable_amount'
            when gross_amount < 0 or refund_amount < 0 then 'negative_amount'
            when raw_status not in (
                    'TRADE_FINISHED', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS',
                    'TRADE_CLOSED', 'TRADE_CLOSED_BY_TAOBAO'
                ) or raw_status is null then 'unknown_status'
            else {{ kol_attr.time_rejection('ordered_at', 'raw_time') }}
        end as rejection_reason,
        tmall_open_uid,
        raw_payment,
        raw_status
    from ranked
)

select * from final
