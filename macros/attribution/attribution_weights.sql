{#-
    The weight factors of the attribution engine. Each returns a SQL expression (double) and is
    dispatched, so a project can override the default__ for its engine or its business rules.
    w_i = position(i, n) * decay(age_i) * type_weight(interaction_type_i), credit_i = w_i / sum_j w_j.
-#}


{#- A double-precision SQL literal for a compile-time number (never a DECIMAL, never a 4-byte float). -#}
{% macro attribution_double_literal(value) %}
    {{- return("cast('" ~ (value | float) ~ "' as " ~ kol_attr.type_double() ~ ")") -}}
{% endmacro %}


{#- 8-byte floating point type (dbt.type_float() is a 4-byte FLOAT on DuckDB). -#}
{% macro type_double() %}
    {{- return(adapter.dispatch('type_double', 'kol_attr')()) -}}
{% endmacro %}

{% macro default__type_double() %}
    {{- return('double') -}}
{% endmacro %}

{% macro postgres__type_double() %}
    {{- return('double precision') -}}
{% endmacro %}


{#-
    attribution_position_weight(scheme, touch_position, path_length): weight of the touch at
    `touch_position` (1 = earliest) on a path of `path_length` touches. Over any path the weights sum to 1.
      first           1 for position 1, else 0
      last            1 for position n, else 0
      linear          1 / n
      position_based  n = 1: 1; n = 2: first and last weights renormalised, f / (f + l) and l / (f + l)
                      (0.5 each when f + l = 0); n >= 3: f for the first, l for the last, m / (n - 2)
                      for each middle touch.
-#}
{% macro attribution_position_weight(scheme, touch_position, path_length) %}
    {{- return(adapter.dispatch('attribution_position_weight', 'kol_attr')(scheme, touch_position, path_length)) -}}
{% endmacro %}

{% macro default__attribution_position_weight(scheme, touch_position, path_length) %}
    {%- set rule = scheme['position_rule'] -%}
    {%- set one = kol_attr.attribution_double_literal(1) -%}
    {%- set zero = kol_attr.attribution_double_literal(0) -%}
    {%- if rule == 'first' -%}
        case when {{ touch_position }} = 1 then {{ one }} else {{ zero }} end
    {%- elif rule == 'last' -%}
        case when {{ touch_position }} = {{ path_length }} then {{ one }} else {{ zero }} end
    {%- elif rule == 'linear' -%}
        {{ one }} / {{ path_length }}
    {%- elif rule == 'position_based' -%}
        {%- set f = scheme['first_weight'] -%}
        {%- set m = scheme['middle_weight'] -%}
        {%- set l = scheme['last_weight'] -%}
        {%- set f2 = (f / (f + l)) if (f + l) > 0 else 0.5 -%}
        {%- set l2 = (l / (f + l)) if (f + l) > 0 else 0.5 -%}
        case
            when {{ path_length }} = 1 then {{ one }}
            when {{ path_length }} = 2 and {{ touch_position }} = 1 then {{ kol_attr.attribution_double_literal(f2) }}
            when {{ path_length }} = 2 then {{ kol_attr.attribution_double_literal(l2) }}
            when {{ touch_position }} = 1 then {{ kol_attr.attribution_double_literal(f) }}
            when {{ touch_position }} = {{ path_length }} then {{ kol_attr.attribution_double_literal(l) }}
            else {{ kol_attr.attribution_double_literal(m) }} / ({{ path_length }} - 2)
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error("attribution_position_weight: position_rule '" ~ rule ~ "' is unknown; allowed: " ~ kol_attr.attribution_position_rules() | join(', ') ~ ".") }}
    {%- endif -%}
{% endmacro %}


{#-
    attribution_decay_weight(half_life_days, touch_age_days): the time-decay factor
    2^(-age / half_life), or none when the scheme has no half-life. Measured from the conversion, so the
    weight needs nothing but its own row and every normaliser is one grouped sum in the same pass as
    the path lengths. A window's earliest touch weighs at least 2^(-window / half_life), which
    check_attribution_decay_range keeps far above double underflow.
-#}
{% macro attribution_decay_weight(half_life_days, touch_age_days) %}
    {{- return(adapter.dispatch('attribution_decay_weight', 'kol_attr')(half_life_days, touch_age_days)) -}}
{% endmacro %}

{% macro default__attribution_decay_weight(half_life_days, touch_age_days) %}
    {%- if half_life_days is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return("power(" ~ kol_attr.attribution_double_literal(2) ~ ", -" ~ touch_age_days
        ~ " / " ~ kol_attr.attribution_double_literal(half_life_days) ~ ")") -}}
{% endmacro %}


{#-
    check_attribution_decay_range(schemes, windows): compile-time guard of the decay weights. The
    oldest touch of a window weighs 2^(-window / half_life); with window / half_life <= 900 that is
    >= 1e-271, far above the smallest normal double (2.2e-308) even after position and type factors,
    so no weight underflows to 0 and every credit keeps full precision. Raises naming the scheme.
-#}
{% macro check_attribution_decay_range(schemes, windows) %}
    {%- set longest = windows | max -%}
    {%- for scheme in schemes if scheme['half_life_days'] is not none -%}
        {%- if longest / scheme['half_life_days'] > 900 -%}
            {{ exceptions.raise_compiler_error("attribution_schemes row scheme_id = '" ~ scheme['scheme_id']
                ~ "': half_life_days = " ~ scheme['half_life_days'] ~ " is too short for the longest window ("
                ~ longest ~ " days): window / half-life must be <= 900, or the earliest touches weigh below 2^-900."
                ~ " Use a half-life of at least " ~ ((longest / 900) | round(4, 'ceil')) ~ " days.") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}


{#-
    attribution_type_weight(use_interaction_weights, interaction_weight): the interaction-type factor:
    the path's `interaction_weight` column (seed interaction_weights, joined once in
    int_conversion_paths) when the scheme uses it, else none.
-#}
{% macro attribution_type_weight(use_interaction_weights, interaction_weight) %}
    {{- return(adapter.dispatch('attribution_type_weight', 'kol_attr')(use_interaction_weights, interaction_weight)) -}}
{% endmacro %}

{% macro default__attribution_type_weight(use_interaction_weights, interaction_weight) %}
    {%- if not use_interaction_weights -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(interaction_weight) -}}
{% endmacro %}


{#-
    attribution_touch_age_days(touched_at, converted_at): (converted_at - touched_at) in days, as a
    double with sub-second precision.
-#}
{% macro attribution_touch_age_days(touched_at, converted_at) %}
    {{- return(adapter.dispatch('attribution_touch_age_days', 'kol_attr')(touched_at, converted_at)) -}}
{% endmacro %}

{% macro default__attribution_touch_age_days(touched_at, converted_at) %}
    cast({{ dbt.datediff(touched_at, converted_at, 'second') }} as {{ kol_attr.type_double() }}) / 86400
{%- endmacro %}

{% macro duckdb__attribution_touch_age_days(touched_at, converted_at) %}
    cast(epoch_us({{ converted_at }}) - epoch_us({{ touched_at }}) as {{ kol_attr.type_double() }}) / 86400000000
{%- endmacro %}

{% macro spark__attribution_touch_age_days(touched_at, converted_at) %}
    cast(unix_micros({{ converted_at }}) - unix_micros({{ touched_at }}) as {{ kol_attr.type_double() }}) / 86400000000
{%- endmacro %}


{#-
    attribution_touch_tie_rank(touch_signal): orders touches that share a timestamp on one path. Lower
    ranks count as LATER (closer to the conversion): the more direct the evidence, the later it is
    placed. Full order of a path, latest first: touched_at desc, this rank asc, touchpoint_id asc.
-#}
{% macro attribution_touch_tie_rank(touch_signal) %}
    {{- return(adapter.dispatch('attribution_touch_tie_rank', 'kol_attr')(touch_signal)) -}}
{% endmacro %}

{% macro default__attribution_touch_tie_rank(touch_signal) %}
    case {{ touch_signal }}
        when 'promo_code' then 1
        when 'passphrase' then 2
        when 'note_card' then 3
        when 'wechat_attach' then 4
        when 'qr_scan' then 5
        when 'ad_link' then 6
        when 'utm_session' then 7
        when 'note_interaction' then 8
        else 9
    end
{%- endmacro %}
