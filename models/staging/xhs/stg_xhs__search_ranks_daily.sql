with

source as (select * from {{ kol_attr.raw_source('xhs_search_rank_daily') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        trim(keyword) as keyword,
        rank_date,
        best_organic_rank,
        brand_notes_in_top20,
        cast(search_volume_index as bigint) as search_volume_index
    from deduplicated
)

select * from final
