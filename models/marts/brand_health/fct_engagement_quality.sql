{{ kol_attr.validate_brand_health_vars() }}
{#-
    Engagement quality per KOL: save rate and like rate from the Pugongying daily deltas
    of all the KOL's sponsored notes summed over all report dates (int_note_engagement_totals,
    the same totals fct_kol_performance uses), next to the conversions the
    attribution engine credits to the KOL under attribution_model = var
    kol_attr__quality_model and window_days = var kol_attr__quality_window_days.
    The KOL's tier is the tier at publish of their latest note (dim_notes), else the
    current tier (dim_kols). fct_engagement_quality_by_tier correlates these rates
    with conversions per 1k reads.
-#}
{%- set quality_model = var('kol_attr__quality_model') -%}
{%- set quality_window = var('kol_attr__quality_window_days') -%}

with

notes as (select * from {{ ref('dim_notes') }}),

kols as (select * from {{ ref('dim_kols') }}),

note_totals as (select * from {{ ref('int_note_engagement_totals') }}),

credits as (select * from {{ ref('fct_attribution_credits') }}),

engagement as (
    select
        notes.kol_id,
        count(distinct notes.note_id) as notes,
        sum(note_totals.reads) as reads,
        sum(note_totals.likes) as likes,
        sum(note_totals.saves) as saves
    from notes
    left join note_totals on notes.note_id = note_totals.note_id
    group by notes.kol_id
),

latest_tier as (
    select
        kol_id,
        kol_tier_at_publish,
        row_number() over (partition by kol_id order by published_at desc, note_id desc) as recency
    from notes
),

kol_credits as (
    select
        kol_id,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue_cny) as attributed_revenue_cny
    from credits
    where
        attribution_model = '{{ quality_model }}'
        and window_days = {{ quality_window }}
        and not coalesce(is_unattributed, false)
        and kol_id is not null
    group by kol_id
),

joined as (
    select
        engagement.kol_id,
        kols.kol_handle,
        coalesce(latest_tier.kol_tier_at_publish, kols.kol_tier) as kol_tier,
        engagement.notes,
        coalesce(engagement.reads, 0) as reads,
        coalesce(engagement.likes, 0) as likes,
        coalesce(engagement.saves, 0) as saves,
        coalesce(kol_credits.attributed_conversions, 0) as attributed_conversions,
        coalesce(kol_credits.attributed_revenue_cny, 0) as attributed_revenue_cny
    from engagement
    left join kols on engagement.kol_id = kols.kol_id
    left join latest_tier on engagement.kol_id = latest_tier.kol_id and latest_tier.recency = 1
    left join kol_credits on engagement.kol_id = kol_credits.kol_id
),

final as (
    select
        ---------- ids
        cast(kol_id as {{ dbt.type_string() }}) as kol_id,
        ---------- strings
        cast(kol_handle as {{ dbt.type_string() }}) as kol_handle,
        cast(kol_tier as {{ dbt.type_string() }}) as kol_tier,
        cast('{{ quality_model }}' as {{ dbt.type_string() }}) as attribution_model,
        ---------- numerics
        cast({{ quality_window }} as {{ dbt.type_int() }}) as window_days,
        cast(notes as bigint) as notes,
        cast(reads as bigint) as reads,
        cast(likes as bigint) as likes,
        cast(saves as bigint) as saves,
        cast(case when reads > 0 then cast(saves as double) / reads end as double) as save_rate,
        cast(case when reads > 0 then cast(likes as double) / reads end as double) as like_rate,
        cast(case when likes > 0 then cast(saves as double) / likes end as double) as saves_per_like,
        cast(attributed_conversions as double) as attributed_conversions,
        cast(attributed_revenue_cny as double) as attributed_revenue_cny,
        cast(
            case when reads > 0 then 1000 * cast(attributed_conversions as double) / reads end as double
        ) as conversions_per_1k_reads
    from joined
)

select * from final
