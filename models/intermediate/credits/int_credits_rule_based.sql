{#-
    Every rule-based scheme (rows of seed attribution_schemes, subset var kol_attr__schemes) x every
    window (var kol_attr__windows_days), one attribute() select each, unioned. All of them read the one
    materialised int_conversion_paths; nothing is re-joined or re-ranked per scheme.
    A view: fct_attribution_credits reads it once and materialises it, so the credit rows are written once.
-#}
{{ config(materialized='view') }}
-- depends_on: {{ ref('attribution_schemes') }}
{%- set schemes = kol_attr.get_attribution_schemes(var('kol_attr__schemes')) -%}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) -%}
{%- set columns = kol_attr.attribution_credit_columns() %}

with

credits as (
    {%- for scheme in schemes %}
        {%- set scheme_loop = loop %}
        {%- for window in windows %}
            {{ kol_attr.attribute(scheme, window, ref('int_conversion_paths')) }}
            {%- if not (scheme_loop.last and loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {%- if schemes | length == 0 %}
    {#- only while dbt parses (schemes are read at run time) -#}
    select {{ columns | join(', ') }} from {{ ref('int_conversion_paths') }} where 1 = 0
    {%- endif %}
),

final as (
    select
        ---------- ids
        conversion_id,
        touchpoint_id,
        person_id,
        kol_id,
        note_id,
        campaign_id,
        ---------- strings
        order_platform,
        touch_signal,
        interaction_type,
        attribution_model,
        ---------- numerics
        window_days,
        touch_position,
        path_length,
        credit,
        attributed_revenue_cny,
        ---------- booleans
        is_unattributed,
        ---------- timestamps
        touched_at,
        converted_at
    from credits
)

select * from final
