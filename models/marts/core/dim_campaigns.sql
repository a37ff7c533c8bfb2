{#-
    One row per campaign with the attribution model and window frozen for its
    reporting. A null model or window takes the category default (seed
    category_windows; the `baseline` row when the category is unknown). Two
    governance flags, so a campaign's headline number can never be re-reported
    under a different model unnoticed:
      * is_config_locked_late: config_locked_at falls on a later Asia/Shanghai
        date than start_date, or was never set;
      * is_config_changed_after_launch: the snapshot history holds more than one
        (model, window) version that was current after the start date.
-#}
with

campaigns as (select * from {{ ref('stg_brand__campaigns') }}),

campaign_history as (select * from {{ ref('snap_brand_campaigns') }}),

category_windows as (select * from {{ ref('category_windows') }}),

baseline_window as (
    select * from category_windows
    where product_category = 'baseline'
),

versions_after_launch as (
    select
        campaign_history.campaign_id,
        count(
            distinct
            coalesce(campaign_history.attribution_model, '(default)') || '|'
            || coalesce(cast(campaign_history.attribution_window_days as {{ dbt.type_string() }}), '(default)')
        ) as config_versions_after_launch,
        count(*) as snapshot_versions
    from campaign_history
    inner join campaigns on campaign_history.campaign_id = campaigns.campaign_id
    where
        campaign_history.dbt_valid_to is null
        or {{ kol_attr.shanghai_date('campaign_history.dbt_valid_to') }} > campaigns.start_date
    group by campaign_history.campaign_id
),

resolved as (
    select
        campaigns.*,
        coalesce(category_windows.default_attribution_model, baseline_window.default_attribution_model)
            as category_default_model,
        coalesce(category_windows.default_window_days, baseline_window.default_window_days)
            as category_default_window_days,
        coalesce(versions_after_launch.config_versions_after_launch, 1) as config_versions_after_launch,
        campaigns.config_locked_at is null
        or {{ kol_attr.shanghai_date('campaigns.config_locked_at') }} > campaigns.start_date as is_config_locked_late,
        coalesce(versions_after_launch.config_versions_after_launch, 1) > 1 as is_config_changed_after_launch
    from campaigns
    left join category_windows on campaigns.product_category = category_windows.product_category
    cross join baseline_window
    left join versions_after_launch on campaigns.campaign_id = versions_after_launch.campaign_id
),

final as (
    select
        ---------- ids
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(alliance_task_id as {{ dbt.type_string() }}) as alliance_task_id,
        ---------- strings
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        cast(product_category as {{ dbt.type_string() }}) as product_category,
        cast(attribution_model as {{ dbt.type_string() }}) as configured_attribution_model,
        cast(coalesce(attribution_model, category_default_model) as {{ dbt.type_string() }})
            as frozen_attribution_model,
        cast(
            case
                when config_locked_at is null then 'config never locked'
                when is_config_locked_late and is_config_changed_after_launch
                    then 'config locked after launch and changed after launch'
                when is_config_locked_late then 'config locked after launch'
                when is_config_changed_after_launch then 'config changed after launch'
            end as {{ dbt.type_string() }}
        ) as governance_flag_reason,
        ---------- numerics
        cast(budget_cny as decimal(18, 2)) as budget_cny,
        cast(attribution_window_days as {{ dbt.type_int() }}) as configured_window_days,
        cast(coalesce(attribution_window_days, category_default_window_days) as {{ dbt.type_int() }})
            as frozen_window_days,
        cast(category_default_window_days as {{ dbt.type_int() }}) as category_default_window_days,
        cast(config_versions_after_launch as {{ dbt.type_int() }}) as config_versions_after_launch,
        ---------- booleans
        cast(attribution_model is null as boolean) as is_model_category_default,
        cast(attribution_window_days is null as boolean) as is_window_category_default,
        cast(is_config_locked_late as boolean) as is_config_locked_late,
        cast(is_config_changed_after_launch as boolean) as is_config_changed_after_launch,
        ---------- dates and timestamps
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(config_locked_at as {{ dbt.type_timestamp() }}) as config_locked_at
    from resolved
)

select * from final
