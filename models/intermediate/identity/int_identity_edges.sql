{#-
    Undirected edges between platform identities, as `identity_key` pairs
    ('<identity_type>:<identity_value>'). Two kinds of evidence:
      * the CRM / CDP identity graph (identity_links), every link_source trusted;
      * ids that appear together on one row of one export (a D2C order's customer
        id, email hash and phone hash; a WeChat order's openid and unionid; a web
        session's anonymous id, customer id and openid).
    Each edge is stored once with from_key < to_key; self-edges are dropped.
-#}
with

links as (
    select * from {{ ref('stg_crm__identity_links') }}
    where rejection_reason is null
),

d2c_orders as (
    select * from {{ ref('stg_d2c__orders') }}
    where rejection_reason is null
),

wechat_orders as (
    select * from {{ ref('stg_wechat__mp_orders') }}
    where rejection_reason is null
),

sessions as (
    select * from {{ ref('stg_web__sessions') }}
    where rejection_reason is null
),

link_edges as (
    select
        left_id_type || ':' || left_id_value as key_a,
        right_id_type || ':' || right_id_value as key_b,
        'identity_links:' || link_source as edge_source
    from links
    where left_id_value is not null and right_id_value is not null
),

co_occurrence_edges as (
    {%- set pairs = [
        ('d2c_orders', 'd2c_customer_id', 'email_sha256'),
        ('d2c_orders', 'd2c_customer_id', 'phone_sha256'),
        ('d2c_orders', 'email_sha256', 'phone_sha256'),
        ('wechat_orders', 'wx_openid', 'wx_unionid'),
        ('sessions', 'anonymous_id', 'd2c_customer_id'),
        ('sessions', 'anonymous_id', 'wx_openid'),
        ('sessions', 'd2c_customer_id', 'wx_openid'),
    ] %}
    {%- for relation, left_type, right_type in pairs %}
        select
            '{{ left_type }}:' || {{ left_type }} as key_a,
            '{{ right_type }}:' || {{ right_type }} as key_b,
            '{{ relation }}' as edge_source
        from {{ relation }}
        where {{ left_type }} is not null and {{ right_type }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

all_edges as (
    select * from link_edges
    union all
    select * from co_occurrence_edges
),

oriented as (
    select
        least(key_a, key_b) as from_key,
        greatest(key_a, key_b) as to_key,
        edge_source
    from all_edges
    where key_a <> key_b
),

final as (
    select
        from_key,
        to_key,
        min(edge_source) as edge_source,
        count(*) as evidence_count
    from oriented
    group by from_key, to_key
)

select * from final
