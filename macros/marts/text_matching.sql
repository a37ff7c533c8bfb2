{#-
    Fuzzy matching of free text (survey answers) to KOL handles. Every figure is the same on DuckDB and
    Spark (DECISIONLOG "Survey matching: one similarity on every engine"): both have levenshtein()
    counting characters (not bytes), length() and substr() in characters; DuckDB's Jaro-Winkler is not
    used because Spark has none. Its two strengths are rebuilt portably: a transposition-aware distance
    (one adjacent swap) and a prefix bonus.

    normalise_text(expr): lower case with every character that is not a letter or a digit removed
    (spaces, punctuation, emoji, '@', '_'); CJK characters are letters and are kept.

    edit_distance(left, right): Levenshtein distance in characters (insert, delete, substitute).

    swap_neighbours(expr, position): expr with its characters at position and position + 1 (1-based)
    exchanged; for 1 <= position < length(expr).

    positions_upto(upper): a set-returning select-list expression, one row per integer 1..upper
    (upper >= 1); the engines spell it differently (DuckDB unnest(range()), Spark explode(sequence())).

    edit_similarity(distance, left, right): 1 - distance / greater length of left and right in
    characters, as double (1 = identical, 0 = nothing in common).

    common_prefix_length(left, right, max_length=4): number of leading characters the two strings
    share, counted up to max_length (Jaro-Winkler's l): sum over k = 1..max_length of
    [both have >= k characters and substr(left, 1, k) = substr(right, 1, k)].

    prefix_bonus(score, prefix_length, scale_per_char=0.1): Winkler's boost of a score in [0, 1]:
    score + scale_per_char x prefix_length x (1 - score), as double; 1 stays 1 and the result stays
    <= 1 while scale_per_char x max prefix length <= 1 (0.1 x 4).
-#}
{% macro normalise_text(expr) -%}
    {{- return(adapter.dispatch('normalise_text', 'kol_attr')(expr)) -}}
{%- endmacro %}

{% macro default__normalise_text(expr) -%}
    regexp_replace(lower({{ expr }}), '[^\\p{L}\\p{N}]', '')
{%- endmacro %}

{% macro duckdb__normalise_text(expr) -%}
    regexp_replace(lower({{ expr }}), '[^\p{L}\p{N}]', '', 'g')
{%- endmacro %}

{% macro edit_distance(left, right) -%}
    {{- return(adapter.dispatch('edit_distance', 'kol_attr')(left, right)) -}}
{%- endmacro %}

{% macro default__edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro swap_neighbours(expr, position) -%}
    {{ dbt.concat([
        'substr(' ~ expr ~ ', 1, ' ~ position ~ ' - 1)',
        'substr(' ~ expr ~ ', ' ~ position ~ ' + 1, 1)',
        'substr(' ~ expr ~ ', ' ~ position ~ ', 1)',
        'substr(' ~ expr ~ ', ' ~ position ~ ' + 2, length(' ~ expr ~ '))',
    ]) }}
{%- endmacro %}

{% macro positions_upto(upper) -%}
    {{- return(adapter.dispatch('positions_upto', 'kol_attr')(upper)) -}}
{%- endmacro %}

{% macro default__positions_upto(upper) -%}
    explode(sequence(1, cast({{ upper }} as {{ dbt.type_int() }})))
{%- endmacro %}

{% macro duckdb__positions_upto(upper) -%}
    unnest(range(1, cast({{ upper }} as bigint) + 1))
{%- endmacro %}

{% macro edit_similarity(distance, left, right) -%}
    (1.0 - cast({{ distance }} as {{ kol_attr.type_double() }})
        / cast(greatest(length({{ left }}), length({{ right }}), 1) as {{ kol_attr.type_double() }}))
{%- endmacro %}

{% macro common_prefix_length(left, right, max_length=4) -%}
    (
    {%- for k in range(1, max_length + 1) %}
        case
            when
                least(length({{ left }}), length({{ right }})) >= {{ k }}
                and substr({{ left }}, 1, {{ k }}) = substr({{ right }}, 1, {{ k }})
                then 1
            else 0
        end{% if not loop.last %} +{% endif %}
    {%- endfor %}
    )
{%- endmacro %}

{% macro prefix_bonus(score, prefix_length, scale_per_char=0.1) -%}
    (cast({{ score }} as {{ kol_attr.type_double() }})
        + cast({{ prefix_length }} as {{ kol_attr.type_double() }}) * {{ kol_attr.attribution_double_literal(scale_per_char) }}
        * (1.0 - cast({{ score }} as {{ kol_attr.type_double() }})))
{%- endmacro %}
