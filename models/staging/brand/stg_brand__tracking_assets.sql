with

source as (select * from {{ kol_attr.raw_source('brand_tracking_assets') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        asset_id,
        campaign_id,
        kol_id,
        note_id,
        lower(trim(asset_type)) as asset_type,
        asset_value,
        {{ kol_attr.normalise_code('asset_value') }} as asset_code,
        valid_from,
        valid_to
    from deduplicated
)

select * from final
