{#-
    Budget reallocation by tier, under each campaign's frozen model and window.

    For every tier group: spend, credited revenue, average ROAS (revenue / spend) and marginal ROAS,
    estimated as the slope of credited revenue on spend across that tier's KOL x campaign rows
    (regr_slope: what one more CNY bought at the margin, not on average). The allocation weight is the
    marginal ROAS when it rests on at least `min_rows_for_slope` rows and is positive, else the average
    ROAS (allocation_basis says which: a slope from a handful of creators is noise). The suggested budget
    share moves non-awareness spend toward the tiers with the best weight (shares proportional to
    current share x weight), while awareness-stage tiers (celebrity, top) keep their current share:
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
            when by_tier.kol_campaign_rows >= {{ min_rows_for_slope }} and by_tier.marginal_roas > 0
                then by_tier.marginal_roas
            else by_tier.attributed_revenue_cny / nullif(by_tier.cost_cny, 0)
        end as allocation_roas,
        case
            when by_tier.kol_campaign_rows >= {{ min_rows_for_slope }} and by_tier.marginal_roas > 0
                then 'marginal_roas'
            else 'average_roas'
        end as allocation_basis
    from by_tier
),

conversion_pool as (
    select
        sum(current_budget_share) as pool_share,
        sum(current_budget_share * allocation_roas) as pool_weight
    from with_shares
    where funnel_stage <> 'awareness' and allocation_roas is not null
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
        with_shares.allocation_basis,
        with_shares.allocation_roas,
        with_shares.current_budget_share,
        case
            when with_shares.funnel_stage = 'awareness' or with_shares.allocation_roas is null
                then with_shares.current_budget_share
            else conversion_pool.pool_share * with_shares.current_budget_share * with_shares.allocation_roas
                / nullif(conversion_pool.pool_weight, 0)
        end as suggested_budget_share
    from with_shares
    cross join conversion_pool
)

select * from final
order by funnel_stage asc, marginal_roas desc
