{#-
    Tier-appropriate yardsticks: mega-KOLs are judged on awareness, KOCs on conversion, never one
    yardstick for all. A business hook: override `default__tier_funnel_stage` /
    `default__tier_primary_yardstick` in your project (dispatch config) to change the mapping.

    tier_group(kol_tier, is_celebrity): 'celebrity' when the 明星 flag is set, else the follower tier.

    tier_funnel_stage(tier_group): awareness (celebrity, top), consideration (mid), conversion
    (junior, koc, ordinary and any other or unknown tier).

    tier_primary_yardstick(funnel_stage): the metric a tier is judged on:
      awareness     -> cpm  (CNY per 1,000 impressions, lower is better)
      consideration -> cpe  (CNY per engagement, lower is better)
      conversion    -> roas (attributed revenue / cost, higher is better)
-#}
{% macro tier_group(kol_tier, is_celebrity) -%}
    {{- return(adapter.dispatch('tier_group', 'kol_attr')(kol_tier, is_celebrity)) -}}
{%- endmacro %}

{% macro default__tier_group(kol_tier, is_celebrity) -%}
    case when coalesce({{ is_celebrity }}, false) then 'celebrity' else coalesce({{ kol_tier }}, 'unknown') end
{%- endmacro %}

{% macro tier_funnel_stage(tier_group) -%}
    {{- return(adapter.dispatch('tier_funnel_stage', 'kol_attr')(tier_group)) -}}
{%- endmacro %}

{% macro default__tier_funnel_stage(tier_group) -%}
    case
        when {{ tier_group }} in ('celebrity', 'top') then 'awareness'
        when {{ tier_group }} = 'mid' then 'consideration'
        else 'conversion'
    end
{%- endmacro %}

{% macro tier_primary_yardstick(funnel_stage) -%}
    {{- return(adapter.dispatch('tier_primary_yardstick', 'kol_attr')(funnel_stage)) -}}
{%- endmacro %}

{% macro default__tier_primary_yardstick(funnel_stage) -%}
    case {{ funnel_stage }}
        when 'awareness' then 'cpm'
        when 'consideration' then 'cpe'
        else 'roas'
    end
{%- endmacro %}
