{#-
    Every rule-based scheme (rows of seed attribution_schemes, subset var kol_attr__schemes) x every
    window (var kol_attr__windows_days) in ONE pass over the one materialised int_conversion_paths: a
    grouped aggregate gives each conversion its normalisers (only schemes with a decay or type factor
    need one), joined back once, and each scheme x window is one credit column
    (kol_attr.attribution_credit). Grain: the grain of int_conversion_paths. fct_attribution_credits
    projects the columns into long rows (kol_attr.attribute); nothing is re-joined or re-ranked per
    scheme, and the credits are stored once, compactly.
-#}
-- depends_on: {{ ref('attribution_schemes') }}
{%- set schemes = kol_attr.get_attribution_schemes(var('kol_attr__schemes')) -%}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) -%}
{%- set normalised = [] -%}
{%- for scheme in schemes if kol_attr.attribution_needs_normaliser(scheme) -%}
    {%- do normalised.append(scheme) -%}
{%- endfor %}

with

paths as (select * from {{ ref('int_conversion_paths') }}),

normalisers as (
    select
        conversion_id,
        {%- for scheme in normalised %}
            {%- for window in windows %}
                {{ kol_attr.attribution_normaliser(scheme, window) }}
                    as {{ kol_attr.attribution_normaliser_column(scheme, window) }},
            {%- endfor %}
        {%- endfor %}
        count(*) as path_rows
    from paths
    where touchpoint_id is not null
    group by conversion_id
),

weighted as (
    select
        paths.*,
        {%- for scheme in normalised %}
            {%- for window in windows %}
                normalisers.{{ kol_attr.attribution_normaliser_column(scheme, window) }},
            {%- endfor %}
        {%- endfor %}
        normalisers.path_rows
    from paths
    left join normalisers on paths.conversion_id = normalisers.conversion_id
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
    from weighted
)

select * from final
