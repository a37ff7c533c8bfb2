{#-
    Comment sentiment per sponsored note: counts and shares of positive, negative and
    neutral comments (replies included) from fct_comment_sentiment_scores. Every note of
    dim_notes has a row (0 comments, null shares when none); comments under notes missing
    from dim_notes keep a row with null campaign and KOL.
-#}
with

scores as (select * from {{ ref('fct_comment_sentiment_scores') }}),

notes as (select * from {{ ref('dim_notes') }}),

by_note as (
    select
        note_id,
        count(*) as comment_count,
        sum(case when sentiment_label = 'positive' then 1 else 0 end) as positive_comments,
        sum(case when sentiment_label = 'negative' then 1 else 0 end) as negative_comments,
        sum(case when sentiment_label = 'neutral' then 1 else 0 end) as neutral_comments,
        sum(case when negated_terms > 0 then 1 else 0 end) as comments_with_negation,
        avg(sentiment_score) as avg_sentiment_score,
        min(created_at) as first_comment_at,
        max(created_at) as last_comment_at
    from scores
    group by note_id
),

joined as (
    select
        coalesce(notes.note_id, by_note.note_id) as note_id,
        notes.campaign_id,
        notes.kol_id,
        notes.kol_tier_at_publish,
        coalesce(by_note.comment_count, 0) as comment_count,
        coalesce(by_note.positive_comments, 0) as positive_comments,
        coalesce(by_note.negative_comments, 0) as negative_comments,
        coalesce(by_note.neutral_comments, 0) as neutral_comments,
        coalesce(by_note.comments_with_negation, 0) as comments_with_negation,
        by_note.avg_sentiment_score,
        by_note.first_comment_at,
        by_note.last_comment_at
    from notes
    full outer join by_note on notes.note_id = by_note.note_id
),

final as (
    select
        ---------- ids
        cast(note_id as {{ dbt.type_string() }}) as note_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(kol_id as {{ dbt.type_string() }}) as kol_id,
        ---------- strings
        cast(kol_tier_at_publish as {{ dbt.type_string() }}) as kol_tier_at_publish,
        ---------- numerics
        cast(comment_count as bigint) as comment_count,
        cast(positive_comments as bigint) as positive_comments,
        cast(negative_comments as bigint) as negative_comments,
        cast(neutral_comments as bigint) as neutral_comments,
        cast(comments_with_negation as bigint) as comments_with_negation,
        cast(case when comment_count > 0 then cast(positive_comments as double) / comment_count end as double)
            as share_positive,
        cast(case when comment_count > 0 then cast(negative_comments as double) / comment_count end as double)
            as share_negative,
        cast(case when comment_count > 0 then cast(neutral_comments as double) / comment_count end as double)
            as share_neutral,
        cast(
            case when comment_count > 0 then cast(positive_comments - negative_comments as double) / comment_count end
            as double
        ) as net_sentiment,
        cast(avg_sentiment_score as double) as avg_sentiment_score,
        ---------- timestamps
        cast(first_comment_at as {{ dbt.type_timestamp() }}) as first_comment_at,
        cast(last_comment_at as {{ dbt.type_timestamp() }}) as last_comment_at
    from joined
)

select * from final
