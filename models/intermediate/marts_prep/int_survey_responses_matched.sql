{#-
    Post-purchase survey responses with the recalled creator fuzzy-matched to a KOL.

    Candidates are every handle a KOL ever had (all Pugongying snapshots, creators rename). Both sides
    are normalised (kol_attr.normalise_text: lower case, letters and digits only), and the filler
    words of var kol_attr__survey_recall_fillers ('那个', '的博主', ...) are removed from the recall.
    Each (response, handle) pair scores:
      exact         1.0 when the normalised texts are equal;
      containment   0.5 + 0.5 x shorter / longer length when one contains the other (shorter >= 2);
      similarity    1 - levenshtein / longer length (characters), used when it beats the other two;
      transposition the same with one adjacent swap: 1 - (1 + levenshtein(recall with characters i and
                    i + 1 exchanged, handle)) / longer length, when lower than levenshtein (tried only
                    where it can be: see swap_candidates);
    then a prefix bonus in the spirit of Jaro-Winkler: score + 0.1 x l x (1 - score), l = leading
    characters the two share, at most 4. Every figure is the same on DuckDB and Spark (levenshtein,
    length and substr count characters on both; DECISIONLOG "Survey matching").
    The best handle per KOL is kept, then the best KOL per response. When several KOLs share the best
    score the match is ambiguous: match_confidence = best score / number of tied KOLs. A response is
    matched when match_confidence >= var kol_attr__survey_match_threshold (default 0.7).
-#}
{{ kol_attr.validate_marts_vars() }}

{%- set fillers = var('kol_attr__survey_recall_fillers', ['那个', '的博主', '博主', '小红书']) %}
{#- largest Levenshtein distance at which one adjacent swap is tried (the swap makes it at most 1 less) -#}
{%- set transposition_max_distance = 3 %}

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

pairs as (
    select
        recalls.response_id,
        recalls.recall_normalised,
        handles.kol_id,
        handles.kol_handle,
        handles.handle_normalised,
        length(recalls.recall_normalised) as recall_length,
        length(handles.handle_normalised) as handle_length,
        {{ kol_attr.edit_distance('recalls.recall_normalised', 'handles.handle_normalised') }} as edit_distance
    from recalls
    cross join handles
    where length(recalls.recall_normalised) > 0 and length(handles.handle_normalised) > 0
),

{# A swap keeps the length and is two substitutions, so 1 + levenshtein(swap(recall), handle) is never
    below levenshtein - 1 nor below 1 + the length difference: it can only lower a distance d >= 2, by
    exactly 1, when the lengths differ by at most d - 2. Tried up to d = transposition_max_distance and
    where the swapped distance is below half the longer length (strings unlike each other, e.g. two
    3-character names at distance 3, are left alone: at brand scale they are most of the pairs). #}
swap_candidates as (
    select
        response_id,
        kol_id,
        kol_handle,
        recall_normalised,
        handle_normalised,
        {{ kol_attr.positions_upto('recall_length - 1') }} as swap_position
    from pairs
    where
        edit_distance between 2 and {{ transposition_max_distance }}
        and abs(recall_length - handle_length) <= edit_distance - 2
        and 2 * (edit_distance - 1) < greatest(recall_length, handle_length)
        and recall_length >= 2
),

swap_distances as (
    select
        response_id,
        kol_id,
        kol_handle,
        min(
            1 + {{ kol_attr.edit_distance(
                kol_attr.swap_neighbours('recall_normalised', 'swap_position'), 'handle_normalised'
            ) }}
        ) as transposition_distance
    from swap_candidates
    {#- swapping two equal characters changes nothing #}
    where substr(recall_normalised, swap_position, 1) != substr(recall_normalised, swap_position + 1, 1)
    group by response_id, kol_id, kol_handle
),

scored_pairs as (
    select
        pairs.response_id,
        pairs.kol_id,
        pairs.kol_handle,
        case
            when pairs.recall_normalised = pairs.handle_normalised then 'exact'
            when
                least(pairs.recall_length, pairs.handle_length) >= 2
                and (
                    {{ dbt.position('pairs.recall_normalised', 'pairs.handle_normalised') }} > 0
                    or {{ dbt.position('pairs.handle_normalised', 'pairs.recall_normalised') }} > 0
                )
                then 'containment'
            else 'similarity'
        end as match_method,
        case
            when pairs.recall_normalised = pairs.handle_normalised then 1.0
            when
                least(pairs.recall_length, pairs.handle_length) >= 2
                and (
                    {{ dbt.position('pairs.recall_normalised', 'pairs.handle_normalised') }} > 0
                    or {{ dbt.position('pairs.handle_normalised', 'pairs.recall_normalised') }} > 0
                )
                then 0.5
                    + 0.5 * cast(least(pairs.recall_length, pairs.handle_length) as {{ kol_attr.type_double() }})
                    / cast(greatest(pairs.recall_length, pairs.handle_length) as {{ kol_attr.type_double() }})
            else 0.0
        end as rule_score,
        coalesce(swap_distances.transposition_distance < pairs.edit_distance, false) as is_transposition,
        {{ kol_attr.edit_similarity(
            'least(pairs.edit_distance, coalesce(swap_distances.transposition_distance, pairs.edit_distance))',
            'pairs.recall_normalised',
            'pairs.handle_normalised'
        ) }} as similarity_score,
        {{ kol_attr.common_prefix_length('pairs.recall_normalised', 'pairs.handle_normalised', 4) }}
            as common_prefix_length
    from pairs
    left join swap_distances
        on
            pairs.response_id = swap_distances.response_id
            and pairs.kol_id = swap_distances.kol_id
            and pairs.kol_handle = swap_distances.kol_handle
),

pair_scores as (
    select
        response_id,
        kol_id,
        kol_handle,
        common_prefix_length,
        case
            when similarity_score > rule_score and is_transposition then 'transposition'
            when similarity_score > rule_score then 'similarity'
            else match_method
        end as match_method,
        {{ kol_attr.prefix_bonus('greatest(rule_score, similarity_score)', 'common_prefix_length', 0.1) }}
            as match_score
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
        common_prefix_length,
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
        cast(best_match.common_prefix_length as integer) as common_prefix_length,
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
