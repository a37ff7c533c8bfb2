{#- Snapshots on Spark without Delta. dbt-spark's snapshot materialisation refuses any
    file format but delta / iceberg / hudi, because it applies changes with MERGE INTO.
    Delta jars cannot be fetched here, so for a Parquet (or any non-transactional)
    snapshot this materialisation rewrites the whole snapshot table instead:

      1. dbt's own staging rows (snapshot_staging_table: 'insert' rows for new versions,
         'update' / 'delete' rows that close a current version) go into a view, as in
         dbt-spark;
      2. a helper table <snapshot>__dbt_rewrite gets every existing row, with dbt_valid_to
         set from the matching 'update' / 'delete' row where the row is current (the
         MERGE's `when matched` branch), plus the 'insert' rows (`when not matched`);
      3. `insert overwrite` copies the helper table over the snapshot, which is then dropped.

    Spark cannot overwrite a table it reads in the same statement, hence the helper.
    Cost: the whole snapshot is rewritten each run (fine for a campaign plan; a big
    history table wants Delta). With file_format delta / iceberg / hudi, dbt-spark's own
    materialisation runs unchanged (Databricks). -#}
{% materialization snapshot, adapter='spark' %}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- if file_format in ['delta', 'iceberg', 'hudi'] -%}
    {{ return(dbt.materialization_snapshot_spark()) }}
  {%- endif -%}

  {%- set target_table = model.get('alias', model.get('name')) -%}
  {%- set strategy_name = config.get('strategy') -%}
  {%- set grant_config = config.get('grants') -%}

  {% set target_relation_exists, target_relation = get_or_create_relation(
          database=none,
          schema=model.schema,
          identifier=target_table,
          type='table') -%}

  {% if not adapter.check_schema_exists(model.database, model.schema) %}
    {% do create_schema(model.schema) %}
  {% endif %}

  {%- if not target_relation.is_table -%}
    {% do exceptions.relation_wrong_type(target_relation, 'table') %}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% set strategy_macro = strategy_dispatch(strategy_name) %}
  {% set strategy = strategy_macro(model, "snapshotted_data", "source_data", model['config'], target_relation_exists) %}

  {% if not target_relation_exists %}

      {% set build_sql = build_snapshot_table(strategy, model['compiled_code']) %}
      {% set final_sql = create_table_as(False, target_relation, build_sql) %}

  {% else %}

      {% set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() %}
      {{ adapter.valid_snapshot_target(target_relation, columns) }}

      {% set staging_table = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}

      {% set missing_columns = adapter.get_missing_columns(staging_table, target_relation)
                                   | rejectattr('name', 'in', ['dbt_change_type', 'DBT_CHANGE_TYPE', 'dbt_unique_key', 'DBT_UNIQUE_KEY'])
                                   | list %}
      {% do create_columns(target_relation, missing_columns) %}

      {% set final_sql = kol_attr.spark_snapshot_rewrite(target_relation, staging_table, columns) %}

  {% endif %}

  {% call statement('main') %}
      {{ final_sql }}
  {% endcall %}

  {% if staging_table is defined %}
      {% do adapter.drop_relation(api.Relation.create(
            identifier=target_relation.identifier ~ '__dbt_rewrite',
            schema=target_relation.schema, database=none, type='table')) %}
  {% endif %}

  {% set should_revoke = should_revoke(target_relation_exists, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke) %}
  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}

  {% if staging_table is defined %}
      {% do post_snapshot(staging_table) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- Steps 2 and 3 above: builds <snapshot>__dbt_rewrite (runs it) and returns the
    `insert overwrite` statement the materialisation runs as its main statement. Same
    semantics as dbt-spark's spark__snapshot_merge_sql. -#}
{% macro spark_snapshot_rewrite(target, staging, columns) %}
    {%- set rewrite = api.Relation.create(
            identifier=target.identifier ~ '__dbt_rewrite',
            schema=target.schema, database=none, type='table') -%}
    {%- set target_cols = adapter.get_columns_in_relation(target) | map(attribute='name') | list -%}
    {%- set valid_to = columns.dbt_valid_to -%}
    {%- set scd_id = columns.dbt_scd_id -%}
    {%- set current_to = config.get('dbt_valid_to_current') -%}
    {%- set is_current -%}
        {%- if current_to -%}
        (dest.{{ valid_to }} = {{ current_to }} or dest.{{ valid_to }} is null)
        {%- else -%}
        dest.{{ valid_to }} is null
        {%- endif -%}
    {%- endset -%}
    {% set build_sql %}
        select
        {%- for col in target_cols %}
            {% if col | lower == valid_to | lower -%}
            case when closing.{{ scd_id }} is not null and {{ is_current }}
                then closing.{{ valid_to }} else dest.{{ valid_to }} end as {{ adapter.quote(col) }}
            {%- else -%}
            dest.{{ adapter.quote(col) }}
            {%- endif -%}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ target }} as dest
        left join (
            select {{ scd_id }}, max({{ valid_to }}) as {{ valid_to }}
            from {{ staging }}
            where dbt_change_type in ('update', 'delete')
            group by {{ scd_id }}
        ) as closing
            on dest.{{ scd_id }} = closing.{{ scd_id }}
        union all
        select
        {%- for col in target_cols %}
            new_rows.{{ adapter.quote(col) }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ staging }} as new_rows
        where new_rows.dbt_change_type = 'insert'
            and not exists (
                select 1 from {{ target }} as existing
                where existing.{{ scd_id }} = new_rows.{{ scd_id }}
            )
    {% endset %}
    {% do adapter.drop_relation(rewrite) %}
    {% call statement('spark_snapshot_rewrite_build') %}
        {{ create_table_as(False, rewrite, build_sql) }}
    {% endcall %}
    {{ return('insert overwrite table ' ~ target ~ ' select * from ' ~ rewrite) }}
{% endmacro %}
