"""What the brand observes: the 21 raw tables of the contract, derived from the simulated world.

Every table builder returns ``dict[column, pyarrow.Array]`` with the contract's types. Rows are
in a deterministic order (generation order sorted by time and a sequence number), so the same
seed gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from kol_attr_sim import fmt
from kol_attr_sim.config import PLATFORMS, QuirkRates
from kol_attr_sim.ids import alnum_ids, hex_ids, misspell, rng_for, seq_ids
from kol_attr_sim.world import DAY, World, realise

XHS, TMALL, JD, D2C, WXMP = range(5)
Cols = dict[str, pa.Array]

XHS_ANSWERS = [
    "Xiaohongshu",
    "小红书",
    "RED",
    "RedNote",
    "xiaohongshu ",
    "XHS",
    "小红书app",
    "little red book",
    "Xiao Hong Shu",
    "小红薯",
]
OTHER_ANSWERS = [
    "Douyin",
    "抖音",
    "WeChat",
    "微信",
    "Friend",
    "朋友推荐",
    "In store",
    "Other",
    "Bilibili",
    "Weibo",
    "Tmall",
    "淘宝直播",
]
GENERIC_CODES = ["WELCOME10", "VIP88", "NEWUSER", "FLASH50", "BIRTHDAY"]
UNKNOWN_UTM = ["xhs_partner_x", "KOL-unknown", "linktree", "douyin_shop", "xhs_ad_test", "newsletter_v2"]
ORGANIC_UTM = [
    ("baidu", "cpc"),
    ("wechat_article", "social"),
    ("weibo", "social"),
    ("newsletter", "email"),
    ("brand_xhs_account", "social"),
]


@dataclass
class Observation:
    """Derived, shared state for building the observed tables."""

    world: World
    purchases: pd.DataFrame  # realised purchases (all notes active), with order refs and signals
    assets: pd.DataFrame  # tracking sheet, with internal indices
    sessions: pd.DataFrame  # web / mini-program sessions (internal form)
    outcomes: pd.DataFrame | None = None  # per purchase row: status, refund, net CNY, bad-row flag


# ----------------------------------------------------------------------------- shared pieces


def order_refs(world: World, cand: pd.DataFrame) -> np.ndarray:
    """Platform order id of each candidate purchase (stable across counterfactual realisations).

    Ids are ``base + candidate_id * stride + random offset < stride`` so they are unique by
    construction; offline purchases get an 'OFF-' reference that matches no export.
    """
    r = rng_for(world.cfg.seed, "order_refs")
    cid = cand["candidate_id"].to_numpy().astype(np.int64)
    off = r.integers(0, 97, len(cid))
    num = cid * 97 + off
    plat = cand["platform"].to_numpy()
    refs = np.empty(len(cid), dtype=object)
    fmts: dict[int, Callable[[np.ndarray], np.ndarray]] = {
        XHS: lambda x: np.char.add("P", (710_000_000_000_000_000 + x).astype(str)),
        TMALL: lambda x: (3_100_000_000_000_000_000 + x * 13).astype(str),
        JD: lambda x: (280_000_000_000 + x).astype(str),
        D2C: lambda x: np.char.add("D2C-", np.char.zfill(x.astype(str), 9)),
        WXMP: lambda x: np.char.add("WX4200", np.char.zfill(x.astype(str), 14)),
    }
    for p, f in fmts.items():
        sel = plat == p
        refs[sel] = f(num[sel])
    offline = cand["is_offline"].to_numpy()
    refs[offline] = np.char.add("OFF-", np.char.zfill(num[offline].astype(str), 10))
    return refs


def messy(rng: np.random.Generator, values: np.ndarray, rate: float) -> np.ndarray:
    """Codes as shoppers type them: a share ``rate`` lower-cased, mixed-case or with stray spaces.

    Kinds (drawn per hit row): 0 lower-case, 1 leading space, 2 two trailing spaces, 3 first half
    lower-cased, 4 lower-cased and padded with spaces. ``None`` stays ``None``. Vectorised.
    """
    out = pd.Series(np.array(values, dtype=object), dtype=object)
    hit = np.flatnonzero(rng.random(len(out)) < rate)
    kind = np.full(len(out), -1)
    kind[hit] = rng.integers(0, 5, len(hit))
    kind[out.isna().to_numpy()] = -1
    if not (kind >= 0).any():
        return out.to_numpy(dtype=object)
    text = out.fillna("").astype(str)
    lower = text.str.lower()
    half = text.copy()
    lengths = text.str.len().to_numpy()
    for length in np.unique(lengths[kind == 3]):  # a few distinct code lengths
        m = lengths == length
        cut = int(length) // 2
        half[m] = text[m].str.slice(0, cut).str.lower() + text[m].str.slice(cut)
    res = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3, kind == 4],
        [
            lower.to_numpy(dtype=object),
            (" " + text).to_numpy(dtype=object),
            (text + "  ").to_numpy(dtype=object),
            half.to_numpy(dtype=object),
            (" " + lower + " ").to_numpy(dtype=object),
        ],
        default=out.to_numpy(dtype=object),
    )
    return np.where(out.isna().to_numpy(), None, res).astype(object)


def build_assets(world: World) -> pd.DataFrame:
    """The tracking sheet: promo codes, UTM sources, QR scene ids, passphrases per (campaign, KOL),
    ad links per boosted note."""
    cfg = world.cfg
    r = rng_for(cfg.seed, "assets")
    notes, camps, kols = world.notes, world.campaigns, world.kols
    pairs = notes[["campaign_idx", "kol_idx"]].drop_duplicates().sort_values(["kol_idx", "campaign_idx"])
    pairs = pairs.reset_index(drop=True)
    npairs = len(pairs)
    sd = camps["start_day"].to_numpy()[pairs["campaign_idx"].to_numpy()]
    ed = camps["end_day"].to_numpy()[pairs["campaign_idx"].to_numpy()]
    rows: list[pd.DataFrame] = []
    # promo codes, reused across campaigns by some KOLs with non-overlapping validity
    code_text = alnum_ids(r, npairs, 4)
    suffix = r.integers(10, 99, npairs).astype(str)
    code = np.char.add(code_text, suffix).astype(object)
    reuse_kol = r.random(len(kols)) < cfg.quirks.code_reuse
    vf = sd.copy()
    vt = (ed + 30).astype(float)
    has_code = r.random(npairs) < 0.8
    kol_arr = pairs["kol_idx"].to_numpy()
    for k in np.unique(kol_arr):
        idx = np.flatnonzero((kol_arr == k) & has_code)
        if len(idx) > 1 and reuse_kol[k]:
            idx = idx[np.argsort(vf[idx], kind="stable")]
            code[idx] = code[idx[0]]
            for a, b in zip(idx[:-1], idx[1:], strict=True):  # earlier validity ends before the next starts
                vt[a] = min(vt[a], vf[b] - 1)
                if vt[a] < vf[a]:
                    vf[b] = vf[a] + 1 + (vt[a] - vf[a] if vt[a] >= vf[a] else 0)
                    vt[a] = vf[a]
    rows.append(
        pd.DataFrame(
            {
                "campaign": pairs["campaign_idx"],
                "kol": kol_arr,
                "note": -1,
                "asset_type": "promo_code",
                "value": code,
                "vf": vf,
                "vt": vt,
            }
        )[has_code]
    )
    # UTM source values
    has_utm = r.random(npairs) < 0.65
    utm = np.char.add(
        np.char.add("xhs_k", np.char.zfill(kol_arr.astype(str), 3)),
        np.char.add("_c", pairs["campaign_idx"].to_numpy().astype(str)),
    )
    open_end = r.random(npairs) < 0.5
    rows.append(
        pd.DataFrame(
            {
                "campaign": pairs["campaign_idx"],
                "kol": kol_arr,
                "note": -1,
                "asset_type": "utm",
                "value": utm.astype(object),
                "vf": sd,
                "vt": np.where(open_end, np.nan, ed + 60),
            }
        )[has_utm]
    )
    # QR scene ids
    has_qr = r.random(npairs) < 0.45
    qr = np.char.add("qr", (100_000 + np.arange(npairs) * 7 + r.integers(0, 7, npairs)).astype(str))
    rows.append(
        pd.DataFrame(
            {
                "campaign": pairs["campaign_idx"],
                "kol": kol_arr,
                "note": -1,
                "asset_type": "qr_code",
                "value": qr.astype(object),
                "vf": sd,
                "vt": ed + 45.0,
            }
        )[has_qr]
    )
    # passphrases (口令)
    has_pp = r.random(npairs) < 0.3
    pp = np.char.add(np.char.add("￥", alnum_ids(r, npairs, 11)), "￥")
    rows.append(
        pd.DataFrame(
            {
                "campaign": pairs["campaign_idx"],
                "kol": kol_arr,
                "note": -1,
                "asset_type": "passphrase",
                "value": pp.astype(object),
                "vf": sd,
                "vt": ed + 30.0,
            }
        )[has_pp]
    )
    # ad links for boosted notes
    b = np.flatnonzero(notes["is_boosted"].to_numpy())
    pub_day = (notes["published_s"].to_numpy()[b] - world.t0) // DAY
    rows.append(
        pd.DataFrame(
            {
                "campaign": notes["campaign_idx"].to_numpy()[b],
                "kol": notes["kol_idx"].to_numpy()[b],
                "note": b,
                "asset_type": "ad_link",
                "value": hex_ids(r, len(b), 10, prefix="adl_").astype(object),
                "vf": pub_day,
                "vt": pub_day + 60.0,
            }
        )
    )
    assets = pd.concat(rows, ignore_index=True)
    assets = assets.sort_values(["campaign", "kol", "asset_type", "note"], kind="stable").reset_index(
        drop=True
    )
    assets["asset_id"] = seq_ids("AS", len(assets), 6)
    return assets


def _kol_asset_lookup(assets: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One asset value of ``kind`` per (campaign, kol) (first by asset_id)."""
    a = assets[(assets["asset_type"] == kind) & (assets["note"] < 0)]
    a = a.drop_duplicates(["campaign", "kol"])
    return a[["campaign", "kol", "value", "vf", "vt"]].rename(
        columns={"value": kind, "vf": f"{kind}_vf", "vt": f"{kind}_vt"}
    )


def _valid(df: pd.DataFrame, kind: str, day: np.ndarray) -> np.ndarray:
    """Asset of ``kind`` exists and is valid on ``day``."""
    vf = df[f"{kind}_vf"].to_numpy(dtype=float)
    vt = df[f"{kind}_vt"].to_numpy(dtype=float)
    has = df[kind].notna().to_numpy()
    return has & (day >= vf) & (np.isnan(vt) | (day <= vt))


def build_purchases(world: World, assets: pd.DataFrame) -> pd.DataFrame:
    """Realised purchases with order refs, statuses and the tracking signals they carry."""
    cfg = world.cfg
    r = rng_for(cfg.seed, "purchase_signals")
    pur = realise(world).copy()
    pur["order_ref"] = order_refs(world, pur)
    n = len(pur)
    # shoppers see validity in China business dates: the Asia/Shanghai day of the purchase
    day = ((pur["t"].to_numpy() + fmt.SHANGHAI - world.t0) // DAY).astype(float)
    for kind in ("promo_code", "utm", "qr_code", "passphrase"):
        pur = pur.merge(_kol_asset_lookup(assets, kind), on=["campaign", "kol"], how="left")
    adl = assets[assets["asset_type"] == "ad_link"][["note", "value"]].rename(columns={"value": "ad_link"})
    pur = pur.merge(adl, on="note", how="left")
    ex = world.exposures
    e = pur["exposure"].to_numpy()
    caused = e >= 0
    via_boost = np.where(caused, ex["via_boost"].to_numpy()[np.where(caused, e, 0)], False)
    plat = pur["platform"].to_numpy()
    u = r.random((n, 6))
    use_code = caused & _valid(pur, "promo_code", day) & (u[:, 0] < 0.3)
    code = np.where(use_code, pur["promo_code"].to_numpy(dtype=object), None)
    # baseline buyers sometimes find a KOL code on a coupon site, or use a generic code
    all_codes = assets.loc[assets["asset_type"] == "promo_code", "value"].to_numpy(dtype=object)
    leak = (~caused) & (u[:, 1] < 0.015) & (len(all_codes) > 0)
    if len(all_codes):
        code = np.where(leak, all_codes[r.integers(0, len(all_codes), n)], code)
    no_code = pd.isna(pd.Series(code)).to_numpy()
    generic = no_code & (u[:, 1] > 0.95)
    code = np.where(
        generic, np.array(GENERIC_CODES, dtype=object)[r.integers(0, len(GENERIC_CODES), n)], code
    )
    use_pp = (
        caused
        & ~generic
        & no_code
        & np.isin(plat, (TMALL, JD))
        & _valid(pur, "passphrase", day)
        & (u[:, 2] < 0.25)
    )
    code = np.where(use_pp, pur["passphrase"].to_numpy(dtype=object), code)
    pur["coupon_typed"] = messy(r, code, cfg.quirks.code_messy)
    pur["used_kol_code"] = use_code | use_pp
    pur["source_note"] = np.where(
        caused & (plat == XHS) & (u[:, 3] < 0.5),
        pur["note"].to_numpy(),
        np.where((~caused) & (plat == XHS) & (u[:, 3] < 0.04), r.integers(0, len(world.notes), n), -1),
    )
    pur["utm_click"] = caused & np.isin(plat, (D2C, WXMP)) & _valid(pur, "utm", day) & (u[:, 4] < 0.35)
    pur["ad_click"] = (
        caused
        & via_boost
        & pur["ad_link"].notna().to_numpy()
        & (u[:, 4] >= 0.35)
        & (u[:, 4] < 0.75)
        & np.isin(plat, (D2C, WXMP))
    )
    pur["qr_scan"] = caused & (plat == WXMP) & _valid(pur, "qr_code", day) & (u[:, 5] < 0.4)
    return pur.sort_values(["t", "candidate_id"], kind="stable").reset_index(drop=True)


def build_sessions(world: World, pur: pd.DataFrame) -> pd.DataFrame:
    """Web and mini-program sessions: one before every online D2C / mini-program order, plus
    browsing sessions (some from KOL links) that do not convert."""
    cfg = world.cfg
    r = rng_for(cfg.seed, "sessions")
    online = pur[~pur["is_offline"] & pur["platform"].isin([D2C, WXMP])]
    s1 = pd.DataFrame(
        {
            "person": online["person"].to_numpy(),
            "t": online["t"].to_numpy() - (r.exponential(900, len(online)) + 30).astype(np.int64),
            "mp": online["platform"].to_numpy() == WXMP,
            "utm": np.where(online["utm_click"], online["utm"], None),
            "ad_link": np.where(online["ad_click"], online["ad_link"], None),
            "qr": np.where(online["qr_scan"], online["qr_code"], None),
            "campaign": online["campaign"].to_numpy(),
            "note": online["note"].to_numpy(),
            "order_ref": online["order_ref"].to_numpy(),
        }
    )
    # browsing sessions from KOL links (exposed persons) that do not convert
    ex = world.exposures
    utm = _kol_asset_lookup(build_assets_cache(world), "utm")
    pick = ex[r.random(len(ex)) < 0.02][["person", "t", "campaign", "kol", "note"]]
    pick = pick.merge(utm, on=["campaign", "kol"], how="inner")
    pick_day = (pick["t"].to_numpy() + fmt.SHANGHAI - world.t0) // DAY
    pick = pick[_valid(pick, "utm", pick_day)]
    s2 = pd.DataFrame(
        {
            "person": pick["person"].to_numpy(),
            "t": pick["t"].to_numpy() + r.integers(30, 3 * 3600, len(pick)),
            "mp": r.random(len(pick)) < 0.3,
            "utm": pick["utm"].to_numpy(dtype=object),
            "ad_link": None,
            "qr": None,
            "campaign": pick["campaign"].to_numpy(),
            "note": pick["note"].to_numpy(),
            "order_ref": None,
        }
    )
    # organic browsing
    nb = int(cfg.persons * cfg.sessions_per_person)
    s3 = pd.DataFrame(
        {
            "person": r.integers(0, cfg.persons, nb),
            "t": world.t0 + r.integers(0, cfg.days * DAY, nb),
            "mp": r.random(nb) < 0.35,
            "utm": None,
            "ad_link": None,
            "qr": None,
            "campaign": -1,
            "note": -1,
            "order_ref": None,
        }
    )
    ses = pd.concat([s1, s2, s3], ignore_index=True)
    ses = ses[(ses["t"] >= world.t0) & (ses["t"] < world.t_end)]
    ses = ses.sort_values(["t", "person"], kind="stable").reset_index(drop=True)
    ses["session_id"] = hex_ids(rng_for(cfg.seed, "session_ids"), len(ses), 20, prefix="s_")
    return ses


def build_assets_cache(world: World) -> pd.DataFrame:
    """:func:`build_assets`, memoised on the world object."""
    if world.assets_cache is None:
        world.assets_cache = build_assets(world)
    return world.assets_cache


def observe(world: World) -> Observation:
    """Compute the shared observation state (purchases with signals, assets, sessions)."""
    assets = build_assets_cache(world)
    pur = build_purchases(world, assets)
    ses = build_sessions(world, pur)
    return Observation(world=world, purchases=pur, assets=assets, sessions=ses)


# ----------------------------------------------------------------------------- tables


def t_pgy_kols(ob: Observation) -> Cols:
    """Creator profile snapshots every 14 days: follower drift, nickname changes, duplicate pulls."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_pgy_kols")
    k = w.kols
    snaps = np.arange(0, cfg.days, 14)
    kk = np.repeat(np.arange(len(k)), len(snaps))
    dd = np.tile(snaps, len(k))
    growth = k["follower_growth_per_day"].to_numpy()[kk]
    fol = k["followers"].to_numpy()[kk] * np.exp(growth * dd) * r.lognormal(0, 0.01, len(kk))
    handles = k["kol_handle"].to_numpy(dtype=object)[kk].copy()
    change = r.random(len(k)) < cfg.quirks.nickname_change
    change_at = r.integers(1, max(2, len(snaps)), len(k))
    new_names = np.array(
        [
            h.split(" ")[0] + s
            for h, s in zip(
                k["kol_handle"],
                r.choice(["✨", "_新号", " 2.0", "呀", "Official", "🌷"], len(k)),
                strict=True,
            )
        ],
        dtype=object,
    )
    sel = change[kk] & (np.searchsorted(snaps, dd) >= change_at[kk])
    handles[sel] = new_names[kk[sel]]
    idx = fmt.with_duplicates(r, len(kk), cfg.quirks.dup_pgy_kols)
    kk, dd, fol, handles = kk[idx], dd[idx], fol[idx], handles[idx]
    return {
        "kol_id": fmt.take(k["kol_id"].to_numpy(), kk),
        "kol_handle": fmt.s(handles),
        "follower_count": fmt.i64(np.round(fol)),
        "is_celebrity": pa.array(k["is_celebrity"].to_numpy()[kk]),
        "content_tags": fmt.take(np.array(k["content_tags"], dtype=object), kk),
        "picture_price_cny": fmt.dec(k["picture_price_cny"].to_numpy()[kk]),
        "video_price_cny": fmt.dec(k["video_price_cny"].to_numpy()[kk]),
        "snapshot_date": fmt.date_col(w.t0 + dd * DAY),
    }


def t_brand_campaigns(ob: Observation) -> Cols:
    """The campaign plan; some campaigns locked after their start date."""
    w = ob.world
    c = w.campaigns
    model = c["attribution_model"].to_numpy(dtype=object)
    win = c["attribution_window_days"].to_numpy()
    return {
        "campaign_id": fmt.s(c["campaign_id"].to_numpy()),
        "campaign_name": fmt.s(c["campaign_name"].to_numpy()),
        "product_category": fmt.s(c["product_category"].to_numpy()),
        "start_date": fmt.date_col(w.t0 + c["start_day"].to_numpy() * DAY),
        "end_date": fmt.date_col(w.t0 + c["end_day"].to_numpy() * DAY),
        "budget_cny": fmt.dec(c["budget_cny"].to_numpy(), 14),
        "attribution_model": fmt.s(np.where(model == "", None, model)),
        "attribution_window_days": fmt.i32(win, mask=win == 0),
        "config_locked_at": fmt.ts(c["config_locked_at_s"].to_numpy()),
        "alliance_task_id": fmt.s(c["alliance_task_id"].to_numpy(dtype=object)),
    }


def t_brand_tracking_assets(ob: Observation) -> Cols:
    """The tracking sheet (a few asset values typed messily into the sheet itself)."""
    w = ob.world
    a = ob.assets
    r = rng_for(w.cfg.seed, "t_assets")
    vals = a["value"].to_numpy(dtype=object).copy()
    textual = np.isin(a["asset_type"].to_numpy(), ("promo_code", "utm"))
    m = messy(r, vals, w.cfg.quirks.asset_value_messy)
    vals = np.where(textual, m, vals)
    note = a["note"].to_numpy()
    vt = a["vt"].to_numpy(dtype=float)
    return {
        "asset_id": fmt.s(a["asset_id"].to_numpy()),
        "campaign_id": fmt.take(w.campaigns["campaign_id"].to_numpy(), a["campaign"].to_numpy()),
        "kol_id": fmt.take(w.kols["kol_id"].to_numpy(), a["kol"].to_numpy()),
        "note_id": fmt.s(
            np.where(note >= 0, w.notes["note_id"].to_numpy(dtype=object)[np.maximum(note, 0)], None)
        ),
        "asset_type": fmt.s(a["asset_type"].to_numpy()),
        "asset_value": fmt.s(vals),
        "valid_from": fmt.date_col(w.t0 + a["vf"].to_numpy().astype(np.int64) * DAY),
        "valid_to": pa.array(
            np.where(np.isnan(vt), 0, w.t0 // DAY + vt).astype(np.int32), type=pa.date32(), mask=np.isnan(vt)
        ),
    }


def t_pgy_notes(ob: Observation) -> Cols:
    """Sponsored notes as ordered through Pugongying."""
    n = ob.world.notes
    return {
        "note_id": fmt.s(n["note_id"].to_numpy()),
        "kol_id": fmt.take(ob.world.kols["kol_id"].to_numpy(), n["kol_idx"].to_numpy()),
        "campaign_id": fmt.take(ob.world.campaigns["campaign_id"].to_numpy(), n["campaign_idx"].to_numpy()),
        "note_type": fmt.s(n["note_type"].to_numpy()),
        "content_format": fmt.s(n["content_format"].to_numpy()),
        "title": fmt.s(n["title"].to_numpy(dtype=object)),
        "published_at": fmt.i64(n["published_s"].to_numpy() * 1000),
        "kol_fee_fen": fmt.i64(n["kol_fee_fen"].to_numpy()),
        "platform_fee_fen": fmt.i64(n["platform_fee_fen"].to_numpy()),
        "is_boosted": pa.array(n["is_boosted"].to_numpy()),
    }


def _daily_note_counts(world: World, mask: np.ndarray | None = None) -> np.ndarray:
    """Reads per (note, day) as a dense (notes x days) array, optionally for a subset of exposures."""
    ex = world.exposures
    day = ((ex["t"].to_numpy() - world.t0) // DAY).astype(np.int64)
    key = ex["note"].to_numpy().astype(np.int64) * world.cfg.days + day
    w = None if mask is None else mask.astype(float)
    return np.bincount(key, weights=w, minlength=len(world.notes) * world.cfg.days).reshape(
        len(world.notes), world.cfg.days
    )


def t_pgy_note_report_daily(ob: Observation) -> Cols:
    """Cumulative per-note reports for up to 180 days after publishing; missing days; dips."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_report")
    ex = w.exposures
    f = 1.0 + cfg.outside_market_factor

    def scaled(mask: np.ndarray | None) -> np.ndarray:
        """Daily counts of the selected exposures plus the outside-market audience."""
        base = _daily_note_counts(w, mask)
        return base + r.poisson(base * (f - 1.0))

    reads = scaled(None)
    imp = reads * r.uniform(3.0, 8.0, (len(w.notes), 1))
    metrics = {
        "imp_num": np.round(imp + r.poisson(np.maximum(imp * 0.1, 0.0))),
        "read_uv": reads,
        "like_num": scaled(ex["like"].to_numpy()),
        "fav_num": scaled(ex["save"].to_numpy()),
        "cmt_num": scaled(ex["comment"].to_numpy()),
        "share_num": scaled(ex["share"].to_numpy()),
        "follow_num": scaled(ex["follow"].to_numpy()),
        "read_search": scaled(ex["via_search"].to_numpy()),
    }
    metrics["imp_search"] = np.round(metrics["read_search"] * r.uniform(2.0, 5.0, (len(w.notes), 1)))
    cum = {k: np.cumsum(v, axis=1) for k, v in metrics.items()}
    pub_day = (w.notes["published_s"].to_numpy() - w.t0) // DAY
    days = np.arange(cfg.days)
    valid = (days[None, :] >= pub_day[:, None]) & (days[None, :] <= pub_day[:, None] + 180)
    valid &= r.random(valid.shape) >= cfg.quirks.report_missing_day
    note_i, day_i = np.nonzero(valid)
    dip = r.random(len(note_i)) < cfg.quirks.report_dip
    out: Cols = {
        "note_id": fmt.take(w.notes["note_id"].to_numpy(), note_i),
        "report_date": fmt.date_col(w.t0 + day_i * DAY),
    }
    for col in (
        "imp_num",
        "read_uv",
        "like_num",
        "fav_num",
        "cmt_num",
        "share_num",
        "follow_num",
        "imp_search",
        "read_search",
    ):
        v = cum[col][note_i, day_i]
        v = np.where(dip, np.floor(v * 0.97), v)
        out[col] = fmt.i64(v)
    return out


def t_juguang_creative_daily(ob: Observation) -> Cols:
    """Paid amplification of boosted notes: one or two creatives, daily for ten days after publishing."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_juguang")
    boosted = np.flatnonzero(w.notes["is_boosted"].to_numpy())
    paid = _daily_note_counts(w, w.exposures["via_boost"].to_numpy())
    rows_note, rows_day, rows_cre = [], [], []
    ncre = r.integers(1, 3, len(boosted))
    pub_day = (w.notes["published_s"].to_numpy() - w.t0) // DAY
    for j, n in enumerate(boosted):
        for c in range(int(ncre[j])):
            d = np.arange(pub_day[n], min(pub_day[n] + 10, w.cfg.days))
            rows_note.append(np.full(len(d), n))
            rows_day.append(d)
            rows_cre.append(np.full(len(d), c))
    if rows_note:
        note_i = np.concatenate(rows_note)
        day_i = np.concatenate(rows_day)
        cre_i = np.concatenate(rows_cre)
    else:
        note_i = day_i = cre_i = np.array([], dtype=np.int64)
    share = np.where(cre_i == 0, 0.7, 0.3)
    clicks = np.round(paid[note_i, day_i] * share * (1 + w.cfg.outside_market_factor)) + r.poisson(
        2.0, len(note_i)
    )
    impressions = np.round(clicks * r.uniform(12, 30, len(note_i)))
    fee = impressions * r.uniform(0.02, 0.05, len(note_i))
    creative = np.char.add(
        np.char.add("cr", w.notes["note_id"].to_numpy()[note_i].astype(str).astype("U8")), cre_i.astype(str)
    )
    return {
        "creative_id": fmt.s(creative),
        "note_id": fmt.take(w.notes["note_id"].to_numpy(), note_i),
        "report_date": fmt.date_col(w.t0 + day_i * DAY),
        "fee_cny": fmt.dec(fee),
        "impressions": fmt.i64(impressions),
        "clicks": fmt.i64(clicks),
        "interactions": fmt.i64(np.round(clicks * r.uniform(0.05, 0.2, len(note_i)))),
        "search_after_read_num": fmt.i64(r.binomial(clicks.astype(np.int64), 0.04)),
    }


INTERACTION_TYPES = np.array(
    ["impression", "read", "like", "save", "comment", "share", "follow", "search_click", "ad_link_click"]
)


def _search_touches(ob: Observation) -> pd.DataFrame:
    """Search clicks before purchases: mediators of KOL effects in the ``search`` scenario, and
    organic brand searches of some baseline buyers. Persons and times only; the note is the one
    search returns (weighted by the notes' search strength, among notes already published)."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "search_touches")
    pur = ob.purchases
    caused = pur["kind"].to_numpy() > 0
    p = np.where(caused, cfg.search_mediated_share if cfg.scenario == "search" else 0.05, 0.08)
    sel = r.random(len(pur)) < p
    t = pur["t"].to_numpy()[sel] - (r.exponential(0.5 * DAY, sel.sum()) + 60).astype(np.int64)
    e = pur["exposure"].to_numpy()[sel]
    t_e = np.where(e >= 0, w.exposures["t"].to_numpy()[np.maximum(e, 0)], w.t0)
    t = np.maximum(t, t_e + 30)
    notes = w.notes
    pub = notes["published_s"].to_numpy()
    cw = np.cumsum(notes["search_strength"].to_numpy())
    avail = np.searchsorted(pub, t, side="left")
    ok = avail > 0
    pick = np.searchsorted(cw, r.random(len(t)) * cw[np.maximum(avail, 1) - 1], side="right")
    return pd.DataFrame(
        {
            "person": pur["person"].to_numpy()[sel][ok],
            "t": t[ok],
            "note": np.minimum(pick[ok], len(notes) - 1),
        }
    )


def t_xhs_note_interactions(ob: Observation) -> Cols:
    """User-level note events for the clean-room sample of persons only."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_interactions")
    ex = w.exposures
    cr = w.persons["in_clean_room"].to_numpy()
    obs = ex[cr[ex["person"].to_numpy()]]
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []  # person, note, t, type
    pe, no, te = obs["person"].to_numpy(), obs["note"].to_numpy(), obs["t"].to_numpy()
    parts.append((pe, no, te - r.integers(2, 120, len(obs)), np.zeros(len(obs), np.int8)))  # impression
    parts.append((pe, no, te, np.ones(len(obs), np.int8)))  # read
    for j, col in enumerate(("like", "save", "comment", "share", "follow"), start=2):
        m = obs[col].to_numpy()
        parts.append((pe[m], no[m], te[m] + r.integers(5, 600, m.sum()), np.full(m.sum(), j, np.int8)))
    vs = obs["via_search"].to_numpy()
    parts.append((pe[vs], no[vs], te[vs] - r.integers(1, 60, vs.sum()), np.full(vs.sum(), 7, np.int8)))
    adl = set(ob.assets.loc[ob.assets["asset_type"] == "ad_link", "note"].tolist())
    vb = obs["via_boost"].to_numpy() & np.isin(no, list(adl)) & (r.random(len(obs)) < 0.3)
    parts.append((pe[vb], no[vb], te[vb] + r.integers(5, 300, vb.sum()), np.full(vb.sum(), 8, np.int8)))
    # impression-only events: copies of random reads re-assigned to clean-room persons
    cr_idx = np.flatnonzero(cr)
    n_imp = int(len(obs) * cfg.impressions_per_read)
    if n_imp and len(ex) and len(cr_idx):
        src = r.integers(0, len(ex), n_imp)
        parts.append(
            (
                cr_idx[r.integers(0, len(cr_idx), n_imp)],
                ex["note"].to_numpy()[src],
                ex["t"].to_numpy()[src] + r.integers(60, 3 * DAY, n_imp),
                np.zeros(n_imp, np.int8),
            )
        )
    # search clicks before purchases (+ the read they lead to)
    st = _search_touches(ob)
    st = st[cr[st["person"].to_numpy()]]
    parts.append(
        (st["person"].to_numpy(), st["note"].to_numpy(), st["t"].to_numpy(), np.full(len(st), 7, np.int8))
    )
    parts.append(
        (st["person"].to_numpy(), st["note"].to_numpy(), st["t"].to_numpy() + 20, np.ones(len(st), np.int8))
    )
    person = np.concatenate([p[0] for p in parts])
    note = np.concatenate([p[1] for p in parts]).astype(np.int64)
    t = np.concatenate([p[2] for p in parts])
    typ = np.concatenate([p[3] for p in parts])
    # events for notes the brand does not know
    n_unk = int(len(person) * cfg.quirks.unknown_note_events)
    unknown_ids = hex_ids(rng_for(cfg.seed, "unknown_notes"), 40, 24)
    all_note_ids = np.concatenate([w.notes["note_id"].to_numpy(), unknown_ids])
    if n_unk and len(cr_idx):
        person = np.concatenate([person, cr_idx[r.integers(0, len(cr_idx), n_unk)]])
        note = np.concatenate([note, len(w.notes) + r.integers(0, len(unknown_ids), n_unk)])
        t = np.concatenate([t, w.t0 + r.integers(0, cfg.days * DAY, n_unk)])
        typ = np.concatenate([typ, r.choice([0, 1, 2], n_unk, p=[0.5, 0.4, 0.1]).astype(np.int8)])
    keep = (t >= w.t0) & (t < w.t_end)
    person, note, t, typ = person[keep], note[keep], t[keep], typ[keep]
    order = np.lexsort((typ, note, person, t))
    person, note, t, typ = person[order], note[order], t[order], typ[order]
    ev = pa.array(fmt.random_bytes_hex(rng_for(cfg.seed, "event_ids"), len(t), 20), type=pa.string())
    idx = fmt.with_duplicates(r, len(t), cfg.quirks.dup_interactions)
    return {
        "event_id": ev.take(pa.array(idx)),
        "xhs_user_id": fmt.take(w.persons["xhs_user_id"].to_numpy(), person[idx]),
        "note_id": fmt.take(all_note_ids, note[idx]),
        "interaction_type": fmt.take(INTERACTION_TYPES, typ[idx]),
        "occurred_at": fmt.ts(t[idx]),
    }


def _utm_url(
    rng: np.random.Generator, ses: pd.DataFrame, camp_ids: np.ndarray, note_ids: np.ndarray, q: QuirkRates
) -> np.ndarray:
    """Landing URLs: KOL UTM values (mixed case, URL-encoded as ``%5F``), ad links, organic and
    unknown sources (vectorised)."""
    n = len(ses)
    paths = np.array(
        ["/", "/products/serum-30ml", "/products/gift-set", "/collections/new", "/pages/campaign"],
        dtype=object,
    )
    path_i = rng.integers(0, len(paths), n)
    u = rng.random((n, 4))
    org = rng.integers(0, len(ORGANIC_UTM), n)
    unk = rng.integers(0, len(UNKNOWN_UTM), n)

    def col(values: object) -> pd.Series:
        """An object-dtype string Series aligned with the sessions."""
        return pd.Series(np.asarray(values, dtype=object), dtype=object)

    mp = ses["mp"].to_numpy(dtype=bool)
    base = col(np.where(mp, "https://mp.brand.cn/pages/index", "https://www.brand.cn" + paths[path_i])) + "?"
    campaign = ses["campaign"].to_numpy()
    camp = col(np.where(campaign >= 0, np.asarray(camp_ids, dtype=object)[np.maximum(campaign, 0)], "None"))
    note = ses["note"].to_numpy()
    note_txt = col(np.where(note >= 0, np.asarray(note_ids, dtype=object)[np.maximum(note, 0)], "None"))
    utm = ses["utm"]
    is_utm = utm.notna().to_numpy()
    val = col(utm.where(utm.notna(), "").to_numpy(dtype=object))
    mixed = np.where(u[:, 1] < 0.5, val.str.upper(), val.str.capitalize())
    val = col(np.where(u[:, 0] < q.utm_mixed_case, mixed, val))
    val = col(np.where(u[:, 2] < q.utm_urlencoded, val.str.replace("_", "%5F", regex=False), val))
    med = col(np.where(u[:, 3] < 0.4, "xhs-video", "xhs-note"))
    kol_url = (
        base
        + "utm_source="
        + val
        + "&utm_medium="
        + med
        + "&utm_campaign="
        + camp
        + "&utm_content="
        + note_txt
    )
    adl = ses["ad_link"]
    is_adl = adl.notna().to_numpy()
    adl_url = (
        base
        + "utm_source=xhs&utm_medium=ad_link&utm_campaign="
        + camp
        + "&utm_content="
        + col(adl.where(adl.notna(), "").to_numpy(dtype=object))
    )
    unk_url = base + "utm_source=" + col(np.array(UNKNOWN_UTM, dtype=object)[unk]) + "&utm_medium=social"
    org_src = np.array([o[0] for o in ORGANIC_UTM], dtype=object)[org]
    org_med = np.array([o[1] for o in ORGANIC_UTM], dtype=object)[org]
    org_url = base + "utm_source=" + col(org_src) + "&utm_medium=" + col(org_med) + "&utm_campaign=always_on"
    plain = base.str.slice(0, -1)
    return np.select(
        [is_utm, is_adl, u[:, 0] < q.utm_unknown_source, u[:, 1] < 0.35],
        [
            kol_url.to_numpy(dtype=object),
            adl_url.to_numpy(dtype=object),
            unk_url.to_numpy(dtype=object),
            org_url.to_numpy(dtype=object),
        ],
        default=plain.to_numpy(dtype=object),
    )


def t_web_sessions(ob: Observation) -> Cols:
    """D2C site and mini-program entry log."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_sessions")
    ses = ob.sessions
    n = len(ses)
    p = ses["person"].to_numpy()
    mp = ses["mp"].to_numpy()
    urls = _utm_url(
        rng_for(cfg.seed, "t_sessions_url"),
        ses,
        w.campaigns["campaign_id"].to_numpy(),
        w.notes["note_id"].to_numpy(),
        cfg.quirks,
    )
    has_qr = ses["qr"].notna().to_numpy()
    scene = np.where(
        has_qr,
        r.choice([1011, 1012, 1047], n, p=[0.5, 0.3, 0.2]),
        r.choice([1001, 1089, 1007, 1035, 1011], n, p=[0.4, 0.25, 0.2, 0.1, 0.05]),
    )
    anon = w.persons["anonymous_id"].to_numpy(dtype=object)[p].copy()
    fresh = r.random(n) < 0.2  # a new device / cleared cookies
    anon[fresh] = fmt.random_bytes_hex(r, int(fresh.sum()), 16, prefix="anon-").to_numpy(zero_copy_only=False)
    logged = (ses["order_ref"].notna().to_numpy() & (r.random(n) < 0.85)) | (r.random(n) < 0.25)
    cols = {
        "session_id": fmt.s(ses["session_id"].to_numpy()),
        "anonymous_id": fmt.s(anon),
        "customer_id": fmt.s(w.persons["d2c_customer_id"].to_numpy()[p], mask=~logged | mp),
        "wx_openid": fmt.s(w.persons["wx_openid"].to_numpy()[p], mask=~mp),
        "started_at": fmt.iso_mixed(ses["t"].to_numpy(), r.random(n) < cfg.quirks.z_offset),
        "landing_url": fmt.s(urls),
        "wx_scene": fmt.i32(scene, mask=~mp),
        "scene_param": fmt.s(np.where(mp & has_qr, ses["qr"].to_numpy(dtype=object), None)),
    }
    # overlapping exports repeat a session row identically (contract: duplicates are identical rows),
    # so every column is formatted once and the repeated rows are copies
    idx = pa.array(fmt.with_duplicates(rng_for(cfg.seed, "t_sessions_dup"), n, cfg.quirks.dup_sessions))
    return {name: col.take(idx) for name, col in cols.items()}


def _online(ob: Observation, platform: int) -> pd.DataFrame:
    """Realised online purchases on one platform, in time order."""
    pur = ob.purchases
    return pur[(pur["platform"] == platform) & ~pur["is_offline"]].reset_index(drop=True)


def _bad(r: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """Rows turned into unreadable 'bad rows' (key columns stay readable)."""
    return r.random(n) < rate


def order_outcomes(ob: Observation) -> pd.DataFrame:
    """Memoised :func:`compute_outcomes`."""
    if ob.outcomes is None:
        ob.outcomes = compute_outcomes(ob)
    return ob.outcomes


def compute_outcomes(ob: Observation) -> pd.DataFrame:
    """Status, refunds, bad-row flag and net revenue in CNY per realised online order (the truth of what
    the exports below encode), computed once so tables and truth agree."""
    w = ob.world
    cfg = w.cfg
    pur = ob.purchases
    r = rng_for(cfg.seed, "order_outcomes")
    n = len(pur)
    su = pur["status_u"].to_numpy()
    ru = pur["refund_u"].to_numpy()
    amount = pur["amount_cny"].to_numpy()
    plat = pur["platform"].to_numpy()
    status = np.empty(n, dtype=object)
    refund = np.zeros(n)
    # xhs shop
    m = plat == XHS
    status[m] = np.where(su[m] < 0.88, "paid", np.where(su[m] < 0.95, "refunded", "cancelled"))
    # tmall
    m = plat == TMALL
    recent = pur["t"].to_numpy() > w.t_end - 10 * DAY
    st = np.where(
        su < 0.80,
        "TRADE_FINISHED",
        np.where(
            su < 0.86,
            np.where(recent, "WAIT_SELLER_SEND_GOODS", "TRADE_FINISHED"),
            np.where(
                su < 0.92,
                np.where(recent, "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"),
                np.where(su < 0.98, "TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO"),
            ),
        ),
    )
    status[m] = st[m]
    # jd
    m = plat == JD
    status[m] = np.where(su[m] < 0.88, "FINISHED", np.where(su[m] < 0.95, "CANCELLED", "REFUNDED"))
    # d2c
    m = plat == D2C
    status[m] = np.where(
        su[m] < 0.88,
        "paid",
        np.where(su[m] < 0.93, "refunded", np.where(su[m] < 0.97, "partially_refunded", "voided")),
    )
    m = plat == WXMP
    status[m] = "paid"
    # xhs red discount (platform subsidy, not revenue): the buyer pays amount - subsidy
    red = np.where((plat == XHS) & (r.random(n) < 0.3), r.integers(5, 21, n).astype(float), 0.0)
    paid = np.round(amount - red, 2)
    partial_tmall = (plat == TMALL) & (status == "TRADE_FINISHED") & (ru < 0.05)
    refund = np.where(partial_tmall, np.round(paid * 0.3, 2), refund)
    refund = np.where((plat == XHS) & (status == "refunded"), paid, refund)
    refund = np.where((plat == D2C) & (status == "refunded"), paid, refund)
    refund = np.where((plat == D2C) & (status == "partially_refunded"), np.round(paid * 0.4, 2), refund)
    closed = np.isin(
        status, ("cancelled", "TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO", "CANCELLED", "REFUNDED", "voided")
    )
    # D2C currency: amounts written in the order currency, converted back at the contract's rule
    cur = np.where(plat == D2C, r.choice(["CNY", "USD", "HKD"], n, p=[0.85, 0.1, 0.05]), "CNY").astype(object)
    rate = fx_lookup(w, cur, pur["t"].to_numpy())
    rate = np.where(np.isnan(rate), 1.0, rate)
    paid_cur = np.round(paid / rate, 2)
    refund_cur = np.round(refund / rate, 2)
    net = np.where(closed, 0.0, np.round((paid_cur - refund_cur) * rate, 2))
    bad = _bad(r, n, cfg.quirks.bad_rows) & ~pur["is_offline"].to_numpy()
    return pd.DataFrame(
        {
            "status": status,
            "paid_cny": paid,
            "refund_cny": refund,
            "net_cny": net,
            "red_discount_cny": red,
            "currency": cur,
            "paid_cur": paid_cur,
            "refund_cur": refund_cur,
            "is_bad_row": bad,
        }
    )


def _fx_table(w: World) -> pd.DataFrame:
    """Daily USD and HKD reference rates, weekdays only (and a few holidays missing)."""
    r = rng_for(w.cfg.seed, "fx")
    days = pd.date_range(
        pd.Timestamp(w.cfg.start_date) - pd.Timedelta(days=14), periods=w.cfg.days + 14, freq="D"
    )
    weekday = days.day_of_week.to_numpy() < 5
    holiday = np.isin(
        days.strftime("%m-%d").to_numpy(), ["01-01", "10-01", "10-02", "10-03", "05-01", "12-25"]
    )
    keep = weekday & ~holiday
    frames = []
    for cur, start, vol in (("USD", 7.12, 0.003), ("HKD", 0.912, 0.0025)):
        walk = start * np.exp(np.cumsum(r.normal(0, vol, len(days))))
        frames.append(pd.DataFrame({"currency": cur, "day": days[keep], "rate": np.round(walk[keep], 6)}))
    return pd.concat(frames, ignore_index=True)


def fx_lookup(w: World, currency: np.ndarray, t: np.ndarray) -> np.ndarray:
    """CNY per unit at the latest rate on or before the order's UTC date (1 for CNY, nan if unknown)."""
    fx = _fx_table(w)
    out = np.where(currency == "CNY", 1.0, np.nan)
    day_ns = (np.asarray(t, dtype=np.int64) // DAY) * DAY * 1_000_000_000
    for cur in ("USD", "HKD"):
        f = fx[fx["currency"] == cur]
        fd = f["day"].to_numpy().astype("datetime64[ns]").astype(np.int64)
        pos = np.searchsorted(fd, day_ns, side="right") - 1
        rate = f["rate"].to_numpy()[np.maximum(pos, 0)]
        out = np.where((currency == cur) & (pos >= 0), rate, out)
    return out


def t_fx_rates_daily(ob: Observation) -> Cols:
    """Finance's reference rates (no CNY rows, no weekend rows)."""
    fx = _fx_table(ob.world)
    return {
        "currency": fmt.s(fx["currency"].to_numpy()),
        "rate_date": pa.array(
            fx["day"].to_numpy().astype("datetime64[D]").astype(np.int32), type=pa.date32()
        ),
        "cny_per_unit": pa.array(fx["rate"].to_numpy(), type=pa.float64()),
    }


def t_xhs_shop_orders(ob: Observation) -> Cols:
    """XHS shop orders; bad rows have a paid_time in the future or a negative amount."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_xhs_shop")
    outc = order_outcomes(ob)
    sel = ((ob.purchases["platform"] == XHS) & ~ob.purchases["is_offline"]).to_numpy()
    o = ob.purchases[sel]
    oc = outc[sel]
    n = len(o)
    idx = fmt.with_duplicates(r, n, w.cfg.quirks.dup_xhs_shop)
    pay = np.round(oc["paid_cny"].to_numpy() * 100).astype(np.int64)
    paid_ms = o["t"].to_numpy() * 1000
    bad = oc["is_bad_row"].to_numpy()
    bad_kind = r.random(n) < 0.5
    paid_ms = np.where(bad & bad_kind, paid_ms + 4 * 365 * DAY * 1000, paid_ms)
    pay = np.where(bad & ~bad_kind, -pay, pay)
    src = o["source_note"].to_numpy()
    cols = {
        "order_id": fmt.s(o["order_ref"].to_numpy()),
        "user_id": fmt.take(w.persons["xhs_user_id"].to_numpy(), o["person"].to_numpy()),
        "paid_time": fmt.i64(paid_ms),
        "total_pay_amount_fen": fmt.i64(pay),
        "red_discount_fen": fmt.i64(np.round(oc["red_discount_cny"].to_numpy() * 100)),
        "coupon_code": fmt.s(o["coupon_typed"].to_numpy(dtype=object)),
        "source_note_id": fmt.s(
            np.where(src >= 0, w.notes["note_id"].to_numpy(dtype=object)[np.maximum(src, 0)], None)
        ),
        "order_status": fmt.s(oc["status"].to_numpy(dtype=object)),
        "refund_amount_fen": fmt.i64(np.round(oc["refund_cny"].to_numpy() * 100)),
    }
    return {k: v.take(pa.array(idx)) for k, v in cols.items()}


def t_tmall_orders(ob: Observation) -> Cols:
    """Tmall trades; duplicates from overlapping exports; bad rows carry payment 'N/A'."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_tmall")
    outc = order_outcomes(ob)
    sel = ((ob.purchases["platform"] == TMALL) & ~ob.purchases["is_offline"]).to_numpy()
    o, oc = ob.purchases[sel], outc[sel]
    idx = fmt.with_duplicates(r, len(o), w.cfg.quirks.dup_tmall)
    payment = fmt.yuan_text(o["amount_cny"].to_numpy()).astype(object)
    payment[oc["is_bad_row"].to_numpy()] = "N/A"
    cols = {
        "tid": fmt.s(o["order_ref"].to_numpy()),
        "buyer_open_uid": fmt.take(w.persons["tmall_open_uid"].to_numpy(), o["person"].to_numpy()),
        "pay_time": fmt.local_text(o["t"].to_numpy()),
        "payment": fmt.s(payment),
        "coupon_code": fmt.s(o["coupon_typed"].to_numpy(dtype=object)),
        "status": fmt.s(oc["status"].to_numpy(dtype=object)),
        "refund_fee": fmt.s(fmt.yuan_text(oc["refund_cny"].to_numpy())),
    }
    return {k: v.take(pa.array(idx)) for k, v in cols.items()}


def t_jd_orders(ob: Observation) -> Cols:
    """JD orders (Shanghai wall-clock times); bad rows have a negative amount."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_jd")
    outc = order_outcomes(ob)
    sel = ((ob.purchases["platform"] == JD) & ~ob.purchases["is_offline"]).to_numpy()
    o, oc = ob.purchases[sel], outc[sel]
    idx = fmt.with_duplicates(r, len(o), w.cfg.quirks.dup_jd)
    amt = np.where(oc["is_bad_row"].to_numpy(), -o["amount_cny"].to_numpy(), o["amount_cny"].to_numpy())
    cols = {
        "order_id": fmt.s(o["order_ref"].to_numpy()),
        "pin_enc": fmt.take(w.persons["jd_pin"].to_numpy(), o["person"].to_numpy()),
        "order_time": fmt.ts(o["t"].to_numpy() + fmt.SHANGHAI),
        "order_amount": fmt.dec(amt),
        "coupon_code": fmt.s(o["coupon_typed"].to_numpy(dtype=object)),
        "order_state": fmt.s(oc["status"].to_numpy(dtype=object)),
    }
    return {k: v.take(pa.array(idx)) for k, v in cols.items()}


def d2c_amounts(ob: Observation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(currency written, amount in that currency, refunded in that currency) per purchase row;
    D2C bad rows are written in an unknown currency ('EUR')."""
    outc = order_outcomes(ob)
    cur = outc["currency"].to_numpy(dtype=object).copy()
    cur[outc["is_bad_row"].to_numpy() & (ob.purchases["platform"].to_numpy() == D2C)] = "EUR"
    return cur, outc["paid_cur"].to_numpy(), outc["refund_cur"].to_numpy()


def t_d2c_orders(ob: Observation) -> Cols:
    """Own web shop orders; foreign currencies; bad rows in an unknown currency (EUR)."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_d2c")
    outc = order_outcomes(ob)
    cur, amount, refund = d2c_amounts(ob)
    sel = ((ob.purchases["platform"] == D2C) & ~ob.purchases["is_offline"]).to_numpy()
    o, oc = ob.purchases[sel], outc[sel]
    n = len(o)
    p = o["person"].to_numpy()
    ses = ob.sessions
    paying = ses[ses["order_ref"].notna()]
    sid = pd.Series(
        paying["session_id"].to_numpy(dtype=object), index=paying["order_ref"].to_numpy(dtype=object)
    )
    landing = o["order_ref"].map(sid).to_numpy(dtype=object)
    landing = np.where(pd.isna(landing), None, landing).astype(object)
    landing[r.random(n) < 0.15] = None
    return {
        "order_id": fmt.s(o["order_ref"].to_numpy()),
        "customer_id": fmt.take(w.persons["d2c_customer_id"].to_numpy(), p),
        "email_sha256": fmt.s(w.persons["email_sha256"].to_numpy()[p], mask=r.random(n) >= 0.8),
        "phone_sha256": fmt.s(w.persons["phone_sha256"].to_numpy()[p], mask=r.random(n) >= 0.6),
        "created_at": fmt.iso_mixed(o["t"].to_numpy(), r.random(n) < w.cfg.quirks.z_offset),
        "currency": fmt.s(cur[sel]),
        "total_amount": fmt.dec(amount[sel]),
        "discount_code": fmt.s(o["coupon_typed"].to_numpy(dtype=object)),
        "landing_session_id": fmt.s(landing),
        "financial_status": fmt.s(oc["status"].to_numpy(dtype=object)),
        "refunded_amount": fmt.dec(refund[sel]),
    }


def t_wechat_mp_orders(ob: Observation) -> Cols:
    """Mini-program orders with WeChat Pay; ``attach`` may carry 'kol=<QR asset value>'."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_wechat")
    outc = order_outcomes(ob)
    sel = ((ob.purchases["platform"] == WXMP) & ~ob.purchases["is_offline"]).to_numpy()
    o, oc = ob.purchases[sel], outc[sel]
    n = len(o)
    p = o["person"].to_numpy()
    qr = o["qr_scan"].to_numpy()
    attach = np.where(
        qr & (r.random(n) < 0.6),
        np.char.add("kol=", o["qr_code"].fillna("").to_numpy().astype(str)),
        np.where(r.random(n) < 0.2, "mp_order", None),
    ).astype(object)
    attach[attach == "None"] = None
    ses = ob.sessions
    # entry scene of the paying session (from the session log)
    ses_o = ses[ses["order_ref"].notna()]
    scene_qr = pd.Series(ses_o["qr"].notna().to_numpy(), index=ses_o["order_ref"].to_numpy(dtype=object))
    has_qr = o["order_ref"].map(scene_qr).fillna(False).to_numpy(dtype=bool)
    scene = np.where(has_qr, r.choice([1011, 1012, 1047], n), r.choice([1001, 1089, 1007, 1035], n))
    amt = np.round(o["amount_cny"].to_numpy() * 100).astype(np.int64)
    amt = np.where(oc["is_bad_row"].to_numpy(), -amt, amt)
    return {
        "out_trade_no": fmt.s(o["order_ref"].to_numpy()),
        "openid": fmt.take(w.persons["wx_openid"].to_numpy(), p),
        "unionid": fmt.s(w.persons["wx_unionid"].to_numpy()[p], mask=r.random(n) >= 0.4),
        "paid_at": fmt.i64(o["t"].to_numpy()),
        "amount_fen": fmt.i64(amt),
        "coupon_code": fmt.s(o["coupon_typed"].to_numpy(dtype=object)),
        "attach": fmt.s(attach),
        "scene": fmt.i32(scene),
    }


ID_TYPES = (
    "xhs_user_id",
    "tmall_open_uid",
    "jd_pin",
    "wx_openid",
    "wx_unionid",
    "d2c_customer_id",
    "email_sha256",
    "phone_sha256",
    "anonymous_id",
)
_ID_COL = {
    "jd_pin": "jd_pin",
    "xhs_user_id": "xhs_user_id",
    "tmall_open_uid": "tmall_open_uid",
    "wx_openid": "wx_openid",
    "wx_unionid": "wx_unionid",
    "d2c_customer_id": "d2c_customer_id",
    "email_sha256": "email_sha256",
    "phone_sha256": "phone_sha256",
    "anonymous_id": "anonymous_id",
}
LINK_RULES = (  # left, right, source, share of eligible persons, eligibility (platform used)
    ("xhs_user_id", "tmall_open_uid", "clean_room", 0.15, TMALL),
    ("xhs_user_id", "wx_openid", "clean_room", 0.06, WXMP),
    ("wx_openid", "wx_unionid", "wechat_unionid", 0.5, WXMP),
    ("anonymous_id", "d2c_customer_id", "checkout_login", 0.6, D2C),
    ("d2c_customer_id", "email_sha256", "checkout_login", 0.7, D2C),
    ("email_sha256", "phone_sha256", "crm", 0.4, D2C),
    ("phone_sha256", "jd_pin", "crm", 0.25, JD),
    ("wx_unionid", "phone_sha256", "crm", 0.2, WXMP),
    ("xhs_user_id", "phone_sha256", "survey_match", 0.1, -1),
    ("d2c_customer_id", "wx_unionid", "crm", 0.15, D2C),
)


def t_identity_links(ob: Observation) -> Cols:
    """Identity graph edges forming chains (anonymous_id - customer - email - phone - jd pin ...)."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_identity")
    pur = ob.purchases[~ob.purchases["is_offline"]]
    used = np.zeros((w.cfg.persons, len(PLATFORMS)), dtype=bool)
    used[pur["person"].to_numpy(), pur["platform"].to_numpy()] = True
    buyer = used.any(axis=1) & w.persons["has_xhs"].to_numpy()
    lt, lv, rt, rv, src, pid = [], [], [], [], [], []
    for left, right, source, share, plat in LINK_RULES:
        elig = buyer if plat < 0 else used[:, plat]
        if left == "xhs_user_id" or right == "xhs_user_id":
            elig = elig & w.persons["has_xhs"].to_numpy()
        ps = np.flatnonzero(elig & (r.random(w.cfg.persons) < share))
        swap = r.random(len(ps)) < 0.3  # edges come in either direction
        a = w.persons[_ID_COL[left]].to_numpy()[ps]
        b = w.persons[_ID_COL[right]].to_numpy()[ps]
        lt.append(np.where(swap, right, left))
        rt.append(np.where(swap, left, right))
        lv.append(np.where(swap, b, a))
        rv.append(np.where(swap, a, b))
        src.append(np.full(len(ps), source))
        pid.append(ps)
    pid_a = np.concatenate(pid)
    n = len(pid_a)
    linked = w.t0 + r.integers(0, w.cfg.days * DAY, n)
    order = np.lexsort((np.arange(n), linked))
    return {
        "link_id": fmt.s(seq_ids("L", n, 9)),
        "left_id_type": fmt.s(np.concatenate(lt)[order]),
        "left_id_value": fmt.s(np.concatenate(lv)[order]),
        "right_id_type": fmt.s(np.concatenate(rt)[order]),
        "right_id_value": fmt.s(np.concatenate(rv)[order]),
        "link_source": fmt.s(np.concatenate(src)[order]),
        "linked_at": fmt.ts(linked[order]),
    }


def t_post_purchase_surveys(ob: Observation) -> Cols:
    """Sparse, messy checkout survey answers; offline purchases answer with refs that match nothing."""
    return survey_responses(ob)[0]


def survey_responses(ob: Observation) -> tuple[Cols, np.ndarray, np.ndarray]:
    """The survey table's columns and, per response (same order), the index into ``world.kols`` of the
    KOL whose handle the recall misspells (-1: no recall; the purchase's own KOL, or a random KOL for a
    wrong recall) and of the KOL that caused the purchase (-1: baseline). Deterministic for the seed
    (stream 't_surveys'); the truth table ``truth_survey_recalls`` re-runs it."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_surveys")
    pur = ob.purchases
    off = pur["is_offline"].to_numpy()
    resp = np.where(
        off,
        r.random(len(pur)) < cfg.quirks.survey_offline_response,
        r.random(len(pur))
        < cfg.quirks.survey_response * np.where(np.isin(pur["platform"].to_numpy(), (D2C, WXMP)), 2.0, 0.7),
    )
    o = pur[resp].reset_index(drop=True)
    n = len(o)
    caused = o["kind"].to_numpy() > 0
    xhs = np.where(caused, r.random(n) < 0.65, r.random(n) < 0.2)
    channel = np.where(
        xhs,
        np.array(XHS_ANSWERS, dtype=object)[r.integers(0, len(XHS_ANSWERS), n)],
        np.array(OTHER_ANSWERS, dtype=object)[r.integers(0, len(OTHER_ANSWERS), n)],
    )
    ctypes = np.array(["kol_review", "brand_post", "search_result", "ad", "other"], dtype=object)
    ctype = np.where(
        xhs,
        ctypes[r.choice(5, n, p=[0.6, 0.1, 0.15, 0.1, 0.05])],
        ctypes[r.choice(5, n, p=[0.05, 0.2, 0.2, 0.25, 0.3])],
    )
    ctype = np.where(r.random(n) < 0.2, None, ctype)
    handles = w.kols["kol_handle"].to_numpy(dtype=object)
    kol = o["kol"].to_numpy()
    recall = np.empty(n, dtype=object)
    recalled = np.full(n, -1, dtype=np.int64)
    ur = r.random(n)
    for i in range(n):
        if xhs[i] and caused[i] and ur[i] < 0.55:
            recalled[i] = kol[i]
            recall[i] = misspell(r, handles[kol[i]])
        elif xhs[i] and ur[i] > 0.9:
            recalled[i] = int(r.integers(len(handles)))
            recall[i] = misspell(r, handles[recalled[i]])
    plat = o["platform"].to_numpy()
    answered = o["t"].to_numpy() + (r.exponential(2 * 3600, n) + 60).astype(np.int64)
    order = np.lexsort((np.arange(n), answered))
    ref = o["order_ref"].to_numpy(dtype=object)
    cols = {
        "response_id": fmt.s(seq_ids("R", n, 8)),
        "order_platform": fmt.take(np.array(PLATFORMS), plat[order]),
        "order_ref": fmt.s(ref[order]),
        "answered_at": fmt.ts(answered[order]),
        "first_heard_channel": fmt.s(channel[order]),
        "content_type": fmt.s(ctype[order]),
        "kol_recall": fmt.s(recall[order]),
    }
    return cols, recalled[order], np.where(caused, kol, -1)[order]


def t_alliance_conversions(ob: Observation) -> Cols:
    """小红星 / 小红盟 daily note reports: reads, and orders on the alliance platform by anyone who read the
    note within the attribution period (view-through, so several notes claim the same sale)."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_alliance")
    camps = w.campaigns
    has = camps["alliance_task_id"].notna().to_numpy()
    notes = w.notes
    nsel = has[notes["campaign_idx"].to_numpy()]
    note_ix = np.flatnonzero(nsel)
    if len(note_ix) == 0:
        return {
            c: pa.array([], type=t)
            for c, t in (
                ("task_id", pa.string()),
                ("note_id", pa.string()),
                ("report_date", pa.date32()),
                ("alliance", pa.string()),
                ("attribution_period_days", pa.int32()),
                ("read_uv", pa.int64()),
                ("enter_shop_uv", pa.int64()),
                ("add_cart_uv", pa.int64()),
                ("order_uv", pa.int64()),
                ("order_gmv_cny", pa.decimal128(14, 2)),
                ("new_customer_uv", pa.int64()),
            )
        }
    alliance_plat = np.where(camps["alliance"].to_numpy() == "tmall", TMALL, JD)
    reads = _daily_note_counts(w) * (1 + cfg.outside_market_factor)
    ex = w.exposures
    exs = ex[nsel[ex["note"].to_numpy()]][["person", "note", "t"]]
    pur = ob.purchases[~ob.purchases["is_offline"]][["person", "t", "platform", "amount_cny", "candidate_id"]]
    first_buy = pur.groupby(["person", "platform"])["t"].transform("min") == pur["t"]
    pur = pur.assign(is_new=first_buy.to_numpy())
    j = exs.merge(pur, on="person", suffixes=("_e", "_p"))
    j = j[j["platform"].to_numpy() == alliance_plat[notes["campaign_idx"].to_numpy()[j["note"].to_numpy()]]]
    lag = (j["t_p"] - j["t_e"]).to_numpy()
    frames = []
    pub_day = (notes["published_s"].to_numpy() - w.t0) // DAY
    for period in (15, 30):
        jj = j[(lag > 0) & (lag <= period * DAY)].drop_duplicates(["note", "candidate_id"])
        day = (jj["t_p"].to_numpy() - w.t0) // DAY
        g = pd.DataFrame(
            {
                "note": jj["note"].to_numpy(),
                "day": day,
                "amt": jj["amount_cny"].to_numpy(),
                "new": jj["is_new"].to_numpy(),
            }
        )
        agg = g.groupby(["note", "day"]).agg(order_uv=("amt", "size"), gmv=("amt", "sum"), new=("new", "sum"))
        # one row per note and day from publishing for 45 days
        n_days = np.maximum(np.minimum(pub_day[note_ix] + 45, cfg.days) - pub_day[note_ix], 0)
        rep_note = np.repeat(note_ix, n_days)
        offset = np.arange(int(n_days.sum())) - np.repeat(np.cumsum(n_days) - n_days, n_days)
        base = pd.DataFrame({"note": rep_note, "day": pub_day[rep_note] + offset})
        base = base.merge(agg.reset_index(), on=["note", "day"], how="left").fillna(0)
        base["period"] = period
        frames.append(base)
    al = pd.concat(frames, ignore_index=True).sort_values(["note", "day", "period"], kind="stable")
    nt, dy = al["note"].to_numpy().astype(np.int64), al["day"].to_numpy().astype(np.int64)
    read_uv = np.round(reads[nt, dy])
    order_uv = al["order_uv"].to_numpy()
    # platforms inflate: they also count orders by users outside our simulated market
    infl = 1 + cfg.outside_market_factor * r.uniform(0.3, 1.0, len(al))
    order_uv_rep = np.round(order_uv * infl)
    camp_i = notes["campaign_idx"].to_numpy()[nt]
    return {
        "task_id": fmt.take(camps["alliance_task_id"].to_numpy(dtype=object), camp_i),
        "note_id": fmt.take(notes["note_id"].to_numpy(), nt),
        "report_date": fmt.date_col(w.t0 + dy * DAY),
        "alliance": fmt.take(camps["alliance"].to_numpy(dtype=object), camp_i),
        "attribution_period_days": fmt.i32(al["period"].to_numpy()),
        "read_uv": fmt.i64(read_uv),
        "enter_shop_uv": fmt.i64(np.round(read_uv * r.uniform(0.04, 0.1, len(al))) + order_uv_rep),
        "add_cart_uv": fmt.i64(np.round(read_uv * r.uniform(0.01, 0.03, len(al))) + order_uv_rep),
        "order_uv": fmt.i64(order_uv_rep),
        "order_gmv_cny": fmt.dec(al["gmv"].to_numpy() * infl, 14),
        "new_customer_uv": fmt.i64(np.minimum(np.round(al["new"].to_numpy() * infl), order_uv_rep)),
    }


def _recent_reads_by_category(w: World) -> tuple[list[str], np.ndarray]:
    """Reads per (category, day) smoothed over the last 14 days."""
    cats = sorted(set(w.campaigns["product_category"]))
    daily = _daily_note_counts(w)
    note_cat = w.campaigns["product_category"].to_numpy()[w.notes["campaign_idx"].to_numpy()]
    out = np.zeros((len(cats), w.cfg.days))
    kernel = np.ones(14)
    for i, c in enumerate(cats):
        series = daily[note_cat == c].sum(axis=0)
        out[i] = np.convolve(series, kernel)[: w.cfg.days]
    return cats, out


KEYWORD_CN = {
    "skincare": "精华",
    "beauty_accessories": "化妆刷",
    "supplements": "维生素",
    "mother_baby": "婴儿面霜",
    "luxury": "手袋",
    "fashion": "穿搭",
    "snacks": "零食",
    "home_appliances": "吹风机",
    "home_goods": "香薰",
}


def t_xhs_search_rank_daily(ob: Observation) -> Cols:
    """Brand keyword ranks that improve with recent KOL reads in the keyword's category."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_search")
    cats, recent = _recent_reads_by_category(w)
    kws = (
        ["品牌名"]
        + [f"品牌名 {KEYWORD_CN.get(c, c)}" for c in cats]
        + [f"{KEYWORD_CN.get(c, c)}推荐" for c in cats]
    )
    series = [recent.sum(axis=0)] + list(recent) + list(recent * 0.5)
    rows_kw, rows_day, rank, top20, vol = [], [], [], [], []
    for kw, s in zip(kws, series, strict=True):
        norm = s / (s.mean() + 1e-9)
        generic = not kw.startswith("品牌名")
        base_rank = 60.0 if generic else 12.0
        rk = np.round(base_rank / (1 + 2 * norm) * r.lognormal(0, 0.15, len(s)) + 1)
        rank.append(np.where(rk > 100, -1, rk))
        top20.append(np.clip(np.round(norm * (2 if generic else 6) + r.poisson(1, len(s))), 0, 20))
        vol.append(
            np.round((400 if generic else 1200) * w.season * (1 + 0.8 * norm) * r.lognormal(0, 0.05, len(s)))
        )
        rows_kw.append(np.full(len(s), kw, dtype=object))
        rows_day.append(np.arange(len(s)))
    rk = np.concatenate(rank)
    return {
        "keyword": fmt.s(np.concatenate(rows_kw)),
        "rank_date": fmt.date_col(w.t0 + np.concatenate(rows_day) * DAY),
        "best_organic_rank": fmt.i32(np.maximum(rk, 0), mask=rk < 0),
        "brand_notes_in_top20": fmt.i32(np.concatenate(top20)),
        "search_volume_index": fmt.i64(np.concatenate(vol)),
    }


def t_xhs_brand_account_daily(ob: Observation) -> Cols:
    """The brand account: followers and 获赞与收藏 grow with KOL-driven follows and saves."""
    w = ob.world
    r = rng_for(w.cfg.seed, "t_brand_account")
    ex = w.exposures
    day = ((ex["t"].to_numpy() - w.t0) // DAY).astype(np.int64)
    f = 1 + w.cfg.outside_market_factor
    fol = np.bincount(day, weights=ex["follow"].to_numpy() * 0.5 * f, minlength=w.cfg.days) + r.poisson(
        5 * w.season
    )
    ls = np.bincount(
        day, weights=(ex["like"].to_numpy() + ex["save"].to_numpy()) * 0.2 * f, minlength=w.cfg.days
    ) + r.poisson(20 * w.season)
    rows = []
    for acc, start, mult in (("brand_official", 52_000, 1.0), ("brand_store", 8_000, 0.3)):
        rows.append(
            (
                np.full(w.cfg.days, acc, dtype=object),
                np.arange(w.cfg.days),
                start + np.cumsum(np.round(fol * mult)),
                start * 6 + np.cumsum(np.round(ls * mult)),
            )
        )
    return {
        "account_id": fmt.s(np.concatenate([x[0] for x in rows])),
        "report_date": fmt.date_col(w.t0 + np.concatenate([x[1] for x in rows]) * DAY),
        "follower_count": fmt.i64(np.concatenate([x[2] for x in rows])),
        "like_and_save_count": fmt.i64(np.concatenate([x[3] for x in rows])),
    }


def t_xhs_ugc_notes(ob: Observation) -> Cols:
    """Brand-mention monitoring: organic notes (amplified by KOL reads) plus the sponsored notes."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_ugc")
    _, recent = _recent_reads_by_category(w)
    tot = recent.sum(axis=0)
    rate = cfg.ugc_per_day * (cfg.persons / 25_000) ** 0.5 * (1 + 1.5 * tot / (tot.mean() + 1e-9))
    cnt = r.poisson(rate)
    day = np.repeat(np.arange(cfg.days), cnt)
    n_ugc = len(day)
    t_ugc = w.t0 + day * DAY + r.integers(0, DAY, n_ugc)
    viral = r.random(n_ugc) < 0.06
    likes_ugc = np.round(np.where(viral, r.lognormal(9.5, 1.2, n_ugc), r.lognormal(3.2, 1.6, n_ugc)))
    # sponsored notes as monitored
    notes = w.notes
    likes_sp = np.round(
        _daily_note_counts(w, w.exposures["like"].to_numpy()).sum(axis=1)
        * (1 + cfg.outside_market_factor)
        * r.lognormal(1.0, 1.0, len(notes))
    )
    tags_pool = np.array(
        [
            "护肤",
            "好物分享",
            "种草",
            "测评",
            "平价好物",
            "母婴好物",
            "零食推荐",
            "穿搭",
            "家居好物",
            "品牌名",
        ],
        dtype=object,
    )
    n_all = n_ugc + len(notes)
    likes = np.concatenate([likes_ugc, likes_sp])
    tags = np.array(
        [
            ",".join(tags_pool[r.choice(len(tags_pool), int(k), replace=False)])
            for k in r.integers(1, 4, n_all)
        ],
        dtype=object,
    )
    ids = np.concatenate([hex_ids(rng_for(cfg.seed, "ugc_ids"), n_ugc, 24), notes["note_id"].to_numpy()])
    authors = np.concatenate(
        [
            hex_ids(rng_for(cfg.seed, "ugc_authors"), n_ugc, 24),
            w.kols["kol_id"].to_numpy()[notes["kol_idx"].to_numpy()],
        ]
    )
    t = np.concatenate([t_ugc, notes["published_s"].to_numpy()])
    sponsored = np.concatenate([r.random(n_ugc) < 0.03, np.ones(len(notes), dtype=bool)])
    ntype = np.concatenate(
        [np.where(r.random(n_ugc) < 0.3, "video", "normal"), notes["note_type"].to_numpy()]
    )
    order = np.lexsort((ids, t))
    collected = np.round(likes * r.uniform(0.2, 0.9, n_all))
    comments = np.round(likes * r.uniform(0.02, 0.15, n_all))
    return {
        "note_id": fmt.s(ids[order]),
        "author_id": fmt.s(authors[order]),
        "published_at": fmt.i64(t[order] * 1000),
        "note_type": fmt.s(ntype[order]),
        "is_sponsored": pa.array(sponsored[order]),
        "liked_count": fmt.s(fmt.wan_text(likes[order])),
        "collected_count": fmt.s(fmt.wan_text(collected[order])),
        "comment_count": fmt.s(fmt.wan_text(comments[order])),
        "tag_list": fmt.s(tags[order]),
    }


COMMENTS_POS = [
    "求链接！",
    "已种草🌱",
    "看起来好好用",
    "真的有用吗？敏感肌可以吗",
    "买了，坐等到货",
    "This looks amazing 😍",
    "回购第三瓶了",
    "姐妹们冲",
    "价格多少呀",
    "爱了爱了❤️",
    "Is it available in HK?",
    "收藏了慢慢看",
]
COMMENTS_NEG = ["广告吧", "用了过敏😢", "有点贵", "not worth it tbh", "踩雷了", "感觉一般般"]


def t_xhs_note_comments(ob: Observation) -> Cols:
    """Comments under sponsored notes (from simulated comment events, scaled by the outside market)."""
    w = ob.world
    cfg = w.cfg
    r = rng_for(cfg.seed, "t_comments")
    ex = w.exposures
    c = ex[ex["comment"].to_numpy()]
    rep = 1 + r.poisson(cfg.outside_market_factor, len(c))
    note = np.repeat(c["note"].to_numpy(), rep)
    t = np.repeat(c["t"].to_numpy(), rep) + r.integers(10, 2 * DAY, int(rep.sum()))
    keep = t < w.t_end
    note, t = note[keep], t[keep]
    order = np.lexsort((note, t))
    note, t = note[order], t[order]
    n = len(note)
    ids = hex_ids(rng_for(cfg.seed, "comment_ids"), n, 24)
    # replies: parent = an earlier comment on the same note
    parent = np.full(n, None, dtype=object)
    df = pd.DataFrame({"note": note, "i": np.arange(n)})
    first_i = df.groupby("note")["i"].transform("min").to_numpy()
    is_reply = (r.random(n) < 0.2) & (first_i < np.arange(n))
    parent[is_reply] = ids[first_i[is_reply]]
    neg = r.random(n) < 0.15
    text = np.where(
        neg,
        np.array(COMMENTS_NEG, dtype=object)[r.integers(0, len(COMMENTS_NEG), n)],
        np.array(COMMENTS_POS, dtype=object)[r.integers(0, len(COMMENTS_POS), n)],
    )
    return {
        "comment_id": fmt.s(ids),
        "note_id": fmt.take(w.notes["note_id"].to_numpy(), note),
        "parent_comment_id": fmt.s(parent),
        "created_at": fmt.i64(t * 1000),
        "content": fmt.s(text),
        "like_count": fmt.i64(r.geometric(0.3, n) - 1),
    }


BUILDERS: dict[str, Callable[[Observation], Cols]] = {
    "pgy_kols": t_pgy_kols,
    "brand_campaigns": t_brand_campaigns,
    "brand_tracking_assets": t_brand_tracking_assets,
    "pgy_notes": t_pgy_notes,
    "pgy_note_report_daily": t_pgy_note_report_daily,
    "juguang_creative_daily": t_juguang_creative_daily,
    "xhs_note_interactions": t_xhs_note_interactions,
    "web_sessions": t_web_sessions,
    "xhs_shop_orders": t_xhs_shop_orders,
    "tmall_orders": t_tmall_orders,
    "jd_orders": t_jd_orders,
    "d2c_orders": t_d2c_orders,
    "wechat_mp_orders": t_wechat_mp_orders,
    "fx_rates_daily": t_fx_rates_daily,
    "identity_links": t_identity_links,
    "post_purchase_surveys": t_post_purchase_surveys,
    "alliance_conversions": t_alliance_conversions,
    "xhs_search_rank_daily": t_xhs_search_rank_daily,
    "xhs_brand_account_daily": t_xhs_brand_account_daily,
    "xhs_ugc_notes": t_xhs_ugc_notes,
    "xhs_note_comments": t_xhs_note_comments,
}


def iter_tables(ob: Observation) -> Iterator[tuple[str, Cols]]:
    """Yield (table name, columns) one table at a time (so large runs stream to disk)."""
    for name, builder in BUILDERS.items():
        yield name, builder(ob)
