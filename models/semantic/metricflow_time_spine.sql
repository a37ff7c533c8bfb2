{#-
    Daily time spine for MetricFlow (dbt semantic layer): one row per calendar day from 2020-01-01
    to 2030-12-31, the base of time-based joins and aggregations of the metrics in _semantic__models.yml.
-#}
with

days as (
    {{ dbt.date_spine('day', "cast('2020-01-01' as date)", "cast('2031-01-01' as date)") }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
