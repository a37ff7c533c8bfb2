{#-
    unique_ignoring_exact_duplicates(model, column_name): the contract lets overlapping exports
    repeat a row identically ("count once"), so a raw key may appear twice; it must never map to
    two DIFFERENT rows. Fails on each key value that has more than one distinct row.
-#}
{% test unique_ignoring_exact_duplicates(model, column_name) %}
    {{ return(adapter.dispatch('test_unique_ignoring_exact_duplicates', 'kol_attr')(model, column_name)) }}
{% endtest %}

{% macro default__test_unique_ignoring_exact_duplicates(model, column_name) %}
with

distinct_rows as (
    select distinct * from {{ model }}
),

final as (
    select
        {{ column_name }} as key_value,
        count(*) as distinct_rows_with_key
    from distinct_rows
    where {{ column_name }} is not null
    group by {{ column_name }}
    having count(*) > 1
)

select * from final
{% endmacro %}
