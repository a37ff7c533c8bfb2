{#-
    Campaign x KOL x attribution_model x window_days: credited conversions at each window, the share of
    the longest window's figure each window reaches, and where in time that credit sits: the
    credit-weighted days-to-conversion distribution (converted_at - touched_at, in days) over fixed
    buckets [0,1), [1,7), [7,14), [14,30), [30,60), [60,90), [90,120] and over 120 days. Buckets
    beyond a window are 0 (a touch older than the window is not on its path). Models: every model in
    fct_attribution_credits, or those of var kol_attr__lag_curve_models when set. Credit without an
    observed touch (touched_at null: the incremental model's modelled rows) has no lag and is left out.
-#}
{%- set models_filter = var('kol_attr__lag_curve_models', none) %}
{%- set buckets = [
    ('0_1d', 0, 1), ('1_7d', 1, 7), ('7_14d', 7, 14), ('14_30d', 14, 30),
    ('30_60d', 30, 60), ('60_90d', 60, 90), ('90_120d', 90, 120),
] %}

with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where
        not is_unattributed
        -- credit without an observed touch (the incremental model's modelled rows) has no lag
        and touched_at is not null
    {%- if models_filter is not none %}
        and attribution_model in {{ kol_attr.sql_string_list(models_filter) }}
        {%- endif %}
),

campaigns as (select * from {{ ref('dim_campaigns') }}),

kols as (select * from {{ ref('dim_kols') }}),

windows as (
    select distinct window_days from credits
),

max_window as (
    select max(window_days) as max_window_days from windows
),

credits_with_lag as (
    select
        campaign_id,
        kol_id,
        attribution_model,
        window_days,
        credit,
        attributed_revenue_cny,
        {#- the cross-database datediff renders wider than a line -#}
        cast({{ dbt.datediff('touched_at', 'converted_at', 'second') }} as double) / 86400.0 as lag_days  -- noqa: LT05
    from credits
),

totals as (
    select
        campaign_id,
        kol_id,
        attribution_model,
        window_days,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue_cny) as attributed_revenue_cny,
        sum(credit * lag_days) as credit_days,
        {%- for name, low, high in buckets %}
            sum(
                case
                    when lag_days >= {{ low }} and lag_days {{ '<=' if loop.last else '<' }} {{ high }}
                        then credit
                    else 0
                end
            ) as lag_{{ name }}_conversions,
        {%- endfor %}
        sum(case when lag_days > 120 then credit else 0 end) as lag_over_120d_conversions
    from credits_with_lag
    group by campaign_id, kol_id, attribution_model, window_days
),

curves as (
    select distinct
        campaign_id,
        kol_id,
        attribution_model
    from totals
),

spine as (
    select
        curves.campaign_id,
        curves.kol_id,
        curves.attribution_model,
        windows.window_days,
        max_window.max_window_days
    from curves
    cross join windows
    cross join max_window
),

joined as (
    select
        spine.*,
        coalesce(totals.attributed_conversions, 0) as attributed_conversions,
        coalesce(totals.attributed_revenue_cny, 0) as attributed_revenue_cny,
        totals.credit_days,
        {%- for name, low, high in buckets %}
            coalesce(totals.lag_{{ name }}_conversions, 0) as lag_{{ name }}_conversions,
        {%- endfor %}
        coalesce(totals.lag_over_120d_conversions, 0) as lag_over_120d_conversions
    from spine
    left join totals
        on
            spine.campaign_id is not distinct from totals.campaign_id
            and spine.kol_id = totals.kol_id
            and spine.attribution_model = totals.attribution_model
            and spine.window_days = totals.window_days
),

with_max as (
    select
        joined.*,
        max(case when joined.window_days = joined.max_window_days then joined.attributed_conversions end) over (
            partition by joined.campaign_id, joined.kol_id, joined.attribution_model
        ) as max_window_conversions,
        max(case when joined.window_days = joined.max_window_days then joined.attributed_revenue_cny end) over (
            partition by joined.campaign_id, joined.kol_id, joined.attribution_model
        ) as max_window_revenue_cny
    from joined
),

final as (
    select
        ---------- ids
        cast(with_max.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(with_max.kol_id as {{ dbt.type_string() }}) as kol_id,
        ---------- strings
        cast(campaigns.product_category as {{ dbt.type_string() }}) as product_category,
        cast(kols.kol_handle as {{ dbt.type_string() }}) as kol_handle,
        cast(with_max.attribution_model as {{ dbt.type_string() }}) as attribution_model,
        ---------- numerics
        cast(with_max.window_days as {{ dbt.type_int() }}) as window_days,
        cast(with_max.max_window_days as {{ dbt.type_int() }}) as max_window_days,
        cast(with_max.attributed_conversions as double) as attributed_conversions,
        cast(with_max.attributed_revenue_cny as double) as attributed_revenue_cny,
        cast(with_max.max_window_conversions as double) as max_window_conversions,
        cast(with_max.max_window_revenue_cny as double) as max_window_revenue_cny,
        cast(
            {{ kol_attr.safe_divide('with_max.attributed_conversions', 'with_max.max_window_conversions') }}
            as double
        ) as share_of_max_window_conversions,
        cast(with_max.max_window_conversions - with_max.attributed_conversions as double)
            as conversions_missed_vs_max_window,
        cast(
            {{ kol_attr.safe_divide('with_max.credit_days', 'with_max.attributed_conversions') }} as double
        ) as mean_days_to_conversion,
        {%- for name, low, high in buckets %}
            cast(with_max.lag_{{ name }}_conversions as double) as lag_{{ name }}_conversions,
        {%- endfor %}
        cast(with_max.lag_over_120d_conversions as double) as lag_over_120d_conversions,
        ---------- booleans
        cast(
            coalesce(
                with_max.attribution_model = campaigns.frozen_attribution_model
                and with_max.window_days = campaigns.frozen_window_days,
                false
            ) as boolean
        ) as is_frozen_model_and_window
    from with_max
    left join campaigns on with_max.campaign_id = campaigns.campaign_id
    left join kols on with_max.kol_id = kols.kol_id
)

select * from final
