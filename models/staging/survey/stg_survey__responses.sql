with

source as (select * from {{ kol_attr.raw_source('post_purchase_surveys') }}),

deduplicated as (
    select distinct * from source
),

cleaned as (
    select
        deduplicated.*,
        {{ kol_attr.compact_key('deduplicated.first_heard_channel') }} as channel_key
    from deduplicated
),

final as (
    select
        response_id,
        lower(trim(order_platform)) as order_platform,
        trim(order_ref) as order_ref,
        cast(answered_at as {{ dbt.type_timestamp() }}) as answered_at,
        first_heard_channel,
        case
            when channel_key is null or channel_key = '' then null
            -- 小红薯 ('little red potato') is the app's own nickname for itself and its users
            when channel_key in ('xiaohongshu', '小红书', 'red', 'rednote', 'xhs', 'littleredbook', '小紅書', '小红薯')
                or channel_key like '%xiaohongshu%' or channel_key like '%小红书%' or channel_key like '%rednote%'
                then 'xiaohongshu'
            when channel_key in ('douyin', '抖音', 'tiktok') then 'douyin'
            when channel_key in ('wechat', '微信', 'weixin') or channel_key like '%wechat%' then 'wechat'
            when channel_key in ('friend', 'friends', '朋友', '朋友推荐', 'wordofmouth') then 'friend'
            when channel_key in ('instore', 'store', '门店', '线下') then 'in_store'
            when channel_key in ('weibo', '微博') then 'weibo'
            when channel_key in ('bilibili', 'b站', '哔哩哔哩') then 'bilibili'
            when channel_key in ('tmall', 'taobao', '天猫', '淘宝') then 'tmall'
            else 'other'
        end as first_heard_channel_normalised,
        nullif(lower(trim(content_type)), '') as content_type,
        nullif(trim(kol_recall), '') as kol_recall
    from cleaned
)

select * from final
