{#-
    Per KOL x window_days x attribution_model: the KOL's credited conversions and revenue under every
    model side by side, its rank under each model, and how far last-touch over- or under-states it
    against the data-driven models (mean of those of var kol_attr__data_driven_models that
    fct_attribution_credits holds). All campaigns together; every KOL with credit under any model
    appears under every model and window (0 where a model gave none).
-#}
{{ kol_attr.validate_marts_vars() }}

{%- set last_touch_model = var('kol_attr__last_touch_model', 'last_touch') %}
{%- set data_driven_models = var('kol_attr__data_driven_models', ['markov', 'shapley', 'counterfactual']) %}

with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where not is_unattributed
),

kols as (select * from {{ ref('dim_kols') }}),

model_windows as (
    select distinct
        attribution_model,
        window_days
    from {{ ref('fct_attribution_credits') }}
),

credited_kols as (
    select distinct kol_id from credits
),

kol_totals as (
    select
        kol_id,
        attribution_model,
        window_days,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue_cny) as attributed_revenue_cny
    from credits
    group by kol_id, attribution_model, window_days
),

spine as (
    select
        credited_kols.kol_id,
        model_windows.attribution_model,
        model_windows.window_days,
        coalesce(kol_totals.attributed_conversions, 0) as attributed_conversions,
        coalesce(kol_totals.attributed_revenue_cny, 0) as attributed_revenue_cny
    from credited_kols
    cross join model_windows
    left join kol_totals
        on
            credited_kols.kol_id = kol_totals.kol_id
            and model_windows.attribution_model = kol_totals.attribution_model
            and model_windows.window_days = kol_totals.window_days
),

ranked as (
    select
        spine.*,
        -- ranked on rounded totals: sums that are equal in exact arithmetic differ by float noise
        -- (~1e-15) that depends on the order the engine adds them, and must stay ties on every engine
        rank() over (
            partition by spine.attribution_model, spine.window_days
            order by round(spine.attributed_conversions, 9) desc
        ) as conversions_rank,
        rank() over (
            partition by spine.attribution_model, spine.window_days
            order by round(spine.attributed_revenue_cny, 6) desc
        ) as revenue_rank,
        sum(spine.attributed_conversions) over (partition by spine.attribution_model, spine.window_days)
            as model_kol_conversions
    from spine
),

shared as (
    select
        ranked.*,
        {{ kol_attr.safe_divide('ranked.attributed_conversions', 'ranked.model_kol_conversions') }}
            as share_of_model_kol_conversions
    from ranked
),

last_touch as (
    select
        kol_id,
        window_days,
        attributed_conversions as last_touch_conversions,
        attributed_revenue_cny as last_touch_revenue_cny,
        conversions_rank as last_touch_conversions_rank,
        share_of_model_kol_conversions as last_touch_share
    from shared
    where attribution_model = '{{ last_touch_model }}'
),

data_driven as (
    select
        kol_id,
        window_days,
        count(*) as data_driven_models_present,
        avg(attributed_conversions) as data_driven_conversions,
        avg(attributed_revenue_cny) as data_driven_revenue_cny,
        avg(share_of_model_kol_conversions) as data_driven_share,
        {{ dbt.listagg('attribution_model', "','", 'order by attribution_model') }} as data_driven_models
    from shared
    where attribution_model in {{ kol_attr.sql_string_list(data_driven_models) }}
    group by kol_id, window_days
),

joined as (
    select
        shared.*,
        kols.kol_handle,
        kols.kol_tier,
        kols.is_celebrity,
        last_touch.last_touch_conversions,
        last_touch.last_touch_revenue_cny,
        last_touch.last_touch_conversions_rank,
        last_touch.last_touch_share,
        data_driven.data_driven_models,
        data_driven.data_driven_share,
        coalesce(data_driven.data_driven_models_present, 0) as data_driven_models_present,
        data_driven.data_driven_conversions,
        data_driven.data_driven_revenue_cny,
        shared.attribution_model in {{ kol_attr.sql_string_list(data_driven_models) }} as is_data_driven_model
    from shared
    left join last_touch on shared.kol_id = last_touch.kol_id and shared.window_days = last_touch.window_days
    left join data_driven on shared.kol_id = data_driven.kol_id and shared.window_days = data_driven.window_days
    left join kols on shared.kol_id = kols.kol_id
),

final as (
    select
        ---------- ids
        cast(kol_id as {{ dbt.type_string() }}) as kol_id,
        ---------- strings
        cast(kol_handle as {{ dbt.type_string() }}) as kol_handle,
        cast(kol_tier as {{ dbt.type_string() }}) as kol_tier,
        cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
        cast(data_driven_models as {{ dbt.type_string() }}) as data_driven_models,
        cast(
            case
                when last_touch_conversions is null
                    then 'last-touch model ({{ last_touch_model }}) not built for this window'
                when data_driven_models_present = 0
                    then 'no data-driven model ({{ data_driven_models | join(", ") }}) built for this window'
                when data_driven_conversions = 0 then 'data-driven models credit this KOL with 0 conversions'
            end as {{ dbt.type_string() }}
        ) as gap_null_reason,
        ---------- numerics
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        cast(attributed_conversions as double) as attributed_conversions,
        cast(attributed_revenue_cny as double) as attributed_revenue_cny,
        cast(share_of_model_kol_conversions as double) as share_of_model_kol_conversions,
        cast(conversions_rank as {{ dbt.type_int() }}) as conversions_rank,
        cast(revenue_rank as {{ dbt.type_int() }}) as revenue_rank,
        cast(last_touch_conversions as double) as last_touch_conversions,
        cast(last_touch_revenue_cny as double) as last_touch_revenue_cny,
        cast(last_touch_conversions_rank as {{ dbt.type_int() }}) as last_touch_conversions_rank,
        cast(last_touch_conversions - attributed_conversions as double) as last_touch_minus_model_conversions,
        cast(last_touch_conversions_rank - conversions_rank as {{ dbt.type_int() }}) as last_touch_rank_shift,
        cast(data_driven_models_present as {{ dbt.type_int() }}) as data_driven_models_present,
        cast(data_driven_conversions as double) as data_driven_conversions,
        cast(data_driven_revenue_cny as double) as data_driven_revenue_cny,
        cast(last_touch_conversions - data_driven_conversions as double) as last_touch_gap_conversions,
        cast(last_touch_revenue_cny - data_driven_revenue_cny as double) as last_touch_gap_revenue_cny,
        cast(
            {{ kol_attr.safe_divide('last_touch_conversions', 'data_driven_conversions') }} - 1 as double
        ) as last_touch_gap_ratio,
        cast(last_touch_share as double) as last_touch_share,
        cast(data_driven_share as double) as data_driven_share,
        cast(last_touch_share - data_driven_share as double) as last_touch_share_gap,
        ---------- booleans
        cast(is_data_driven_model as boolean) as is_data_driven_model,
        cast(is_celebrity as boolean) as is_celebrity,
        cast(attribution_model = '{{ last_touch_model }}' as boolean) as is_last_touch_model
    from joined
)

select * from final
