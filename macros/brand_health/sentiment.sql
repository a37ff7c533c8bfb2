{#-
    Comment sentiment helpers (see the doc block `brand_health_sentiment_method`).

    sentiment_negation_terms(): the negators and the phrases that contain a negator
    but do not negate, per language. A dispatched default, so a project overrides it
    by defining `<project>__sentiment_negation_terms()` or `default__...` in its own macros.

    sentiment_term_prefix(content, term, language): the text of `content` before the
    first occurrence of `term`; null when the term does not occur. Chinese (zh) terms
    match as substrings; English (en) terms only as whole words or phrases (the
    character before and after must not be a latin letter or digit). Both arguments
    are expected in lower case.

    sentiment_is_negated(prefix, language): true when the clause that ends right
    before a term holds a negator close enough to flip it:
      1. phrases that contain a negator but do not negate (不错, 忍不住, can't wait, ...)
         are blanked out of the prefix;
      2. the prefix is cut after its last clause punctuation (，。！？；：、,.!?;:~ newline),
         so a negation never crosses into the next clause;
      3. zh: a negator character (不 没 别 无 未; 没有 and 不是 start with one) among the last
         N characters, N = var kol_attr__sentiment_negation_window.zh (default 4);
         en: a negator word (not, no, never, don't, ...) followed by at most N - 1 other words,
         N = var kol_attr__sentiment_negation_window.en (default 3).
-#}
{% macro sentiment_negation_terms() -%}
    {{ return(adapter.dispatch('sentiment_negation_terms', 'kol_attr')()) }}
{%- endmacro %}

{% macro default__sentiment_negation_terms() -%}
    {{ return({
        'zh': ['不', '没', '别', '无', '未'],
        'zh_exceptions': ['不错', '不得不', '忍不住', '不要太', '别提多', '没得说', '没毛病', '无敌', '无限', '不愧', '不要错过', '别错过'],
        'en': ['not', 'no', 'never', "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt',
               "wasn't", 'wasnt', "won't", 'wont', "can't", 'cant', 'cannot', "couldn't", "wouldn't", 'without',
               'hardly', 'nothing', 'neither', 'nor'],
        'en_exceptions': ['no doubt', 'not only', "can't wait", 'cant wait', 'cannot wait', "can't stop", 'no wonder'],
    }) }}
{%- endmacro %}

{#- a SQL string literal holding a regex alternation of literal words (no metacharacters in them) -#}
{% macro _bh_alternation_literal(words) -%}
    '({{ words | map('replace', "'", "''") | join('|') }})'
{%- endmacro %}

{% macro sentiment_term_prefix(content, term, language) -%}
    case
        when {{ language }} = 'en'
            then
                case
                    when {{ kol_attr.bh_regexp_matches(content, "'(^|[^a-z0-9])' || " ~ term ~ " || '([^a-z0-9]|$)'") }}
                        then {{ kol_attr.bh_regexp_extract(
                            content, "'^((?s:.*?)(?:^|[^a-z0-9]))' || " ~ term ~ " || '(?:[^a-z0-9]|$)'", 1
                        ) }}
                end
        when {{ dbt.position(term, content) }} > 0
            then substring({{ content }}, 1, {{ dbt.position(term, content) }} - 1)
    end
{%- endmacro %}

{% macro sentiment_is_negated(prefix, language) -%}
    {%- set terms = kol_attr.sentiment_negation_terms() -%}
    {%- set window = var('kol_attr__sentiment_negation_window', {'zh': 4, 'en': 3}) -%}
    {%- set punctuation = "'(?s)^.*[，。！？；：、,.!?;:~～\\n]'" -%}
    {%- set zh_clause = kol_attr.bh_regexp_replace_all(
        kol_attr.bh_regexp_replace_all(prefix, kol_attr._bh_alternation_literal(terms['zh_exceptions']), "' '"),
        punctuation, "''") -%}
    {%- set en_clause = kol_attr.bh_regexp_replace_all(
        kol_attr.bh_regexp_replace_all(prefix, kol_attr._bh_alternation_literal(terms['en_exceptions']), "' '"),
        punctuation, "''") -%}
    {%- set en_negators = terms['en'] | map('replace', "'", "''") | join('|') -%}
    case
        when {{ prefix }} is null then false
        when {{ language }} = 'en'
            then
            {%- if window['en'] > 0 %}
                {{ kol_attr.bh_regexp_matches(
                    en_clause,
                    "'(^|[^a-z0-9''])(" ~ en_negators ~ ")([^a-z0-9'']+[a-z0-9'']+){0," ~ (window['en'] - 1) ~ "}[^a-z0-9'']*$'"
                ) }}
            {%- else %} false{% endif %}
        else
        {%- if window['zh'] > 0 %}
            {{ kol_attr.bh_regexp_matches("right(" ~ zh_clause ~ ", " ~ window['zh'] ~ ")",
                kol_attr._bh_alternation_literal(terms['zh'])) }}
        {%- else %} false{% endif %}
    end
{%- endmacro %}
