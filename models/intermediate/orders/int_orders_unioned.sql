{#-
    The five order exports in one vocabulary, one row per distinct order, with
    CNY amounts and the buyer identity the person graph resolves. Nothing is
    dropped here: rows that cannot become conversions keep a rejection_reason
    (staging's, or 'unknown_currency' when no FX rate exists on or before the
    order's UTC date, or 'no_buyer_identity').
-#}
{%- set exports = kol_attr.order_exports() %}
{%- set extras = {
    'platform_discount_cny': ('xhs_shop', dbt.type_numeric()),
    'source_note_id': ('xhs_shop', dbt.type_string()),
    'landing_session_id': ('d2c', dbt.type_string()),
    'attach_code': ('wechat_mp', dbt.type_string()),
    'wx_scene': ('wechat_mp', dbt.type_int()),
} %}

with

{% for export in exports %}
    {{ export.platform }}_orders as (select * from {{ ref(export.staging_model) }}),
{% endfor %}

fx_rates as (select * from {{ ref('stg_finance__fx_rates_daily') }}),

unioned as (
    {%- for export in exports %}
        select
            order_platform,
            order_ref,
            {{ export.identity_expr }} as buyer_identity_key,
            ordered_at,
            currency,
            gross_amount,
            refund_amount,
            net_amount,
            order_status,
            raw_status,
            promo_code,
            {%- for column, (owner, data_type) in extras.items() %}
                {% if owner == export.platform %}{{ column }}{% else %}cast(null as {{ data_type }}){% endif %}
                    as {{ column }},
            {%- endfor %}
            rejection_reason
        from {{ export.platform }}_orders
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

fx_candidates as (
    select
        unioned.order_platform,
        unioned.order_ref,
        fx_rates.cny_per_unit,
        row_number() over (
            partition by unioned.order_platform, unioned.order_ref
            order by fx_rates.rate_date desc
        ) as recency
    from unioned
    inner join fx_rates
        on
            unioned.currency = fx_rates.currency
            and fx_rates.rate_date <= cast(unioned.ordered_at as date)
    where unioned.currency <> 'CNY'
),

with_fx as (
    select
        unioned.*,
        case
            when unioned.currency = 'CNY' then cast(1 as {{ kol_attr.type_double() }})
            else fx_candidates.cny_per_unit
        end as cny_per_unit
    from unioned
    left join fx_candidates
        on
            unioned.order_platform = fx_candidates.order_platform
            and unioned.order_ref = fx_candidates.order_ref
            and fx_candidates.recency = 1
),

final as (
    select
        ---------- ids
        order_platform || ':' || order_ref as conversion_id,
        order_platform,
        order_ref,
        buyer_identity_key,
        source_note_id,
        landing_session_id,
        ---------- strings
        currency,
        order_status,
        raw_status,
        promo_code,
        attach_code,
        coalesce(
            rejection_reason,
            case
                when cny_per_unit is null then 'unknown_currency'
                when buyer_identity_key is null then 'no_buyer_identity'
            end
        ) as rejection_reason,
        ---------- numerics
        wx_scene,
        gross_amount,
        refund_amount,
        net_amount,
        cny_per_unit,
        cast(round(gross_amount * cny_per_unit, 2) as decimal(18, 2)) as gross_revenue_cny,
        cast(round(refund_amount * cny_per_unit, 2) as decimal(18, 2)) as refund_cny,
        cast(round(net_amount * cny_per_unit, 2) as decimal(18, 2)) as revenue_cny,
        cast(platform_discount_cny as decimal(18, 2)) as platform_discount_cny,
        ---------- booleans
        order_status = 'cancelled' as is_cancelled,
        ---------- timestamps
        ordered_at
    from with_fx
)

select * from final
