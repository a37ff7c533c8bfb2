with

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),

tiers as (select * from {{ ref('int_kol_tier_history') }}),

creatives as (select * from {{ ref('stg_juguang__creatives_daily') }}),

snapshots as (select * from {{ ref('stg_pgy__kol_snapshots') }}),

notes_dated as (
    select
        note_id,
        kol_id,
        {{ kol_attr.shanghai_date('published_at') }} as publish_date
    from notes
),

followers_at_publish as (
    {#- the latest profile snapshot on or before the publish date, else the earliest after it -#}
    select
        notes_dated.note_id,
        snapshots.follower_count,
        row_number() over (
            partition by notes_dated.note_id
            order by
                case when snapshots.snapshot_date <= notes_dated.publish_date then 0 else 1 end,
                case
                    when snapshots.snapshot_date <= notes_dated.publish_date
                        then {{ dbt.datediff('snapshots.snapshot_date', 'notes_dated.publish_date', 'day') }}
                    else {{ dbt.datediff('notes_dated.publish_date', 'snapshots.snapshot_date', 'day') }}
                end
        ) as closeness
    from notes_dated
    inner join snapshots on notes_dated.kol_id = snapshots.kol_id
),

boost_spend as (
    select
        note_id,
        sum(fee_cny) as boost_spend_cny,
        sum(impressions) as boost_impressions,
        sum(clicks) as boost_clicks
    from creatives
    group by note_id
),

final as (
    select
        ---------- ids
        cast(notes.note_id as {{ dbt.type_string() }}) as note_id,
        cast(notes.kol_id as {{ dbt.type_string() }}) as kol_id,
        cast(notes.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(notes.note_type as {{ dbt.type_string() }}) as note_type,
        cast(notes.content_format as {{ dbt.type_string() }}) as content_format,
        cast(notes.title as {{ dbt.type_string() }}) as title,
        cast(tiers.kol_tier as {{ dbt.type_string() }}) as kol_tier_at_publish,
        ---------- numerics
        cast(followers_at_publish.follower_count as bigint) as kol_followers_at_publish,
        cast(notes.kol_fee_cny as decimal(18, 2)) as kol_fee_cny,
        cast(notes.platform_fee_cny as decimal(18, 2)) as platform_fee_cny,
        cast(coalesce(boost_spend.boost_spend_cny, 0) as decimal(18, 2)) as boost_spend_cny,
        cast(
            notes.kol_fee_cny + notes.platform_fee_cny + coalesce(boost_spend.boost_spend_cny, 0)
            as decimal(18, 2)
        ) as total_cost_cny,
        cast(coalesce(boost_spend.boost_impressions, 0) as bigint) as boost_impressions,
        cast(coalesce(boost_spend.boost_clicks, 0) as bigint) as boost_clicks,
        ---------- booleans
        cast(coalesce(tiers.is_celebrity, false) as boolean) as is_celebrity_kol_at_publish,
        cast(notes.is_boosted as boolean) as is_boosted,
        ---------- timestamps
        cast(notes.published_at as {{ dbt.type_timestamp() }}) as published_at
    from notes
    left join tiers
        on
            notes.kol_id = tiers.kol_id
            and {{ kol_attr.shanghai_date('notes.published_at') }} >= tiers.valid_from
            and (tiers.valid_to is null or {{ kol_attr.shanghai_date('notes.published_at') }} < tiers.valid_to)
    left join boost_spend on notes.note_id = boost_spend.note_id
    left join followers_at_publish
        on notes.note_id = followers_at_publish.note_id and followers_at_publish.closeness = 1
)

select * from final
