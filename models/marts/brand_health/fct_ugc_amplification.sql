{{ kol_attr.validate_brand_health_vars() }}
{#-
    UGC amplification per campaign x period: notes mentioning the brand (the brand-mention
    monitor xhs_ugc_notes), non-sponsored against sponsored, counted on their Asia/Shanghai
    publish date. Engagement is each note's displayed like / save / comment count at
    monitoring time ('1.2万' parsed to 12000, '10万+' to its floor 100000), credited to the
    period the note was published in. Per-day rates divide by the period's days inside the
    monitor's date range, so a period cut off by the end of the data is not diluted.
-#}
with

periods as (select * from {{ ref('dim_campaign_periods') }}),

ugc_notes as (select * from {{ ref('stg_xhs__ugc_notes') }}),

ugc as (
    select
        note_id,
        is_sponsored,
        {{ kol_attr.shanghai_date('published_at') }} as published_date,
        coalesce(liked_count, 0) as liked_count,
        coalesce(collected_count, 0) as collected_count,
        coalesce(comment_count, 0) as comment_count
    from ugc_notes
),

coverage as (
    select
        min(published_date) as first_published_date,
        max(published_date) as last_published_date
    from ugc
),

by_period as (
    select
        periods.campaign_id,
        periods.period,
        count(case when not ugc.is_sponsored then ugc.note_id end) as non_sponsored_notes,
        count(case when ugc.is_sponsored then ugc.note_id end) as sponsored_notes,
        sum(case when not ugc.is_sponsored then ugc.liked_count else 0 end) as non_sponsored_likes,
        sum(case when not ugc.is_sponsored then ugc.collected_count else 0 end) as non_sponsored_saves,
        sum(case when not ugc.is_sponsored then ugc.comment_count else 0 end) as non_sponsored_comments,
        sum(case when ugc.is_sponsored then ugc.liked_count else 0 end) as sponsored_likes,
        sum(case when ugc.is_sponsored then ugc.collected_count else 0 end) as sponsored_saves,
        sum(case when ugc.is_sponsored then ugc.comment_count else 0 end) as sponsored_comments
    from periods
    left join ugc
        on ugc.published_date between periods.period_start_date and periods.period_end_date
    group by periods.campaign_id, periods.period
),

joined as (
    select
        periods.campaign_id,
        periods.period,
        periods.period_order,
        periods.period_days,
        periods.period_start_date,
        periods.period_end_date,
        greatest(
            0,
            {{ dbt.datediff(
                'greatest(periods.period_start_date, coverage.first_published_date)',
                'least(periods.period_end_date, coverage.last_published_date)',
                'day'
            ) }} + 1
        ) as covered_days,
        by_period.non_sponsored_notes,
        by_period.sponsored_notes,
        coalesce(by_period.non_sponsored_likes, 0) as non_sponsored_likes,
        coalesce(by_period.non_sponsored_saves, 0) as non_sponsored_saves,
        coalesce(by_period.non_sponsored_comments, 0) as non_sponsored_comments,
        coalesce(by_period.sponsored_likes, 0) as sponsored_likes,
        coalesce(by_period.sponsored_saves, 0) as sponsored_saves,
        coalesce(by_period.sponsored_comments, 0) as sponsored_comments
    from periods
    cross join coverage
    inner join by_period
        on
            periods.campaign_id = by_period.campaign_id
            and periods.period = by_period.period
),

rates as (
    select
        *,
        case
            when covered_days > 0 then cast(non_sponsored_notes as double) / covered_days
        end as non_sponsored_notes_per_day,
        case
            when covered_days > 0 then cast(sponsored_notes as double) / covered_days
        end as sponsored_notes_per_day,
        case
            when non_sponsored_notes > 0
                then
                    cast(non_sponsored_likes + non_sponsored_saves + non_sponsored_comments as double)
                    / non_sponsored_notes
        end as non_sponsored_engagement_per_note,
        case
            when sponsored_notes > 0
                then cast(sponsored_likes + sponsored_saves + sponsored_comments as double) / sponsored_notes
        end as sponsored_engagement_per_note,
        case
            when non_sponsored_notes + sponsored_notes > 0
                then cast(non_sponsored_notes as double) / (non_sponsored_notes + sponsored_notes)
        end as non_sponsored_share_of_notes
    from joined
),

with_baseline as (
    select
        rates.*,
        baseline.non_sponsored_notes_per_day as baseline_non_sponsored_notes_per_day
    from rates
    left join rates as baseline
        on
            rates.campaign_id = baseline.campaign_id
            and baseline.period = 'baseline'
),

final as (
    select
        ---------- ids
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(period as {{ dbt.type_string() }}) as period,
        ---------- numerics
        cast(period_order as {{ dbt.type_int() }}) as period_order,
        cast(period_days as {{ dbt.type_int() }}) as period_days,
        cast(covered_days as {{ dbt.type_int() }}) as covered_days,
        cast(non_sponsored_notes as bigint) as non_sponsored_notes,
        cast(sponsored_notes as bigint) as sponsored_notes,
        cast(non_sponsored_notes_per_day as double) as non_sponsored_notes_per_day,
        cast(sponsored_notes_per_day as double) as sponsored_notes_per_day,
        cast(
            case
                when baseline_non_sponsored_notes_per_day > 0
                    then non_sponsored_notes_per_day / baseline_non_sponsored_notes_per_day - 1
            end as double
        ) as non_sponsored_notes_per_day_lift_vs_baseline,
        cast(non_sponsored_share_of_notes as double) as non_sponsored_share_of_notes,
        cast(non_sponsored_likes as bigint) as non_sponsored_likes,
        cast(non_sponsored_saves as bigint) as non_sponsored_saves,
        cast(non_sponsored_comments as bigint) as non_sponsored_comments,
        cast(non_sponsored_engagement_per_note as double) as non_sponsored_engagement_per_note,
        cast(sponsored_likes as bigint) as sponsored_likes,
        cast(sponsored_saves as bigint) as sponsored_saves,
        cast(sponsored_comments as bigint) as sponsored_comments,
        cast(sponsored_engagement_per_note as double) as sponsored_engagement_per_note,
        ---------- dates
        cast(period_start_date as date) as period_start_date,
        cast(period_end_date as date) as period_end_date
    from with_baseline
)

select * from final
