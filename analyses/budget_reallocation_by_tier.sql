{#-
    Budget reallocation by tier, under each campaign's frozen model and window.

    For every tier group: spend, credited revenue, average ROAS (revenue / spend) and marginal ROAS,
    estimated as the slope of credited revenue on spend across that tier's KOL x campaign rows
    (regr_slope: what one more CNY bought at the margin, not on average). The suggested budget share moves
    conversion-stage spend toward the tiers with the best marginal ROAS (shares proportional to
    current share x marginal ROAS), while awareness-stage tiers (celebrity, top) keep their current share:
    they are judged on CPM and reach, not on ROAS, and cutting them because of a low ROAS is the mistake
    this project exists to prevent. Copy, then change `min_rows_for_slope`.
-#}
{%- set min_rows_for_slope = 5 %}

with

kol_performance as (
    select * from {{ ref('fct_kol_performance') }}
    where is_frozen_model_and_window and has_notes
),

by_tier as (
    select
        tier_group,
        funnel_stage,
        count(*) as kol_campaign_rows,
        sum(cost_cny) as cost_cny,
        sum(attributed_revenue_cny) as attributed_revenue_cny,
        regr_slope(attributed_revenue_cny, cost_cny) as marginal_roas
    from kol_performance
    group by tier_group, funnel_stage
),

with_shares as (
    select
        by_tier.*,
        by_tier.attributed_revenue_cny / nullif(by_tier.cost_cny, 0) as average_roas,
        by_tier.cost_cny / nullif(sum(by_tier.cost_cny) over (), 0) as current_budget_share,
        case
            when by_tier.kol_campaign_rows >= {{ min_rows_for_slope }}
                then greatest(coalesce(by_tier.marginal_roas, 0), 0)
        end as usable_marginal_roas
    from by_tier
),

conversion_pool as (
    select
        sum(current_budget_share) as pool_share,
        sum(current_budget_share * usable_marginal_roas) as pool_weight
    from with_shares
    where funnel_stage <> 'awareness' and usable_marginal_roas is not null
),

final as (
    select
        with_shares.tier_group,
        with_shares.funnel_stage,
        with_shares.kol_campaign_rows,
        with_shares.cost_cny,
        with_shares.attributed_revenue_cny,
        with_shares.average_roas,
        with_shares.marginal_roas,
        with_shares.current_budget_share,
        case
            when with_shares.funnel_stage = 'awareness' or with_shares.usable_marginal_roas is null
                then with_shares.current_budget_share
            else conversion_pool.pool_share * with_shares.current_budget_share * with_shares.usable_marginal_roas
                / nullif(conversion_pool.pool_weight, 0)
        end as suggested_budget_share
    from with_shares
    cross join conversion_pool
)

select * from final
order by funnel_stage asc, marginal_roas desc
