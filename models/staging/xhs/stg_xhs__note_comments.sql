with

source as (select * from {{ kol_attr.raw_source('xhs_note_comments') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        comment_id,
        note_id,
        parent_comment_id,
        {{ kol_attr.epoch_ms_to_timestamp('created_at') }} as created_at,
        content,
        cast(like_count as bigint) as like_count
    from deduplicated
)

select * from final
