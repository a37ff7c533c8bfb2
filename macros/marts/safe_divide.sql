{#-
    safe_divide(numerator, denominator): numerator / denominator as double, null when the
    denominator is 0 or null (never a division error, never an infinite ratio).
-#}
{% macro safe_divide(numerator, denominator) -%}
    {{- return(adapter.dispatch('safe_divide', 'kol_attr')(numerator, denominator)) -}}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}
