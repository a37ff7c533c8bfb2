with

source as (select * from {{ kol_attr.raw_source('d2c_orders') }}),

deduplicated as (
    select distinct * from source
),

renamed as (
    select
        order_id as order_ref,
        customer_id as d2c_customer_id,
        email_sha256,
        phone_sha256,
        landing_session_id,
        financial_status as raw_status,
        created_at as raw_time,
        upper(trim(currency)) as currency,
        {{ kol_attr.normalise_code('discount_code') }} as promo_code,
        cast(total_amount as decimal(18, 2)) as gross_amount,
        cast(coalesce(refunded_amount, 0) as decimal(18, 2)) as refund_amount,
        {{ kol_attr.iso_to_utc('created_at') }} as ordered_at
    from deduplicated
),

ranked as (
    select
        renamed.*,
        row_number() over (
            partition by renamed.order_ref
            order by
                renamed.raw_status asc, renamed.refund_amount desc, renamed.ordered_at asc, renamed.d2c_customer_id asc
        ) as key_occurrence
    from renamed
),

final as (
    select
        'd2c' as order_platform,
        order_ref,
        ordered_at,
        currency,
        gross_amount,
        refund_amount,
        case
            when raw_status in ('voided', 'refunded') then cast(0 as decimal(18, 2))
            when gross_amount is null then null  -- unreadable amount: unknown, not 0 (greatest() skips nulls)
            else cast(greatest(gross_amount - refund_amount, 0) as decimal(18, 2))
        end as net_amount,
        case raw_status
            when 'voided' then 'cancelled'
            when 'refunded' then 'refunded'
            when 'partially_refunded' then 'partially_refunded'
            when 'paid' then 'paid'
        end as order_status,
        promo_code,
        case
            when order_ref is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when gross_amount is null then 'unparseable_amount'
            when gross_amount < 0 or refund_amount < 0 then 'negative_amount'
            when currency is null then 'unknown_currency'
            when raw_status not in ('paid', 'refunded', 'partially_refunded', 'voided') or raw_status is null
                then 'unknown_status'
            else {{ kol_attr.time_rejection('ordered_at', 'raw_time') }}
        end as rejection_reason,
        d2c_customer_id,
        email_sha256,
        phone_sha256,
        landing_session_id,
        raw_status
    from ranked
)

select * from final
