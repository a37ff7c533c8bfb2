with

source as (select * from {{ kol_attr.raw_source('wechat_mp_orders') }}),

deduplicated as (
    select distinct * from source
),

renamed as (
    select
        out_trade_no as order_ref,
        openid as wx_openid,
        unionid as wx_unionid,
        scene as wx_scene,
        paid_at as raw_time,
        {{ kol_attr.normalise_code('coupon_code') }} as promo_code,
        {{ kol_attr.normalise_code("regexp_extract(attach, 'kol=([^&;,]+)', 1)") }} as attach_code,
        {{ kol_attr.fen_to_cny('amount_fen') }} as gross_amount,
        {{ kol_attr.epoch_s_to_timestamp('paid_at') }} as ordered_at
    from deduplicated
),

ranked as (
    select
        renamed.*,
        row_number()
            over (partition by renamed.order_ref order by renamed.ordered_at, renamed.gross_amount, renamed.wx_openid)
            as key_occurrence
    from renamed
),

final as (
    select
        'wechat_mp' as order_platform,
        order_ref,
        ordered_at,
        'CNY' as currency,
        gross_amount,
        cast(0 as decimal(18, 2)) as refund_amount,
        gross_amount as net_amount,
        'paid' as order_status,
        promo_code,
        case
            when order_ref is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when gross_amount is null then 'unparseable_amount'
            when gross_amount < 0 then 'negative_amount'
            else {{ kol_attr.time_rejection('ordered_at', 'raw_time') }}
        end as rejection_reason,
        wx_openid,
        wx_unionid,
        attach_code,
        wx_scene,
        'paid' as raw_status
    from ranked
)

select * from final
