{#-
    attributed_revenue_is_conserved(model, conversions, group_by, revenue_column, conversion_revenue_column,
    conversions_where, tolerance_cny): for every group of `model` (e.g. attribution_model x window_days),
    the attributed revenue (attributed + unattributed rows) equals the net revenue of the conversions in
    scope, and the group covers every one of those conversions. Fails on every group that differs by
    more than `tolerance_cny` (CNY) or misses / adds a conversion.
-#}
{% test attributed_revenue_is_conserved(
    model,
    conversions,
    group_by=['attribution_model', 'window_days'],
    revenue_column='attributed_revenue_cny',
    conversion_revenue_column='revenue_cny',
    conversions_where='is_attributable',
    tolerance_cny=0.01
) %}
    {{ return(adapter.dispatch('test_attributed_revenue_is_conserved', 'kol_attr')(
        model, conversions, group_by, revenue_column, conversion_revenue_column, conversions_where, tolerance_cny)) }}
{% endtest %}

{% macro default__test_attributed_revenue_is_conserved(
    model, conversions, group_by, revenue_column, conversion_revenue_column, conversions_where, tolerance_cny
) %}
with

in_scope as (
    select
        count(*) as conversions_in_scope,
        coalesce(sum(cast({{ conversion_revenue_column }} as {{ kol_attr.type_double() }})), 0) as revenue_in_scope
    from {{ conversions }}
    where {{ conversions_where }}
),

attributed as (
    select
        {{ group_by | join(', ') }},
        count(distinct conversion_id) as conversions_attributed,
        coalesce(sum({{ revenue_column }}), 0) as revenue_attributed
    from {{ model }}
    group by {{ group_by | join(', ') }}
)

select
    attributed.*,
    in_scope.conversions_in_scope,
    in_scope.revenue_in_scope
from attributed
cross join in_scope
where
    attributed.conversions_attributed <> in_scope.conversions_in_scope
    or abs(attributed.revenue_attributed - in_scope.revenue_in_scope) > {{ tolerance_cny }}
{% endmacro %}
