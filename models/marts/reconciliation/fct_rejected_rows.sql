{#-
    Every raw row the project could not use, with the reason, in one place:
    nothing is dropped silently. Grain: source table x row key x reason.
-#}
with

orders as (
    select * from {{ ref('int_orders_unioned') }}
    where rejection_reason is not null
),

touches as (
    select * from {{ ref('int_touchpoints_unioned') }}
    where person_id is null
),

{%- set staged = [
    ('xhs_note_interactions', 'stg_xhs__note_interactions', 'event_id', 'occurred_at'),
    ('web_sessions', 'stg_web__sessions', 'session_id', 'started_at'),
    ('pgy_notes', 'stg_pgy__notes', 'note_id', 'published_at'),
    ('identity_links', 'stg_crm__identity_links', 'link_id', 'linked_at'),
] %}

staged_rejections as (
    {%- for table, model, key, ts in staged %}
        select
            '{{ table }}' as source_table,
            cast({{ key }} as {{ dbt.type_string() }}) as row_key,
            rejection_reason,
            cast(null as decimal(18, 2)) as revenue_cny,
            cast({{ ts }} as {{ dbt.type_timestamp() }}) as occurred_at
        from {{ ref(model) }}
        where rejection_reason is not null
        union all
    {%- endfor %}
    select
        order_platform || '_orders' as source_table,
        cast(order_ref as {{ dbt.type_string() }}) as row_key,
        rejection_reason,
        cast(revenue_cny as decimal(18, 2)) as revenue_cny,
        cast(ordered_at as {{ dbt.type_timestamp() }}) as occurred_at
    from orders
    union all
    select
        'touchpoints:' || touch_signal as source_table,
        cast(touchpoint_id as {{ dbt.type_string() }}) as row_key,
        'no_identity' as rejection_reason,
        cast(null as decimal(18, 2)) as revenue_cny,
        cast(touched_at as {{ dbt.type_timestamp() }}) as occurred_at
    from touches
),

final as (
    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(row_key as {{ dbt.type_string() }}) as row_key,
        cast(rejection_reason as {{ dbt.type_string() }}) as rejection_reason,
        revenue_cny,
        occurred_at
    from staged_rejections
)

select * from final
