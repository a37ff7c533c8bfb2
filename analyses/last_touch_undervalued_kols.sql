{#-
    Which KOLs does last touch undervalue most? At one window (change `window_days`), the KOLs whose
    last-touch credit falls furthest below their data-driven credit (mean of markov, shapley,
    counterfactual where built). When no data-driven model is built, the comparison falls back to
    position_based (change `fallback_model`), so the query still answers with a rule-based reference.
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
        coalesce(data_driven_conversions, attributed_conversions) as reference_conversions,
        coalesce(data_driven_revenue_cny, attributed_revenue_cny) as reference_revenue_cny,
        case
            when data_driven_models_present > 0 then data_driven_models else '{{ fallback_model }}'
        end as reference_models,
        conversions_rank as reference_rank
    from comparison
    where
        (data_driven_models_present > 0 and is_data_driven_model)
        or (data_driven_models_present = 0 and attribution_model = '{{ fallback_model }}')
),

per_kol as (
    select
        kol_id,
        kol_handle,
        kol_tier,
        reference_models,
        max(last_touch_conversions) as last_touch_conversions,
        max(last_touch_revenue_cny) as last_touch_revenue_cny,
        max(last_touch_conversions_rank) as last_touch_rank,
        avg(reference_conversions) as reference_conversions,
        avg(reference_revenue_cny) as reference_revenue_cny,
        min(reference_rank) as best_reference_rank
    from reference
    group by kol_id, kol_handle, kol_tier, reference_models
),

final as (
    select
        kol_id,
        kol_handle,
        kol_tier,
        reference_models,
        last_touch_conversions,
        reference_conversions,
        last_touch_conversions - reference_conversions as last_touch_gap_conversions,
        last_touch_revenue_cny - reference_revenue_cny as last_touch_gap_revenue_cny,
        last_touch_rank,
        best_reference_rank
    from per_kol
)

select * from final
order by last_touch_gap_revenue_cny
limit 20
