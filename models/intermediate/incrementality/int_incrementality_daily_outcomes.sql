{#-
    Daily outcomes the aggregate incrementality model explains: attributable conversions and
    their net revenue (CNY) per Asia/Shanghai calendar day and order platform. Days without an
    order are absent here; the model fills them with zeros over the calendar.
-#}
with

conversions as (
    select * from {{ ref('fct_conversions') }}
    where is_attributable
),

final as (
    select
        {{ kol_attr.shanghai_date('converted_at') }} as outcome_date,
        order_platform,
        count(*) as conversions,
        sum(cast(revenue_cny as {{ kol_attr.type_double() }})) as revenue_cny
    from conversions
    group by {{ kol_attr.shanghai_date('converted_at') }}, order_platform
)

select * from final
