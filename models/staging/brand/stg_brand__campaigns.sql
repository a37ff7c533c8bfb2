with

source as (select * from {{ kol_attr.raw_source('brand_campaigns') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        campaign_id,
        campaign_name,
        lower(trim(product_category)) as product_category,
        start_date,
        end_date,
        cast(budget_cny as decimal(18, 2)) as budget_cny,
        nullif(lower(trim(attribution_model)), '') as attribution_model,
        attribution_window_days,
        cast(config_locked_at as {{ dbt.type_timestamp() }}) as config_locked_at,
        nullif(trim(alliance_task_id), '') as alliance_task_id
    from deduplicated
)

select * from final
