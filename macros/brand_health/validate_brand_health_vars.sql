{#-
    validate_brand_health_vars(): compile-time check of the brand-health vars.
    Fails the compile with a message naming the bad value and the allowed ones.
    Returns an empty string, so a model calls it as `{{ kol_attr.validate_brand_health_vars() }}`.
-#}
{% macro validate_brand_health_vars() -%}
    {%- for name in ['kol_attr__baseline_window_days', 'kol_attr__post_window_days'] -%}
        {%- set value = var(name, 28) -%}
        {%- if value is not number or value is boolean or value != value | int or value < 1 or value > 366 -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " = " ~ value ~ " is not allowed: use a whole number of days from 1 to 366"
            ) }}
        {%- endif -%}
    {%- endfor -%}

    {%- set negation_window = var('kol_attr__sentiment_negation_window', {'zh': 4, 'en': 3}) -%}
    {%- if negation_window is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var kol_attr__sentiment_negation_window = " ~ negation_window
            ~ " is not allowed: use a mapping {zh: <characters>, en: <words>}, each a whole number from 0 to 10"
        ) }}
    {%- endif -%}
    {%- for language in ['zh', 'en'] -%}
        {%- set value = negation_window.get(language) -%}
        {%- if value is not number or value is boolean or value != value | int or value < 0 or value > 10 -%}
            {{ exceptions.raise_compiler_error(
                "var kol_attr__sentiment_negation_window." ~ language ~ " = " ~ value
                ~ " is not allowed: use a whole number from 0 to 10 (0 switches negation off)"
            ) }}
        {%- endif -%}
    {%- endfor -%}

    {%- set quality_model = var('kol_attr__quality_model', 'linear') -%}
    {%- if quality_model is not string or quality_model | trim == '' -%}
        {{ exceptions.raise_compiler_error(
            "var kol_attr__quality_model = " ~ quality_model
            ~ " is not allowed: use the attribution_model name of fct_attribution_credits, e.g. 'linear'"
        ) }}
    {%- endif -%}

    {%- set quality_window = var('kol_attr__quality_window_days', 30) -%}
    {%- set windows = var('kol_attr__windows_days', [7, 14, 30, 60, 90, 120]) -%}
    {%- if quality_window not in windows -%}
        {{ exceptions.raise_compiler_error(
            "var kol_attr__quality_window_days = " ~ quality_window
            ~ " is not allowed: use one of the windows that are built, kol_attr__windows_days = " ~ windows
        ) }}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
