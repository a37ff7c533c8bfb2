{#-
    Incremental (issue 7): the order number and previous conversion of an order depend on every
    order of its person, so a run recomputes every order of each person who has an order since
    incremental_cutoff() or whose already built orders sit under a person id a new identity link merged
    away (vanished_person_ids).
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='conversion_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
) }}
{%- set cutoff = kol_attr.incremental_cutoff('converted_at') %}

with

orders as (
    select * from {{ ref('int_orders_unioned') }}
    where rejection_reason is null
),

persons as (select * from {{ ref('int_persons_resolved') }}),

all_resolved as (
    select
        orders.*,
        persons.person_id,
        orders.order_status not in ('cancelled', 'refunded') as is_attributable
    from orders
    inner join persons on orders.buyer_identity_key = persons.identity_key
),

resolved as (
    select * from all_resolved
    {% if is_incremental() %}
        where person_id in (
                select rebuilt.person_id from all_resolved as rebuilt
                where
                    {{ kol_attr.since_cutoff('rebuilt.ordered_at', cutoff) }}
                    or rebuilt.conversion_id in (
                        select built.conversion_id from {{ this }} as built
                        where built.person_id in {{ kol_attr.vanished_person_ids(this, 'persons') }}
                    )
            )
    {% endif %}
),

sequenced as (
    select
        resolved.*,
        row_number() over (
            partition by resolved.person_id order by resolved.ordered_at, resolved.conversion_id
        ) as person_order_number,
        case
            when resolved.is_attributable
                then lag(resolved.ordered_at) over (
                        partition by resolved.person_id, resolved.is_attributable
                        order by resolved.ordered_at, resolved.conversion_id
                    )
        end as previous_converted_at
    from resolved
),

final as (
    select
        ---------- ids
        cast(conversion_id as {{ dbt.type_string() }}) as conversion_id,
        cast(person_id as {{ dbt.type_string() }}) as person_id,
        cast(order_platform as {{ dbt.type_string() }}) as order_platform,
        cast(order_ref as {{ dbt.type_string() }}) as order_ref,
        cast(source_note_id as {{ dbt.type_string() }}) as source_note_id,
        cast(landing_session_id as {{ dbt.type_string() }}) as landing_session_id,
        ---------- strings
        cast(order_status as {{ dbt.type_string() }}) as order_status,
        cast(raw_status as {{ dbt.type_string() }}) as raw_status,
        cast(currency as {{ dbt.type_string() }}) as original_currency,
        cast(promo_code as {{ dbt.type_string() }}) as promo_code,
        cast(attach_code as {{ dbt.type_string() }}) as attach_code,
        ---------- numerics
        cast(person_order_number as {{ dbt.type_int() }}) as person_order_number,
        cast(gross_amount as decimal(18, 2)) as gross_amount_original,
        cast(cny_per_unit as {{ kol_attr.type_double() }}) as cny_per_unit,
        cast(gross_revenue_cny as decimal(18, 2)) as gross_revenue_cny,
        cast(refund_cny as decimal(18, 2)) as refund_cny,
        cast(revenue_cny as decimal(18, 2)) as revenue_cny,
        cast(platform_discount_cny as decimal(18, 2)) as platform_discount_cny,
        ---------- booleans
        cast(is_cancelled as boolean) as is_cancelled,
        cast(is_attributable as boolean) as is_attributable,
        ---------- timestamps
        cast(ordered_at as {{ dbt.type_timestamp() }}) as converted_at,
        cast(previous_converted_at as {{ dbt.type_timestamp() }}) as previous_converted_at
    from sequenced
)

select * from final
