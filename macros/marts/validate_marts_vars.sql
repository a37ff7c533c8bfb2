{#-
    validate_marts_vars(): compile-time check of the vars read by the performance, comparison,
    lag-curve, direct-signal, survey and alliance marts. Fails the compile with a message naming the
    bad value and the allowed ones. Returns an empty string, so a model calls it as
    `{{ kol_attr.validate_marts_vars() }}`.
-#}
{% macro validate_marts_vars() -%}
    {%- set windows = var('kol_attr__windows_days', [7, 14, 30, 60, 90, 120]) -%}

    {%- for name in ['kol_attr__compare_window_days', 'kol_attr__survey_window_days'] -%}
        {%- set value = var(name, 30) -%}
        {%- if value not in windows -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " = " ~ value
                ~ " is not allowed: use one of the windows that are built, kol_attr__windows_days = " ~ windows
            ) }}
        {%- endif -%}
    {%- endfor -%}

    {%- for name, default in [
        ('kol_attr__last_touch_model', 'last_touch'),
        ('kol_attr__survey_model', 'linear'),
        ('kol_attr__alliance_model', 'linear'),
    ] -%}
        {%- set value = var(name, default) -%}
        {%- if value is not string or value | trim == '' -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " = " ~ value
                ~ " is not allowed: use an attribution_model name of fct_attribution_credits, e.g. '" ~ default ~ "'"
            ) }}
        {%- endif -%}
    {%- endfor -%}

    {%- for name, default in [
        ('kol_attr__compare_models', ['linear', 'last_touch']),
        ('kol_attr__data_driven_models', ['markov', 'shapley', 'counterfactual']),
    ] -%}
        {%- set value = var(name, default) -%}
        {%- if value is string or value is not iterable or value | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " = " ~ value
                ~ " is not allowed: use a non-empty list of attribution_model names, e.g. " ~ default
            ) }}
        {%- endif -%}
    {%- endfor -%}

    {%- set threshold = var('kol_attr__survey_match_threshold', 0.7) -%}
    {%- if threshold is not number or threshold is boolean or threshold < 0 or threshold > 1 -%}
        {{ exceptions.raise_compiler_error(
            "var kol_attr__survey_match_threshold = " ~ threshold
            ~ " is not allowed: use a number from 0 to 1 (the lowest match_confidence kept as a match)"
        ) }}
    {%- endif -%}

    {%- set ratio = var('kol_attr__survey_offline_response_ratio', 1.0) -%}
    {%- if ratio is not number or ratio is boolean or ratio <= 0 -%}
        {{ exceptions.raise_compiler_error(
            "var kol_attr__survey_offline_response_ratio = " ~ ratio
            ~ " is not allowed: use a positive number (how many times likelier an offline buyer is to answer"
            ~ " the survey than an online one; 1 = equally likely)"
        ) }}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}

{#- sql_list(values): a Python list of strings as a SQL list of literals: ('a', 'b'). -#}
{% macro sql_string_list(values) -%}
    ({%- for value in values -%}'{{ value }}'{{ ', ' if not loop.last }}{%- endfor -%})
{%- endmacro %}
