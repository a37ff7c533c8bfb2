{#-
    Conversion x eligible touch for the LONGEST configured window, computed once and shared by every
    scheme and window (the attribute macro only filters and weights it). Grain: conversion_id x
    touchpoint_id, plus exactly one row with touchpoint_id null for an attributable conversion that has
    no eligible touch at all. See _paths__models.yml for the rules.
-#}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) -%}
{%- set options = kol_attr.get_attribution_path_options(
    var('kol_attr__reset_path_on_conversion'),
    var('kol_attr__dedup_minutes'),
    var('kol_attr__max_path_length'),
    var('kol_attr__touch_signals'),
) -%}
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
        touchpoints.kol_tier,
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
        kol_tier,
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
        case when ranked.touchpoint_id is not null then ranked.touch_order end as recency_rank
    from ranked
    where ranked.touchpoint_id is null or {{ cap_filter }}
),

path_lengths as (
    {#- a grouped aggregate joined back: much cheaper than window aggregates over the wide rows #}
    select
        conversion_id,
        min(touch_age_days) as latest_touch_age_days,
        count(touchpoint_id) as path_length,
        {%- for window in windows %}
            sum(case when touch_age_days <= {{ window }} then 1 else 0 end) as path_length_{{ window }}d,
        {%- endfor %}
        count(*) as path_rows
    from capped
    group by conversion_id
),

final as (
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
        capped.kol_tier,
        ---------- numerics
        capped.revenue_cny,
        cast(interaction_weights.weight as {{ kol_attr.type_double() }}) as interaction_weight,
        capped.touch_age_days,
        path_lengths.latest_touch_age_days,
        cast(capped.recency_rank as {{ dbt.type_int() }}) as recency_rank,
        cast(path_lengths.path_length as {{ dbt.type_int() }}) as path_length,
        {%- for window in windows %}
            cast(path_lengths.path_length_{{ window }}d as {{ dbt.type_int() }}) as path_length_{{ window }}d,
        {%- endfor %}
        ---------- timestamps
        capped.touched_at,
        capped.converted_at
    from capped
    inner join path_lengths on capped.conversion_id = path_lengths.conversion_id
    left join interaction_weights on capped.interaction_type = interaction_weights.interaction_type
)

select * from final
