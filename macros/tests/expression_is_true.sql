{#-
    expression_is_true(model, expression, column_name=none): fails on every row
    of `model` for which `expression` is not true (dbt-utils style; null counts
    as a failure). Use it for row-level invariants such as reconciliation
    equalities; filter rows with the standard test config `where:`. Declared on
    a column, the expression may still name any column of the model.
-#}
{% test expression_is_true(model, expression, column_name=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'kol_attr')(model, expression)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endmacro %}
