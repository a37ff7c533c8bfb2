{#-
    小红星 (Tmall) / 小红盟 (JD) platform-reported results per note against the project's own view of the
    same notes' Tmall / JD orders. Grain: task_id x note_id x alliance x attribution_period_days.
      reported_*: the platform's figures summed over the note's report days (int_alliance_reports_summed);
      attributed_*: credit of the note's touches on orders of the alliance's platform under var
        kol_attr__alliance_model (default linear) at the built window nearest the attribution period
        (15 -> 14 days, 30 -> 30 days; ties go to the shorter window);
      touched_orders: distinct orders of that platform with a touch of the note on their path in that
        window (what a view-through report that lets every note claim a sale would count).
    Only orders converted within the note's report dates (Asia/Shanghai dates of converted_at between
    first_report_date and last_report_date) are compared, as the platform reports nothing outside them.
    over_claim = reported - attributed (orders and GMV) and reported / attributed. The task_* columns
    (repeated on every note of the task x alliance x period) show the over-claim when several notes
    claim one sale: the sum of per-note claims against the distinct orders behind them.
-#}
{{ kol_attr.validate_marts_vars() }}

{%- set alliance_model = var('kol_attr__alliance_model', 'linear') %}

with

reports as (select * from {{ ref('int_alliance_reports_summed') }}),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where not is_unattributed and order_platform in ('tmall', 'jd')
),

windows as (
    select distinct window_days from {{ ref('fct_attribution_credits') }}
),

periods as (
    select distinct attribution_period_days from reports
),

nearest_window as (
    select
        periods.attribution_period_days,
        windows.window_days,
        row_number() over (
            partition by periods.attribution_period_days
            order by abs(windows.window_days - periods.attribution_period_days), windows.window_days
        ) as closeness
    from periods
    cross join windows
),

report_windows as (
    select
        reports.*,
        nearest_window.window_days
    from reports
    left join nearest_window
        on reports.attribution_period_days = nearest_window.attribution_period_days and nearest_window.closeness = 1
),

note_credits as (
    select
        report_windows.task_id,
        report_windows.note_id,
        report_windows.alliance,
        report_windows.attribution_period_days,
        credits.conversion_id,
        credits.attribution_model,
        credits.credit,
        credits.attributed_revenue_cny
    from report_windows
    inner join credits
        on
            report_windows.note_id = credits.note_id
            and report_windows.alliance = credits.order_platform
            and report_windows.window_days = credits.window_days
            and {{ kol_attr.shanghai_date('credits.converted_at') }}
            between report_windows.first_report_date and report_windows.last_report_date
),

note_totals as (
    select
        task_id,
        note_id,
        alliance,
        attribution_period_days,
        sum(case when attribution_model = '{{ alliance_model }}' then credit else 0 end) as attributed_orders,
        sum(case when attribution_model = '{{ alliance_model }}' then attributed_revenue_cny else 0 end)
            as attributed_gmv_cny,
        count(distinct conversion_id) as touched_orders
    from note_credits
    group by task_id, note_id, alliance, attribution_period_days
),

task_distinct as (
    select
        task_id,
        alliance,
        attribution_period_days,
        count(distinct conversion_id) as task_distinct_touched_orders
    from note_credits
    group by task_id, alliance, attribution_period_days
),

joined as (
    select
        report_windows.*,
        coalesce(note_totals.attributed_orders, 0) as attributed_orders,
        coalesce(note_totals.attributed_gmv_cny, 0) as attributed_gmv_cny,
        coalesce(note_totals.touched_orders, 0) as touched_orders,
        sum(report_windows.order_uv) over (
            partition by report_windows.task_id, report_windows.alliance, report_windows.attribution_period_days
        ) as task_reported_orders,
        sum(coalesce(note_totals.touched_orders, 0)) over (
            partition by report_windows.task_id, report_windows.alliance, report_windows.attribution_period_days
        ) as task_touched_orders_summed,
        coalesce(task_distinct.task_distinct_touched_orders, 0) as task_distinct_touched_orders
    from report_windows
    left join note_totals
        on
            report_windows.task_id = note_totals.task_id
            and report_windows.note_id = note_totals.note_id
            and report_windows.alliance = note_totals.alliance
            and report_windows.attribution_period_days = note_totals.attribution_period_days
    left join task_distinct
        on
            report_windows.task_id = task_distinct.task_id
            and report_windows.alliance = task_distinct.alliance
            and report_windows.attribution_period_days = task_distinct.attribution_period_days
),

final as (
    select
        ---------- ids
        cast(task_id as {{ dbt.type_string() }}) as task_id,
        cast(note_id as {{ dbt.type_string() }}) as note_id,
        ---------- strings
        cast(alliance as {{ dbt.type_string() }}) as alliance,
        cast('{{ alliance_model }}' as {{ dbt.type_string() }}) as attribution_model,
        ---------- numerics
        cast(attribution_period_days as {{ dbt.type_int() }}) as attribution_period_days,
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        cast(report_days as bigint) as report_days,
        cast(read_uv as bigint) as reported_read_uv,
        cast(enter_shop_uv as bigint) as reported_enter_shop_uv,
        cast(add_cart_uv as bigint) as reported_add_cart_uv,
        cast(order_uv as bigint) as reported_orders,
        cast(order_gmv_cny as double) as reported_gmv_cny,
        cast(new_customer_uv as bigint) as reported_new_customers,
        cast(attributed_orders as double) as attributed_orders,
        cast(attributed_gmv_cny as double) as attributed_gmv_cny,
        cast(touched_orders as bigint) as touched_orders,
        cast(order_uv - attributed_orders as double) as over_claim_orders,
        cast(order_gmv_cny - attributed_gmv_cny as double) as over_claim_gmv_cny,
        cast({{ kol_attr.safe_divide('order_uv', 'attributed_orders') }} as double) as over_claim_ratio,
        cast({{ kol_attr.safe_divide('order_gmv_cny', 'attributed_gmv_cny') }} as double) as over_claim_gmv_ratio,
        cast(task_reported_orders as bigint) as task_reported_orders,
        cast(task_touched_orders_summed as bigint) as task_touched_orders_summed,
        cast(task_distinct_touched_orders as bigint) as task_distinct_touched_orders,
        cast({{ kol_attr.safe_divide('task_touched_orders_summed', 'task_distinct_touched_orders') }} as double)
            as task_claims_per_touched_order,
        cast({{ kol_attr.safe_divide('task_reported_orders', 'task_distinct_touched_orders') }} as double)
            as task_reported_per_touched_order,
        ---------- dates
        cast(first_report_date as date) as first_report_date,
        cast(last_report_date as date) as last_report_date
    from joined
)

select * from final
