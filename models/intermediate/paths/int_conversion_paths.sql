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

    Incremental (issue 7), keyed on the conversion (unique_key conversion_id: a recomputed conversion
    replaces all its rows). A run recomputes the path of every attributable conversion
      * converted at or after the cut-off: the latest touch already on a path minus
        var kol_attr__lookback_days (touches only precede their conversion, so this cut-off is never
        later than the ones fct_touchpoints and fct_conversions used for the rows they rewrote);
      * of a person one of whose conversions appeared, disappeared or changed person, time, revenue or
        platform (a merge by a new identity link, a refund, a late order: the person's other paths can
        change through previous_converted_at);
      * that has, inside its longest window, an eligible touch whose (touchpoint_id, person_id) is on
        no stored path (a touch re-matched to a KOL when its note arrived, a touch of a person merged
        in, a late touch).
    A conversion no longer attributable loses its rows (post-hook delete_rows_not_in). A change of
    the attribution config (windows, schemes, path options, seeds attribution_schemes and
    interaction_weights) stops an incremental run (assert_config_fingerprint).
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='conversion_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
    post_hook=[
        "{{ kol_attr.record_config_fingerprint() }}",
        "{{ kol_attr.delete_rows_not_in('conversion_id', ref('fct_conversions'), 'is_attributable') }}",
    ],
) }}
{{- kol_attr.assert_config_fingerprint() }}
{%- set cutoff = kol_attr.incremental_cutoff('touched_at') %}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) -%}
{%- set options = kol_attr.get_attribution_path_options(
    var('kol_attr__reset_path_on_conversion'),
    var('kol_attr__dedup_minutes'),
    var('kol_attr__max_path_length'),
    var('kol_attr__touch_signals'),
) -%}
{%- set schemes = kol_attr.get_attribution_schemes(var('kol_attr__schemes')) -%}
{%- set linear_normalised = [] -%}
{%- set positional = [] -%}
{%- for scheme in schemes if kol_attr.attribution_needs_normaliser(scheme) -%}
    {%- do (linear_normalised if scheme.position_rule == 'linear' else positional).append(scheme) -%}
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

{%- if is_incremental() %}

    stored_conversions as (
        select distinct
            conversion_id,
            person_id,
            order_platform,
            revenue_cny,
            converted_at
        from {{ this }}
    ),

    changed_conversions as (
        {#- appeared, disappeared or changed since the last run, and the persons involved #}
        select
            stored_conversions.person_id as stored_person_id,
            conversions.person_id as current_person_id
        from stored_conversions
        full outer join conversions on stored_conversions.conversion_id = conversions.conversion_id
        where
            stored_conversions.conversion_id is null
            or conversions.conversion_id is null
            or stored_conversions.person_id != conversions.person_id
            or stored_conversions.converted_at != conversions.converted_at
            or stored_conversions.revenue_cny is distinct from conversions.revenue_cny
            or stored_conversions.order_platform is distinct from conversions.order_platform
    ),

    changed_persons as (
        select stored_person_id as person_id from changed_conversions
        where stored_person_id is not null
        union
        select current_person_id as person_id from changed_conversions
        where current_person_id is not null
    ),

    unseen_touches as (
        {#- eligible touches older than the cut-off whose (touch, person) is on no stored path. Reads
            fct_touchpoints by ref, not through the import CTE: DuckDB materialises a CTE read twice in
            full (12M wide rows at large scale, most of the run's time) #}
        select
            eligible_touches.person_id,
            eligible_touches.touched_at
        from {{ ref('fct_touchpoints') }} as eligible_touches
        where
            eligible_touches.is_kol_matched
            and eligible_touches.kol_id is not null
            and {{ signal_filter }}
            and not ({{ kol_attr.since_cutoff('eligible_touches.touched_at', cutoff) }})
            and not exists (
                select 1 from {{ this }} as stored_paths
                where
                    stored_paths.touchpoint_id = eligible_touches.touchpoint_id
                    and stored_paths.person_id = eligible_touches.person_id
            )
    ),

    recomputed as (
        select conversions.conversion_id from conversions
        where
            {{ kol_attr.since_cutoff('conversions.converted_at', cutoff) }}
            or conversions.person_id in (select changed_persons.person_id from changed_persons)
        union
        select conversions.conversion_id from conversions
        inner join unseen_touches
            on
                conversions.person_id = unseen_touches.person_id
                and conversions.converted_at > unseen_touches.touched_at
                and {{ dbt.dateadd('day', -max_window, 'conversions.converted_at') }} <= unseen_touches.touched_at
    ),

    conversions_in_scope as (
        select * from conversions
        where conversion_id in (select recomputed.conversion_id from recomputed)
    ),

    touchpoints_in_scope as (
        select * from touchpoints
        where person_id in (select conversions_in_scope.person_id from conversions_in_scope)
    ),
{%- else %}

    conversions_in_scope as (select * from conversions),

    touchpoints_in_scope as (select * from touchpoints),
{%- endif %}

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
    from conversions_in_scope as conversions
    left join touchpoints_in_scope as touchpoints
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
        {{ kol_attr.attribution_normaliser_columns(linear_normalised, windows) }}
        min(touch_age_days) as latest_touch_age_days,
        count(touchpoint_id) as path_length,
        {%- for window in windows %}
            count(case when touch_age_days <= {{ window }} then 1 end) as path_length_{{ window }}d,
        {%- endfor %}
        conversion_id
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
        {%- for scheme in linear_normalised %}
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
        {{ kol_attr.attribution_normaliser_columns(positional, windows) }}
        conversion_id
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
