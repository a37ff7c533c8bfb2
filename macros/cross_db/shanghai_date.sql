{#-
    shanghai_date(ts): the Asia/Shanghai calendar date (UTC+8, no daylight
    saving) of a UTC timestamp. Brand-side dates (tracking-code validity,
    campaign start and end) are China business dates.
-#}
{% macro shanghai_date(ts) -%}
    cast({{ dbt.dateadd('hour', 8, ts) }} as date)
{%- endmacro %}
