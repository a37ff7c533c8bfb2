{#-
    One row per campaign, reported ONLY under the attribution model and window frozen for it in
    dim_campaigns (the category default when the plan named none). There is no model or window
    column to filter on, so a dashboard cannot switch a campaign to a friendlier model. A frozen
    (model, window) that fct_attribution_credits does not hold is flagged (is_frozen_model_built false,
    metrics null), never replaced by another.
-#}
with

campaigns as (select * from {{ ref('dim_campaigns') }}),

credits as (select * from {{ ref('fct_attribution_credits') }}),

built_models as (
    select
        attribution_model,
        window_days
    from credits
    group by attribution_model, window_days
),

campaign_credits as (
    select
        campaigns.campaign_id,
        sum(credits.credit) as attributed_conversions,
        count(distinct credits.conversion_id) as credited_conversions,
        count(distinct credits.kol_id) as credited_kols,
        sum(credits.attributed_revenue_cny) as attributed_revenue_cny
    from campaigns
    inner join credits
        on
            campaigns.campaign_id = credits.campaign_id
            and campaigns.frozen_attribution_model = credits.attribution_model
            and campaigns.frozen_window_days = credits.window_days
    group by campaigns.campaign_id
),

final as (
    select
        ---------- ids
        campaigns.campaign_id,
        ---------- strings
        campaigns.campaign_name,
        campaigns.product_category,
        campaigns.frozen_attribution_model as attribution_model,
        campaigns.governance_flag_reason,
        ---------- numerics
        cast(campaigns.frozen_window_days as {{ dbt.type_int() }}) as window_days,
        campaigns.budget_cny,
        cast(
            case
                when built_models.attribution_model is not null
                    then coalesce(campaign_credits.attributed_conversions, 0)
            end as {{ kol_attr.type_double() }}
        ) as attributed_conversions,
        cast(
            case
                when built_models.attribution_model is not null
                    then coalesce(campaign_credits.credited_conversions, 0)
            end as {{ dbt.type_bigint() }}
        ) as credited_conversions,
        cast(
            case
                when built_models.attribution_model is not null
                    then coalesce(campaign_credits.credited_kols, 0)
            end as {{ dbt.type_bigint() }}
        ) as credited_kols,
        cast(
            case
                when built_models.attribution_model is not null
                    then coalesce(campaign_credits.attributed_revenue_cny, 0)
            end as {{ kol_attr.type_double() }}
        ) as attributed_revenue_cny,
        cast(
            case
                when built_models.attribution_model is not null and campaigns.budget_cny > 0
                    then coalesce(campaign_credits.attributed_revenue_cny, 0)
                        / cast(campaigns.budget_cny as {{ kol_attr.type_double() }})
            end as {{ kol_attr.type_double() }}
        ) as attributed_roas,
        ---------- booleans
        built_models.attribution_model is not null as is_frozen_model_built,
        campaigns.is_config_changed_after_launch,
        campaigns.is_config_locked_late,
        coalesce(
            campaigns.is_config_changed_after_launch
            or campaigns.is_config_locked_late
            or built_models.attribution_model is null,
            true
        ) as has_governance_flag,
        ---------- dates
        campaigns.start_date,
        campaigns.end_date
    from campaigns
    left join built_models
        on
            campaigns.frozen_attribution_model = built_models.attribution_model
            and campaigns.frozen_window_days = built_models.window_days
    left join campaign_credits on campaigns.campaign_id = campaign_credits.campaign_id
)

select * from final
