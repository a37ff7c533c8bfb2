{#-
    小红星 (Tmall) / 小红盟 (JD) note conversion reports summed over their report days. Each
    report_date row holds that day's figures (orders are counted on the day of the purchase, within
    attribution_period_days after a read), not a running total, so the note's total is the sum of its
    daily rows; see DECISIONLOG.md. read_uv summed over days counts a reader once per day they read.
-#}
with

reports as (select * from {{ ref('stg_alliance__conversions') }}),

final as (
    select
        ---------- ids
        task_id,
        note_id,
        ---------- strings
        alliance,
        ---------- numerics
        attribution_period_days,
        cast(sum(read_uv) as bigint) as read_uv,
        cast(sum(enter_shop_uv) as bigint) as enter_shop_uv,
        cast(sum(add_cart_uv) as bigint) as add_cart_uv,
        cast(sum(order_uv) as bigint) as order_uv,
        cast(sum(order_gmv_cny) as double) as order_gmv_cny,
        cast(sum(new_customer_uv) as bigint) as new_customer_uv,
        cast(count(*) as bigint) as report_days,
        ---------- dates
        min(report_date) as first_report_date,
        max(report_date) as last_report_date
    from reports
    group by task_id, note_id, alliance, attribution_period_days
)

select * from final
