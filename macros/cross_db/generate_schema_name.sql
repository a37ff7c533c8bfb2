{#-
    Custom schemas are used verbatim (seeds/demo lands in `raw`, not `main_raw`),
    so a brand's own loader and the demo seeds meet the sources at the same place.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
