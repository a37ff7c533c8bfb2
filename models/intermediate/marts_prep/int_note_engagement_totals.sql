{#-
    Lifetime Pugongying engagement per sponsored note: the daily deltas of stg_pgy__note_reports_daily
    summed over every report day (equal to the last cumulative figure, dips included). Reports run for
    months after publishing, so this is "to date", not "within the campaign".
-#}
with

reports as (select * from {{ ref('stg_pgy__note_reports_daily') }}),

final as (
    select
        ---------- ids
        note_id,
        ---------- numerics
        cast(sum(impressions) as bigint) as impressions,
        cast(sum(reads) as bigint) as reads,
        cast(sum(likes) as bigint) as likes,
        cast(sum(saves) as bigint) as saves,
        cast(sum(comments) as bigint) as comment_count,
        cast(sum(shares) as bigint) as share_count,
        cast(sum(follows) as bigint) as follows,
        cast(sum(search_impressions) as bigint) as search_impressions,
        cast(sum(search_reads) as bigint) as search_reads,
        cast(count(*) as bigint) as report_days,
        ---------- dates
        min(report_date) as first_report_date,
        max(report_date) as last_report_date
    from reports
    group by note_id
)

select * from final
