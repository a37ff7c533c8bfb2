with

source as (select * from {{ kol_attr.raw_source('xhs_ugc_notes') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        note_id,
        author_id,
        {{ kol_attr.epoch_ms_to_timestamp('published_at') }} as published_at,
        lower(trim(note_type)) as note_type,
        coalesce(is_sponsored, false) as is_sponsored,
        liked_count as liked_count_text,
        collected_count as collected_count_text,
        comment_count as comment_count_text,
        {{ kol_attr.parse_display_count('liked_count') }} as liked_count,
        {{ kol_attr.parse_display_count('collected_count') }} as collected_count,
        {{ kol_attr.parse_display_count('comment_count') }} as comment_count,
        tag_list
    from deduplicated
)

select * from final
