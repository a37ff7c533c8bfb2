{#-
    Rows and distinct order keys per platform as they arrive in the raw exports,
    before staging collapses duplicate rows: the left-hand side of the order
    reconciliation.
-#}
with

{%- set exports = [
    ('xhs_shop', 'xhs_shop_orders', 'order_id'),
    ('tmall', 'tmall_orders', 'tid'),
    ('jd', 'jd_orders', 'order_id'),
    ('d2c', 'd2c_orders', 'order_id'),
    ('wechat_mp', 'wechat_mp_orders', 'out_trade_no'),
] %}

{% for platform, table, key in exports %}
    {{ table }} as (
        select
            '{{ platform }}' as order_platform,
            count(*) as raw_rows,
            count(distinct {{ key }}) as raw_distinct_keys,
            sum(case when {{ key }} is null then 1 else 0 end) as raw_null_keys
        from {{ kol_attr.raw_source(table) }}
    ),
{% endfor %}

final as (
    {%- for platform, table, key in exports %}
        select * from {{ table }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from final
