{#-
    The rule-based attribution engine. int_conversion_paths does all the path work ONCE (eligibility,
    ranks, path length per window, and in the same grouped pass the normaliser of every scheme x
    window, attribution_normaliser); what is left per scheme and window is arithmetic on one row.

    1. attribution_credit(scheme, window_days): the SQL expression of one scheme's credit in one window
       for a row of int_conversion_paths (its normaliser column included). int_credits_rule_based, a
       view, evaluates it for every scheme x window as one column each (credit_<scheme_id>__<w>d):
       one row per conversion x touch of the longest window.
    2. attribute(scheme, window_days, credits): the credit rows of ONE scheme and ONE window in the
       long shape of attribution_credit_columns(), read from those columns; fct_attribution_credits
       unions them for every scheme x window.

    Rules (both steps together):
      * The window's path of a conversion is its touches with touch_age_days <= window_days: the touches
        with recency_rank 1 .. path_length_<w>d. touch_position = path_length - recency_rank + 1.
      * w_i = position(i, n) * decay(age_i) * type_weight(interaction_type_i) (attribution_weights.sql);
        credit_i = w_i / sum_j w_j. When the scheme has neither decay nor type weights the position
        weights already sum to 1 and are the credit (no normaliser is computed).
      * Fallback: when every w_j of a path is 0 (e.g. interaction weights of 0), credit falls back to the
        position weights alone, so credit still sums to 1 and nothing divides by 0.
      * Rows whose credit is 0 are not written (first_touch and last_touch write one row per conversion).
      * A conversion with no touch in the window gets exactly one row: touch columns null,
        is_unattributed true, credit 1, path_length 0. In the wide table that credit 1 sits on the
        conversion's row with recency_rank 1 (or its touchless row).
-#}

{#- The name of the wide credit column of a scheme and a window. -#}
{% macro attribution_credit_column(scheme, window_days) %}
    {{- return('credit_' ~ scheme['scheme_id'] ~ '__' ~ (window_days | int) ~ 'd') -}}
{% endmacro %}


{#- Whether a scheme needs a per-conversion normaliser (it has a decay or interaction-type factor). -#}
{% macro attribution_needs_normaliser(scheme) %}
    {{- return(scheme['half_life_days'] is not none or scheme['use_interaction_weights']) -}}
{% endmacro %}


{#- The name of the normaliser column of a scheme and a window (see attribution_normaliser). -#}
{% macro attribution_normaliser_column(scheme, window_days) %}
    {{- return('norm_' ~ scheme['scheme_id'] ~ '__' ~ (window_days | int) ~ 'd') -}}
{% endmacro %}


{#-
    attribution_weight(scheme, window_days): the unnormalised weight w_i of a path row inside the window
    (null outside it): position(i, n) * decay * type weight, with linear's constant 1/n left out (it
    cancels in the normalisation, which keeps sums exact).
-#}
{% macro attribution_weight(scheme, window_days) %}
    {{- return(adapter.dispatch('attribution_weight', 'kol_attr')(scheme, window_days)) -}}
{% endmacro %}

{% macro default__attribution_weight(scheme, window_days) %}
    {%- set window_days = window_days | int -%}
    {%- set length_column = 'path_length_' ~ window_days ~ 'd' -%}
    {%- set decay = kol_attr.attribution_decay_weight(scheme['half_life_days'], 'touch_age_days') -%}
    {%- set type_weight = kol_attr.attribution_type_weight(scheme['use_interaction_weights'], 'interaction_weight') -%}
    {%- set factors = [] -%}
    {%- if scheme['position_rule'] == 'linear' -%}
        {%- do factors.append(kol_attr.attribution_double_literal(1)) -%}
    {%- else -%}
        {%- do factors.append('(' ~ kol_attr.attribution_position_weight(scheme, length_column ~ ' - recency_rank + 1', length_column) ~ ')') -%}
    {%- endif -%}
    {%- for factor in [decay, type_weight] if factor is not none -%}
        {%- do factors.append('(' ~ factor ~ ')') -%}
    {%- endfor -%}
    case when touch_age_days <= {{ window_days }} then {{ factors | join(' * ') }} end
{%- endmacro %}


{#-
    attribution_normaliser(scheme, window_days): the aggregate (to group by conversion_id over its path
    rows) of sum_j w_j in the window, or none when the scheme needs no normaliser.
-#}
{% macro attribution_normaliser(scheme, window_days) %}
    {%- if not kol_attr.attribution_needs_normaliser(scheme) -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return('sum(' ~ kol_attr.attribution_weight(scheme, window_days) ~ ')') -}}
{% endmacro %}


{#-
    attribution_normaliser_columns(schemes, windows): the select items "<normaliser> as <column>," of
    every scheme in `schemes` x every window, each with a trailing comma (list them before the group
    key); empty for no scheme. int_conversion_paths emits them in its grouped pass (position-free
    schemes) and in the positional pass (schemes whose weight also depends on the position).
-#}
{% macro attribution_normaliser_columns(schemes, windows) %}
    {%- for scheme in schemes %}
        {%- for window in windows %}
            {{ kol_attr.attribution_normaliser(scheme, window) }} as {{ kol_attr.attribution_normaliser_column(scheme, window) }},
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}


{#-
    attribution_credit(scheme, window_days): the credit of a path row for the scheme in the window; null
    when the row is not on the window's path. Expects the columns of int_conversion_paths and, for a
    scheme that needs one, the normaliser column attribution_normaliser_column(scheme, window_days).
-#}
{% macro attribution_credit(scheme, window_days) %}
    {{- return(adapter.dispatch('attribution_credit', 'kol_attr')(scheme, window_days)) -}}
{% endmacro %}

{% macro default__attribution_credit(scheme, window_days) %}
    {%- set window_days = window_days | int -%}
    {%- set length_column = 'path_length_' ~ window_days ~ 'd' -%}
    {%- set one = kol_attr.attribution_double_literal(1) -%}
    {%- set position_weight = kol_attr.attribution_position_weight(scheme, length_column ~ ' - recency_rank + 1', length_column) -%}
    case
        when {{ length_column }} = 0 then case when coalesce(recency_rank, 1) = 1 then {{ one }} end
        when touch_age_days <= {{ window_days }} then
            {%- if kol_attr.attribution_needs_normaliser(scheme) %}
                {%- set normaliser = kol_attr.attribution_normaliser_column(scheme, window_days) %}
                case
                    when {{ normaliser }} > 0 then ({{ kol_attr.attribution_weight(scheme, window_days) }}) / {{ normaliser }}
                    else {{ position_weight }}
                end
            {%- else %}
                {{ position_weight }}
            {%- endif %}
    end
{%- endmacro %}


{#-
    attribute(scheme, window_days, credits): the SQL (one select, no trailing semicolon) of the credit
    rows of ONE scheme and ONE window in the columns of attribution_credit_columns(), read from
    `credits` (int_credits_rule_based, or a relation with its columns).
-#}
{% macro attribute(scheme, window_days, credits) %}
    {{- return(adapter.dispatch('attribute', 'kol_attr')(scheme, window_days, credits)) -}}
{% endmacro %}

{% macro default__attribute(scheme, window_days, credits) %}
    {%- set window_days = window_days | int -%}
    {%- set length_column = 'path_length_' ~ window_days ~ 'd' -%}
    {%- set credit_column = kol_attr.attribution_credit_column(scheme, window_days) -%}
    select
        conversion_id,
        case when {{ length_column }} > 0 then touchpoint_id end as touchpoint_id,
        person_id,
        case when {{ length_column }} > 0 then kol_id end as kol_id,
        case when {{ length_column }} > 0 then note_id end as note_id,
        case when {{ length_column }} > 0 then campaign_id end as campaign_id,
        order_platform,
        case when {{ length_column }} > 0 then touch_signal end as touch_signal,
        case when {{ length_column }} > 0 then interaction_type end as interaction_type,
        cast('{{ scheme["scheme_id"] }}' as {{ dbt.type_string() }}) as attribution_model,
        cast({{ window_days }} as {{ dbt.type_int() }}) as window_days,
        case when {{ length_column }} > 0 then {{ length_column }} - recency_rank + 1 end as touch_position,
        {{ length_column }} as path_length,
        {{ credit_column }} as credit,
        {{ credit_column }} * cast(revenue_cny as {{ kol_attr.type_double() }}) as attributed_revenue_cny,
        {{ length_column }} = 0 as is_unattributed,
        case when {{ length_column }} > 0 then touched_at end as touched_at,
        converted_at
    from {{ credits }}
    where {{ credit_column }} > 0
{%- endmacro %}


{#- The columns every credit model writes, in order (the interface fct_attribution_credits unions). -#}
{% macro attribution_credit_columns() %}
    {{ return([
        'conversion_id', 'touchpoint_id', 'person_id', 'kol_id', 'note_id', 'campaign_id',
        'order_platform', 'touch_signal', 'interaction_type', 'attribution_model', 'window_days',
        'touch_position', 'path_length', 'credit', 'attributed_revenue_cny', 'is_unattributed',
        'touched_at', 'converted_at',
    ]) }}
{% endmacro %}
