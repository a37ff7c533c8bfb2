{#-
    XHS-shop orders placed from a note's product card (source_note_id) as a
    note_card touch, stamped one second before the order. A card of a note the
    brand does not know stays a touch with kol_id null ('unknown_note').
    Incremental: a run recomputes the orders since incremental_cutoff() and the
    already built unknown-note cards whose note has since arrived.
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='touchpoint_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
) }}
{%- set cutoff = kol_attr.incremental_cutoff('touched_at') %}

with

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),

orders as (
    select * from {{ ref('int_orders_unioned') }}
    where
        rejection_reason is null and source_note_id is not null
        and (
            {{ kol_attr.since_cutoff('ordered_at', cutoff) }}
            {%- if is_incremental() %}
                or conversion_id in (
                    select built.conversion_id from {{ this }} as built
                    where built.kol_id is null and built.note_id in (select notes.note_id from notes)
                )
            {%- endif %}
        )
),

final as (
    select
        ---------- ids
        'nc:' || orders.conversion_id as touchpoint_id,
        orders.buyer_identity_key as identity_key,
        notes.kol_id,
        orders.source_note_id as note_id,
        notes.campaign_id,
        orders.order_ref as source_ref,
        orders.conversion_id,
        cast(null as {{ dbt.type_string() }}) as asset_id,
        ---------- strings
        'note_card' as touch_signal,
        'note_card' as interaction_type,
        case when notes.note_id is null then 'unknown_note' else 'matched' end as match_status,
        ---------- timestamps
        {{ dbt.dateadd('second', -1, 'orders.ordered_at') }} as touched_at
    from orders
    left join notes on orders.source_note_id = notes.note_id
)

select * from final
