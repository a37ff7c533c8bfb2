{#-
    Hard evidence vs modeled credit per KOL and campaign: where does the campaign's frozen model credit a
    KOL well beyond what promo codes, passphrases, QR, UTM, note cards and WeChat attach prove (ratio > 1:
    the model sees influence without a code; common for awareness KOLs), and where below it (ratio < 1:
    codes used by buyers the model gives mostly to other KOLs, e.g. code-sharing deal sites)?
-#}
with

direct as (select * from {{ ref('fct_direct_signal_attribution') }}),

kol_performance as (
    select * from {{ ref('fct_kol_performance') }}
    where is_frozen_model_and_window
),

final as (
    select
        direct.campaign_id,
        direct.kol_id,
        direct.kol_handle,
        kol_performance.tier_group,
        kol_performance.funnel_stage,
        direct.frozen_attribution_model,
        direct.frozen_window_days,
        direct.direct_conversions,
        direct.order_borne_conversions,
        direct.shared_direct_conversions,
        direct.promo_code_conversions,
        direct.passphrase_conversions,
        direct.qr_scan_conversions,
        direct.utm_session_conversions,
        direct.note_card_conversions,
        direct.wechat_attach_conversions,
        direct.frozen_model_conversions,
        direct.frozen_model_to_direct_ratio,
        direct.direct_revenue_cny,
        direct.frozen_model_revenue_cny,
        direct.frozen_model_revenue_cny - direct.direct_revenue_cny as modeled_minus_direct_revenue_cny
    from direct
    left join kol_performance
        on
            direct.kol_id = kol_performance.kol_id
            and direct.campaign_id = kol_performance.campaign_id
    where direct.direct_conversions > 0 or direct.frozen_model_conversions > 0
)

select * from final
order by abs(modeled_minus_direct_revenue_cny) desc
