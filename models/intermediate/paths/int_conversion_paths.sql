{#-
    Conversion x eligible touch for the LONGEST configured window, computed once and shared by every
    scheme and window. Grain: conversion_id x touchpoint_id, plus exactly one row with touchpoint_id
    null for an attributable conversion that has no eligible touch at all. See _paths__models.yml for
    the rules.

    Every aggregate a rule-based credit needs is computed here, in the same statement: recency rank,
    path length per window, and the per-conversion normaliser sum_j w_j of every scheme x window that
    has a decay or interaction-type factor (kol_attr.attribution_normaliser). What is left for a
    credit (int_credits_rule_based, a view) is per-row arithmetic: nothing is grouped, sorted or
    joined again per scheme or window.
-#}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) -%}
{%- set options = kol_attr.get_attribution_path_options(
    var('kol_attr__reset_path_on_conversion'),
    var('kol_attr__dedup_minutes'),
    var('kol_attr__max_path_length'),
    var('kol_attr__touch_signals'),
) -%}
{%- set schemes = kol_attr.get_attribution_schemes(var('kol_attr__schemes')) -%}
{%- set normalised = [] -%}
{%- set positional = [] -%}
{%- for scheme in schemes if kol_attr.attribution_needs_normaliser(scheme) -%}
    {%- do normalised.append(scheme) -%}
    {%- if scheme.position_rule != 'linear' -%}
        {%- do positional.append(scheme) -%}
    {%- endif -%}
{%- endfor -%}
{%- do kol_attr.check_attribution_decay_range(schemes, windows) -%}
{%- set max_window = windows | max -%}
{%- if options.touch_signals is not none -%}
    {%- set signal_filter = "touch_signal in ('" ~ options.touch_signals | join("', '") ~ "')" -%}
{%- else -%}
    {%- set signal_filter = 'true' -%}
{%- endif -%}
{%- if options.reset_path -%}
    {%- set reset_filter = '(conversions.previous_converted_at is null'
        ~ ' or touchpoints.touched_at >= conversions.previous_converted_at)' -%}
{%- else -%}
    {%- set reset_filter = 'true' -%}
{%- endif -%}
{%- if options.dedup_minutes > 0 -%}
    {%- set next_touch_on_note = 'lead(eligible.touched_at) over (partition by eligible.conversion_id, eligible.note_id'
        ~ ' order by eligible.touched_at asc, eligible.touchpoint_id asc)' -%}
    {%- set dedup_filter = 'note_id is null or next_touched_at_on_note is null or next_touched_at_on_note > '
        ~ dbt.dateadd('minute', options.dedup_minutes, 'touched_at') -%}
{%- else -%}
    {%- set next_touch_on_note = 'cast(null as ' ~ dbt.type_timestamp() ~ ')' -%}
    {%- set dedup_filter = 'true' -%}
{%- endif -%}
{%- if options.max_path_length is not none -%}
    {%- set cap_filter = 'touch_order <= ' ~ options.max_path_length -%}
{%- else -%}
    {%- set cap_filter = 'true' -%}
{%- endif -%}

-- depends_on: {{ ref('attribution_schemes') }}
with

conversions as (
    select * from {{ ref('fct_conversions') }}
    where is_attributable
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
    where
        is_kol_matched
        and kol_id is not null
        and {{ signal_filter }}
),

interaction_weights as (select * from {{ ref('interaction_weights') }}),

eligible as (
    select
        conversions.conversion_id,
        touchpoints.touchpoint_id,
        conversions.person_id,
        touchpoints.kol_id,
        touchpoints.note_id,
        touchpoints.campaign_id,
        conversions.order_platform,
        touchpoints.touch_signal,
        touchpoints.interaction_type,
        conversions.revenue_cny,
        touchpoints.touched_at,
        conversions.converted_at
    from conversions
    left join touchpoints
        on
            conversions.person_id = touchpoints.person_id
            and conversions.converted_at > touchpoints.touched_at
            and {{ dbt.dateadd('day', -max_window, 'conversions.converted_at') }} <= touchpoints.touched_at
            and {{ reset_filter }}
),

next_touch as (
    select
        eligible.*,
        {{ next_touch_on_note }} as next_touched_at_on_note
    from eligible
),

deduplicated as (
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
        revenue_cny,
        touched_at,
        converted_at
    from next_touch
    where {{ dedup_filter }}
),

ranked as (
    select
        deduplicated.*,
        {{ kol_attr.attribution_touch_age_days('deduplicated.touched_at', 'deduplicated.converted_at') }}
            as touch_age_days,
        row_number() over (
            partition by deduplicated.conversion_id
            order by
                deduplicated.touched_at desc,
                {{ kol_attr.attribution_touch_tie_rank('deduplicated.touch_signal') }} asc,
                deduplicated.touchpoint_id asc
        ) as touch_order
    from deduplicated
),

capped as (
    select
        ranked.*,
        case when ranked.touchpoint_id is not null then ranked.touch_order end as recency_rank,
        cast(interaction_weights.weight as {{ kol_attr.type_double() }}) as interaction_weight
    from ranked
    left join interaction_weights on ranked.interaction_type = interaction_weights.interaction_type
    where ranked.touchpoint_id is null or {{ cap_filter }}
),

path_aggregates as (
    {#- ONE grouped aggregate joined back (much cheaper than window aggregates over the wide rows):
        path lengths per window and the normaliser of every scheme whose weight does not depend on the
        position (position_rule linear) #}
    select
        conversion_id,
        min(touch_age_days) as latest_touch_age_days,
        count(touchpoint_id) as path_length,
        {%- for window in windows %}
            count(case when touch_age_days <= {{ window }} then 1 end) as path_length_{{ window }}d,
        {%- endfor %}
        {%- for scheme in normalised if scheme.position_rule == 'linear' %}
            {%- for window in windows %}
                {{ kol_attr.attribution_normaliser(scheme, window) }}
                    as {{ kol_attr.attribution_normaliser_column(scheme, window) }},
            {%- endfor %}
        {%- endfor %}
        count(*) as path_rows
    from capped
    group by conversion_id
),

paths as (
    select
        ---------- ids
        capped.conversion_id,
        capped.touchpoint_id,
        capped.person_id,
        capped.kol_id,
        capped.note_id,
        capped.campaign_id,
        ---------- strings
        capped.order_platform,
        capped.touch_signal,
        capped.interaction_type,
        ---------- numerics
        capped.revenue_cny,
        capped.interaction_weight,
        capped.touch_age_days,
        path_aggregates.latest_touch_age_days,
        cast(capped.recency_rank as {{ dbt.type_int() }}) as recency_rank,
        cast(path_aggregates.path_length as {{ dbt.type_int() }}) as path_length,
        {%- for window in windows %}
            cast(path_aggregates.path_length_{{ window }}d as {{ dbt.type_int() }}) as path_length_{{ window }}d,
        {%- endfor %}
        {%- for scheme in normalised if scheme.position_rule == 'linear' %}
            {%- for window in windows %}
                path_aggregates.{{ kol_attr.attribution_normaliser_column(scheme, window) }},
            {%- endfor %}
        {%- endfor %}
        ---------- timestamps
        capped.touched_at,
        capped.converted_at
    from capped
    inner join path_aggregates on capped.conversion_id = path_aggregates.conversion_id
),
{%- if positional | length > 0 %}

positional_normalisers as (
    {#- a second grouped pass only for schemes whose weight also depends on the position (it needs the
        window's path length first), e.g. a U-shaped scheme with decay #}
    select
        conversion_id,
        {%- for scheme in positional %}
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
{%- endif %}

final as (
    select paths.*{% for scheme in positional %}{% for window in windows %},
        positional_normalisers.{{ kol_attr.attribution_normaliser_column(scheme, window) }}{% endfor %}{% endfor %}
    from paths{% if positional | length > 0 %}
    left join positional_normalisers on paths.conversion_id = positional_normalisers.conversion_id{% endif %}
)

select * from final
