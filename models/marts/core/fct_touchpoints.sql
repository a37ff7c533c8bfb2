with

touches as (
    select * from {{ ref('int_touchpoints_unioned') }}
    where person_id is not null
),

tiers as (select * from {{ ref('int_kol_tier_history') }}),

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
