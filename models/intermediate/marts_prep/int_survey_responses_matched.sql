{#-
    Post-purchase survey responses with the recalled creator fuzzy-matched to a KOL.

    Candidates are every handle a KOL ever had (all Pugongying snapshots, creators rename). Both sides
    are normalised (kol_attr.normalise_text: lower case, letters and digits only), and the filler
    words of var kol_attr__survey_recall_fillers ('那个', '的博主', ...) are removed from the recall.
    Each (response, handle) pair scores:
      exact       1.0 when the normalised texts are equal;
      containment 0.5 + 0.5 x shorter / longer length when one contains the other (shorter >= 2);
      similarity  kol_attr.edit_similarity (1 - edit distance / longer length, in characters;
                  the same on every engine), used when it beats the other two.
    The best handle per KOL is kept, then the best KOL per response. When several KOLs share the best
    score the match is ambiguous: match_confidence = best score / number of tied KOLs. A response is
    matched when match_confidence >= var kol_attr__survey_match_threshold (default 0.7).
-#}
{{ kol_attr.validate_marts_vars() }}

{%- set fillers = var('kol_attr__survey_recall_fillers', ['那个', '的博主', '博主', '小红书']) %}

with

responses as (select * from {{ ref('stg_survey__responses') }}),

snapshots as (select * from {{ ref('stg_pgy__kol_snapshots') }}),

handles as (
    select distinct
        kol_id,
        kol_handle,
        {{ kol_attr.normalise_text('kol_handle') }} as handle_normalised
    from snapshots
    where kol_handle is not null
),

recalls as (
    select
        response_id,
        {%- set ns = namespace(expr=kol_attr.normalise_text('kol_recall')) %}
        {%- for filler in fillers %}
            {%- set ns.expr = "replace(" ~ ns.expr ~ ", '" ~ filler ~ "', '')" %}
        {%- endfor %}
        {{ ns.expr }} as recall_normalised
    from responses
    where kol_recall is not null
),

scored_pairs as (
    select
        recalls.response_id,
        handles.kol_id,
        handles.kol_handle,
        case
            when recalls.recall_normalised = handles.handle_normalised then 'exact'
            when
                least(length(recalls.recall_normalised), length(handles.handle_normalised)) >= 2
                and (
                    {{ dbt.position('recalls.recall_normalised', 'handles.handle_normalised') }} > 0
                    or {{ dbt.position('handles.handle_normalised', 'recalls.recall_normalised') }} > 0
                )
                then 'containment'
            else 'similarity'
        end as match_method,
        case
            when recalls.recall_normalised = handles.handle_normalised then 1.0
            when
                least(length(recalls.recall_normalised), length(handles.handle_normalised)) >= 2
                and (
                    {{ dbt.position('recalls.recall_normalised', 'handles.handle_normalised') }} > 0
                    or {{ dbt.position('handles.handle_normalised', 'recalls.recall_normalised') }} > 0
                )
                then 0.5
                    + 0.5 * cast(least(length(recalls.recall_normalised), length(handles.handle_normalised)) as double)
                    / cast(greatest(length(recalls.recall_normalised), length(handles.handle_normalised)) as double)
            else 0.0
        end as rule_score,
        {{ kol_attr.edit_similarity('recalls.recall_normalised', 'handles.handle_normalised') }} as similarity_score
    from recalls
    cross join handles
    where length(recalls.recall_normalised) > 0 and length(handles.handle_normalised) > 0
),

pair_scores as (
    select
        response_id,
        kol_id,
        kol_handle,
        case when similarity_score > rule_score then 'similarity' else match_method end as match_method,
        cast(greatest(rule_score, similarity_score) as double) as match_score
    from scored_pairs
),

best_per_kol as (
    select
        pair_scores.*,
        row_number() over (
            partition by pair_scores.response_id, pair_scores.kol_id
            order by pair_scores.match_score desc, pair_scores.kol_handle asc
        ) as handle_rank
    from pair_scores
),

kol_scores as (
    select
        best_per_kol.*,
        row_number()
            over (partition by best_per_kol.response_id order by best_per_kol.match_score desc, best_per_kol.kol_id asc)
            as kol_rank,
        count(*) over (partition by best_per_kol.response_id, best_per_kol.match_score) as kols_with_this_score
    from best_per_kol
    where best_per_kol.handle_rank = 1
),

best_match as (
    select
        response_id,
        kol_id,
        kol_handle,
        match_method,
        match_score,
        kols_with_this_score as tied_kols,
        match_score / kols_with_this_score as match_confidence
    from kol_scores
    where kol_rank = 1
),

final as (
    select
        ---------- ids
        responses.response_id,
        responses.order_platform,
        responses.order_ref,
        case
            when best_match.match_confidence >= {{ var('kol_attr__survey_match_threshold', 0.7) }}
                then best_match.kol_id
        end as matched_kol_id,
        ---------- strings
        responses.first_heard_channel,
        responses.first_heard_channel_normalised,
        responses.content_type,
        responses.kol_recall,
        recalls.recall_normalised,
        best_match.kol_handle as best_candidate_handle,
        best_match.kol_id as best_candidate_kol_id,
        best_match.match_method,
        ---------- numerics
        cast(best_match.match_score as double) as best_match_score,
        cast(best_match.tied_kols as integer) as tied_kols,
        cast(coalesce(best_match.match_confidence, 0) as double) as match_confidence,
        ---------- booleans
        coalesce(best_match.match_confidence >= {{ var('kol_attr__survey_match_threshold', 0.7) }}, false)
            as is_kol_recall_matched,
        ---------- timestamps
        responses.answered_at
    from responses
    left join recalls on responses.response_id = recalls.response_id
    left join best_match on responses.response_id = best_match.response_id
)

select * from final
