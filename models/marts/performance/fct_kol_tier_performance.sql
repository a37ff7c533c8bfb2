{#-
    fct_kol_performance rolled up to tier_group x campaign x attribution_model x window_days. Ratios
    are recomputed from the summed numerators and denominators (never averaged). Each tier is judged
    on its own yardstick (kol_attr.tier_funnel_stage / tier_primary_yardstick): awareness tiers
    (celebrity, top) on CPM, reach and search-read share, mid on CPE, conversion tiers (junior, koc,
    ordinary) on ROAS and CPA.
-#}
with

kol_performance as (select * from {{ ref('fct_kol_performance') }}),

rolled_up as (
    select
        tier_group,
        campaign_id,
        attribution_model,
        window_days,
        max(funnel_stage) as funnel_stage,
        max(primary_yardstick) as primary_yardstick,
        count(distinct kol_id) as kols,
        sum(notes) as notes,
        sum(touched_conversions) as touched_conversions,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_revenue_cny) as attributed_revenue_cny,
        sum(cost_cny) as cost_cny,
        sum(impressions) as impressions,
        sum(reads) as reads,
        sum(likes) as likes,
        sum(saves) as saves,
        sum(engagements) as engagements,
        sum(follows) as follows,
        sum(search_reads) as search_reads,
        bool_or(is_frozen_model_and_window) as is_frozen_model_and_window,
        min(campaign_start_date) as campaign_start_date
    from kol_performance
    group by tier_group, campaign_id, attribution_model, window_days
),

with_ratios as (
    select
        {{ kol_attr.performance_ratios() }}
        {{ kol_attr.safe_divide('cost_cny', 'follows') }} as cost_per_follow_cny,
        rolled_up.*
    from rolled_up
),

final as (
    select
        ---------- ids
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(tier_group as {{ dbt.type_string() }}) as tier_group,
        cast(funnel_stage as {{ dbt.type_string() }}) as funnel_stage,
        cast(primary_yardstick as {{ dbt.type_string() }}) as primary_yardstick,
        cast(
            case when primary_yardstick = 'roas' then 'higher_is_better' else 'lower_is_better' end
            as {{ dbt.type_string() }}
        ) as primary_yardstick_direction,
        cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
        ---------- numerics
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        cast(kols as {{ dbt.type_int() }}) as kols,
        cast(notes as {{ dbt.type_int() }}) as notes,
        cast(touched_conversions as bigint) as touched_conversions,
        cast(attributed_conversions as double) as attributed_conversions,
        cast(attributed_revenue_cny as double) as attributed_revenue_cny,
        cast(cost_cny as double) as cost_cny,
        cast(impressions as bigint) as impressions,
        cast(reads as bigint) as reads,
        cast(likes as bigint) as likes,
        cast(saves as bigint) as saves,
        cast(engagements as bigint) as engagements,
        cast(follows as bigint) as follows,
        cast(search_reads as bigint) as search_reads,
        cast(roas as double) as roas,
        cast(cpa_cny as double) as cpa_cny,
        cast(cpe_cny as double) as cpe_cny,
        cast(cpm_cny as double) as cpm_cny,
        cast(save_rate as double) as save_rate,
        cast(like_rate as double) as like_rate,
        cast(search_read_share as double) as search_read_share,
        cast(cost_per_follow_cny as double) as cost_per_follow_cny,
        cast(
            case primary_yardstick
                when 'cpm' then cpm_cny
                when 'cpe' then cpe_cny
                when 'cpa' then cpa_cny
                when 'roas' then roas
            end as double
        ) as primary_yardstick_value,
        ---------- booleans
        cast(is_frozen_model_and_window as boolean) as is_frozen_model_and_window,
        ---------- dates
        cast(campaign_start_date as date) as campaign_start_date
    from with_ratios
)

select * from final
