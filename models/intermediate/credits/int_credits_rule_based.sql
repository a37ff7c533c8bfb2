{#-
    Every rule-based scheme (rows of seed attribution_schemes, subset var kol_attr__schemes) x every
    window (var kol_attr__windows_days) as one credit column each (kol_attr.attribution_credit), read
    from the one materialised int_conversion_paths. A view: int_conversion_paths already holds every
    aggregate a credit needs (recency rank, path length per window, the normaliser of each scheme x
    window), so a credit is per-row arithmetic on one row, evaluated where it is read; nothing is
    re-joined, re-ranked or re-grouped per scheme. fct_attribution_credits projects the columns into
    long rows (kol_attr.attribute).
-#}
-- depends_on: {{ ref('attribution_schemes') }}
{{ config(materialized='view') }}
{%- set schemes = kol_attr.get_attribution_schemes(var('kol_attr__schemes')) -%}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) %}

with

paths as (select * from {{ ref('int_conversion_paths') }}),

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
        ---------- numerics
        revenue_cny,
        recency_rank,
        {%- for window in windows %}
            path_length_{{ window }}d,
        {%- endfor %}
        {%- for scheme in schemes %}
            {%- for window in windows %}
                {{ kol_attr.attribution_credit(scheme, window) }}
                    as {{ kol_attr.attribution_credit_column(scheme, window) }},
            {%- endfor %}
        {%- endfor %}
        ---------- timestamps
        touched_at,
        converted_at
    from paths
)

select * from final
