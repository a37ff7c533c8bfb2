{#-
    Rows and distinct order keys per platform as they arrive in the raw exports,
    before staging collapses duplicate rows: the left-hand side of the order
    reconciliation.
-#}
with

{%- set exports = kol_attr.order_exports() %}

{% for export in exports %}
    {{ export.raw_table }} as (
        select
            '{{ export.platform }}' as order_platform,
            count(*) as raw_rows,
            count(distinct {{ export.raw_key }}) as raw_distinct_keys,
            sum(case when {{ export.raw_key }} is null then 1 else 0 end) as raw_null_keys
        from {{ kol_attr.raw_source(export.raw_table) }}
    ),
{% endfor %}

final as (
    {%- for export in exports %}
        select * from {{ export.raw_table }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from final
