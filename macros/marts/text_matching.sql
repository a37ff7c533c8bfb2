{#-
    Fuzzy matching of free text (survey answers) to KOL handles.

    normalise_text(expr): lower case with every character that is not a letter or a digit removed
    (spaces, punctuation, emoji, '@', '_'); CJK characters are letters and are kept.

    edit_similarity(left, right): similarity in [0, 1] of two normalised strings from their edit
    distance: 1 - levenshtein(left, right) / greater length in characters (1 = identical, 0 = nothing
    in common). The same figure on every engine: DuckDB and Spark both have levenshtein() counting
    characters (not bytes) and length() in characters. DuckDB's Jaro-Winkler, taken before when it was
    higher, is not used: Spark has no jaro_winkler and the survey match must not depend on the engine
    (DECISIONLOG "Survey matching: one similarity on every engine").
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

{% macro edit_similarity(left, right) -%}
    {{- return(adapter.dispatch('edit_similarity', 'kol_attr')(left, right)) -}}
{%- endmacro %}

{% macro default__edit_similarity(left, right) -%}
    (1.0 - cast(levenshtein({{ left }}, {{ right }}) as double)
        / cast(greatest(length({{ left }}), length({{ right }}), 1) as double))
{%- endmacro %}
