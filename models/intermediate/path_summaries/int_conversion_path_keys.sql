{#-
    Conversion x window: the conversion's path in that window as one path_key (KOL ids, oldest touch
    first, joined by kol_attr.path_key_separator()) and its strongest interaction weight. A
    conversion with no touch in a window has no row for it. The data-driven credit models join their
    per-path shares back to conversions through this key.
-#}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) %}

with

paths as (
    select * from {{ ref('int_conversion_paths') }}
    where touchpoint_id is not null
),

windows as (
    {{ kol_attr.window_days_rows(windows) }}
),

windowed as (
    select
        paths.conversion_id,
        windows.window_days,
        paths.kol_id,
        paths.recency_rank,
        paths.interaction_weight
    from paths
    inner join windows on paths.touch_age_days <= windows.window_days
),

final as (
    select
        ---------- ids
        conversion_id,
        ---------- strings
        {{ dbt.listagg('kol_id', kol_attr.path_key_separator(), 'order by recency_rank desc') }} as path_key,
        ---------- numerics
        window_days,
        coalesce(max(interaction_weight), cast(0 as {{ kol_attr.type_double() }})) as max_interaction_weight,
        count(*) as path_length
    from windowed
    group by conversion_id, window_days
)

select * from final
