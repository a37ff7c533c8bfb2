{#-
    Order and revenue reconciliation per platform, from the raw exports to the
    conversions the attribution models read and the orders set aside:
        raw_rows = staged_orders + duplicate_rows_collapsed
        staged_orders = conversions + set_aside_orders
        staged_revenue_cny = conversions_revenue_cny + set_aside_revenue_cny
    (revenue over rows whose amount could be read and converted to CNY; a row
    set aside because its amount or currency cannot be read carries no CNY
    figure and is counted in set_aside_unpriced_orders).
-#}
with

raw_counts as (select * from {{ ref('int_raw_order_counts') }}),

orders as (select * from {{ ref('int_orders_unioned') }}),

conversions as (select * from {{ ref('fct_conversions') }}),

staged as (
    select
        order_platform,
        count(*) as staged_orders,
        sum(case when rejection_reason is not null then 1 else 0 end) as set_aside_orders,
        sum(case when rejection_reason is not null and revenue_cny is null then 1 else 0 end)
            as set_aside_unpriced_orders,
        sum(coalesce(revenue_cny, 0)) as staged_revenue_cny,
        sum(case when rejection_reason is not null then coalesce(revenue_cny, 0) else 0 end)
            as set_aside_revenue_cny
    from orders
    group by order_platform
),

converted as (
    select
        order_platform,
        count(*) as conversions,
        sum(case when is_attributable then 1 else 0 end) as attributable_conversions,
        sum(revenue_cny) as conversions_revenue_cny,
        sum(gross_revenue_cny) as conversions_gross_revenue_cny
    from conversions
    group by order_platform
),

final as (
    select
        ---------- ids
        cast(raw_counts.order_platform as {{ dbt.type_string() }}) as order_platform,
        ---------- numerics
        cast(raw_counts.raw_rows as bigint) as raw_rows,
        cast(raw_counts.raw_distinct_keys as bigint) as raw_distinct_keys,
        cast(coalesce(staged.staged_orders, 0) as bigint) as staged_orders,
        cast(raw_counts.raw_rows - coalesce(staged.staged_orders, 0) as bigint) as duplicate_rows_collapsed,
        cast(coalesce(converted.conversions, 0) as bigint) as conversions,
        cast(coalesce(converted.attributable_conversions, 0) as bigint) as attributable_conversions,
        cast(coalesce(staged.set_aside_orders, 0) as bigint) as set_aside_orders,
        cast(coalesce(staged.set_aside_unpriced_orders, 0) as bigint) as set_aside_unpriced_orders,
        cast(coalesce(staged.staged_revenue_cny, 0) as decimal(18, 2)) as staged_revenue_cny,
        cast(coalesce(converted.conversions_revenue_cny, 0) as decimal(18, 2)) as conversions_revenue_cny,
        cast(coalesce(staged.set_aside_revenue_cny, 0) as decimal(18, 2)) as set_aside_revenue_cny,
        cast(coalesce(converted.conversions_gross_revenue_cny, 0) as decimal(18, 2))
            as conversions_gross_revenue_cny,
        ---------- booleans
        cast(
            coalesce(staged.staged_orders, 0)
            = coalesce(converted.conversions, 0) + coalesce(staged.set_aside_orders, 0)
            and coalesce(staged.staged_revenue_cny, 0)
            = coalesce(converted.conversions_revenue_cny, 0) + coalesce(staged.set_aside_revenue_cny, 0)
            as boolean
        ) as is_reconciled
    from raw_counts
    left join staged on raw_counts.order_platform = staged.order_platform
    left join converted on raw_counts.order_platform = converted.order_platform
)

select * from final
