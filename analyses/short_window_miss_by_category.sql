{#-
    How much does a short window miss, by product category? Credited conversions at each window as a
    share of the longest window, per category, under one model (change `model`). For skincare, the
    14-day row shows the fraction of 120-day credit a 14-day window would report.
-#}
{%- set model = 'linear' %}

with

lag_curve as (
    select * from {{ ref('fct_attribution_lag_curve') }}
    where attribution_model = '{{ model }}'
),

by_category as (
    select
        product_category,
        window_days,
        sum(attributed_conversions) as attributed_conversions,
        sum(max_window_conversions) as max_window_conversions
    from lag_curve
    group by product_category, window_days
),

final as (
    select
        product_category,
        window_days,
        attributed_conversions,
        max_window_conversions,
        attributed_conversions / nullif(max_window_conversions, 0) as share_of_max_window,
        1 - attributed_conversions / nullif(max_window_conversions, 0) as share_missed
    from by_category
)

select * from final
order by product_category, window_days
