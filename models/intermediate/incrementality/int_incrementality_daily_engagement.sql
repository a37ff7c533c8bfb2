{#-
    Daily Pugongying engagement per sponsored note, with its KOL and campaign: the only
    KOL-level signal a brand without user-level data has. Daily figures are the de-cumulated
    deltas of stg_pgy__note_reports_daily (a dip never yields a negative day).
-#}
with

reports as (select * from {{ ref('stg_pgy__note_reports_daily') }}),

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),

final as (
    select
        reports.report_date as engagement_date,
        notes.kol_id,
        notes.campaign_id,
        reports.note_id,
        reports.reads,
        reports.likes,
        reports.saves,
        reports.comments,
        reports.shares
    from reports
    inner join notes on reports.note_id = notes.note_id
)

select * from final
