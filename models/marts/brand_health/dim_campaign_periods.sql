{{ kol_attr.validate_brand_health_vars() }}
{#-
    One row per campaign and period: the baseline (the kol_attr__baseline_window_days
    days before start_date), the campaign (start_date..end_date) and the post period
    (the kol_attr__post_window_days days after end_date). Dates are Asia/Shanghai
    business dates, bounds inclusive. See doc block brand_health_periods.
-#}
{%- set baseline_days = var('kol_attr__baseline_window_days') -%}
{%- set post_days = var('kol_attr__post_window_days') -%}

with

campaigns as (select * from {{ ref('dim_campaigns') }}),

periods as (
    select
        campaign_id,
        campaign_name,
        'baseline' as period,
        1 as period_order,
        cast({{ dbt.dateadd('day', -baseline_days, 'start_date') }} as date) as period_start_date,
        cast({{ dbt.dateadd('day', -1, 'start_date') }} as date) as period_end_date
    from campaigns

    union all

    select
        campaign_id,
        campaign_name,
        'campaign' as period,
        2 as period_order,
        start_date as period_start_date,
        end_date as period_end_date
    from campaigns

    union all

    select
        campaign_id,
        campaign_name,
        'post' as period,
        3 as period_order,
        cast({{ dbt.dateadd('day', 1, 'end_date') }} as date) as period_start_date,
        cast({{ dbt.dateadd('day', post_days, 'end_date') }} as date) as period_end_date
    from campaigns
),

periods_sized as (
    select
        *,
        {{ dbt.datediff('period_start_date', 'period_end_date', 'day') }}
        + 1 as period_days
    from periods
),

period_overlaps as (
    select
        periods.campaign_id,
        periods.period,
        count(distinct other_campaigns.campaign_id) as other_campaigns_live
    from periods
    inner join campaigns as other_campaigns
        on
            periods.campaign_id != other_campaigns.campaign_id
            and periods.period_end_date >= other_campaigns.start_date
            and periods.period_start_date <= other_campaigns.end_date
    group by periods.campaign_id, periods.period
),

final as (
    select
        ---------- ids
        cast(periods.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(periods.period as {{ dbt.type_string() }}) as period,
        cast(periods.campaign_name as {{ dbt.type_string() }}) as campaign_name,
        ---------- numerics
        cast(periods.period_order as {{ dbt.type_int() }}) as period_order,
        cast(periods.period_days as {{ dbt.type_int() }}) as period_days,
        cast(coalesce(period_overlaps.other_campaigns_live, 0) as {{ dbt.type_int() }}) as other_campaigns_live,
        ---------- booleans
        cast(coalesce(period_overlaps.other_campaigns_live, 0) > 0 as boolean) as is_overlapping_other_campaign,
        ---------- dates
        cast(periods.period_start_date as date) as period_start_date,
        cast(periods.period_end_date as date) as period_end_date
    from periods_sized as periods
    left join period_overlaps
        on
            periods.campaign_id = period_overlaps.campaign_id
            and periods.period = period_overlaps.period
)

select * from final
