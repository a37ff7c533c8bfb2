{#-
    Every platform identity the brand has observed anywhere (one row per
    identity_key), so that an id seen only once, on one order or one note event,
    still becomes a person of its own.
-#}
with

interactions as (
    select * from {{ ref('stg_xhs__note_interactions') }}
    where rejection_reason is null
),

sessions as (
    select * from {{ ref('stg_web__sessions') }}
    where rejection_reason is null
),

xhs_orders as (select * from {{ ref('stg_xhs__shop_orders') }}),

tmall_orders as (select * from {{ ref('stg_tmall__orders') }}),

jd_orders as (select * from {{ ref('stg_jd__orders') }}),

d2c_orders as (select * from {{ ref('stg_d2c__orders') }}),

wechat_orders as (select * from {{ ref('stg_wechat__mp_orders') }}),

edges as (select * from {{ ref('int_identity_edges') }}),

observed as (
    {%- set observations = [
        ('interactions', 'xhs_user_id'),
        ('sessions', 'anonymous_id'),
        ('sessions', 'd2c_customer_id'),
        ('sessions', 'wx_openid'),
        ('xhs_orders', 'xhs_user_id'),
        ('tmall_orders', 'tmall_open_uid'),
        ('jd_orders', 'jd_pin'),
        ('d2c_orders', 'd2c_customer_id'),
        ('d2c_orders', 'email_sha256'),
        ('d2c_orders', 'phone_sha256'),
        ('wechat_orders', 'wx_openid'),
        ('wechat_orders', 'wx_unionid'),
    ] %}
    {%- for relation, id_type in observations %}
        select distinct
            '{{ id_type }}' as identity_type,
            {{ id_type }} as identity_value,
            '{{ relation }}' as observed_in
        from {{ relation }}
        where {{ id_type }} is not null
        union all
    {%- endfor %}
    select
        split_part(from_key, ':', 1) as identity_type,
        substr(from_key, length(split_part(from_key, ':', 1)) + 2) as identity_value,
        'identity_links' as observed_in
    from edges
    union all
    select
        split_part(to_key, ':', 1) as identity_type,
        substr(to_key, length(split_part(to_key, ':', 1)) + 2) as identity_value,
        'identity_links' as observed_in
    from edges
),

final as (
    select
        identity_type || ':' || identity_value as identity_key,
        identity_type,
        identity_value,
        min(observed_in) as first_observed_in,
        count(distinct observed_in) as observed_in_sources
    from observed
    group by identity_type, identity_value
)

select * from final
