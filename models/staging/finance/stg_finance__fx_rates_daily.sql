with

source as (select * from {{ kol_attr.raw_source('fx_rates_daily') }}),

final as (
    select
        upper(trim(currency)) as currency,
        rate_date,
        max(cast(cny_per_unit as {{ kol_attr.type_double() }})) as cny_per_unit
    from source
    where currency is not null and rate_date is not null and cny_per_unit > 0
    group by upper(trim(currency)), rate_date
)

select * from final
