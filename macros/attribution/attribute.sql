{#-
    attribute(scheme, window_days, paths): the SQL (one select, no trailing semicolon) of the credit
    rows of ONE scheme and ONE window, read from `paths` (int_conversion_paths, or a relation with its
    columns). Output columns are attribution_credit_columns(), grain conversion x touchpoint.

      * The window's path of a conversion is its touches with touch_age_days <= window_days: the touches
        with recency_rank 1 .. path_length_<w>d. touch_position = path_length - recency_rank + 1.
      * w_i = position(i, n) * decay(age_i) * type_weight(interaction_type_i) (attribution_weights.sql);
        credit_i = w_i / sum_j w_j. When the scheme has neither decay nor type weights the position
        weights already sum to 1 and are the credit (no normalising window is computed).
      * Fallback: when every w_j of a path is 0 (e.g. interaction weights of 0), credit falls back to the
        position weights alone, so credit still sums to 1 and nothing divides by 0.
      * Rows whose credit is 0 are not written (first_touch and last_touch write one row per conversion).
      * A conversion with no touch in the window gets exactly one row: touch columns null,
        is_unattributed true, credit 1, path_length 0.
-#}
{% macro attribute(scheme, window_days, paths) %}
    {{- return(adapter.dispatch('attribute', 'kol_attr')(scheme, window_days, paths)) -}}
{% endmacro %}

{% macro default__attribute(scheme, window_days, paths) %}
    {%- set window_days = window_days | int -%}
    {%- set length_column = 'path_length_' ~ window_days ~ 'd' -%}
    {%- set rule = scheme['position_rule'] -%}
    {%- set decay = kol_attr.attribution_decay_weight(scheme['half_life_days'], 'touch_age_days', 'latest_touch_age_days') -%}
    {%- set type_weight = kol_attr.attribution_type_weight(scheme['use_interaction_weights'], 'interaction_weight') -%}
    {%- set factors = [] -%}
    {%- for factor in [decay, type_weight] if factor is not none -%}
        {%- do factors.append('(' ~ factor ~ ')') -%}
    {%- endfor -%}
    {%- set dbl = kol_attr.type_double() -%}
    select
        conversion_id,
        touchpoint_id,
        person_id,
        kol_id,
        note_id,
        campaign_id,
        order_platform,
        touch_signal,
        interaction_type,
        cast('{{ scheme["scheme_id"] }}' as {{ dbt.type_string() }}) as attribution_model,
        cast({{ window_days }} as {{ dbt.type_int() }}) as window_days,
        touch_position,
        path_length,
        credit,
        credit * cast(revenue_cny as {{ dbl }}) as attributed_revenue_cny,
        is_unattributed,
        touched_at,
        converted_at
    from (
        select
            *,
            {%- if factors | length > 0 %}
            case
                when is_unattributed then cast(1 as {{ dbl }})
                when sum(adjusted_weight) over (partition by conversion_id) > 0
                    then adjusted_weight / sum(adjusted_weight) over (partition by conversion_id)
                else position_weight
            end as credit
            {%- else %}
            position_weight as credit
            {%- endif %}
        from (
            select
                *,
                {%- if factors | length > 0 %}
                {#- linear: the constant 1/n cancels in the normalisation, so it is left out (exact sums) #}
                {{ 'cast(1 as ' ~ dbl ~ ')' if rule == 'linear' else 'position_weight' }} * {{ factors | join(' * ') }}
                    as adjusted_weight
                {%- else %}
                position_weight as adjusted_weight
                {%- endif %}
            from (
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
                    case when {{ length_column }} > 0 then {{ length_column }} - recency_rank + 1 end as touch_position,
                    {{ length_column }} as path_length,
                    case
                        when {{ length_column }} = 0 then cast(1 as {{ dbl }})
                        else {{ kol_attr.attribution_position_weight(scheme, length_column ~ ' - recency_rank + 1', length_column) }}
                    end as position_weight,
                    touch_age_days,
                    latest_touch_age_days,
                    interaction_weight,
                    revenue_cny,
                    {{ length_column }} = 0 as is_unattributed,
                    case when {{ length_column }} > 0 then touched_at end as touched_at,
                    converted_at
                from {{ paths }}
                where
                    (
                        {{ length_column }} = 0 and coalesce(recency_rank, 1) = 1
                    )
                    or (
                        touch_age_days <= {{ window_days }}
                        {%- if rule == 'last' %}
                        and recency_rank = 1
                        {%- elif rule == 'first' %}
                        and recency_rank = {{ length_column }}
                        {%- endif %}
                    )
            ) as windowed
            where position_weight > 0
        ) as weighted
    ) as credited
    where credit > 0
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
