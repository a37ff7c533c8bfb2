{#-
    One credit relation for every attribution model. Grain: conversion_id x touchpoint_id x
    attribution_model x window_days (touchpoint_id null on the one unattributed row of a conversion
    with no touch in the window).

    A view: the rule-based credits are computed and stored once, one column per scheme x window, in
    int_credits_rule_based; here each column becomes its long rows (kol_attr.attribute, a projection
    and a filter, no joins); the data-driven models are tables in this long shape already. A reader
    filtering on attribution_model and window_days touches only that scheme's column (the other union
    branches fold away on their constant columns).

    Adding a credit model is one line: append its model name to `credit_models` below. Every credit
    model writes the columns of kol_attr.attribution_credit_columns() with the same meaning (see
    _credits__models.yml); the union selects them by name, so column order does not matter.

    On Spark a table (kol_attr.long_credits_materialization): the view's text is longer than the
    32,700 characters the embedded (Derby) Hive metastore stores for a view.
-#}
{{ config(materialized=kol_attr.long_credits_materialization()) }}
-- depends_on: {{ ref('attribution_schemes') }}
{%- set schemes = kol_attr.get_attribution_schemes(var('kol_attr__schemes')) -%}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) -%}
{%- set credit_models = [
    'int_credits_markov',
    'int_credits_shapley',
    'int_credits_counterfactual',
    'int_credits_incremental',
] -%}

{%- set credit_columns = kol_attr.attribution_credit_columns() | join(', ') %}

with

int_credits_rule_based as (select * from {{ ref('int_credits_rule_based') }}),

{% for credit_model in credit_models -%}
    {{ credit_model }} as (select * from {{ ref(credit_model) }}),
{% endfor %}
unioned as (
    {%- for scheme in schemes %}
        {%- for window in windows %}
            {{ kol_attr.attribute(scheme, window, 'int_credits_rule_based') }}
            union all
        {%- endfor %}
    {%- endfor %}
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
