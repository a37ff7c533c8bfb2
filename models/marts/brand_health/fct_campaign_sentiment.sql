{{ kol_attr.validate_brand_health_vars() }}
{#-
    Comment sentiment per campaign x period (baseline, campaign, post), by the Asia/Shanghai
    date a comment was written. Two views side by side:
      * campaign_notes_*: comments under the campaign's own sponsored notes (none in the
        baseline, before the notes exist);
      * brand_*: comments under every sponsored note of the brand, the brand's overall
        comment climate, which does have a baseline.
    net sentiment = (positive - negative) / comments, in [-1, 1].
-#}
with

periods as (select * from {{ ref('dim_campaign_periods') }}),

scores as (select * from {{ ref('fct_comment_sentiment_scores') }}),

scored as (
    select
        comment_id,
        campaign_id,
        sentiment_label,
        sentiment_score,
        {{ kol_attr.shanghai_date('created_at') }} as created_date
    from scores
),

by_period as (
    select
        periods.campaign_id,
        periods.period,
        periods.period_order,
        periods.period_days,
        periods.period_start_date,
        periods.period_end_date,
        count(case when scored.campaign_id = periods.campaign_id then scored.comment_id end)
            as campaign_note_comments,
        sum(
            case
                when scored.campaign_id = periods.campaign_id and scored.sentiment_label = 'positive' then 1 else 0
            end
        ) as campaign_note_positive_comments,
        sum(
            case
                when scored.campaign_id = periods.campaign_id and scored.sentiment_label = 'negative' then 1 else 0
            end
        ) as campaign_note_negative_comments,
        avg(case when scored.campaign_id = periods.campaign_id then scored.sentiment_score end)
            as campaign_note_avg_sentiment_score,
        count(scored.comment_id) as brand_comments,
        sum(case when scored.sentiment_label = 'positive' then 1 else 0 end) as brand_positive_comments,
        sum(case when scored.sentiment_label = 'negative' then 1 else 0 end) as brand_negative_comments,
        avg(scored.sentiment_score) as brand_avg_sentiment_score
    from periods
    left join scored
        on scored.created_date between periods.period_start_date and periods.period_end_date
    group by
        periods.campaign_id,
        periods.period,
        periods.period_order,
        periods.period_days,
        periods.period_start_date,
        periods.period_end_date
),

shares as (
    select
        *,
        case
            when campaign_note_comments > 0
                then cast(campaign_note_positive_comments as double) / campaign_note_comments
        end as campaign_note_share_positive,
        case
            when campaign_note_comments > 0
                then cast(campaign_note_negative_comments as double) / campaign_note_comments
        end as campaign_note_share_negative,
        case
            when brand_comments > 0 then cast(brand_positive_comments as double) / brand_comments
        end as brand_share_positive,
        case
            when brand_comments > 0 then cast(brand_negative_comments as double) / brand_comments
        end as brand_share_negative
    from by_period
),

with_baseline as (
    select
        shares.*,
        shares.brand_share_positive - shares.brand_share_negative as brand_net_sentiment,
        baseline.brand_share_positive - baseline.brand_share_negative as baseline_brand_net_sentiment
    from shares
    left join shares as baseline
        on
            shares.campaign_id = baseline.campaign_id
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
        cast(campaign_note_comments as bigint) as campaign_note_comments,
        cast(coalesce(campaign_note_positive_comments, 0) as bigint) as campaign_note_positive_comments,
        cast(coalesce(campaign_note_negative_comments, 0) as bigint) as campaign_note_negative_comments,
        cast(campaign_note_share_positive as double) as campaign_note_share_positive,
        cast(campaign_note_share_negative as double) as campaign_note_share_negative,
        cast(campaign_note_share_positive - campaign_note_share_negative as double) as campaign_note_net_sentiment,
        cast(campaign_note_avg_sentiment_score as double) as campaign_note_avg_sentiment_score,
        cast(brand_comments as bigint) as brand_comments,
        cast(coalesce(brand_positive_comments, 0) as bigint) as brand_positive_comments,
        cast(coalesce(brand_negative_comments, 0) as bigint) as brand_negative_comments,
        cast(brand_share_positive as double) as brand_share_positive,
        cast(brand_share_negative as double) as brand_share_negative,
        cast(brand_net_sentiment as double) as brand_net_sentiment,
        cast(brand_net_sentiment - baseline_brand_net_sentiment as double) as brand_net_sentiment_change_vs_baseline,
        cast(brand_avg_sentiment_score as double) as brand_avg_sentiment_score,
        ---------- dates
        cast(period_start_date as date) as period_start_date,
        cast(period_end_date as date) as period_end_date
    from with_baseline
)

select * from final
