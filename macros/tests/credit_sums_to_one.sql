{#-
    credit_sums_to_one(model, group_by, credit_column='credit', tolerance=1e-9): fails on every group
    (e.g. conversion x attribution_model x window_days) whose credits do not sum to 1 within `tolerance`.
-#}
{% test credit_sums_to_one(model, group_by, credit_column='credit', tolerance=1e-9) %}
    {{ return(adapter.dispatch('test_credit_sums_to_one', 'kol_attr')(model, group_by, credit_column, tolerance)) }}
{% endtest %}

{% macro default__test_credit_sums_to_one(model, group_by, credit_column, tolerance) %}
select
    {{ group_by | join(', ') }},
    sum({{ credit_column }}) as total_credit
from {{ model }}
group by {{ group_by | join(', ') }}
having
    sum({{ credit_column }}) is null
    or abs(sum({{ credit_column }}) - 1) > {{ tolerance }}
{% endmacro %}
