{#-
    Touches that carry a code from the brand's tracking sheet:
      * web / mini-program sessions: the QR scene value of a mini-program QR
        entry (asset type qr_code), utm_content (ad link ids, asset type
        ad_link) and utm_source (asset type utm);
      * orders: the promo code / passphrase typed at checkout (asset types
        promo_code, passphrase) and the WeChat Pay `attach` value (any type).
        An order-borne touch is stamped one second before its order, so it sits
        on that order's path and on the paths of the person's later orders.
    One touch per session or order code. A code matches an asset with the same
    normalised text and an allowed type whose validity (Asia/Shanghai dates,
    valid_to null = open-ended) covers the touch date. When several assets
    match, a valid one wins, then the stronger code (QR scene, then ad link,
    then utm_source), then a note-level asset over a KOL-level one, then the
    smallest asset_id. Evidence that matches no asset stays a touch with kol_id
    null and a match_status saying why.
    Incremental: a run recomputes the sessions and orders since
    incremental_cutoff(). The tracking sheet carries no time: an edit of it that
    re-matches touches older than the look-back needs a --full-refresh.
-#}
{{ config(
    materialized=kol_attr.incremental_materialization(),
    unique_key='touchpoint_id',
    incremental_strategy=kol_attr.incremental_strategy(),
    on_schema_change='fail',
) }}
{%- set cutoff = kol_attr.incremental_cutoff('touched_at') %}

with

sessions as (
    select * from {{ ref('stg_web__sessions') }}
    where rejection_reason is null and {{ kol_attr.since_cutoff('started_at', cutoff) }}
),

orders as (
    select * from {{ ref('int_orders_unioned') }}
    where rejection_reason is null and {{ kol_attr.since_cutoff('ordered_at', cutoff) }}
),

assets as (select * from {{ ref('stg_brand__tracking_assets') }}),

session_evidence as (
    select
        'ws:' || session_id as evidence_id,
        coalesce('d2c_customer_id:' || d2c_customer_id, 'wx_openid:' || wx_openid, 'anonymous_id:' || anonymous_id)
            as identity_key,
        session_id as source_ref,
        cast(null as {{ dbt.type_string() }}) as conversion_id,
        case when is_qr_scan then 'qr' else 'utm' end as match_family,
        started_at as touched_at
    from sessions
    where is_qr_scan or utm_source is not null or utm_content is not null
),

order_code_evidence as (
    select
        'oc:' || conversion_id as evidence_id,
        buyer_identity_key as identity_key,
        order_ref as source_ref,
        conversion_id,
        'code' as match_family,
        {{ dbt.dateadd('second', -1, 'ordered_at') }} as touched_at
    from orders
    where promo_code is not null
),

attach_evidence as (
    select
        'oa:' || conversion_id as evidence_id,
        buyer_identity_key as identity_key,
        order_ref as source_ref,
        conversion_id,
        'attach' as match_family,
        {{ dbt.dateadd('second', -1, 'ordered_at') }} as touched_at
    from orders
    where attach_code is not null
),

evidence as (
    select * from session_evidence
    union all
    select * from order_code_evidence
    union all
    select * from attach_evidence
),

{# the codes each piece of evidence carries, in order of preference (code_rank), and the asset types each may match #}
evidence_codes as (
    select
        'ws:' || session_id as evidence_id,
        scene_param as code,
        1 as code_rank,
        'qr_code' as asset_type
    from sessions
    where is_qr_scan
    union all
    select
        'ws:' || session_id as evidence_id,
        utm_content as code,
        2 as code_rank,
        'ad_link' as asset_type
    from sessions
    where utm_content is not null
    union all
    select
        'ws:' || session_id as evidence_id,
        utm_source as code,
        3 as code_rank,
        'utm' as asset_type
    from sessions
    where utm_source is not null
    union all
    select
        'oc:' || conversion_id as evidence_id,
        promo_code as code,
        1 as code_rank,
        'promo_code' as asset_type
    from orders
    where promo_code is not null
    union all
    select
        'oc:' || conversion_id as evidence_id,
        promo_code as code,
        1 as code_rank,
        'passphrase' as asset_type
    from orders
    where promo_code is not null
    union all
    select
        'oa:' || conversion_id as evidence_id,
        attach_code as code,
        1 as code_rank,
        '*' as asset_type
    from orders
    where attach_code is not null
),

candidates as (
    select
        evidence.evidence_id,
        evidence_codes.code_rank,
        assets.asset_id,
        assets.asset_type,
        assets.kol_id,
        assets.note_id,
        assets.campaign_id,
        {{ kol_attr.shanghai_date('evidence.touched_at') }} between assets.valid_from
        and coalesce(assets.valid_to, cast('9999-12-31' as date)) as is_valid_then
    from evidence
    inner join evidence_codes on evidence.evidence_id = evidence_codes.evidence_id
    inner join assets
        on
            evidence_codes.code = assets.asset_code
            and evidence_codes.asset_type in (assets.asset_type, '*')
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.evidence_id
            order by
                case when candidates.is_valid_then then 0 else 1 end,
                candidates.code_rank,
                case when candidates.note_id is null then 1 else 0 end,
                candidates.asset_id
        ) as preference,
        max(case when candidates.is_valid_then then 1 else 0 end) over (
            partition by candidates.evidence_id
        ) as has_valid_match
    from candidates
),

best_match as (
    select * from ranked
    where preference = 1
),

classified as (
    select
        ---------- ids
        evidence.evidence_id as touchpoint_id,
        evidence.identity_key,
        case when best_match.has_valid_match = 1 then best_match.kol_id end as kol_id,
        case when best_match.has_valid_match = 1 then best_match.note_id end as note_id,
        case when best_match.has_valid_match = 1 then best_match.campaign_id end as campaign_id,
        evidence.source_ref,
        evidence.conversion_id,
        case when best_match.has_valid_match = 1 then best_match.asset_id end as asset_id,
        ---------- strings
        case
            when evidence.match_family = 'attach' then 'wechat_attach'
            when best_match.asset_type = 'qr_code' then 'qr_scan'
            when best_match.asset_type = 'ad_link' then 'ad_link'
            when best_match.asset_type = 'utm' then 'utm_session'
            when best_match.asset_type = 'passphrase' then 'passphrase'
            when evidence.match_family = 'qr' then 'qr_scan'
            when evidence.match_family = 'utm' then 'utm_session'
            else 'promo_code'
        end as touch_signal,
        case
            when best_match.evidence_id is null then 'code_not_in_tracking_sheet'
            when best_match.has_valid_match = 0 then 'code_outside_validity'
            else 'matched'
        end as match_status,
        ---------- timestamps
        evidence.touched_at
    from evidence
    left join best_match on evidence.evidence_id = best_match.evidence_id
),

final as (
    select
        touchpoint_id,
        identity_key,
        kol_id,
        note_id,
        campaign_id,
        source_ref,
        conversion_id,
        asset_id,
        touch_signal,
        touch_signal as interaction_type,
        match_status,
        touched_at
    from classified
)

select * from final
