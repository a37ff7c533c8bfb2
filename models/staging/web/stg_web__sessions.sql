with

source as (select * from {{ kol_attr.raw_source('web_sessions') }}),

deduplicated as (
    select distinct * from source
),

parsed as (
    select
        session_id,
        anonymous_id,
        customer_id as d2c_customer_id,
        wx_openid,
        landing_url,
        wx_scene,
        started_at as raw_time,
        {{ kol_attr.normalise_code('scene_param') }} as scene_param,
        {{ kol_attr.iso_to_utc('started_at') }} as started_at,
        {{ kol_attr.normalise_code(kol_attr.url_param('landing_url', 'utm_source')) }} as utm_source,
        lower({{ kol_attr.url_param('landing_url', 'utm_medium') }}) as utm_medium,
        {{ kol_attr.url_param('landing_url', 'utm_campaign') }} as utm_campaign,
        {{ kol_attr.normalise_code(kol_attr.url_param('landing_url', 'utm_content')) }} as utm_content
    from deduplicated
),

ranked as (
    select
        parsed.*,
        row_number() over (
            partition by parsed.session_id
            order by
                parsed.d2c_customer_id nulls last,
                parsed.wx_openid nulls last,
                parsed.started_at,
                parsed.landing_url,
                parsed.anonymous_id
        ) as key_occurrence
    from parsed
),

final as (
    select
        session_id,
        anonymous_id,
        d2c_customer_id,
        wx_openid,
        started_at,
        landing_url,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        wx_scene,
        scene_param,
        coalesce(wx_scene in (1011, 1012, 1047) and scene_param is not null, false) as is_qr_scan,
        case
            when session_id is null then 'null_key'
            when key_occurrence > 1 then 'conflicting_duplicate'
            when anonymous_id is null and d2c_customer_id is null and wx_openid is null then 'no_identity'
            when {{ kol_attr.url_is_malformed('landing_url') }} then 'malformed_url'
            else {{ kol_attr.time_rejection('started_at', 'raw_time') }}
        end as rejection_reason
    from ranked
)

select * from final
