{#-
    values_present(model, column_name, values): the reverse of accepted_values: fails on every value of
    `values` that no row of the column holds (e.g. an interaction_type without a weight row).
-#}
{% test values_present(model, column_name, values) %}
    {{ return(adapter.dispatch('test_values_present', 'kol_attr')(model, column_name, values)) }}
{% endtest %}

{% macro default__test_values_present(model, column_name, values) %}
with

expected as (
    {%- for value in values %}
    select '{{ value }}' as expected_value{{ ' union all' if not loop.last }}
    {%- endfor %}
)

select expected.expected_value
from expected
where not exists (
    select 1 from {{ model }} as actual
    where cast(actual.{{ column_name }} as {{ dbt.type_string() }}) = expected.expected_value
)
{% endmacro %}
