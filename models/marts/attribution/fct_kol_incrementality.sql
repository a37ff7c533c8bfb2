{#-
    Incremental conversions and revenue per KOL and per campaign from aggregate data alone
    (Pugongying daily engagement and the brand's own daily orders), with an uncertainty interval.
    Method and assumptions: doc block kol_incrementality_method (_attribution__docs.md).
-#}
with

fit as (select * from {{ ref('int_kol_incrementality') }}),

final as (
    select
        ---------- ids
        cast(unit_type as {{ dbt.type_string() }}) as unit_type,
        cast(unit_id as {{ dbt.type_string() }}) as unit_id,
        cast(order_platform as {{ dbt.type_string() }}) as order_platform,
        ---------- numerics
        cast(incremental_conversions as {{ kol_attr.type_double() }}) as incremental_conversions,
        cast(incremental_conversions_lo as {{ kol_attr.type_double() }}) as incremental_conversions_lo,
        cast(incremental_conversions_hi as {{ kol_attr.type_double() }}) as incremental_conversions_hi,
        cast(incremental_revenue_cny as {{ kol_attr.type_double() }}) as incremental_revenue_cny,
        cast(incremental_revenue_cny_lo as {{ kol_attr.type_double() }}) as incremental_revenue_cny_lo,
        cast(incremental_revenue_cny_hi as {{ kol_attr.type_double() }}) as incremental_revenue_cny_hi,
        cast(beta_conversions as {{ kol_attr.type_double() }}) as beta_conversions,
        cast(adstock_decay as {{ kol_attr.type_double() }}) as adstock_decay,
        cast(interval_level as {{ kol_attr.type_double() }}) as interval_level,
        ---------- booleans
        cast(is_baseline as boolean) as is_baseline
    from fit
)

select * from final
