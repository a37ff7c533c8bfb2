{#-
    The five order exports, one entry each: the platform code staging writes, the raw table and its
    order key (as in contract/raw_sources.yml), the staging model, and the SQL expression of the
    buyer's identity key on that model. int_orders_unioned and int_raw_order_counts both read this
    list, so a sixth export is added in one place.
-#}
{% macro order_exports() %}
    {{ return([
        {
            'platform': 'xhs_shop',
            'raw_table': 'xhs_shop_orders',
            'raw_key': 'order_id',
            'staging_model': 'stg_xhs__shop_orders',
            'identity_expr': "'xhs_user_id:' || xhs_user_id",
        },
        {
            'platform': 'tmall',
            'raw_table': 'tmall_orders',
            'raw_key': 'tid',
            'staging_model': 'stg_tmall__orders',
            'identity_expr': "'tmall_open_uid:' || tmall_open_uid",
        },
        {
            'platform': 'jd',
            'raw_table': 'jd_orders',
            'raw_key': 'order_id',
            'staging_model': 'stg_jd__orders',
            'identity_expr': "'jd_pin:' || jd_pin",
        },
        {
            'platform': 'd2c',
            'raw_table': 'd2c_orders',
            'raw_key': 'order_id',
            'staging_model': 'stg_d2c__orders',
            'identity_expr': "coalesce('d2c_customer_id:' || d2c_customer_id, 'email_sha256:' || email_sha256, 'phone_sha256:' || phone_sha256)",
        },
        {
            'platform': 'wechat_mp',
            'raw_table': 'wechat_mp_orders',
            'raw_key': 'out_trade_no',
            'staging_model': 'stg_wechat__mp_orders',
            'identity_expr': "coalesce('wx_unionid:' || wx_unionid, 'wx_openid:' || wx_openid)",
        },
    ]) }}
{% endmacro %}
