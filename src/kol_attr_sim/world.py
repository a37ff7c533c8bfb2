"""The causal world: persons, KOLs, campaigns, notes, exposures and purchases.

Purchase model (per person ``i``, time ``t`` in days, intensities per day)::

    lambda_i(t) = b_i * s(d(t)) * 24 * h(hour(t))                      # baseline (organic demand)
    (d(t) the simulated day, UTC; hour(t) the UTC hour; h = HOUR_P_UTC, a Shanghai-evening peak)
                + sum_{e in E_i, t_e < t} m_e * g_e(t - t_e)             # direct effect of each read
                + sum_{e in E_i, t_e < t} gamma * m_e * g_e(t - t_e) * P_e  # order_dependent only

* ``b_i`` baseline purchases per day of person ``i`` (``orders_per_person_year / 365 * intent_i``);
  ``s`` a seasonality x day-of-week profile with mean 1 (11.11, 618, Chinese New Year, weekends);
  ``h`` an hour-of-day profile summing to 1.
* ``E_i`` the person's reads (exposures) of sponsored notes; ``m_e = scale * beta_k * (1 + 3 save
  + 0.15 like + 0.4 comment + 0.4 share) * (1.2 if video)`` the expected number of purchases
  caused by the read, ``beta_k`` the KOL's effect (0 for zero-effect KOLs), ``scale`` calibrated so
  that KOLs cause about ``kol_share`` of all purchases.
* ``g_e`` a gamma lag density (shape 1.3) with mean ``category lag x tier lag factor`` days:
  celebrity/top KOLs act slowly (awareness), KOCs fast (conversion).
* ``P_e = 1`` when the person read a note of a *different* awareness KOL (celebrity or top tier)
  strictly before ``t_e``.

Because intensities add up, the process is simulated as a superposition of independent Poisson
processes, one per component: the baseline of each person and, for each read, a direct and an
amplified component. Every candidate event and every attribute of it (platform, amount, status,
...) is drawn once from streams keyed by the component, whatever the set of active notes.
:func:`realise` then keeps the events of the active components. Re-simulating with some notes
removed therefore uses common random numbers by construction, and removing every note leaves
exactly the baseline events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from scipy import stats

from kol_attr_sim.config import CATEGORIES, PLATFORMS, SimConfig
from kol_attr_sim.ids import alnum_ids, b64_ids, hex_ids, kol_handles, rng_for, seq_ids

DAY = 86_400
LAG_SHAPE = 1.3

TIERS = ("celebrity", "top", "mid", "junior", "koc", "ordinary")
TIER_MIX = np.array([0.04, 0.10, 0.22, 0.24, 0.28, 0.12])
TIER_FOLLOWERS = {  # log-uniform bounds
    "celebrity": (1_000_000, 20_000_000),
    "top": (500_000, 5_000_000),
    "mid": (50_000, 500_000),
    "junior": (10_000, 50_000),
    "koc": (1_000, 10_000),
    "ordinary": (200, 1_000),
}
TIER_EFFECT = {"celebrity": 0.25, "top": 0.35, "mid": 0.8, "junior": 1.0, "koc": 1.6, "ordinary": 1.2}
TIER_LAG = {"celebrity": 2.0, "top": 1.6, "mid": 1.0, "junior": 0.8, "koc": 0.5, "ordinary": 0.6}
TIER_PRICE = {  # picture price CNY (video ~1.5x)
    "celebrity": 300_000.0,
    "top": 60_000.0,
    "mid": 12_000.0,
    "junior": 3_000.0,
    "koc": 800.0,
    "ordinary": 200.0,
}
FORMATS = ("review", "comparison", "tutorial", "haul", "unboxing", "vlog")
HOUR_WEIGHTS = np.array(
    [2, 1, 0.6, 0.4, 0.3, 0.3, 0.6, 1.2, 2, 2.5, 3, 3.2, 4, 3.5, 3, 3.2, 3.5, 3.8, 4.5, 5.5, 6.5, 7, 6, 4]
)
HOUR_P = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()  # by Asia/Shanghai local hour
HOUR_P_UTC = np.roll(HOUR_P, -8)  # the same profile indexed by UTC hour: HOUR_P_UTC[h] = HOUR_P[(h + 8) % 24]


def epoch_seconds(d: object) -> int:
    """Epoch seconds (UTC midnight) of a ``datetime.date``."""
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())  # type: ignore[attr-defined]


def season_profile(cfg: SimConfig) -> np.ndarray:
    """Daily demand multiplier s(d) (mean 1): 11.11 and 618 peaks, Chinese New Year dip, weekends."""
    days = pd.date_range(cfg.start_date, periods=cfg.days, freq="D")
    s = np.ones(cfg.days)
    for month, day, height, width in (
        (11, 11, 2.0, 3.0),
        (6, 18, 1.0, 3.0),
        (12, 12, 0.5, 2.0),
        (3, 8, 0.4, 2.0),
    ):
        for year in {d.year for d in days}:
            peak = pd.Timestamp(year=year, month=month, day=day)
            dist = (days - peak).days.to_numpy().astype(float)
            s += height * np.exp(-0.5 * (dist / width) ** 2)
    dow = days.day_of_week.to_numpy()
    s *= np.where(dow >= 5, 1.15, 0.96)
    return s / s.mean()


@dataclass
class World:
    """Everything true about the simulated market (observed tables are derived from it)."""

    cfg: SimConfig
    t0: int  # epoch seconds of the first simulated day (UTC midnight)
    t_end: int  # epoch seconds of the end (exclusive)
    season: np.ndarray  # s(d), one value per day
    persons: pd.DataFrame  # index = person index
    kols: pd.DataFrame
    campaigns: pd.DataFrame
    notes: pd.DataFrame
    exposures: pd.DataFrame  # one row per read of a sponsored note
    candidates: pd.DataFrame  # every candidate purchase event (baseline, direct, amplified)
    effect_scale: float
    assets_cache: pd.DataFrame | None = None  # tracking sheet, filled by kol_attr_sim.observe


# ----------------------------------------------------------------------------- persons


def _persons(cfg: SimConfig) -> pd.DataFrame:
    """Persons with intent, activity, platform preferences and one id per platform."""
    n = cfg.persons
    rng = rng_for(cfg.seed, "persons")
    intent = rng.lognormal(0.0, 0.9, n)
    intent /= intent.mean()
    activity = rng.lognormal(0.0, 0.8, n)
    has_xhs = rng.random(n) < 0.9
    weights = np.array([0.14, 0.36, 0.20, 0.12, 0.18])
    primary = rng.choice(len(PLATFORMS), size=n, p=weights)
    primary = np.where((primary == 0) & ~has_xhs, 1, primary)
    in_clean_room = rng.random(n) < cfg.clean_room_share
    idr = rng_for(cfg.seed, "person_ids")
    df = pd.DataFrame(
        {
            "intent": intent,
            "activity": activity,
            "has_xhs": has_xhs,
            "primary_platform": primary.astype(np.int8),
            "in_clean_room": in_clean_room & has_xhs,
            "baseline_per_day": cfg.orders_per_person_year / 365.0 * intent,
            "person_id": seq_ids("P", n, 8),
            "xhs_user_id": hex_ids(idr, n, 24),
            "tmall_open_uid": alnum_ids(idr, n, 26, prefix="AAH"),
            "jd_pin": hex_ids(idr, n, 32, prefix="jd_"),
            "wx_openid": b64_ids(idr, n, 27, prefix="o"),
            "wx_unionid": b64_ids(idr, n, 27, prefix="u"),
            "d2c_customer_id": seq_ids("C", n, 9, start=100_001),
            "email_sha256": hex_ids(idr, n, 64),
            "phone_sha256": hex_ids(idr, n, 64),
            "anonymous_id": hex_ids(idr, n, 16, prefix="anon-"),
        }
    )
    return df


def platform_probs(primary: np.ndarray, has_xhs: np.ndarray) -> np.ndarray:
    """Per-person purchase platform probabilities: 75% the primary platform, the rest spread."""
    k = len(PLATFORMS)
    p = np.full((len(primary), k), 0.25 / (k - 1))
    p[np.arange(len(primary)), primary] = 0.75
    p[~has_xhs, 0] = 0.0
    return p / p.sum(axis=1, keepdims=True)


# ----------------------------------------------------------------------------- KOLs, campaigns, notes


def _kols(cfg: SimConfig) -> pd.DataFrame:
    """KOLs with tier, followers, causal effect, lag factor and prices."""
    rng = rng_for(cfg.seed, "kols")
    k = cfg.kols
    tier_idx = rng.choice(len(TIERS), size=k, p=TIER_MIX)
    # make sure the main tiers exist even in small worlds
    for j, t in enumerate((0, 1, 2, 3, 4)):
        if k > 10 and j < k:
            tier_idx[j] = t
    tiers = np.array(TIERS)[tier_idx]
    lo = np.array([TIER_FOLLOWERS[t][0] for t in tiers], dtype=float)
    hi = np.array([TIER_FOLLOWERS[t][1] for t in tiers], dtype=float)
    followers = np.exp(rng.uniform(np.log(lo), np.log(hi))).astype(np.int64)
    is_celebrity = tiers == "celebrity"
    beta = np.array([TIER_EFFECT[t] for t in tiers]) * rng.lognormal(0.0, 0.5, k)
    n_zero = max(2 if k >= 8 else 1, int(round(cfg.zero_effect_share * k)))
    # zero-effect KOLs chosen among the non-celebrity KOLs, deterministically by the stream
    cand = np.flatnonzero(~is_celebrity)
    zero = np.zeros(k, dtype=bool)
    zero[rng.choice(cand, size=min(n_zero, len(cand)), replace=False)] = True
    beta[zero] = 0.0
    price = np.array([TIER_PRICE[t] for t in tiers]) * rng.lognormal(0.0, 0.25, k)
    tags_pool = [
        "护肤",
        "美妆",
        "母婴",
        "零食",
        "穿搭",
        "家居",
        "好物分享",
        "测评",
        "健身",
        "保健",
        "奢品",
        "数码",
    ]
    tags = [",".join(rng.choice(tags_pool, size=int(rng.integers(1, 4)), replace=False)) for _ in range(k)]
    return pd.DataFrame(
        {
            "kol_id": hex_ids(rng_for(cfg.seed, "kol_ids"), k, 24),
            "kol_handle": kol_handles(rng_for(cfg.seed, "kol_handles"), k),
            "tier": tiers,
            "is_celebrity": is_celebrity,
            "is_awareness": np.isin(tiers, ("celebrity", "top")),
            "followers": followers,
            "follower_growth_per_day": rng.normal(0.0008, 0.0015, k),
            "beta": beta,
            "is_zero_effect": zero,
            "lag_factor": np.array([TIER_LAG[t] for t in tiers]),
            "picture_price_cny": np.round(price, -1),
            "video_price_cny": np.round(price * rng.uniform(1.3, 1.8, k), -1),
            "content_tags": tags,
        }
    )


def _campaigns(cfg: SimConfig, t0: int) -> pd.DataFrame:
    """Campaigns across categories, started over the first two thirds of the span."""
    rng = rng_for(cfg.seed, "campaigns")
    c = cfg.campaigns
    cats = list(CATEGORIES)
    order = [4, 0, 8, 2, 6, 5, 1, 3, 7]  # skincare, snacks, luxury, fashion, mother_baby, ...
    category = [cats[order[i % len(order)]] for i in range(c)]
    last_start = int(cfg.days * 0.62)
    start_day = np.sort(rng.integers(7, max(8, last_start), size=c))
    duration = rng.integers(28, 63, size=c)
    end_day = np.minimum(start_day + duration, cfg.days - 1)
    budget = np.round(rng.uniform(80_000, 1_500_000, size=c), -3)
    models = np.array(["last_touch", "linear", "time_decay", "position_based", "first_touch", ""])
    model = models[rng.integers(0, len(models), size=c)]
    windows = np.array([7, 14, 30, 60, 90, 120, 0])
    window = windows[rng.integers(0, len(windows), size=c)]
    lock_offset = -rng.integers(1, 20, size=c) * DAY - rng.integers(0, DAY, size=c)
    n_late = int(round(cfg.quirks.late_lock_campaigns * c))
    if cfg.quirks.late_lock_campaigns > 0 and c >= 3:
        n_late = max(1, n_late)  # a few campaigns locked late, whatever the sample
    late = np.zeros(c, dtype=bool)
    late[rng.permutation(c)[:n_late]] = True
    lock_offset = np.where(
        late, rng.integers(2, 20, size=c) * DAY + rng.integers(0, DAY, size=c), lock_offset
    )
    has_alliance = rng.random(c) < 0.6
    alliance = np.where(rng.random(c) < 0.6, "tmall", "jd")
    start_s = t0 + start_day * DAY
    names = [
        f"{2025 + (int(sd) + cfg.start_date.timetuple().tm_yday) // 366} {cat} push {i + 1}"
        for i, (sd, cat) in enumerate(zip(start_day, category, strict=True))
    ]
    task_ids = [
        (("XHX" if a == "tmall" else "XHM") + f"{cfg.seed % 1000:03d}{i + 1:05d}") if h else None
        for i, (a, h) in enumerate(zip(alliance, has_alliance, strict=True))
    ]
    return pd.DataFrame(
        {
            "campaign_id": seq_ids("CMP", c, 4),
            "campaign_name": names,
            "product_category": category,
            "start_day": start_day,
            "end_day": end_day,
            "budget_cny": budget,
            "attribution_model": model,
            "attribution_window_days": window,
            "config_locked_at_s": start_s + lock_offset,
            "is_locked_late": late,
            "alliance": np.where(has_alliance, alliance, ""),
            "alliance_task_id": task_ids,
            "lag_mean_days": [CATEGORIES[x][0] for x in category],
            "basket_cny": [CATEGORIES[x][1] for x in category],
        }
    )


_TITLE_BITS = [
    "真的绝了",
    "回购无数次",
    "平价替代",
    "开箱",
    "一周实测",
    "敏感肌可用",
    "宝藏好物",
    "我的私藏",
    "避雷还是种草",
    "亲测有效",
    "学生党必备",
    "Review",
    "vlog",
    "对比测评",
    "新手教程",
]


def _notes(cfg: SimConfig, kols: pd.DataFrame, campaigns: pd.DataFrame, t0: int) -> pd.DataFrame:
    """Sponsored notes: each campaign books a mix of KOLs; notes publish during the campaign."""
    rng = rng_for(cfg.seed, "notes")
    n, c, k = cfg.notes, len(campaigns), len(kols)
    camp = np.sort(rng.integers(0, c, size=n))
    camp[: min(n, c)] = np.arange(min(n, c))  # every campaign has notes
    camp = np.sort(camp)
    kol = rng.integers(0, k, size=n)
    kol[: min(n, k)] = rng.permutation(k)[: min(n, k)]  # every KOL has at least one note
    sd = campaigns["start_day"].to_numpy()[camp]
    ed = campaigns["end_day"].to_numpy()[camp]
    pub_day = sd + (rng.random(n) * (ed - sd + 1)).astype(int)
    published_s = (
        t0 + pub_day * DAY + (rng.choice(24, size=n, p=HOUR_P_UTC) * 3600 + rng.integers(0, 3600, size=n))
    )
    note_type = np.where(rng.random(n) < 0.4, "video", "normal")
    fmt = np.array(FORMATS)[rng.integers(0, len(FORMATS), size=n)]
    price = np.where(
        note_type == "video",
        kols["video_price_cny"].to_numpy()[kol],
        kols["picture_price_cny"].to_numpy()[kol],
    )
    kol_fee_fen = (np.round(price * rng.uniform(0.85, 1.05, n), 0) * 100).astype(np.int64)
    platform_fee_fen = (kol_fee_fen // 10).astype(np.int64)
    cats = campaigns["product_category"].to_numpy()[camp]
    titles = [
        f"{_TITLE_BITS[int(a)]}｜{cat}{_TITLE_BITS[int(b)]}"
        for a, b, cat in zip(
            rng.integers(0, len(_TITLE_BITS), n), rng.integers(0, len(_TITLE_BITS), n), cats, strict=True
        )
    ]
    order = np.lexsort((np.arange(n), published_s))
    df = pd.DataFrame(
        {
            "note_id": hex_ids(rng_for(cfg.seed, "note_ids"), n, 24),
            "kol_idx": kol[order],
            "campaign_idx": camp[order],
            "published_s": published_s[order],
            "note_type": note_type[order],
            "content_format": fmt[order],
            "title": np.array(titles, dtype=object)[order],
            "kol_fee_fen": kol_fee_fen[order],
            "platform_fee_fen": platform_fee_fen[order],
            "is_boosted": (rng.random(n) < 0.22)[order],
            "quality": rng.lognormal(0.0, 0.6, n)[order],
            "search_strength": rng.lognormal(0.0, 1.0, n)[order],
        }
    )
    return df.reset_index(drop=True)


# ----------------------------------------------------------------------------- exposures


def _exposures(
    cfg: SimConfig,
    persons: pd.DataFrame,
    kols: pd.DataFrame,
    campaigns: pd.DataFrame,
    notes: pd.DataFrame,
    t_end: int,
) -> pd.DataFrame:
    """Reads of sponsored notes: who, when (long search tail), and engagement flags."""
    rng = rng_for(cfg.seed, "exposures")
    total = int(round(cfg.persons * cfg.reads_per_person))
    fol = kols["followers"].to_numpy()[notes["kol_idx"].to_numpy()].astype(float)
    w = fol**0.5 * notes["quality"].to_numpy() * np.where(notes["is_boosted"].to_numpy(), 1.6, 1.0)
    reads = rng.multinomial(total, w / w.sum())
    note = np.repeat(np.arange(len(notes)), reads)
    m = len(note)
    comp = rng.choice(3, size=m, p=[0.55, 0.30, 0.15])
    lag_days = np.where(
        comp == 0,
        rng.exponential(2.0, m),
        np.where(comp == 1, rng.exponential(15.0, m), rng.exponential(70.0, m)),
    )
    via_search = (comp == 2) | ((comp == 1) & (rng.random(m) < 0.3))
    t = notes["published_s"].to_numpy()[note] + (lag_days * DAY).astype(np.int64) + rng.integers(60, 600, m)
    via_boost = notes["is_boosted"].to_numpy()[note] & (lag_days < 10) & (rng.random(m) < 0.4) & ~via_search
    # who reads: activity (and intent in the targeted scenario)
    pw = persons["activity"].to_numpy() * persons["has_xhs"].to_numpy()
    if cfg.scenario == "targeted":
        pw = pw * persons["intent"].to_numpy() ** 1.5
    cw = np.cumsum(pw)
    person = np.searchsorted(cw, rng.random(m) * cw[-1], side="right").astype(np.int64)
    person = np.minimum(person, len(cw) - 1)
    fmt = notes["content_format"].to_numpy()[note]
    save_p = np.where(np.isin(fmt, ("review", "tutorial", "comparison")), 0.055, 0.035)
    like = rng.random(m) < 0.09
    save = rng.random(m) < save_p
    comment = rng.random(m) < 0.012
    share = rng.random(m) < 0.01
    follow = rng.random(m) < 0.006
    keep = t < t_end
    kol_idx = notes["kol_idx"].to_numpy()[note]
    ex = pd.DataFrame(
        {
            "person": person,
            "note": note,
            "kol": kol_idx,
            "campaign": notes["campaign_idx"].to_numpy()[note],
            "t": t,
            "via_search": via_search,
            "via_boost": via_boost,
            "like": like,
            "save": save,
            "comment": comment,
            "share": share,
            "follow": follow,
        }
    )[keep]
    ex = ex.sort_values(["t", "person", "note"], kind="stable").reset_index(drop=True)
    return ex


def earliest_other_primer(ex: pd.DataFrame, is_primer: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Time of the person's earliest read of an *active* awareness note by a KOL other than the
    exposure's own KOL (``inf`` if none), for every exposure. Uses the first two distinct primer KOLs
    of each person."""
    sel = is_primer & active
    first = (
        ex.loc[sel, ["person", "kol", "t"]]
        .groupby(["person", "kol"], sort=True)["t"]
        .min()
        .reset_index()
        .sort_values(["person", "t", "kol"], kind="stable")
    )
    first["rank"] = first.groupby("person").cumcount()
    top = first[first["rank"] < 2]
    n = int(ex["person"].max()) + 1 if len(ex) else 0
    t1 = np.full(n, np.inf)
    k1 = np.full(n, -1)
    t2 = np.full(n, np.inf)
    r0 = top[top["rank"] == 0]
    r1 = top[top["rank"] == 1]
    t1[r0["person"].to_numpy()] = r0["t"].to_numpy()
    k1[r0["person"].to_numpy()] = r0["kol"].to_numpy()
    t2[r1["person"].to_numpy()] = r1["t"].to_numpy()
    p = ex["person"].to_numpy()
    return np.where(k1[p] != ex["kol"].to_numpy(), t1[p], t2[p])


# ----------------------------------------------------------------------------- purchases


def _candidates(
    cfg: SimConfig,
    persons: pd.DataFrame,
    kols: pd.DataFrame,
    campaigns: pd.DataFrame,
    notes: pd.DataFrame,
    ex: pd.DataFrame,
    season: np.ndarray,
    t0: int,
    t_end: int,
) -> tuple[pd.DataFrame, float, pd.DataFrame]:
    """Every candidate purchase event with all its attributes, and the calibrated effect scale."""
    n_days = cfg.days
    # --- baseline events
    rb = rng_for(cfg.seed, "baseline")
    b = persons["baseline_per_day"].to_numpy()
    counts = rb.poisson(b * n_days)
    bperson = np.repeat(np.arange(len(b)), counts)
    nb = len(bperson)
    day = rb.choice(n_days, size=nb, p=season / season.sum())
    hour = rb.choice(24, size=nb, p=HOUR_P_UTC)
    bt = t0 + day * DAY + hour * 3600 + rb.integers(0, 3600, nb)
    expected_baseline = float(b.sum() * n_days)

    # --- per-exposure effects
    kol = ex["kol"].to_numpy()
    camp = ex["campaign"].to_numpy()
    beta = kols["beta"].to_numpy()[kol]
    video = notes["note_type"].to_numpy()[ex["note"].to_numpy()] == "video"
    mult = (
        1
        + 3.0 * ex["save"].to_numpy()
        + 0.15 * ex["like"].to_numpy()
        + 0.4 * ex["comment"].to_numpy()
        + 0.4 * ex["share"].to_numpy()
    ) * np.where(video, 1.2, 1.0)
    lag_mean = campaigns["lag_mean_days"].to_numpy()[camp] * kols["lag_factor"].to_numpy()[kol]
    theta = lag_mean / LAG_SHAPE
    horizon = (t_end - ex["t"].to_numpy()) / DAY
    p_in = stats.gamma.cdf(horizon, LAG_SHAPE, scale=theta)
    gamma_amp = cfg.order_gamma if cfg.scenario == "order_dependent" else 0.0
    is_primer = kols["is_awareness"].to_numpy()[kol]
    t_other = earliest_other_primer(ex, is_primer, np.ones(len(ex), dtype=bool))
    primed = t_other < ex["t"].to_numpy()
    raw = beta * mult
    target = expected_baseline * cfg.kol_share / (1 - cfg.kol_share)
    denom = float((raw * p_in * (1 + gamma_amp * primed)).sum())
    scale = target / denom if denom > 0 else 0.0
    m_e = scale * raw
    ex["m"] = m_e
    ex["lag_theta"] = theta
    ex["primed"] = primed
    # --- direct and amplified candidate events (drawn for every exposure, whatever is active later)
    rd = rng_for(cfg.seed, "direct")
    nd = rd.poisson(m_e)
    ra = rng_for(cfg.seed, "amplified")
    na = ra.poisson(m_e * gamma_amp)
    frames = [
        pd.DataFrame(
            {"person": bperson, "t": bt, "kind": np.zeros(nb, np.int8), "exposure": np.full(nb, -1, np.int64)}
        )
    ]
    for kind, cnt, r in ((1, nd, rd), (2, na, ra)):
        e_idx = np.repeat(np.arange(len(ex)), cnt)
        lag = r.gamma(LAG_SHAPE, theta[e_idx]) * DAY
        tt = ex["t"].to_numpy()[e_idx] + np.maximum(lag, 60).astype(np.int64)
        frames.append(
            pd.DataFrame(
                {
                    "person": ex["person"].to_numpy()[e_idx],
                    "t": tt,
                    "kind": np.full(len(e_idx), kind, np.int8),
                    "exposure": e_idx,
                }
            )
        )
    cand = pd.concat(frames, ignore_index=True)
    cand = cand[cand["t"] < t_end].reset_index(drop=True)
    # deterministic identity of each candidate: (kind, exposure, rank within exposure) / baseline order
    cand = cand.sort_values(["t", "person", "kind", "exposure"], kind="stable").reset_index(drop=True)
    cand["candidate_id"] = np.arange(len(cand), dtype=np.int64)
    cand = _purchase_attributes(cfg, cand, persons, campaigns, ex)
    return cand, scale, ex


def _purchase_attributes(
    cfg: SimConfig, cand: pd.DataFrame, persons: pd.DataFrame, campaigns: pd.DataFrame, ex: pd.DataFrame
) -> pd.DataFrame:
    """Platform, offline flag, category, amount, status and refund of every candidate purchase."""
    r = rng_for(cfg.seed, "purchase_attrs")
    n = len(cand)
    p = cand["person"].to_numpy()
    probs = platform_probs(persons["primary_platform"].to_numpy()[p], persons["has_xhs"].to_numpy()[p])
    u = r.random(n)
    platform = (u[:, None] > np.cumsum(probs, axis=1)).sum(axis=1).clip(0, len(PLATFORMS) - 1)
    cand["platform"] = platform.astype(np.int8)
    cand["is_offline"] = r.random(n) < cfg.offline_share
    cats = list(CATEGORIES)
    camp_cats = campaigns["product_category"].to_numpy()
    base_cat = r.choice(np.array(camp_cats), size=n)
    e = cand["exposure"].to_numpy()
    caused = e >= 0
    cat = np.where(caused, camp_cats[ex["campaign"].to_numpy()[np.where(caused, e, 0)]], base_cat)
    basket = np.array([CATEGORIES[c][1] for c in cats])[pd.Index(cats).get_indexer(cat)]
    qty = r.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05])
    amount = basket * r.lognormal(0.0, 0.3, n) * qty
    amount = np.round(amount, 0) - np.where(r.random(n) < 0.4, 0.1, 0.0)
    cand["category"] = cat
    cand["amount_cny"] = np.maximum(amount, 9.9).round(2)
    cand["status_u"] = r.random(n)
    cand["refund_u"] = r.random(n)
    cand["signal_u"] = r.random((n, 1))[:, 0]
    cand["campaign"] = np.where(caused, ex["campaign"].to_numpy()[np.where(caused, e, 0)], -1)
    cand["kol"] = np.where(caused, ex["kol"].to_numpy()[np.where(caused, e, 0)], -1)
    cand["note"] = np.where(caused, ex["note"].to_numpy()[np.where(caused, e, 0)], -1)
    return cand


def realise(world: World, active_notes: np.ndarray | None = None) -> pd.DataFrame:
    """The purchases that happen when only ``active_notes`` (boolean mask over notes) are published.

    Baseline events always happen; a direct event happens when its note is active; an amplified
    event (order_dependent) when its note is active and, among active notes, the person read an
    awareness note of another KOL before the exposure. Candidate draws are shared (common random
    numbers), so ``realise(world, none_active)`` is exactly the baseline.
    """
    ex = world.exposures
    cand = world.candidates
    if active_notes is None:
        active_notes = np.ones(len(world.notes), dtype=bool)
    ex_active = active_notes[ex["note"].to_numpy()]
    is_primer = world.kols["is_awareness"].to_numpy()[ex["kol"].to_numpy()]
    primed = earliest_other_primer(ex, is_primer, ex_active) < ex["t"].to_numpy()
    e = cand["exposure"].to_numpy()
    kind = cand["kind"].to_numpy()
    safe = np.where(e >= 0, e, 0)
    keep = (kind == 0) | ((kind == 1) & ex_active[safe]) | ((kind == 2) & ex_active[safe] & primed[safe])
    return cand[keep]


def build_world(cfg: SimConfig) -> World:
    """Simulate the whole causal world for ``cfg``."""
    t0 = epoch_seconds(cfg.start_date)
    t_end = t0 + cfg.days * DAY
    season = season_profile(cfg)
    persons = _persons(cfg)
    kols = _kols(cfg)
    campaigns = _campaigns(cfg, t0)
    notes = _notes(cfg, kols, campaigns, t0)
    ex = _exposures(cfg, persons, kols, campaigns, notes, t_end)
    cand, scale, ex = _candidates(cfg, persons, kols, campaigns, notes, ex, season, t0, t_end)
    return World(
        cfg=cfg,
        t0=t0,
        t_end=t_end,
        season=season,
        persons=persons,
        kols=kols,
        campaigns=campaigns,
        notes=notes,
        exposures=ex,
        candidates=cand,
        effect_scale=scale,
    )
