with

source as (select * from {{ kol_attr.raw_source('identity_links') }}),

deduplicated as (
    select distinct * from source
),

final as (
    select
        link_id,
        lower(trim(left_id_type)) as left_id_type,
        left_id_value,
        lower(trim(right_id_type)) as right_id_type,
        right_id_value,
        lower(trim(link_source)) as link_source,
        cast(linked_at as {{ dbt.type_timestamp() }}) as linked_at,
        case
            when link_id is null or left_id_value is null or right_id_value is null then 'null_key'
            when lower(trim(left_id_type)) not in ({{ kol_attr.identity_types_sql() }})
                or lower(trim(right_id_type)) not in ({{ kol_attr.identity_types_sql() }})
                then 'unknown_id_type'
        end as rejection_reason
    from deduplicated
)

select * from final
