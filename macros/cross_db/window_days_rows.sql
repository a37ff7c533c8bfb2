{#-
    window_days_rows(windows): a select with one row per attribution window, column window_days
    (integer), for joining path rows to every window they fall in (touch_age_days <= window_days).
-#}
{% macro window_days_rows(windows) -%}
    {%- for window in windows %}
        select cast({{ window }} as {{ dbt.type_int() }}) as window_days
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
