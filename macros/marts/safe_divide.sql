{#-
    safe_divide(numerator, denominator): numerator / denominator as double, null when the
    denominator is 0 or null (never a division error, never an infinite ratio).
-#}
{% macro safe_divide(numerator, denominator) -%}
    {{- return(adapter.dispatch('safe_divide', 'kol_attr')(numerator, denominator)) -}}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#-
    performance_ratios(): the money and engagement ratios shared by fct_kol_performance and
    fct_kol_tier_performance, so both marts define ROAS, CPA, CPE, CPM, save rate, like rate and
    search-read share once. Expects the columns attributed_revenue_cny, cost_cny,
    attributed_conversions, engagements, impressions, saves, likes, search_reads and reads.
    Emits select-list items, each followed by a comma.
-#}
{% macro performance_ratios() -%}
    {{ kol_attr.safe_divide('attributed_revenue_cny', 'cost_cny') }} as roas,
    {{ kol_attr.safe_divide('cost_cny', 'attributed_conversions') }} as cpa_cny,
    {{ kol_attr.safe_divide('cost_cny', 'engagements') }} as cpe_cny,
    {{ kol_attr.safe_divide('cost_cny * 1000', 'impressions') }} as cpm_cny,
    {{ kol_attr.safe_divide('saves', 'reads') }} as save_rate,
    {{ kol_attr.safe_divide('likes', 'reads') }} as like_rate,
    {{ kol_attr.safe_divide('search_reads', 'reads') }} as search_read_share,
{%- endmacro %}
