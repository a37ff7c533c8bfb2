{#-
    Replay of history (issue 7): var kol_attr__replay_as_of ('YYYY-MM-DD HH:MM:SS' UTC, default null)
    makes every raw row that had not yet arrived at that instant invisible, as if the loader had not
    yet landed it. The contract has no load-time column, so a row "arrives" at the time of the event
    it records (raw_arrival_expr below); tables without a time (the brand's campaign plan and tracking
    sheet) are always visible. A row whose time is missing or unreadable stays visible (staging sets
    it aside as before). With the var null nothing is filtered and raw_source returns the bare relation.
-#}

{#- replay_as_of(): the replay cut-off as a SQL timestamp literal, or none when the var is null. -#}
{% macro replay_as_of() -%}
    {%- set as_of = var('kol_attr__replay_as_of', none) -%}
    {%- if as_of is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if modules.re.match('^\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}:\\d{2})?$', as_of | string) is none -%}
        {{ exceptions.raise_compiler_error("var kol_attr__replay_as_of = '" ~ as_of ~ "' is not a UTC time "
            ~ "'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (or null = no replay, every row visible).") }}
    {%- endif -%}
    {{- return("cast('" ~ as_of ~ "' as " ~ dbt.type_timestamp() ~ ")") -}}
{%- endmacro %}


{#- raw_arrival_expr(table_name): SQL (over the raw columns) for the UTC instant a row of that raw
    table arrives, parsed as its staging model parses it; none for tables that have no time. -#}
{% macro raw_arrival_expr(table_name) -%}
    {%- set ts = ' as ' ~ dbt.type_timestamp() ~ ')' -%}
    {%- set arrival = {
        'pgy_kols': 'cast(snapshot_date' ~ ts,
        'pgy_notes': kol_attr.epoch_ms_to_timestamp('published_at'),
        'pgy_note_report_daily': 'cast(report_date' ~ ts,
        'juguang_creative_daily': 'cast(report_date' ~ ts,
        'xhs_note_interactions': 'cast(occurred_at' ~ ts,
        'web_sessions': kol_attr.iso_to_utc('started_at'),
        'xhs_shop_orders': kol_attr.epoch_ms_to_timestamp('paid_time'),
        'tmall_orders': kol_attr.shanghai_local_to_utc('pay_time'),
        'jd_orders': kol_attr.shanghai_local_to_utc('order_time'),
        'd2c_orders': kol_attr.iso_to_utc('created_at'),
        'wechat_mp_orders': kol_attr.epoch_s_to_timestamp('paid_at'),
        'fx_rates_daily': 'cast(rate_date' ~ ts,
        'identity_links': 'cast(linked_at' ~ ts,
        'post_purchase_surveys': 'cast(answered_at' ~ ts,
        'alliance_conversions': 'cast(report_date' ~ ts,
        'xhs_search_rank_daily': 'cast(rank_date' ~ ts,
        'xhs_brand_account_daily': 'cast(report_date' ~ ts,
        'xhs_ugc_notes': kol_attr.epoch_ms_to_timestamp('published_at'),
        'xhs_note_comments': kol_attr.epoch_ms_to_timestamp('created_at'),
    } -%}
    {{- return(arrival.get(table_name)) -}}
{%- endmacro %}


{#- replay_filtered(relation, table_name): `relation` itself, or, during a replay, a subquery over it
    that keeps the rows arrived by kol_attr__replay_as_of (and those whose time is unknown). -#}
{% macro replay_filtered(relation, table_name) -%}
    {%- set as_of = kol_attr.replay_as_of() -%}
    {%- set arrival = kol_attr.raw_arrival_expr(table_name) -%}
    {%- if as_of is none or arrival is none -%}
        {{- return(relation) -}}
    {%- endif -%}
    {{- return('(select * from ' ~ relation ~ ' where (' ~ arrival ~ ') is null or (' ~ arrival ~ ') <= '
        ~ as_of ~ ')') -}}
{%- endmacro %}
