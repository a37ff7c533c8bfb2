{#-
    KOL x campaign x attribution_model x window_days: attributed conversions and revenue against the
    cost and Pugongying engagement of the KOL's notes in the campaign. Every KOL x campaign with a
    sponsored note or with credit appears under every (model, window) that fct_attribution_credits
    holds, with 0 credit where the model gave none, so a KOL that sold nothing is not dropped.
    Tier, celebrity flag: those of the KOL's first note in the campaign (earliest published_at).
-#}
with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where not is_unattributed
),

notes as (select * from {{ ref('dim_notes') }}),

engagement as (select * from {{ ref('int_note_engagement_totals') }}),

campaigns as (select * from {{ ref('dim_campaigns') }}),

kols as (select * from {{ ref('dim_kols') }}),

model_windows as (
    select distinct
        attribution_model,
        window_days
    from {{ ref('fct_attribution_credits') }}
),

kol_campaigns as (
    select
        kol_id,
        campaign_id
    from notes
    union
    select
        kol_id,
        campaign_id
    from credits
),

notes_ranked as (
    select
        notes.*,
        row_number() over (
            partition by notes.kol_id, notes.campaign_id order by notes.published_at, notes.note_id
        ) as note_order
    from notes
),

note_type_counts as (
    select
        kol_id,
        campaign_id,
        note_type,
        count(*) as notes,
        row_number() over (partition by kol_id, campaign_id order by count(*) desc, note_type) as type_rank
    from notes
    where note_type is not null
    group by kol_id, campaign_id, note_type
),

content_format_counts as (
    select
        kol_id,
        campaign_id,
        content_format,
        count(*) as notes,
        row_number() over (
            partition by kol_id, campaign_id order by count(*) desc, content_format
        ) as format_rank
    from notes
    where content_format is not null
    group by kol_id, campaign_id, content_format
),

note_types as (
    select
        kol_id,
        campaign_id,
        max(case when type_rank = 1 then note_type end) as primary_note_type,
        {{ dbt.listagg('note_type', "','", 'order by note_type') }} as note_types
    from note_type_counts
    group by kol_id, campaign_id
),

content_formats as (
    select
        kol_id,
        campaign_id,
        max(case when format_rank = 1 then content_format end) as primary_content_format,
        {{ dbt.listagg('content_format', "','", 'order by content_format') }} as content_formats
    from content_format_counts
    group by kol_id, campaign_id
),

note_totals as (
    select
        notes_ranked.kol_id,
        notes_ranked.campaign_id,
        count(*) as notes,
        max(case when notes_ranked.note_order = 1 then notes_ranked.kol_tier_at_publish end) as kol_tier,
        bool_or(notes_ranked.note_order = 1 and notes_ranked.is_celebrity_kol_at_publish) as is_celebrity,
        min(notes_ranked.published_at) as first_published_at,
        sum(notes_ranked.kol_fee_cny) as kol_fee_cny,
        sum(notes_ranked.platform_fee_cny) as platform_fee_cny,
        sum(notes_ranked.boost_spend_cny) as boost_spend_cny,
        sum(notes_ranked.total_cost_cny) as cost_cny,
        sum(coalesce(engagement.impressions, 0)) as impressions,
        sum(coalesce(engagement.reads, 0)) as reads,
        sum(coalesce(engagement.likes, 0)) as likes,
        sum(coalesce(engagement.saves, 0)) as saves,
        sum(coalesce(engagement.comment_count, 0)) as comment_count,
        sum(coalesce(engagement.share_count, 0)) as share_count,
        sum(coalesce(engagement.follows, 0)) as follows,
        sum(coalesce(engagement.search_reads, 0)) as search_reads
    from notes_ranked
    left join engagement on notes_ranked.note_id = engagement.note_id
    group by notes_ranked.kol_id, notes_ranked.campaign_id
),

credit_totals as (
    select
        kol_id,
        campaign_id,
        attribution_model,
        window_days,
        count(distinct conversion_id) as touched_conversions,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue_cny) as attributed_revenue_cny
    from credits
    group by kol_id, campaign_id, attribution_model, window_days
),

joined as (
    select
        kol_campaigns.kol_id,
        kol_campaigns.campaign_id,
        model_windows.attribution_model,
        model_windows.window_days,
        kols.kol_handle,
        coalesce(note_totals.kol_tier, kols.kol_tier) as kol_tier,
        coalesce(note_totals.is_celebrity, kols.is_celebrity, false) as is_celebrity,
        note_types.primary_note_type,
        note_types.note_types,
        content_formats.primary_content_format,
        content_formats.content_formats,
        coalesce(note_totals.notes, 0) as notes,
        coalesce(credit_totals.touched_conversions, 0) as touched_conversions,
        coalesce(credit_totals.attributed_conversions, 0) as attributed_conversions,
        coalesce(credit_totals.attributed_revenue_cny, 0) as attributed_revenue_cny,
        coalesce(note_totals.kol_fee_cny, 0) as kol_fee_cny,
        coalesce(note_totals.platform_fee_cny, 0) as platform_fee_cny,
        coalesce(note_totals.boost_spend_cny, 0) as boost_spend_cny,
        coalesce(note_totals.cost_cny, 0) as cost_cny,
        coalesce(note_totals.impressions, 0) as impressions,
        coalesce(note_totals.reads, 0) as reads,
        coalesce(note_totals.likes, 0) as likes,
        coalesce(note_totals.saves, 0) as saves,
        coalesce(note_totals.comment_count, 0) as comment_count,
        coalesce(note_totals.share_count, 0) as share_count,
        coalesce(note_totals.likes + note_totals.saves + note_totals.comment_count + note_totals.share_count, 0)
            as engagements,
        coalesce(note_totals.follows, 0) as follows,
        coalesce(note_totals.search_reads, 0) as search_reads,
        coalesce(
            model_windows.attribution_model = campaigns.frozen_attribution_model
            and model_windows.window_days = campaigns.frozen_window_days,
            false
        ) as is_frozen_model_and_window,
        campaigns.start_date as campaign_start_date,
        note_totals.first_published_at
    from kol_campaigns
    cross join model_windows
    left join note_totals
        on
            kol_campaigns.kol_id = note_totals.kol_id
            and kol_campaigns.campaign_id is not distinct from note_totals.campaign_id
    left join credit_totals
        on
            kol_campaigns.kol_id = credit_totals.kol_id
            and kol_campaigns.campaign_id is not distinct from credit_totals.campaign_id
            and model_windows.attribution_model = credit_totals.attribution_model
            and model_windows.window_days = credit_totals.window_days
    left join note_types
        on
            kol_campaigns.kol_id = note_types.kol_id
            and kol_campaigns.campaign_id is not distinct from note_types.campaign_id
    left join content_formats
        on
            kol_campaigns.kol_id = content_formats.kol_id
            and kol_campaigns.campaign_id is not distinct from content_formats.campaign_id
    left join kols on kol_campaigns.kol_id = kols.kol_id
    left join campaigns on kol_campaigns.campaign_id = campaigns.campaign_id
),

with_ratios as (
    select
        {{ kol_attr.performance_ratios() }}
        {{ kol_attr.tier_group('kol_tier', 'is_celebrity') }} as tier_group,
        joined.*
    from joined
),

with_yardstick as (
    select
        with_ratios.*,
        {{ kol_attr.tier_funnel_stage('tier_group') }} as funnel_stage
    from with_ratios
),

final as (
    select
        ---------- ids
        cast(
            kol_id || '|' || coalesce(campaign_id, '') || '|' || attribution_model || '|'
            || cast(window_days as {{ dbt.type_string() }})
            as {{ dbt.type_string() }}
        ) as kol_performance_id,
        cast(kol_id as {{ dbt.type_string() }}) as kol_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        ---------- strings
        cast(kol_handle as {{ dbt.type_string() }}) as kol_handle,
        cast(kol_tier as {{ dbt.type_string() }}) as kol_tier,
        cast(tier_group as {{ dbt.type_string() }}) as tier_group,
        cast(funnel_stage as {{ dbt.type_string() }}) as funnel_stage,
        cast({{ kol_attr.tier_primary_yardstick('funnel_stage') }} as {{ dbt.type_string() }})
            as primary_yardstick,
        cast(primary_note_type as {{ dbt.type_string() }}) as primary_note_type,
        cast(note_types as {{ dbt.type_string() }}) as note_types,
        cast(primary_content_format as {{ dbt.type_string() }}) as primary_content_format,
        cast(content_formats as {{ dbt.type_string() }}) as content_formats,
        cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
        ---------- numerics
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        cast(notes as {{ dbt.type_int() }}) as notes,
        cast(touched_conversions as bigint) as touched_conversions,
        cast(attributed_conversions as double) as attributed_conversions,
        cast(attributed_revenue_cny as double) as attributed_revenue_cny,
        cast(kol_fee_cny as double) as kol_fee_cny,
        cast(platform_fee_cny as double) as platform_fee_cny,
        cast(boost_spend_cny as double) as boost_spend_cny,
        cast(cost_cny as double) as cost_cny,
        cast(impressions as bigint) as impressions,
        cast(reads as bigint) as reads,
        cast(likes as bigint) as likes,
        cast(saves as bigint) as saves,
        cast(comment_count as bigint) as comment_count,
        cast(share_count as bigint) as share_count,
        cast(engagements as bigint) as engagements,
        cast(follows as bigint) as follows,
        cast(search_reads as bigint) as search_reads,
        cast(roas as double) as roas,
        cast(cpa_cny as double) as cpa_cny,
        cast(cpe_cny as double) as cpe_cny,
        cast(cpm_cny as double) as cpm_cny,
        cast(save_rate as double) as save_rate,
        cast(like_rate as double) as like_rate,
        cast(search_read_share as double) as search_read_share,
        cast(
            case {{ kol_attr.tier_primary_yardstick('funnel_stage') }}
                when 'cpm' then cpm_cny
                when 'cpe' then cpe_cny
                when 'cpa' then cpa_cny
                when 'roas' then roas
            end as double
        ) as primary_yardstick_value,
        ---------- booleans
        cast(is_celebrity as boolean) as is_celebrity,
        cast(is_frozen_model_and_window as boolean) as is_frozen_model_and_window,
        cast(notes > 0 as boolean) as has_notes,
        ---------- dates and timestamps
        cast(campaign_start_date as date) as campaign_start_date,
        cast(first_published_at as {{ dbt.type_timestamp() }}) as first_published_at
    from with_yardstick
)

select * from final
