with

source as (select * from {{ kol_attr.raw_source('pgy_notes') }}),

deduplicated as (
    select distinct * from source
),

ranked as (
    select
        deduplicated.*,
        row_number()
            over (
                partition by deduplicated.note_id
                order by deduplicated.published_at, deduplicated.kol_id, deduplicated.campaign_id
            )
            as key_occurrence
    from deduplicated
),

final as (
    select
        note_id,
        kol_id,
        campaign_id,
        lower(trim(note_type)) as note_type,
        lower(trim(content_format)) as content_format,
        title,
        {{ kol_attr.epoch_ms_to_timestamp('published_at') }} as published_at,
        {{ kol_attr.fen_to_cny('coalesce(kol_fee_fen, 0)') }} as kol_fee_cny,
        {{ kol_attr.fen_to_cny('coalesce(platform_fee_fen, 0)') }} as platform_fee_cny,
        coalesce(is_boosted, false) as is_boosted,
        case
            when note_id is null or kol_id is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when kol_fee_fen < 0 or platform_fee_fen < 0 then 'negative_amount'
            else {{ kol_attr.time_rejection(kol_attr.epoch_ms_to_timestamp('published_at'), 'published_at') }}
        end as rejection_reason
    from ranked
)

select * from final
