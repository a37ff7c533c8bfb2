{{ kol_attr.validate_brand_health_vars() }}
{#-
    One row per comment under a sponsored note, scored against the lexicon seed
    sentiment_lexicon (see doc block brand_health_sentiment_method):
      * a lexicon term counts at most once per comment, at its first occurrence;
        zh terms match as substrings, en terms as whole words, case-insensitive;
      * a hit inside a longer hit of the same comment is dropped (回购 inside 无限回购);
      * a hit preceded by a negator in its clause is flipped (macro sentiment_is_negated);
      * score = sum of polarity x weight x (-1 if negated); label positive (> 0),
        negative (< 0) or neutral (0, including comments with no hit).
-#}
with

comments as (select * from {{ ref('stg_xhs__note_comments') }}),

lexicon as (select * from {{ ref('sentiment_lexicon') }}),

notes as (select * from {{ ref('dim_notes') }}),

comments_normalised as (
    select
        comment_id,
        note_id,
        parent_comment_id,
        content,
        like_count,
        created_at,
        lower(replace(coalesce(content, ''), '’', '''')) as content_lower
    from comments
),

terms as (
    select
        lower(trim(term)) as term,
        lower(trim(language)) as term_language,
        cast(polarity as double) * cast(weight as double) as signed_weight
    from lexicon
),

candidate_hits as (
    {#- cheap substring pre-filter; the whole-word rule for en terms is applied by the prefix macro -#}
    select
        comments_normalised.comment_id,
        terms.term,
        terms.term_language,
        terms.signed_weight,
        {{ kol_attr.sentiment_term_prefix('comments_normalised.content_lower', 'terms.term', 'terms.term_language') }}
            as term_prefix
    from comments_normalised
    inner join terms on {{ dbt.position('terms.term', 'comments_normalised.content_lower') }} > 0
),

hits as (
    select
        comment_id,
        term,
        term_language,
        signed_weight,
        term_prefix,
        {{ dbt.length('term_prefix') }} + 1 as hit_start,
        {{ dbt.length('term_prefix') }} + {{ dbt.length('term') }} as hit_end
    from candidate_hits
    where term_prefix is not null
),

hits_inside_longer as (
    select distinct
        hits.comment_id,
        hits.term
    from hits
    inner join hits as longer
        on
            hits.comment_id = longer.comment_id
            and {{ dbt.length('hits.term') }} < {{ dbt.length('longer.term') }}
            and hits.hit_start >= longer.hit_start
            and hits.hit_end <= longer.hit_end
),

hits_kept as (
    select
        hits.comment_id,
        hits.term,
        hits.signed_weight,
        hits.hit_start,
        {{ kol_attr.sentiment_is_negated('hits.term_prefix', 'hits.term_language') }} as is_negated
    from hits
    left join hits_inside_longer
        on
            hits.comment_id = hits_inside_longer.comment_id
            and hits.term = hits_inside_longer.term
    where hits_inside_longer.term is null
),

scored_hits as (
    select
        comment_id,
        term,
        hit_start,
        is_negated,
        case when is_negated then -signed_weight else signed_weight end as hit_score,
        case
            when is_negated then '~' || term
            when signed_weight >= 0 then '+' || term
            else '-' || term
        end as hit_label
    from hits_kept
),

comment_scores as (
    select
        comment_id,
        count(*) as matched_terms,
        sum(case when is_negated then 1 else 0 end) as negated_terms,
        sum(case when hit_score > 0 then 1 else 0 end) as positive_terms,
        sum(case when hit_score < 0 then 1 else 0 end) as negative_terms,
        sum(hit_score) as sentiment_score,
        {{ dbt.listagg('hit_label', "' '", 'order by hit_start, hit_label') }} as matched_term_list
    from scored_hits
    group by comment_id
),

final as (
    select
        ---------- ids
        cast(comments_normalised.comment_id as {{ dbt.type_string() }}) as comment_id,
        cast(comments_normalised.note_id as {{ dbt.type_string() }}) as note_id,
        cast(notes.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(notes.kol_id as {{ dbt.type_string() }}) as kol_id,
        cast(comments_normalised.parent_comment_id as {{ dbt.type_string() }}) as parent_comment_id,
        ---------- strings
        cast(comments_normalised.content as {{ dbt.type_string() }}) as comment_content,
        cast(
            case
                when coalesce(comment_scores.sentiment_score, 0) > 0 then 'positive'
                when coalesce(comment_scores.sentiment_score, 0) < 0 then 'negative'
                else 'neutral'
            end as {{ dbt.type_string() }}
        ) as sentiment_label,
        cast(comment_scores.matched_term_list as {{ dbt.type_string() }}) as matched_term_list,
        ---------- numerics
        cast(coalesce(comment_scores.sentiment_score, 0) as double) as sentiment_score,
        cast(coalesce(comment_scores.matched_terms, 0) as {{ dbt.type_int() }}) as matched_terms,
        cast(coalesce(comment_scores.positive_terms, 0) as {{ dbt.type_int() }}) as positive_terms,
        cast(coalesce(comment_scores.negative_terms, 0) as {{ dbt.type_int() }}) as negative_terms,
        cast(coalesce(comment_scores.negated_terms, 0) as {{ dbt.type_int() }}) as negated_terms,
        cast(comments_normalised.like_count as bigint) as like_count,
        ---------- booleans
        cast(comments_normalised.parent_comment_id is not null as boolean) as is_reply,
        ---------- timestamps
        cast(comments_normalised.created_at as {{ dbt.type_timestamp() }}) as created_at
    from comments_normalised
    left join comment_scores on comments_normalised.comment_id = comment_scores.comment_id
    left join notes on comments_normalised.note_id = notes.note_id
)

select * from final
