{#-
    Regular-expression helpers where engines differ (patterns are RE2 / Java compatible).
      bh_regexp_matches(string, pattern): true when `pattern` matches somewhere in `string`.
      bh_regexp_replace_all(string, pattern, replacement): every match replaced.
      bh_regexp_extract(string, pattern, group): the group of the first match, '' when none.
-#}
{% macro bh_regexp_matches(string, pattern) -%}
    {{ return(adapter.dispatch('bh_regexp_matches', 'kol_attr')(string, pattern)) }}
{%- endmacro %}

{% macro default__bh_regexp_matches(string, pattern) -%}
    regexp_matches({{ string }}, {{ pattern }})
{%- endmacro %}

{% macro spark__bh_regexp_matches(string, pattern) -%}
    ({{ string }} rlike {{ pattern }})
{%- endmacro %}

{% macro bh_regexp_replace_all(string, pattern, replacement) -%}
    {{ return(adapter.dispatch('bh_regexp_replace_all', 'kol_attr')(string, pattern, replacement)) }}
{%- endmacro %}

{% macro default__bh_regexp_replace_all(string, pattern, replacement) -%}
    regexp_replace({{ string }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__bh_regexp_replace_all(string, pattern, replacement) -%}
    regexp_replace({{ string }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

{% macro bh_regexp_extract(string, pattern, group) -%}
    {{ return(adapter.dispatch('bh_regexp_extract', 'kol_attr')(string, pattern, group)) }}
{%- endmacro %}

{% macro default__bh_regexp_extract(string, pattern, group) -%}
    regexp_extract({{ string }}, {{ pattern }}, {{ group }})
{%- endmacro %}
