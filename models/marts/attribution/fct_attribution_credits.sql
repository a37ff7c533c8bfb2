{#-
    One credit table for every attribution model. Grain: conversion_id x touchpoint_id x
    attribution_model x window_days (touchpoint_id null on the one unattributed row of a conversion
    with no touch in the window).

    Adding a credit model is one line: append its model name to `credit_models` below. Every credit
    model writes the columns of kol_attr.attribution_credit_columns() with the same meaning (see
    _credits__models.yml); the union selects them by name, so column order does not matter.
-#}
{%- set credit_models = [
    'int_credits_rule_based',
    'int_credits_markov',
    'int_credits_shapley',
    'int_credits_counterfactual',
] -%}

{%- set credit_columns = kol_attr.attribution_credit_columns() | join(', ') %}

with

{% for credit_model in credit_models -%}
    {{ credit_model }} as (select * from {{ ref(credit_model) }}),
{% endfor %}
unioned as (
    {%- for credit_model in credit_models %}
        select {{ credit_columns }} from {{ credit_model }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        ---------- ids
        cast(conversion_id as {{ dbt.type_string() }}) as conversion_id,
        cast(touchpoint_id as {{ dbt.type_string() }}) as touchpoint_id,
        cast(person_id as {{ dbt.type_string() }}) as person_id,
        cast(kol_id as {{ dbt.type_string() }}) as kol_id,
        cast(note_id as {{ dbt.type_string() }}) as note_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(order_platform as {{ dbt.type_string() }}) as order_platform,
        cast(touch_signal as {{ dbt.type_string() }}) as touch_signal,
        cast(interaction_type as {{ dbt.type_string() }}) as interaction_type,
        cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
        ---------- numerics
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        cast(touch_position as {{ dbt.type_int() }}) as touch_position,
        cast(path_length as {{ dbt.type_int() }}) as path_length,
        cast(credit as {{ kol_attr.type_double() }}) as credit,
        cast(attributed_revenue_cny as {{ kol_attr.type_double() }}) as attributed_revenue_cny,
        ---------- booleans
        cast(is_unattributed as boolean) as is_unattributed,
        ---------- timestamps
        cast(touched_at as {{ dbt.type_timestamp() }}) as touched_at,
        cast(converted_at as {{ dbt.type_timestamp() }}) as converted_at
    from unioned
)

select * from final
