{#-
    Daily incremental builds (issue 7). The models keyed on event / conversion time
    (fct_touchpoints, fct_conversions and the int_touchpoints_* tables under them) are dbt
    `incremental` models with `unique_key` and the standard `is_incremental()` switch (delete+insert
    on DuckDB; any strategy that replaces rows by key elsewhere). An incremental run recomputes:
      * every row whose time is on or after incremental_cutoff(): the latest time already built
        minus var kol_attr__lookback_days (late orders, refunds and touches inside the look-back);
      * rows the new data changed although they are older: see each model (persons merged by a new
        identity link, vanished_person_ids(); notes and KOL tiers that arrived late).
    A change of the configuration a model depends on is caught by the config fingerprint
    (config_fingerprint / assert_config_fingerprint / record_config_fingerprint): the incremental run
    stops with an error that asks for --full-refresh instead of mixing old and new rows.
-#}

{#- incremental_cutoff(column, lookback_days=none): during an incremental run, the SQL timestamp
    literal max(column) over the model's existing rows minus lookback_days (default var
    kol_attr__lookback_days) days; none on a full build, in unit tests, or when the table is empty.
    Computed once by a query at run time, so the filter is a constant every engine can push down. -#}
{% macro incremental_cutoff(column, lookback_days=none) -%}
    {%- set days = var('kol_attr__lookback_days') if lookback_days is none else lookback_days -%}
    {%- if days is not number or days < 0 or days != days | int -%}
        {{ exceptions.raise_compiler_error("kol_attr__lookback_days = " ~ days ~ " is not allowed: a whole "
            ~ "number of days >= 0 (the look-back for late-arriving orders, refunds and touches).") }}
    {%- endif -%}
    {%- if not execute or not is_incremental() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set query -%}
        select {{ dbt.dateadd('day', -1 * (days | int), 'max(' ~ column ~ ')') }} as cutoff from {{ this }}
    {%- endset -%}
    {%- set cutoff = run_query(query).columns[0].values()[0] -%}
    {%- if cutoff is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return("cast('" ~ cutoff.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")") -}}
{%- endmacro %}


{#- since_cutoff(column, cutoff): SQL predicate "column is on or after the cut-off" (true when the
    cut-off is none, i.e. on a full build). -#}
{% macro since_cutoff(column, cutoff) -%}
    {%- if cutoff is none -%}
        true
    {%- else -%}
        {{ column }} >= {{ cutoff }}
    {%- endif -%}
{%- endmacro %}


{#- vanished_person_ids(relation, persons, person_col='person_id'): SQL subquery of the person ids
    stored in `relation` (an incremental model's existing rows) that the current identity resolution
    `persons` (ref int_persons_resolved) no longer has. Identity links only accumulate, so a new link
    can only merge persons; the merged person keeps the id of its smallest identity, and every other
    id it absorbed disappears. The rows stored under a vanished id are exactly those whose person
    changed. -#}
{% macro vanished_person_ids(relation, persons, person_col='person_id') -%}
    (
        select distinct previous_rows.{{ person_col }}
        from {{ relation }} as previous_rows
        where
            previous_rows.{{ person_col }} is not null
            and not exists (
                select 1 from {{ persons }} as current_persons
                where current_persons.person_id = previous_rows.{{ person_col }}
            )
    )
{%- endmacro %}


{#- Rows an incremental touch model (int_touchpoints_unioned, fct_touchpoints) recomputes: the touches
    since the cut-off and, during an incremental run, the older touches already built that the new data
    changed:
      * their person was merged away by a new identity link (a stored person_id no longer in `persons`);
      * they had no KOL (kol_id null) and their note is now known (note_id in `notes`);
      * with `tiers`: they have a KOL but no tier yet, and that KOL now has a tier history.

    rebuilt_touch_ids(persons='persons', notes='notes', tiers=none): body of a CTE with the touchpoint_id
    of those older touches (one scan of {{ this }}); nothing on a full build.
    rebuilt_touches(relations, cutoff, ids='rebuilt_touch_ids', where='true'): the rows of each input
    relation (a ref, not a CTE: a CTE read twice is materialised whole by DuckDB) since the cut-off, plus
    its rows whose touchpoint_id is in the CTE `ids`, unioned. Each branch has plain filters (a time
    range, a semi-join on a small id set) that the engine pushes into the table scan. -#}
{% macro rebuilt_touch_ids(persons='persons', notes='notes', tiers=none) -%}
    {#- a union of one select per reason rather than one OR: measured on the large daily state, the OR
        form took fct_touchpoints' query 23.8 s, this one 14.7 s (same rows, back to back) -#}
    select built.touchpoint_id from {{ this }} as built
    where
        built.person_id is not null
        and not exists (
            select 1 from {{ persons }} as current_persons
            where current_persons.person_id = built.person_id
        )
    union
    select built.touchpoint_id from {{ this }} as built
    where built.kol_id is null and built.note_id in (select known_notes.note_id from {{ notes }} as known_notes)
    {%- if tiers is not none %}
        union
        select built.touchpoint_id from {{ this }} as built
        where
            built.kol_id is not null
            and built.kol_tier is null
            and built.kol_id in (select tiered.kol_id from {{ tiers }} as tiered)
    {%- endif %}
{%- endmacro %}

{% macro rebuilt_touches(relations, cutoff, ids='rebuilt_touch_ids', where='true') -%}
    {%- for relation in relations %}
        select * from {{ relation }}
        where ({{ where }}) and {{ kol_attr.since_cutoff('touched_at', cutoff) }}
        {%- if is_incremental() %}
            union all
            select * from {{ relation }}
            where
                ({{ where }})
                and not coalesce({{ kol_attr.since_cutoff('touched_at', cutoff) }}, false)
                and touchpoint_id in (select {{ ids }}.touchpoint_id from {{ ids }})
        {%- endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}


{#- attribution_config_parts(): the vars and seeds that decide attribution credit (the default
    input of config_fingerprint). -#}
{% macro attribution_config_parts() -%}
    {{- return({
        'vars': ['kol_attr__windows_days', 'kol_attr__schemes', 'kol_attr__reset_path_on_conversion',
                 'kol_attr__dedup_minutes', 'kol_attr__max_path_length', 'kol_attr__touch_signals'],
        'seeds': ['attribution_schemes', 'interaction_weights'],
    }) -}}
{%- endmacro %}


{#- config_fingerprint(var_names=none, seed_names=none): md5 of the values of the named vars and the
    content checksums (sha256 of the file, from the manifest) of the named seeds; defaults:
    attribution_config_parts(). Same configuration, same fingerprint, on every engine. -#}
{% macro config_fingerprint(var_names=none, seed_names=none) -%}
    {%- set parts = kol_attr.attribution_config_parts() -%}
    {%- set var_names = parts['vars'] if var_names is none else var_names -%}
    {%- set seed_names = parts['seeds'] if seed_names is none else seed_names -%}
    {%- set config = {'vars': {}, 'seeds': {}} -%}
    {%- for name in var_names | sort -%}
        {%- do config['vars'].update({name: var(name, none)}) -%}
    {%- endfor -%}
    {%- for name in seed_names | sort -%}
        {%- set matches = graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed')
            | selectattr('package_name', 'equalto', 'kol_attr') | selectattr('name', 'equalto', name) | list -%}
        {%- if matches | length != 1 -%}
            {{ exceptions.raise_compiler_error("config_fingerprint: seed '" ~ name ~ "' not found in project "
                ~ "kol_attr (seeds named: " ~ (graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed')
                | map(attribute='name') | sort | join(', ')) ~ ").") }}
        {%- endif -%}
        {%- do config['seeds'].update({name: matches[0]['checksum']['checksum']}) -%}
    {%- endfor -%}
    {{- return(local_md5(tojson(config, sort_keys=true))) -}}
{%- endmacro %}


{#- config_fingerprint_relation(): where the fingerprint of the model being built is stored: table
    <model>__config_fingerprint beside it (one row, one column config_fingerprint). -#}
{% macro config_fingerprint_relation() -%}
    {{- return(api.Relation.create(database=this.database, schema=this.schema,
        identifier=this.identifier ~ '__config_fingerprint', type='table')) -}}
{%- endmacro %}


{#- assert_config_fingerprint(var_names=none, seed_names=none): call it in the body of an incremental
    model. During an incremental run it compares config_fingerprint(...) with the fingerprint stored
    when the model was last built (record_config_fingerprint) and stops the run with a compiler
    error when they differ or none is stored: appending rows built under a new configuration to rows
    built under the old one would silently mix two kinds of credit. Renders nothing. -#}
{% macro assert_config_fingerprint(var_names=none, seed_names=none) -%}
    {%- if execute and is_incremental() -%}
        {%- set current = kol_attr.config_fingerprint(var_names, seed_names) -%}
        {%- set stored_relation = adapter.get_relation(database=this.database, schema=this.schema,
            identifier=this.identifier ~ '__config_fingerprint') -%}
        {%- set stored = none -%}
        {%- if stored_relation is not none -%}
            {%- set rows = run_query('select config_fingerprint from ' ~ stored_relation).columns[0].values() -%}
            {%- set stored = rows[0] if rows | length == 1 else none -%}
        {%- endif -%}
        {%- if stored != current -%}
            {{ exceptions.raise_compiler_error((("Configuration changed since " ~ this ~ " was last built (config "
                ~ "fingerprint " ~ stored ~ " stored") if stored is not none else (this ~ " exists but has no "
                ~ "config fingerprint stored (built before fingerprints, or the table " ~ this.identifier
                ~ "__config_fingerprint was dropped)")) ~ ", " ~ current ~ " now; it covers vars "
                ~ (var_names if var_names is not none else kol_attr.attribution_config_parts()['vars']) | join(', ')
                ~ " and seeds " ~ (seed_names if seed_names is not none else kol_attr.attribution_config_parts()['seeds'])
                | join(', ') ~ "). An incremental run would mix rows built under the old and the new "
                ~ "configuration. Rebuild it and what depends on it: dbt build --full-refresh --select "
                ~ this.identifier ~ "+") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- record_config_fingerprint(var_names=none, seed_names=none): post-hook of the same model: stores
    config_fingerprint(...) in config_fingerprint_relation() (replaced on every run). Renders a
    no-op statement. -#}
{% macro record_config_fingerprint(var_names=none, seed_names=none) -%}
    {%- if execute -%}
        {%- set relation = kol_attr.config_fingerprint_relation() -%}
        {%- do adapter.drop_relation(relation) -%}
        {%- set fingerprint = kol_attr.config_fingerprint(var_names, seed_names) -%}
        {#- plain CTAS: get_create_table_as_sql would apply the calling model's contract to this table -#}
        {%- do run_query("create table " ~ relation ~ " as select cast('" ~ fingerprint ~ "' as "
            ~ dbt.type_string() ~ ") as config_fingerprint") -%}
    {%- endif -%}
    select 1 as config_fingerprint_recorded
{%- endmacro %}


{#- incremental_materialization(): 'incremental' (default). On Spark 'table' for now: dbt-spark
    refuses merge on Parquet (the session target's format; Delta jars are not available there) and
    its Parquet strategies (append, insert_overwrite) cannot replace rows by key, so the models are
    rebuilt in full there. With Delta: return 'incremental' and set file_format delta. -#}
{% macro incremental_materialization() -%}
    {{- return(adapter.dispatch('incremental_materialization', 'kol_attr')()) -}}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{- return('incremental') -}}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{- return('table') -}}
{%- endmacro %}


{#- incremental_strategy(): the strategy of the project's incremental models, one that replaces the
    rows of every unique_key it receives: delete+insert (DuckDB, Postgres, Snowflake, ...); merge on
    Spark (needs a table format with MERGE, e.g. file_format delta). -#}
{% macro incremental_strategy() -%}
    {{- return(adapter.dispatch('incremental_strategy', 'kol_attr')()) -}}
{%- endmacro %}

{% macro default__incremental_strategy() -%}
    {{- return('delete+insert') -}}
{%- endmacro %}

{% macro spark__incremental_strategy() -%}
    {{- return('merge') -}}
{%- endmacro %}


{#- delete_rows_not_in(key, relation, where='true'): post-hook of an incremental model whose rows can
    disappear (a conversion no longer attributable after a refund): deletes the rows whose `key` is not
    a `key` of `relation` where `where` holds. delete+insert only replaces the keys a run emits, so a
    key that emits no row any more would otherwise keep its old rows. A no-op statement when the model
    is not materialised incrementally (Spark, kol_attr.incremental_materialization). -#}
{% macro delete_rows_not_in(key, relation, where='true') -%}
    {%- if execute and model.config.materialized == 'incremental' -%}
        delete from {{ this }}
        where not exists (
            select 1 from {{ relation }} as kept
            where kept.{{ key }} = {{ this }}.{{ key }} and ({{ where }})
        )
    {%- else -%}
        select 1 as rows_not_deleted
    {%- endif -%}
{%- endmacro %}

