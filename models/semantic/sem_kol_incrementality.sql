{#-
    Semantic-layer view of fct_kol_incrementality: one row per KOL (unit_type 'kol', all platforms),
    with the KOL's first sponsored publish date as the time dimension MetricFlow needs. Incrementality
    is estimated from aggregate data, independent of any attribution model or window.
-#}
with

incrementality as (
    select * from {{ ref('fct_kol_incrementality') }}
    where unit_type = 'kol' and order_platform = 'all' and not is_baseline
),

kols as (select * from {{ ref('dim_kols') }}),

final as (
    select
        incrementality.unit_id as kol_id,
        incrementality.incremental_conversions,
        incrementality.incremental_conversions_lo,
        incrementality.incremental_conversions_hi,
        incrementality.incremental_revenue_cny,
        incrementality.incremental_revenue_cny_lo,
        incrementality.incremental_revenue_cny_hi,
        cast(kols.first_published_at as date) as first_published_date
    from incrementality
    left join kols on incrementality.unit_id = kols.kol_id
)

select * from final
