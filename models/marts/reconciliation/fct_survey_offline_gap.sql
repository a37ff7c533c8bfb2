{#-
    Estimate of the XHS-driven purchases the digital attribution stack cannot see (offline, daigou,
    group buy, orders outside the exports), per platform the survey respondents named (grain:
    order_platform). Method:
      1. online response rate r = responses whose order is in fct_conversions / conversions on the
         platform in the survey period (one day before the first answered_at to the last one);
      2. responses naming no known order are purchases outside the exports; they are scaled up by
         1 / (r x var kol_attr__survey_offline_response_ratio) (default 1: offline buyers answer as often
         as online ones; raise it if they answer more readily) to estimated_outside_orders;
      3. the share of those responses whose first-heard channel is Xiaohongshu gives
         estimated_outside_xhs_orders, valued at the average net revenue of the surveyed known orders;
      4. outside_xhs_share = estimated_outside_xhs_orders / (estimated_outside_xhs_orders + KOL credit
         the model gives the platform's conversions in the period): the part of XHS-driven purchases
         missing from modeled credit.
    Small samples make this noisy; responses_without_order says how many answers it rests on.
-#}
{{ kol_attr.validate_marts_vars() }}

{%- set offline_ratio = var('kol_attr__survey_offline_response_ratio', 1.0) %}

with

survey as (select * from {{ ref('fct_survey_reconciliation') }}),

conversions as (select * from {{ ref('fct_conversions') }}),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where
        not is_unattributed
        and attribution_model = '{{ var("kol_attr__survey_model", "linear") }}'
        and window_days = {{ var('kol_attr__survey_window_days', 30) }}
),

survey_period as (
    select
        {{ dbt.dateadd('day', -1, 'min(answered_at)') }} as period_start_at,
        max(answered_at) as period_end_at
    from survey
),

platform_conversions as (
    select
        conversions.order_platform,
        count(*) as conversions_in_period
    from conversions
    cross join survey_period
    where conversions.converted_at between survey_period.period_start_at and survey_period.period_end_at
    group by conversions.order_platform
),

platform_credit as (
    select
        credits.order_platform,
        sum(credits.credit) as modeled_kol_conversions
    from credits
    cross join survey_period
    where credits.converted_at between survey_period.period_start_at and survey_period.period_end_at
    group by credits.order_platform
),

responses as (
    select
        order_platform,
        count(*) as responses,
        sum(case when has_matching_order then 1 else 0 end) as responses_with_order,
        sum(case when not has_matching_order then 1 else 0 end) as responses_without_order,
        sum(case when has_matching_order and is_xhs_heard then 1 else 0 end) as xhs_responses_with_order,
        sum(case when not has_matching_order and is_xhs_heard then 1 else 0 end) as xhs_responses_without_order,
        avg(case when has_matching_order and is_order_attributable then order_revenue_cny end)
            as avg_known_order_revenue_cny
    from survey
    group by order_platform
),

estimates as (
    select
        responses.*,
        coalesce(platform_conversions.conversions_in_period, 0) as conversions_in_period,
        coalesce(platform_credit.modeled_kol_conversions, 0) as modeled_kol_conversions,
        {{ kol_attr.safe_divide('responses.responses_with_order', 'platform_conversions.conversions_in_period') }}
            as online_response_rate,
        {{ kol_attr.safe_divide('responses.xhs_responses_without_order', 'responses.responses_without_order') }}
            as xhs_share_without_order
    from responses
    left join platform_conversions on responses.order_platform = platform_conversions.order_platform
    left join platform_credit on responses.order_platform = platform_credit.order_platform
),

scaled as (
    select
        estimates.*,
        {{ kol_attr.safe_divide('responses_without_order', 'online_response_rate * ' ~ offline_ratio) }}
            as estimated_outside_orders,
        {{ kol_attr.safe_divide('xhs_responses_without_order', 'online_response_rate * ' ~ offline_ratio) }}
            as estimated_outside_xhs_orders
    from estimates
),

final as (
    select
        ---------- strings
        cast(order_platform as {{ dbt.type_string() }}) as order_platform,
        ---------- numerics
        cast(responses as bigint) as responses,
        cast(responses_with_order as bigint) as responses_with_order,
        cast(responses_without_order as bigint) as responses_without_order,
        cast(xhs_responses_with_order as bigint) as xhs_responses_with_order,
        cast(xhs_responses_without_order as bigint) as xhs_responses_without_order,
        cast(conversions_in_period as bigint) as conversions_in_period,
        cast(online_response_rate as double) as online_response_rate,
        cast({{ offline_ratio }} as double) as offline_response_ratio,
        cast(xhs_share_without_order as double) as xhs_share_without_order,
        cast(estimated_outside_orders as double) as estimated_outside_orders,
        cast(estimated_outside_xhs_orders as double) as estimated_outside_xhs_orders,
        cast(avg_known_order_revenue_cny as double) as avg_known_order_revenue_cny,
        cast(estimated_outside_xhs_orders * avg_known_order_revenue_cny as double)
            as estimated_outside_xhs_revenue_cny,
        cast(modeled_kol_conversions as double) as modeled_kol_conversions,
        cast(
            {{ kol_attr.safe_divide(
                'estimated_outside_xhs_orders', 'estimated_outside_xhs_orders + modeled_kol_conversions'
            ) }} as double
        ) as outside_xhs_share
    from scaled
)

select * from final
