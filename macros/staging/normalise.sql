{#-
    Normalisation helpers for staging. Each is dispatched (adapter.dispatch(..., 'kol_attr')) with a
    default__ (DuckDB) implementation and a spark__ one where the engine differs.
-#}

{#- normalise_code(expr): trim, case-fold and drop inner white space; '' becomes null.
    Shoppers type codes in any case and with stray spaces ('Mia 20 ' = 'mia20'). -#}
{% macro normalise_code(expr) -%}
    {{ return(adapter.dispatch('normalise_code', 'kol_attr')(expr)) }}
{%- endmacro %}

{% macro default__normalise_code(expr) -%}
    nullif(lower(regexp_replace(trim({{ expr }}), '\s+', '', 'g')), '')
{%- endmacro %}

{% macro spark__normalise_code(expr) -%}
    nullif(lower(regexp_replace(trim({{ expr }}), '\\s+', '')), '')
{%- endmacro %}

{#- compact_key(expr): trim, case-fold and drop white space, '_' and '-' ('Red Note', 'red_note' -> 'rednote').
    Spark reads '\s' in a string literal as 's' and its regexp_replace has no 'g' flag (it always replaces all). -#}
{% macro compact_key(expr) -%}
    {{ return(adapter.dispatch('compact_key', 'kol_attr')(expr)) }}
{%- endmacro %}

{% macro default__compact_key(expr) -%}
    lower(regexp_replace(trim({{ expr }}), '[\s_-]+', '', 'g'))
{%- endmacro %}

{% macro spark__compact_key(expr) -%}
    lower(regexp_replace(trim({{ expr }}), '[\\s_-]+', ''))
{%- endmacro %}

{#- epoch_ms_to_timestamp(expr) / epoch_s_to_timestamp(expr): the UTC instant as a zone-less timestamp. -#}
{% macro epoch_ms_to_timestamp(expr) -%}
    {{ return(adapter.dispatch('epoch_ms_to_timestamp', 'kol_attr')(expr)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_timestamp(expr) -%}
    make_timestamp(cast({{ expr }} as bigint) * 1000)
{%- endmacro %}

{% macro spark__epoch_ms_to_timestamp(expr) -%}
    timestamp_millis(cast({{ expr }} as bigint))
{%- endmacro %}

{% macro epoch_s_to_timestamp(expr) -%}
    {{ return(adapter.dispatch('epoch_s_to_timestamp', 'kol_attr')(expr)) }}
{%- endmacro %}

{% macro default__epoch_s_to_timestamp(expr) -%}
    make_timestamp(cast({{ expr }} as bigint) * 1000000)
{%- endmacro %}

{% macro spark__epoch_s_to_timestamp(expr) -%}
    timestamp_seconds(cast({{ expr }} as bigint))
{%- endmacro %}

{#- shanghai_local_to_utc(expr): 'YYYY-MM-DD HH:MM:SS' text or a zone-less timestamp meant as
    Asia/Shanghai (UTC+8, no daylight saving) to UTC; unreadable text gives null. -#}
{% macro shanghai_local_to_utc(expr) -%}
    {{ return(adapter.dispatch('shanghai_local_to_utc', 'kol_attr')(expr)) }}
{%- endmacro %}

{% macro default__shanghai_local_to_utc(expr) -%}
    (try_cast({{ expr }} as timestamp) - interval 8 hour)
{%- endmacro %}

{% macro spark__shanghai_local_to_utc(expr) -%}
    (try_cast({{ expr }} as timestamp) - interval 8 hours)
{%- endmacro %}

{#- iso_to_utc(expr): ISO-8601 text with an offset ('+08:00' or 'Z') to the UTC instant; null if unreadable. -#}
{% macro iso_to_utc(expr) -%}
    {{ return(adapter.dispatch('iso_to_utc', 'kol_attr')(expr)) }}
{%- endmacro %}

{% macro default__iso_to_utc(expr) -%}
    (try_cast({{ expr }} as timestamptz) at time zone 'UTC')
{%- endmacro %}

{% macro spark__iso_to_utc(expr) -%}
    to_utc_timestamp(try_cast({{ expr }} as timestamp), current_timezone())
{%- endmacro %}

{#- yuan_text_to_decimal(expr): '329.00' / '1,299.00' / ' 88 ' to decimal(18,2); unreadable ('N/A', '') gives null. -#}
{% macro yuan_text_to_decimal(expr) -%}
    try_cast(replace(trim({{ expr }}), ',', '') as decimal(18, 2))
{%- endmacro %}

{#- fen_to_cny(expr): integer fen (1/100 CNY) to decimal(18,2) CNY. -#}
{% macro fen_to_cny(expr) -%}
    cast(cast({{ expr }} as decimal(18, 0)) / 100 as decimal(18, 2))
{%- endmacro %}

{#- parse_display_count(expr): counts as the XHS app shows them: '873', '1,234', '1.2万' (x 10,000),
    '10万+' (a floor: 100000), '3.4w' (w = 万), '2k'; unreadable text gives null. -#}
{% macro parse_display_count(expr) -%}
    {{ return(adapter.dispatch('parse_display_count', 'kol_attr')(expr)) }}
{%- endmacro %}

{% macro default__parse_display_count(expr) -%}
    case
        when regexp_matches(lower(trim({{ expr }})), '^[0-9.,]+\s*(万|w)\+?$')
            then cast(round(
                try_cast(regexp_replace(lower(trim({{ expr }})), '[^0-9.]', '', 'g') as double) * 10000
            ) as bigint)
        when regexp_matches(lower(trim({{ expr }})), '^[0-9.,]+\s*k\+?$')
            then cast(round(
                try_cast(regexp_replace(lower(trim({{ expr }})), '[^0-9.]', '', 'g') as double) * 1000
            ) as bigint)
        else try_cast(regexp_replace(trim({{ expr }}), '[,+\s]', '', 'g') as bigint)
    end
{%- endmacro %}

{% macro spark__parse_display_count(expr) -%}
    case
        when lower(trim({{ expr }})) rlike '^[0-9.,]+\\s*(万|w)\\+?$'
            then cast(round(
                try_cast(regexp_replace(lower(trim({{ expr }})), '[^0-9.]', '') as double) * 10000
            ) as bigint)
        when lower(trim({{ expr }})) rlike '^[0-9.,]+\\s*k\\+?$'
            then cast(round(
                try_cast(regexp_replace(lower(trim({{ expr }})), '[^0-9.]', '') as double) * 1000
            ) as bigint)
        else try_cast(regexp_replace(trim({{ expr }}), '[,+\\s]', '') as bigint)
    end
{%- endmacro %}

{#- url_param(url, name): the URL-decoded value of query parameter `name`, null when absent or empty. -#}
{% macro url_param(url, name) -%}
    {{ return(adapter.dispatch('url_param', 'kol_attr')(url, name)) }}
{%- endmacro %}

{% macro default__url_param(url, name) -%}
    nullif(trim(url_decode(regexp_extract({{ url }}, '[?&]{{ name }}=([^&#]*)', 1))), '')
{%- endmacro %}

{#- DuckDB's url_decode raises on a percent-sequence that is not UTF-8 ('%E5%B0' cut short): try()
    turns it into null, and url_is_malformed sets such a row aside instead of failing the build. -#}
{% macro duckdb__url_param(url, name) -%}
    nullif(trim(try(url_decode(regexp_extract({{ url }}, '[?&]{{ name }}=([^&#]*)', 1)))), '')
{%- endmacro %}

{% macro spark__url_param(url, name) -%}
    nullif(trim(reflect('java.net.URLDecoder', 'decode', regexp_extract({{ url }}, '[?&]{{ name }}=([^&#]*)', 1), 'UTF-8')), '')
{%- endmacro %}

{#- url_is_malformed(url): true when the URL is present but cannot be URL-decoded (a percent-sequence
    that is not valid UTF-8, e.g. an export that cut a multi-byte character in half). -#}
{% macro url_is_malformed(url) -%}
    {{ return(adapter.dispatch('url_is_malformed', 'kol_attr')(url)) }}
{%- endmacro %}

{% macro default__url_is_malformed(url) -%}
    ({{ url }} is not null and try(url_decode({{ url }})) is null)
{%- endmacro %}

{% macro spark__url_is_malformed(url) -%}
    ({{ url }} is not null and try_reflect('java.net.URLDecoder', 'decode', {{ url }}, 'UTF-8') is null)
{%- endmacro %}

{#- as_of_timestamp(): the cut-off after which a time is "in the future" (bad row): var kol_attr__as_of
    ('YYYY-MM-DD HH:MM:SS' UTC) or, when null, the replay instant kol_attr__replay_as_of (during a
    replay "now" is that instant) or, when that is null too, the start of this dbt run. -#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('kol_attr__as_of') -%}
    {%- if as_of is none and kol_attr.replay_as_of() is not none -%}
        {{ kol_attr.replay_as_of() }}
    {%- elif as_of is none -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{#- time_rejection(ts_expr, raw_expr): 'unparseable_timestamp' when raw is present but ts is null,
    'future_timestamp' when ts is after the as-of cut-off, else null. -#}
{% macro time_rejection(ts_expr, raw_expr) -%}
    case
        when {{ raw_expr }} is null then 'null_timestamp'
        when {{ ts_expr }} is null then 'unparseable_timestamp'
        when {{ ts_expr }} > {{ kol_attr.as_of_timestamp() }} then 'future_timestamp'
    end
{%- endmacro %}

{#- identity_types_sql(): the identity types of the contract, as a SQL list body. -#}
{% macro identity_types_sql() -%}
    'xhs_user_id', 'tmall_open_uid', 'jd_pin', 'wx_openid', 'wx_unionid',
    'd2c_customer_id', 'email_sha256', 'phone_sha256', 'anonymous_id'
{%- endmacro %}
