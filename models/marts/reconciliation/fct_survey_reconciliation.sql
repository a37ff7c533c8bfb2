{#-
    One row per post-purchase survey response (grain: response_id): what the buyer says (first-heard
    channel, recalled creator fuzzy-matched to a KOL with a match_confidence, see
    int_survey_responses_matched) against what the model says for the same order (KOL credit under
    var kol_attr__survey_model at var kol_attr__survey_window_days, default linear at 30 days).
    Responses naming an order found in no export stay here (has_matching_order false); they feed the
    offline and cross-platform gap estimate of fct_survey_offline_gap.
-#}
{{ kol_attr.validate_marts_vars() }}

{%- set survey_model = var('kol_attr__survey_model', 'linear') %}
{%- set survey_window = var('kol_attr__survey_window_days', 30) %}

with

responses as (select * from {{ ref('int_survey_responses_matched') }}),

conversions as (select * from {{ ref('fct_conversions') }}),

kols as (select * from {{ ref('dim_kols') }}),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where
        not is_unattributed
        and attribution_model = '{{ survey_model }}'
        and window_days = {{ survey_window }}
),

kol_credit_per_order as (
    select
        conversion_id,
        kol_id,
        sum(credit) as kol_credit
    from credits
    group by conversion_id, kol_id
),

order_credit as (
    select
        conversion_id,
        sum(kol_credit) as modeled_kol_credit,
        max(kol_credit) as top_kol_credit
    from kol_credit_per_order
    group by conversion_id
),

top_kol as (
    select
        conversion_id,
        kol_id,
        row_number() over (partition by conversion_id order by kol_credit desc, kol_id asc) as kol_rank
    from kol_credit_per_order
),

joined as (
    select
        responses.*,
        conversions.conversion_id,
        conversions.revenue_cny,
        coalesce(conversions.is_attributable, false) as is_order_attributable,
        conversions.conversion_id is not null as has_matching_order,
        coalesce(responses.first_heard_channel_normalised = 'xiaohongshu', false) as is_xhs_heard,
        coalesce(order_credit.modeled_kol_credit, 0) as modeled_kol_credit,
        top_kol.kol_id as top_credited_kol_id,
        coalesce(order_credit.top_kol_credit, 0) as top_credited_kol_credit,
        coalesce(recalled.kol_credit, 0) as recalled_kol_credit,
        matched_kol.kol_handle as matched_kol_handle
    from responses
    left join conversions
        on
            responses.order_platform = conversions.order_platform
            and responses.order_ref = conversions.order_ref
    left join order_credit on conversions.conversion_id = order_credit.conversion_id
    left join top_kol on conversions.conversion_id = top_kol.conversion_id and top_kol.kol_rank = 1
    left join kol_credit_per_order as recalled
        on
            conversions.conversion_id = recalled.conversion_id
            and responses.matched_kol_id = recalled.kol_id
    left join kols as matched_kol on responses.matched_kol_id = matched_kol.kol_id
),

final as (
    select
        ---------- ids
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(conversion_id as {{ dbt.type_string() }}) as conversion_id,
        cast(matched_kol_id as {{ dbt.type_string() }}) as matched_kol_id,
        cast(top_credited_kol_id as {{ dbt.type_string() }}) as top_credited_kol_id,
        ---------- strings
        cast(order_platform as {{ dbt.type_string() }}) as order_platform,
        cast(order_ref as {{ dbt.type_string() }}) as order_ref,
        cast(first_heard_channel as {{ dbt.type_string() }}) as first_heard_channel,
        cast(first_heard_channel_normalised as {{ dbt.type_string() }}) as first_heard_channel_normalised,
        cast(content_type as {{ dbt.type_string() }}) as content_type,
        cast(kol_recall as {{ dbt.type_string() }}) as kol_recall,
        cast(best_candidate_handle as {{ dbt.type_string() }}) as best_candidate_handle,
        cast(matched_kol_handle as {{ dbt.type_string() }}) as matched_kol_handle,
        cast(match_method as {{ dbt.type_string() }}) as match_method,
        cast('{{ survey_model }}' as {{ dbt.type_string() }}) as survey_model,
        cast(
            case
                when not has_matching_order then 'no_matching_order'
                when not is_order_attributable then 'order_not_attributable'
                when is_xhs_heard and modeled_kol_credit > 0 then 'xhs_heard_and_credited'
                when is_xhs_heard then 'xhs_heard_not_credited'
                when modeled_kol_credit > 0 then 'other_channel_but_credited'
                else 'other_channel_not_credited'
            end as {{ dbt.type_string() }}
        ) as survey_vs_model,
        ---------- numerics
        cast({{ survey_window }} as {{ dbt.type_int() }}) as survey_window_days,
        cast(match_confidence as double) as match_confidence,
        cast(revenue_cny as double) as order_revenue_cny,
        cast(modeled_kol_credit as double) as modeled_kol_credit,
        cast(top_credited_kol_credit as double) as top_credited_kol_credit,
        cast(recalled_kol_credit as double) as recalled_kol_credit,
        ---------- booleans
        cast(has_matching_order as boolean) as has_matching_order,
        cast(is_order_attributable as boolean) as is_order_attributable,
        cast(is_xhs_heard as boolean) as is_xhs_heard,
        cast(is_kol_recall_matched as boolean) as is_kol_recall_matched,
        cast(is_kol_recall_matched and recalled_kol_credit > 0 as boolean) as is_recalled_kol_credited,
        cast(is_kol_recall_matched and matched_kol_id = top_credited_kol_id as boolean) as is_recalled_kol_top_credited,
        ---------- timestamps
        cast(answered_at as {{ dbt.type_timestamp() }}) as answered_at
    from joined
)

select * from final
