{#-
    Incremental (issue 7): a run recomputes the touches since incremental_cutoff(), the built
    touches of persons a new identity link merged away (vanished_person_ids), the built
    unknown-note touches whose note has since arrived and the already built touches of KOLs that had no
    tier yet and have one now. A change of the tier bands or of the identity rounds stops an
    incremental run (assert_config_fingerprint): rebuild with --full-refresh.
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='touchpoint_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
    post_hook="{{ kol_attr.record_config_fingerprint(['kol_attr__identity_rounds'], ['kol_tier_bands']) }}",
) }}
{{- kol_attr.assert_config_fingerprint(['kol_attr__identity_rounds'], ['kol_tier_bands']) }}
{%- set cutoff = kol_attr.incremental_cutoff('touched_at') %}

with

tiers as (select * from {{ ref('int_kol_tier_history') }}),

persons as (select * from {{ ref('int_persons_resolved') }}),

notes as (
    select * from {{ ref('stg_pgy__notes') }}
    where rejection_reason is null
),
{%- if is_incremental() %}

    rebuilt_touch_ids as (
        {{ kol_attr.rebuilt_touch_ids(tiers='tiers') }}
    ),
{%- endif %}

touches as (
    {#- int_touchpoints_unioned is read by ref inside the macro, not through an import CTE: DuckDB
        materialises a CTE that is read twice (since the cut-off, and the rebuilt ids) in full #}
    {{ kol_attr.rebuilt_touches([ref('int_touchpoints_unioned')], cutoff, where='person_id is not null') }}
),

final as (
    select
        ---------- ids
        cast(touches.touchpoint_id as {{ dbt.type_string() }}) as touchpoint_id,
        cast(touches.person_id as {{ dbt.type_string() }}) as person_id,
        cast(touches.kol_id as {{ dbt.type_string() }}) as kol_id,
        cast(touches.note_id as {{ dbt.type_string() }}) as note_id,
        cast(touches.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(touches.asset_id as {{ dbt.type_string() }}) as asset_id,
        cast(touches.source_ref as {{ dbt.type_string() }}) as source_ref,
        cast(touches.conversion_id as {{ dbt.type_string() }}) as conversion_id,
        ---------- strings
        cast(touches.touch_signal as {{ dbt.type_string() }}) as touch_signal,
        cast(touches.interaction_type as {{ dbt.type_string() }}) as interaction_type,
        cast(touches.match_status as {{ dbt.type_string() }}) as match_status,
        cast(tiers.kol_tier as {{ dbt.type_string() }}) as kol_tier,
        ---------- booleans
        cast(touches.is_kol_matched as boolean) as is_kol_matched,
        cast(coalesce(tiers.is_celebrity, false) as boolean) as is_celebrity_kol,
        ---------- timestamps
        cast(touches.touched_at as {{ dbt.type_timestamp() }}) as touched_at
    from touches
    left join tiers
        on
            touches.kol_id = tiers.kol_id
            and {{ kol_attr.shanghai_date('touches.touched_at') }} >= tiers.valid_from
            and (tiers.valid_to is null or {{ kol_attr.shanghai_date('touches.touched_at') }} < tiers.valid_to)
)

select * from final
