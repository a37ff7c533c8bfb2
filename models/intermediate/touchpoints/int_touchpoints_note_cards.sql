{#-
    XHS-shop orders placed from a note's product card (source_note_id) as a
    note_card touch, stamped one second before the order. A card of a note the
    brand does not know stays a touch with kol_id null ('unknown_note').
-#}
with

orders as (
    select * from {{ ref('int_orders_unioned') }}
    where rejection_reason is null and source_note_id is not null
),

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
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
