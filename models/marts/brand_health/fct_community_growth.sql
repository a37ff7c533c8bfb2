{{ kol_attr.validate_brand_health_vars() }}
{#-
    Brand-account community growth per campaign x period, summed over the brand's XHS
    accounts. follower_count and like_and_save_count are levels, so a period's gain is
    closing level - opening level, per account:
      * opening = the level on the day before the period starts; when that day was not
        reported, the first level reported inside the period;
      * closing = the last level reported inside the period.
    Cost per follower is campaign-level (same on every period row): the campaign's
    sponsored-note cost (dim_notes.total_cost_cny: creator fee + platform fee + boost)
    over the followers gained in the campaign and post periods together; null when that
    gain is not positive. The incremental variant subtracts what the baseline's daily
    gain would have produced over the same days. See doc block brand_health_community.
-#}
with

periods as (select * from {{ ref('dim_campaign_periods') }}),

account_days as (select * from {{ ref('stg_xhs__brand_account_daily') }}),

notes as (select * from {{ ref('dim_notes') }}),

accounts as (
    select distinct account_id from account_days
),

account_periods as (
    select
        periods.campaign_id,
        periods.period,
        periods.period_start_date,
        periods.period_end_date,
        accounts.account_id
    from periods
    cross join accounts
),

opening_candidates as (
    select
        account_periods.campaign_id,
        account_periods.period,
        account_periods.account_id,
        account_days.report_date,
        account_days.follower_count,
        account_days.like_and_save_count,
        row_number() over (
            partition by account_periods.campaign_id, account_periods.period, account_periods.account_id
            order by account_days.report_date
        ) as opening_rank
    from account_periods
    inner join account_days
        on
            account_periods.account_id = account_days.account_id
            and account_days.report_date
            between cast({{ dbt.dateadd('day', -1, 'account_periods.period_start_date') }} as date)
            and account_periods.period_end_date
),

closing_candidates as (
    select
        account_periods.campaign_id,
        account_periods.period,
        account_periods.account_id,
        account_days.report_date,
        account_days.follower_count,
        account_days.like_and_save_count,
        row_number() over (
            partition by account_periods.campaign_id, account_periods.period, account_periods.account_id
            order by account_days.report_date desc
        ) as closing_rank
    from account_periods
    inner join account_days
        on
            account_periods.account_id = account_days.account_id
            and account_days.report_date between account_periods.period_start_date and account_periods.period_end_date
),

account_levels as (
    select
        opening.campaign_id,
        opening.period,
        opening.account_id,
        opening.report_date as opening_date,
        closing.report_date as closing_date,
        closing.follower_count - opening.follower_count as followers_gained,
        closing.like_and_save_count - opening.like_and_save_count as likes_and_saves_gained
    from opening_candidates as opening
    inner join closing_candidates as closing
        on
            opening.campaign_id = closing.campaign_id
            and opening.period = closing.period
            and opening.account_id = closing.account_id
            and closing.closing_rank = 1
    where opening.opening_rank = 1
),

account_gains as (
    select
        *,
        {{ dbt.datediff('opening_date', 'closing_date', 'day') }}
            as elapsed_days
    from account_levels
),

period_gains as (
    select
        periods.campaign_id,
        periods.period,
        periods.period_order,
        periods.period_days,
        periods.period_start_date,
        periods.period_end_date,
        count(account_gains.account_id) as accounts_reporting,
        sum(account_gains.followers_gained) as followers_gained,
        sum(account_gains.likes_and_saves_gained) as likes_and_saves_gained,
        sum(
            case
                when account_gains.elapsed_days > 0
                    then cast(account_gains.followers_gained as double) / account_gains.elapsed_days
            end
        ) as followers_gained_per_day
    from periods
    left join account_gains
        on
            periods.campaign_id = account_gains.campaign_id
            and periods.period = account_gains.period
    group by
        periods.campaign_id,
        periods.period,
        periods.period_order,
        periods.period_days,
        periods.period_start_date,
        periods.period_end_date
),

campaign_costs as (
    select
        campaign_id,
        sum(total_cost_cny) as campaign_cost_cny
    from notes
    group by campaign_id
),

campaign_growth as (
    select
        period_gains.campaign_id,
        sum(case when period_gains.period in ('campaign', 'post') then period_gains.followers_gained end)
            as followers_gained_campaign_and_post,
        sum(case when period_gains.period in ('campaign', 'post') then period_gains.period_days end)
            as campaign_and_post_days,
        max(case when period_gains.period = 'baseline' then period_gains.followers_gained_per_day end)
            as baseline_followers_per_day
    from period_gains
    group by period_gains.campaign_id
),

campaign_level as (
    select
        campaign_growth.campaign_id,
        campaign_growth.followers_gained_campaign_and_post,
        campaign_growth.followers_gained_campaign_and_post
        - campaign_growth.baseline_followers_per_day * campaign_growth.campaign_and_post_days
            as incremental_followers_campaign_and_post,
        coalesce(campaign_costs.campaign_cost_cny, 0) as campaign_cost_cny
    from campaign_growth
    left join campaign_costs on campaign_growth.campaign_id = campaign_costs.campaign_id
),

final as (
    select
        ---------- ids
        cast(period_gains.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(period_gains.period as {{ dbt.type_string() }}) as period,
        ---------- numerics
        cast(period_gains.period_order as {{ dbt.type_int() }}) as period_order,
        cast(period_gains.period_days as {{ dbt.type_int() }}) as period_days,
        cast(period_gains.accounts_reporting as {{ dbt.type_int() }}) as accounts_reporting,
        cast(period_gains.followers_gained as bigint) as followers_gained,
        cast(period_gains.followers_gained_per_day as double) as followers_gained_per_day,
        cast(period_gains.likes_and_saves_gained as bigint) as likes_and_saves_gained,
        cast(campaign_level.campaign_cost_cny as decimal(18, 2)) as campaign_cost_cny,
        cast(campaign_level.followers_gained_campaign_and_post as bigint) as followers_gained_campaign_and_post,
        cast(
            case
                when campaign_level.followers_gained_campaign_and_post > 0
                    then campaign_level.campaign_cost_cny / campaign_level.followers_gained_campaign_and_post
            end as double
        ) as cost_per_follower_gained_cny,
        cast(campaign_level.incremental_followers_campaign_and_post as double)
            as incremental_followers_campaign_and_post,
        cast(
            case
                when campaign_level.incremental_followers_campaign_and_post > 0
                    then campaign_level.campaign_cost_cny / campaign_level.incremental_followers_campaign_and_post
            end as double
        ) as cost_per_incremental_follower_cny,
        ---------- dates
        cast(period_gains.period_start_date as date) as period_start_date,
        cast(period_gains.period_end_date as date) as period_end_date
    from period_gains
    inner join campaign_level on period_gains.campaign_id = campaign_level.campaign_id
)

select * from final
