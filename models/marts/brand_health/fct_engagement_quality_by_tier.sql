{#-
    Engagement quality per KOL tier, and overall (kol_tier = 'all'): pooled save and like
    rates, and how well each predicts attributed conversions: the Pearson correlation,
    across the tier's KOLs with reads, of the KOL's save rate (and like rate) with the
    KOL's attributed conversions per 1k reads (fct_engagement_quality). A correlation
    needs at least 3 KOLs and non-constant values, else null.
-#}
with

kol_quality as (select * from {{ ref('fct_engagement_quality') }}),

with_reads as (
    select * from kol_quality
    where reads > 0
),

by_tier as (
    select
        kol_tier,
        count(*) as kols,
        sum(reads) as reads,
        sum(likes) as likes,
        sum(saves) as saves,
        sum(attributed_conversions) as attributed_conversions,
        avg(save_rate) as avg_kol_save_rate,
        avg(like_rate) as avg_kol_like_rate,
        stddev_samp(save_rate) as sd_save_rate,
        stddev_samp(like_rate) as sd_like_rate,
        stddev_samp(conversions_per_1k_reads) as sd_conversions,
        corr(save_rate, conversions_per_1k_reads) as corr_save_rate,
        corr(like_rate, conversions_per_1k_reads) as corr_like_rate
    from with_reads
    group by kol_tier

    union all

    select
        'all' as kol_tier,
        count(*) as kols,
        sum(reads) as reads,
        sum(likes) as likes,
        sum(saves) as saves,
        sum(attributed_conversions) as attributed_conversions,
        avg(save_rate) as avg_kol_save_rate,
        avg(like_rate) as avg_kol_like_rate,
        stddev_samp(save_rate) as sd_save_rate,
        stddev_samp(like_rate) as sd_like_rate,
        stddev_samp(conversions_per_1k_reads) as sd_conversions,
        corr(save_rate, conversions_per_1k_reads) as corr_save_rate,
        corr(like_rate, conversions_per_1k_reads) as corr_like_rate
    from with_reads
),

guarded as (
    select
        *,
        case
            when kols >= 3 and sd_save_rate > 0 and sd_conversions > 0
                then greatest(-1.0, least(1.0, corr_save_rate))
        end as corr_save_rate_conversions,
        case
            when kols >= 3 and sd_like_rate > 0 and sd_conversions > 0
                then greatest(-1.0, least(1.0, corr_like_rate))
        end as corr_like_rate_conversions
    from by_tier
),

model_config as (
    select
        max(attribution_model) as attribution_model,
        max(window_days) as window_days
    from kol_quality
),

final as (
    select
        ---------- strings
        cast(guarded.kol_tier as {{ dbt.type_string() }}) as kol_tier,
        cast(model_config.attribution_model as {{ dbt.type_string() }}) as attribution_model,
        cast(
            case
                when guarded.corr_save_rate_conversions is null or guarded.corr_like_rate_conversions is null
                    then null
                when guarded.corr_save_rate_conversions > guarded.corr_like_rate_conversions then 'save_rate'
                when guarded.corr_save_rate_conversions < guarded.corr_like_rate_conversions then 'like_rate'
                else 'tie'
            end as {{ dbt.type_string() }}
        ) as better_predictor,
        ---------- numerics
        cast(model_config.window_days as {{ dbt.type_int() }}) as window_days,
        cast(guarded.kols as {{ dbt.type_int() }}) as kols_with_reads,
        cast(guarded.reads as bigint) as reads,
        cast(guarded.likes as bigint) as likes,
        cast(guarded.saves as bigint) as saves,
        cast(case when guarded.reads > 0 then cast(guarded.saves as double) / guarded.reads end as double)
            as save_rate,
        cast(case when guarded.reads > 0 then cast(guarded.likes as double) / guarded.reads end as double)
            as like_rate,
        cast(guarded.avg_kol_save_rate as double) as avg_kol_save_rate,
        cast(guarded.avg_kol_like_rate as double) as avg_kol_like_rate,
        cast(guarded.attributed_conversions as double) as attributed_conversions,
        cast(
            case
                when guarded.reads > 0 then 1000 * cast(guarded.attributed_conversions as double) / guarded.reads
            end as double
        ) as conversions_per_1k_reads,
        cast(guarded.corr_save_rate_conversions as double) as corr_save_rate_conversions,
        cast(guarded.corr_like_rate_conversions as double) as corr_like_rate_conversions
    from guarded
    cross join model_config
)

select * from final
