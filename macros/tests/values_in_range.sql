{#-
    values_in_range(model, column_name, min_value=none, max_value=none): fails on every row whose
    column is null or outside [min_value, max_value] (either bound may be omitted; bounds inclusive).
-#}
{% test values_in_range(model, column_name, min_value=none, max_value=none) %}
    {{ return(adapter.dispatch('test_values_in_range', 'kol_attr')(model, column_name, min_value, max_value)) }}
{% endtest %}

{% macro default__test_values_in_range(model, column_name, min_value, max_value) %}
select {{ column_name }}
from {{ model }}
where
    {{ column_name }} is null
    {%- if min_value is not none %}
    or {{ column_name }} < {{ min_value }}
    {%- endif %}
    {%- if max_value is not none %}
    or {{ column_name }} > {{ max_value }}
    {%- endif %}
{% endmacro %}
