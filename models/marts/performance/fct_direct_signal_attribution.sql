{#-
    KOL x campaign: attributable conversions tied to the KOL by hard evidence alone, and the modeled
    credit beside them. Hard evidence = a matched touch of signal promo_code, passphrase, qr_scan,
    utm_session, note_card, wechat_attach or ad_link that is either carried by the order itself (the
    touch's conversion_id, or the D2C order's landing session) or on the conversion's path within
    var kol_attr__compare_window_days (default 30) days. Note reads and other note interactions are
    never hard evidence. The campaign is the touch's (its asset's or note's) campaign.
-#}
{{ kol_attr.validate_marts_vars() }}

{%- set hard_signals = [
    'promo_code', 'passphrase', 'qr_scan', 'utm_session', 'note_card', 'wechat_attach', 'ad_link',
] %}
{%- set compare_window = var('kol_attr__compare_window_days', 30) %}
{%- set compare_models = var('kol_attr__compare_models', ['linear', 'last_touch']) %}

with

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
    where is_kol_matched and touch_signal in {{ kol_attr.sql_string_list(hard_signals) }}
),

conversions as (
    select * from {{ ref('fct_conversions') }}
    where is_attributable
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where not is_unattributed
),

campaigns as (select * from {{ ref('dim_campaigns') }}),

notes as (select * from {{ ref('dim_notes') }}),

kols as (select * from {{ ref('dim_kols') }}),

order_borne as (
    select
        touchpoints.touchpoint_id,
        touchpoints.conversion_id
    from touchpoints
    where touchpoints.conversion_id is not null
    union
    select
        touchpoints.touchpoint_id,
        conversions.conversion_id
    from touchpoints
    inner join conversions on touchpoints.source_ref = conversions.landing_session_id
    where touchpoints.touch_signal in ('utm_session', 'qr_scan', 'ad_link')
),

on_path as (
    select distinct
        touchpoint_id,
        conversion_id
    from credits
    where window_days = {{ compare_window }}
),

linked as (
    select
        touchpoint_id,
        conversion_id
    from order_borne
    union
    select
        touchpoint_id,
        conversion_id
    from on_path
),

evidence as (
    select
        touchpoints.kol_id,
        touchpoints.campaign_id,
        touchpoints.touch_signal,
        conversions.conversion_id,
        conversions.revenue_cny,
        order_borne.conversion_id is not null as is_order_borne
    from touchpoints
    inner join linked on touchpoints.touchpoint_id = linked.touchpoint_id
    inner join conversions on linked.conversion_id = conversions.conversion_id
    left join order_borne
        on linked.touchpoint_id = order_borne.touchpoint_id and linked.conversion_id = order_borne.conversion_id
),

conversion_evidence as (
    {#- one row per KOL x campaign x conversion -#}
    select
        kol_id,
        campaign_id,
        conversion_id,
        max(revenue_cny) as revenue_cny,
        bool_or(is_order_borne) as is_order_borne,
        {%- for signal in hard_signals %}
            bool_or(touch_signal = '{{ signal }}') as has_{{ signal }},
        {%- endfor %}
        count(*) as evidence_touches
    from evidence
    group by kol_id, campaign_id, conversion_id
),

kols_per_conversion as (
    select
        conversion_id,
        count(distinct kol_id) as evidenced_kols
    from conversion_evidence
    group by conversion_id
),

direct as (
    select
        conversion_evidence.kol_id,
        conversion_evidence.campaign_id,
        count(*) as direct_conversions,
        sum(conversion_evidence.revenue_cny) as direct_revenue_cny,
        sum(case when conversion_evidence.is_order_borne then 1 else 0 end) as order_borne_conversions,
        sum(case when kols_per_conversion.evidenced_kols > 1 then 1 else 0 end) as shared_direct_conversions,
        {%- for signal in hard_signals %}
            sum(case when conversion_evidence.has_{{ signal }} then 1 else 0 end) as {{ signal }}_conversions,
            sum(case when conversion_evidence.has_{{ signal }} then conversion_evidence.revenue_cny else 0 end)
                as {{ signal }}_revenue_cny,
        {%- endfor %}
        count(distinct case when kols_per_conversion.evidenced_kols = 1 then conversion_evidence.conversion_id end)
            as exclusive_direct_conversions
    from conversion_evidence
    inner join kols_per_conversion on conversion_evidence.conversion_id = kols_per_conversion.conversion_id
    group by conversion_evidence.kol_id, conversion_evidence.campaign_id
),

modeled as (
    select
        credits.kol_id,
        credits.campaign_id,
        {%- for model in compare_models %}
            sum(
                case when credits.attribution_model = '{{ model }}' and credits.window_days = {{ compare_window }}
                        then credits.credit
                    else 0
                end
            ) as {{ model }}_conversions,
            sum(
                case when credits.attribution_model = '{{ model }}' and credits.window_days = {{ compare_window }}
                        then credits.attributed_revenue_cny
                    else 0
                end
            ) as {{ model }}_revenue_cny,
        {%- endfor %}
        sum(
            case
                when
                    credits.attribution_model = campaigns.frozen_attribution_model
                    and credits.window_days = campaigns.frozen_window_days
                    then credits.credit
                else 0
            end
        ) as frozen_model_conversions,
        sum(
            case
                when
                    credits.attribution_model = campaigns.frozen_attribution_model
                    and credits.window_days = campaigns.frozen_window_days
                    then credits.attributed_revenue_cny
                else 0
            end
        ) as frozen_model_revenue_cny
    from credits
    left join campaigns on credits.campaign_id = campaigns.campaign_id
    group by credits.kol_id, credits.campaign_id
),

kol_campaigns as (
    select
        kol_id,
        campaign_id
    from notes
    union
    select
        kol_id,
        campaign_id
    from direct
    union
    select
        kol_id,
        campaign_id
    from modeled
),

final as (
    select
        ---------- ids
        cast(kol_campaigns.kol_id as {{ dbt.type_string() }}) as kol_id,
        cast(kol_campaigns.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(kols.kol_handle as {{ dbt.type_string() }}) as kol_handle,
        cast(campaigns.frozen_attribution_model as {{ dbt.type_string() }}) as frozen_attribution_model,
        ---------- numerics
        cast(campaigns.frozen_window_days as {{ dbt.type_int() }}) as frozen_window_days,
        cast({{ compare_window }} as {{ dbt.type_int() }}) as compare_window_days,
        cast(coalesce(direct.direct_conversions, 0) as bigint) as direct_conversions,
        cast(coalesce(direct.direct_revenue_cny, 0) as double) as direct_revenue_cny,
        cast(coalesce(direct.order_borne_conversions, 0) as bigint) as order_borne_conversions,
        cast(coalesce(direct.exclusive_direct_conversions, 0) as bigint) as exclusive_direct_conversions,
        cast(coalesce(direct.shared_direct_conversions, 0) as bigint) as shared_direct_conversions,
        {%- for signal in hard_signals %}
            cast(coalesce(direct.{{ signal }}_conversions, 0) as bigint) as {{ signal }}_conversions,
            cast(coalesce(direct.{{ signal }}_revenue_cny, 0) as double) as {{ signal }}_revenue_cny,
        {%- endfor %}
        {%- for model in compare_models %}
            cast(coalesce(modeled.{{ model }}_conversions, 0) as double) as {{ model }}_conversions,
            cast(coalesce(modeled.{{ model }}_revenue_cny, 0) as double) as {{ model }}_revenue_cny,
            cast(
                {{ kol_attr.safe_divide(
                    'coalesce(modeled.' ~ model ~ '_conversions, 0)', 'direct.direct_conversions'
                ) }}
                as double
            ) as {{ model }}_to_direct_ratio,
        {%- endfor %}
        cast(coalesce(modeled.frozen_model_conversions, 0) as double) as frozen_model_conversions,
        cast(coalesce(modeled.frozen_model_revenue_cny, 0) as double) as frozen_model_revenue_cny,
        cast(
            {{ kol_attr.safe_divide('coalesce(modeled.frozen_model_conversions, 0)', 'direct.direct_conversions') }}
            as double
        ) as frozen_model_to_direct_ratio,
        cast(
            coalesce(modeled.frozen_model_conversions, 0) - coalesce(direct.direct_conversions, 0) as double
        ) as frozen_model_minus_direct_conversions
    from kol_campaigns
    left join direct
        on
            kol_campaigns.kol_id = direct.kol_id
            and kol_campaigns.campaign_id is not distinct from direct.campaign_id
    left join modeled
        on
            kol_campaigns.kol_id = modeled.kol_id
            and kol_campaigns.campaign_id is not distinct from modeled.campaign_id
    left join campaigns on kol_campaigns.campaign_id = campaigns.campaign_id
    left join kols on kol_campaigns.kol_id = kols.kol_id
)

select * from final
