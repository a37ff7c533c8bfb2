"""Simulation configuration: scales, scenarios, behavioural parameters and quirk rates."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from datetime import date

SCENARIOS = ("independent", "targeted", "search", "order_dependent")
"""``independent``: who reads a note is independent of purchase intent.
``targeted``: KOL notes reach high-intent persons more (exposure confounded with baseline demand).
``search``: most KOL-caused purchases are preceded by a brand search that lands on a (possibly
other KOL's) note; the search read is a mediator with no effect of its own.
``order_dependent``: an exposure's effect is amplified (x ``1 + order_gamma``) when the person had
earlier read a note of a *different* awareness KOL (celebrity or top tier)."""

WINDOWS_DAYS = (7, 14, 30, 60, 90, 120)

# category -> (mean consideration lag in days, typical basket in CNY)
CATEGORIES: dict[str, tuple[float, float]] = {
    "snacks": (6.0, 69.0),
    "beauty_accessories": (14.0, 129.0),
    "fashion": (21.0, 459.0),
    "home_goods": (25.0, 199.0),
    "skincare": (50.0, 329.0),
    "supplements": (55.0, 259.0),
    "mother_baby": (65.0, 299.0),
    "home_appliances": (60.0, 1299.0),
    "luxury": (100.0, 3800.0),
}

PLATFORMS = ("xhs_shop", "tmall", "jd", "d2c", "wechat_mp")


@dataclass(frozen=True)
class QuirkRates:
    """Rates of every contract quirk (probabilities per row unless stated). Set to 0 to disable."""

    dup_tmall: float = 0.03  # share of tmall trades exported twice
    dup_jd: float = 0.01
    dup_xhs_shop: float = 0.01
    dup_interactions: float = 0.02  # share of note events delivered twice (same event_id)
    dup_sessions: float = 0.005
    dup_pgy_kols: float = 0.01  # same snapshot pulled twice
    z_offset: float = 0.35  # share of ISO-8601 times written in UTC with 'Z' instead of +08:00
    code_messy: float = 0.35  # share of typed codes in other case and/or with stray spaces
    code_reuse: float = 0.5  # share of multi-campaign KOLs that reuse their code text
    asset_value_messy: float = 0.05  # share of tracking-sheet asset values with stray spaces / case
    utm_mixed_case: float = 0.25
    utm_urlencoded: float = 0.15
    utm_unknown_source: float = 0.06  # share of sessions with a utm_source nobody issued
    report_missing_day: float = 0.05  # share of Pugongying report days missing
    report_dip: float = 0.01  # share of report days where a cumulative counter goes down
    unknown_note_events: float = 0.01  # share of note events whose note_id is not in pgy_notes
    late_lock_campaigns: float = 0.2  # share of campaigns locked after their start date
    nickname_change: float = 0.15  # share of KOLs that change nickname during the span
    survey_response: float = 0.1  # share of online orders with a survey response
    survey_offline_response: float = 0.3  # share of offline purchases with a response
    bad_rows: float = 0.002  # share of order rows that are unreadable (bad amount / currency / time)


@dataclass(frozen=True)
class SimConfig:
    """All knobs of one simulation run. ``scale`` presets fill the sizes; CLI flags override."""

    scale: str = "demo"
    seed: int = 42
    scenario: str = "independent"
    persons: int = 25_000
    kols: int = 50
    notes: int = 240
    campaigns: int = 8
    days: int = 300
    start_date: date = date(2025, 9, 1)
    clean_room_share: float = 0.25  # share of persons whose note events the clean room exports
    reads_per_person: float = 2.0  # mean sponsored-note reads per person over the span
    orders_per_person_year: float = 0.12  # baseline (organic) purchases per person per year
    kol_share: float = 0.3  # target share of purchases caused by KOL exposures (calibrates effects)
    offline_share: float = 0.07  # share of purchases made offline (invisible except in surveys)
    zero_effect_share: float = 0.15  # share of KOLs with no causal effect at all
    order_gamma: float = 1.5  # amplification factor of the order_dependent scenario
    search_mediated_share: float = 0.6  # share of KOL-caused purchases preceded by a search (search)
    impressions_per_read: float = 0.6  # impression-only events per read (observed sample only)
    outside_market_factor: float = 1.0  # extra reported reads per simulated read (outside the market)
    sessions_per_person: float = 0.15  # non-purchase web/mini-program sessions per person
    ugc_per_day: float = 3.0  # organic brand-mention notes per day before amplification
    quirks: QuirkRates = field(default_factory=QuirkRates)

    @property
    def end_date(self) -> date:
        """First day after the simulated span (exclusive end)."""
        from datetime import timedelta

        return self.start_date + timedelta(days=self.days)


SCALES: dict[str, dict[str, float | int]] = {
    "tiny": dict(
        persons=4_000,
        kols=16,
        notes=60,
        campaigns=4,
        days=200,
        reads_per_person=3.0,
        orders_per_person_year=0.5,
        clean_room_share=0.5,
        ugc_per_day=1.0,
    ),
    "demo": dict(
        persons=25_000,
        kols=50,
        notes=240,
        campaigns=8,
        days=300,
        reads_per_person=2.0,
        orders_per_person_year=0.15,
        clean_room_share=0.25,
    ),
    "small": dict(
        persons=100_000,
        kols=100,
        notes=800,
        campaigns=12,
        days=365,
        reads_per_person=5.0,
        orders_per_person_year=0.25,
        clean_room_share=0.4,
    ),
    "medium": dict(
        persons=300_000,
        kols=250,
        notes=2_000,
        campaigns=24,
        days=365,
        reads_per_person=7.0,
        orders_per_person_year=0.25,
        clean_room_share=0.45,
    ),
    "large": dict(
        persons=1_000_000,
        kols=500,
        notes=5_000,
        campaigns=40,
        days=365,
        reads_per_person=8.0,
        orders_per_person_year=0.25,
        clean_room_share=0.5,
    ),
}


def make_config(scale: str = "demo", **overrides: object) -> SimConfig:
    """Build a :class:`SimConfig` from a scale preset plus overrides (``None`` values are ignored).

    Quirk rates can be overridden with keys ``quirk_<name>``; ``bad_rows=0`` style keys also work
    via ``quirks=QuirkRates(...)``.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; allowed: {', '.join(SCALES)}")
    base = SimConfig(scale=scale, **SCALES[scale])  # type: ignore[arg-type]
    quirk_over = {k[6:]: v for k, v in overrides.items() if k.startswith("quirk_") and v is not None}
    plain = {k: v for k, v in overrides.items() if not k.startswith("quirk_") and v is not None}
    unknown_q = set(quirk_over) - {f.name for f in dataclasses.fields(QuirkRates)}
    if unknown_q:
        raise ValueError(f"unknown quirk(s) {sorted(unknown_q)}")
    cfg = replace(base, **plain)  # type: ignore[arg-type]
    if quirk_over:
        cfg = replace(cfg, quirks=replace(cfg.quirks, **quirk_over))  # type: ignore[arg-type]
    if cfg.scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {cfg.scenario!r}; allowed: {', '.join(SCENARIOS)}")
    return cfg
