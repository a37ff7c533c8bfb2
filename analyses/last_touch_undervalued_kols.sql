{#-
    Which KOLs does last touch undervalue most? At one window (change `window_days`), the KOLs whose share
    of all KOL credit is furthest below under last touch than under the data-driven models (mean of markov,
    shapley, counterfactual where built). Shares, not absolute credit: data-driven models may leave a
    baseline share unattributed, which would make last touch look generous to everyone. When no data-driven
    model is built the reference falls back to position_based (change `fallback_model`).
-#}
{%- set window_days = 30 %}
{%- set fallback_model = 'position_based' %}

with

comparison as (
    select * from {{ ref('fct_attribution_model_comparison') }}
    where window_days = {{ window_days }}
),

reference as (
    select
        kol_id,
        kol_handle,
        kol_tier,
        last_touch_conversions,
        last_touch_revenue_cny,
        last_touch_conversions_rank,
        last_touch_share,
        case
            when data_driven_models_present > 0 then data_driven_models else '{{ fallback_model }}'
        end as reference_models,
        case
            when data_driven_models_present > 0 then data_driven_conversions else attributed_conversions
        end as reference_conversions,
        case
            when data_driven_models_present > 0 then data_driven_share else share_of_model_kol_conversions
        end as reference_share
    from comparison
    where
        (data_driven_models_present > 0 and is_last_touch_model)
        or (data_driven_models_present = 0 and attribution_model = '{{ fallback_model }}')
),

final as (
    select
        kol_id,
        kol_handle,
        kol_tier,
        reference_models,
        last_touch_conversions,
        reference_conversions,
        last_touch_share,
        reference_share,
        last_touch_share - reference_share as last_touch_share_gap,
        last_touch_conversions_rank
    from reference
)

select * from final
order by last_touch_share_gap asc
limit 20
