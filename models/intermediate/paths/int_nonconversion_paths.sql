{#-
    Paths of persons who were touched by KOLs but never made an attributable
    conversion: the "did not convert" side every data-driven model needs.
    A non-converter's path for a window of w days is the KOL-matched touches in
    the w days up to and including the person's last such touch (the moment the
    journey went quiet), mirroring a converter's w days before the order. This
    model keeps the touches of the longest configured window once, with
    touch_age_days measured back from the last touch, so every window is a
    filter on it (touch_age_days <= w, as for converters).
-#}
{%- set max_window = kol_attr.get_attribution_windows(var('kol_attr__windows_days')) | max %}

with

touches as (
    select * from {{ ref('fct_touchpoints') }}
    where is_kol_matched
),

conversions as (
    select * from {{ ref('fct_conversions') }}
    where is_attributable
),

interaction_weights as (select * from {{ ref('interaction_weights') }}),

converters as (
    select distinct person_id from conversions
),

non_converter_touches as (
    select touches.*
    from touches
    left join converters on touches.person_id = converters.person_id
    where converters.person_id is null
),

with_last_touch as (
    select
        non_converter_touches.*,
        max(non_converter_touches.touched_at) over (partition by non_converter_touches.person_id) as last_touched_at
    from non_converter_touches
),

aged as (
    select
        with_last_touch.*,
        cast(interaction_weights.weight as {{ kol_attr.type_double() }}) as interaction_weight,
        {{ kol_attr.attribution_touch_age_days('touched_at', 'last_touched_at') }} as touch_age_days
    from with_last_touch
    left join interaction_weights on with_last_touch.interaction_type = interaction_weights.interaction_type
),

final as (
    select
        ---------- ids
        person_id,
        touchpoint_id,
        kol_id,
        note_id,
        campaign_id,
        ---------- strings
        touch_signal,
        interaction_type,
        ---------- numerics
        interaction_weight,
        touch_age_days,
        row_number() over (
            partition by person_id
            order by
                touched_at desc,
                {{ kol_attr.attribution_touch_tie_rank('touch_signal') }} asc,
                touchpoint_id asc
        ) as recency_rank,
        ---------- timestamps
        touched_at,
        last_touched_at
    from aged
    where touch_age_days <= {{ max_window }}
)

select * from final
