{#-
    expression_is_true(model, expression, where=none): fails on every row of
    `model` for which `expression` is not true (dbt-utils style; null counts as
    a failure). Use it for row-level invariants such as reconciliation equalities.
-#}
{% test expression_is_true(model, expression, where=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'kol_attr')(model, expression, where)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression, where) %}
select *
from {{ model }}
where
    not coalesce({{ expression }}, false)
    {% if where %}and ({{ where }}){% endif %}
{% endmacro %}
