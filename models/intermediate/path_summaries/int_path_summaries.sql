{#-
    The path summary every data-driven path model reads: window x distinct path x strongest
    interaction weight, with the number of converting and non-converting journeys on it. Converting
    journeys come from int_conversion_path_keys; a non-converter's path in a window is its touches
    within that many days of its last touch (int_nonconversion_paths), keyed the same way. Only
    these distinct paths, not every touch of every non-converter, reach the Python models.
-#}
{%- set windows = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) %}

with

conversion_path_keys as (select * from {{ ref('int_conversion_path_keys') }}),

nonconversion_paths as (select * from {{ ref('int_nonconversion_paths') }}),

windows as (
    {{ kol_attr.window_days_rows(windows) }}
),

nonconversion_windowed as (
    select
        nonconversion_paths.person_id,
        windows.window_days,
        nonconversion_paths.kol_id,
        nonconversion_paths.recency_rank,
        nonconversion_paths.interaction_weight
    from nonconversion_paths
    inner join windows on nonconversion_paths.touch_age_days <= windows.window_days
),

nonconversion_path_keys as (
    select
        person_id,
        window_days,
        {{ dbt.listagg('kol_id', kol_attr.path_key_separator(), 'order by recency_rank desc') }} as path_key,
        coalesce(max(interaction_weight), cast(0 as {{ kol_attr.type_double() }})) as max_interaction_weight
    from nonconversion_windowed
    group by person_id, window_days
),

journeys as (
    select
        window_days,
        path_key,
        max_interaction_weight,
        cast(1 as {{ kol_attr.type_double() }}) as conversions,
        cast(0 as {{ kol_attr.type_double() }}) as non_conversions
    from conversion_path_keys
    union all
    select
        window_days,
        path_key,
        max_interaction_weight,
        cast(0 as {{ kol_attr.type_double() }}) as conversions,
        cast(1 as {{ kol_attr.type_double() }}) as non_conversions
    from nonconversion_path_keys
),

final as (
    select
        ---------- strings
        path_key,
        ---------- numerics
        window_days,
        max_interaction_weight,
        sum(conversions) as conversions,
        sum(non_conversions) as non_conversions
    from journeys
    group by window_days, path_key, max_interaction_weight
)

select * from final
