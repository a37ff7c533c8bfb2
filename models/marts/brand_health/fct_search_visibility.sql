{{ kol_attr.validate_brand_health_vars() }}
{#-
    Search visibility per campaign x keyword x period (baseline, campaign, post; see
    dim_campaign_periods). Every tracked keyword gets a row for every campaign period,
    tracked or not that day. Keyword-level columns come from the rank tracker; the
    campaign-level columns (search-read share of the campaign's note reads, 回搜) are the
    same on every keyword row of a campaign period: never sum them across keywords.
-#}
with

periods as (select * from {{ ref('dim_campaign_periods') }}),

ranks as (select * from {{ ref('stg_xhs__search_ranks_daily') }}),

note_reports as (select * from {{ ref('stg_pgy__note_reports_daily') }}),

creatives as (select * from {{ ref('stg_juguang__creatives_daily') }}),

notes as (select * from {{ ref('dim_notes') }}),

keywords as (
    select distinct keyword from ranks
),

keyword_periods as (
    select
        periods.campaign_id,
        periods.period,
        periods.period_order,
        periods.period_days,
        periods.period_start_date,
        periods.period_end_date,
        keywords.keyword
    from periods
    cross join keywords
),

ranks_by_period as (
    select
        keyword_periods.campaign_id,
        keyword_periods.period,
        keyword_periods.keyword,
        count(ranks.rank_date) as days_tracked,
        count(ranks.best_organic_rank) as days_ranked,
        min(ranks.best_organic_rank) as best_organic_rank,
        avg(cast(ranks.best_organic_rank as double)) as avg_organic_rank,
        sum(case when ranks.best_organic_rank <= 20 then 1 else 0 end) as days_in_top20,
        avg(cast(ranks.brand_notes_in_top20 as double)) as avg_brand_notes_in_top20,
        avg(cast(ranks.search_volume_index as double)) as avg_search_volume_index
    from keyword_periods
    left join ranks
        on
            keyword_periods.keyword = ranks.keyword
            and ranks.rank_date between keyword_periods.period_start_date and keyword_periods.period_end_date
    group by keyword_periods.campaign_id, keyword_periods.period, keyword_periods.keyword
),

reads_by_period as (
    select
        periods.campaign_id,
        periods.period,
        sum(note_reports.reads) as note_reads,
        sum(note_reports.search_reads) as note_search_reads
    from periods
    inner join notes on periods.campaign_id = notes.campaign_id
    inner join note_reports
        on
            notes.note_id = note_reports.note_id
            and note_reports.report_date between periods.period_start_date and periods.period_end_date
    group by periods.campaign_id, periods.period
),

creatives_coverage as (
    select
        min(report_date) as first_report_date,
        max(report_date) as last_report_date
    from creatives
),

searches_by_period as (
    select
        periods.campaign_id,
        periods.period,
        sum(creatives.searches_after_read) as searches_after_read
    from periods
    inner join notes on periods.campaign_id = notes.campaign_id
    inner join creatives
        on
            notes.note_id = creatives.note_id
            and creatives.report_date between periods.period_start_date and periods.period_end_date
    group by periods.campaign_id, periods.period
),

searches_days as (
    {#- calendar days of the period inside the Juguang report's date range (a day without a row = 0 回搜) -#}
    select
        periods.campaign_id,
        periods.period,
        greatest(
            0,
            {{ dbt.datediff(
                'greatest(periods.period_start_date, creatives_coverage.first_report_date)',
                'least(periods.period_end_date, creatives_coverage.last_report_date)',
                'day'
            ) }} + 1
        ) as searches_covered_days
    from periods
    cross join creatives_coverage
),

joined as (
    select
        keyword_periods.*,
        ranks_by_period.days_tracked,
        ranks_by_period.days_ranked,
        ranks_by_period.best_organic_rank,
        ranks_by_period.avg_organic_rank,
        ranks_by_period.days_in_top20,
        ranks_by_period.avg_brand_notes_in_top20,
        ranks_by_period.avg_search_volume_index,
        coalesce(reads_by_period.note_reads, 0) as note_reads,
        coalesce(reads_by_period.note_search_reads, 0) as note_search_reads,
        coalesce(searches_by_period.searches_after_read, 0) as searches_after_read,
        coalesce(searches_days.searches_covered_days, 0) as searches_covered_days
    from keyword_periods
    inner join ranks_by_period
        on
            keyword_periods.campaign_id = ranks_by_period.campaign_id
            and keyword_periods.period = ranks_by_period.period
            and keyword_periods.keyword = ranks_by_period.keyword
    left join reads_by_period
        on
            keyword_periods.campaign_id = reads_by_period.campaign_id
            and keyword_periods.period = reads_by_period.period
    left join searches_by_period
        on
            keyword_periods.campaign_id = searches_by_period.campaign_id
            and keyword_periods.period = searches_by_period.period
    left join searches_days
        on
            keyword_periods.campaign_id = searches_days.campaign_id
            and keyword_periods.period = searches_days.period
),

with_baseline as (
    select
        joined.*,
        baseline.avg_organic_rank as baseline_avg_organic_rank,
        baseline.avg_search_volume_index as baseline_avg_search_volume_index
    from joined
    left join joined as baseline
        on
            joined.campaign_id = baseline.campaign_id
            and joined.keyword = baseline.keyword
            and baseline.period = 'baseline'
),

final as (
    select
        ---------- ids
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(keyword as {{ dbt.type_string() }}) as keyword,
        cast(period as {{ dbt.type_string() }}) as period,
        ---------- numerics
        cast(period_order as {{ dbt.type_int() }}) as period_order,
        cast(period_days as {{ dbt.type_int() }}) as period_days,
        cast(days_tracked as {{ dbt.type_int() }}) as days_tracked,
        cast(days_ranked as {{ dbt.type_int() }}) as days_ranked,
        cast(best_organic_rank as {{ dbt.type_int() }}) as best_organic_rank,
        cast(avg_organic_rank as double) as avg_organic_rank,
        cast(baseline_avg_organic_rank - avg_organic_rank as double) as avg_rank_improvement_vs_baseline,
        cast(days_in_top20 as {{ dbt.type_int() }}) as days_in_top20,
        cast(
            case when days_tracked > 0 then cast(days_in_top20 as double) / days_tracked end as double
        ) as share_of_days_in_top20,
        cast(avg_brand_notes_in_top20 as double) as avg_brand_notes_in_top20,
        cast(avg_search_volume_index as double) as avg_search_volume_index,
        cast(
            case
                when baseline_avg_search_volume_index > 0
                    then avg_search_volume_index / baseline_avg_search_volume_index - 1
            end as double
        ) as search_volume_lift_vs_baseline,
        cast(note_reads as bigint) as campaign_note_reads,
        cast(note_search_reads as bigint) as campaign_note_search_reads,
        cast(
            case when note_reads > 0 then cast(note_search_reads as double) / note_reads end as double
        ) as campaign_search_read_share,
        cast(searches_after_read as bigint) as campaign_searches_after_read,
        cast(searches_covered_days as {{ dbt.type_int() }}) as searches_covered_days,
        cast(
            case
                when searches_covered_days > 0 then cast(searches_after_read as double) / searches_covered_days
            end as double
        ) as campaign_searches_after_read_per_day,
        ---------- dates
        cast(period_start_date as date) as period_start_date,
        cast(period_end_date as date) as period_end_date
    from with_baseline
)

select * from final
