"""Ground truth: what really caused each purchase, and what each KOL / campaign / note added.

Written beside the raw data (never into ``seeds/``), one file per table. Every column:

``truth_incremental`` (grain: unit_type x unit_id x window_days)
    unit_type        'kol' | 'campaign' | 'note'
    unit_id          kol_id / campaign_id / note_id
    window_days      7, 14, 30, 60, 90, 120, or null = no window (the whole simulated span)
    incremental_orders       online orders (any status, bad rows excluded) that happen in the world
                             and do NOT happen when every note of the unit is removed (counterfactual
                             re-simulation with common random numbers, see :mod:`kol_attr_sim.world`),
                             counted only if the order time is at most ``window_days`` days after the
                             buyer's first read of any note of the unit
    incremental_conversions  the same, restricted to orders with net revenue > 0 (paid, not cancelled,
                             not fully refunded)
    incremental_revenue_cny  sum of net revenue (CNY, contract semantics: paid minus refunds, 0 for
                             cancelled / closed / voided / fully refunded; D2C converted at the fx rule)
    incremental_offline_purchases    offline purchases (no export has them) removed with the unit
    incremental_offline_revenue_cny  their amount, CNY
    Removing a unit removes its direct events and its amplified events (order_dependent); in
    ``order_dependent`` it also removes the amplified events of other KOLs' reads for which the unit
    was the only earlier awareness priming. Incremental effects therefore need not add up to the
    total over units when priming is shared.

``truth_conversions`` (grain: purchase_id; every realised purchase, online and offline)
    purchase_id      candidate event id (stable across counterfactuals)
    person_id        simulated person (see ``truth_persons``)
    order_platform   xhs_shop | tmall | jd | d2c | wechat_mp (for offline purchases: the platform the
                     person would have used; the purchase itself is in no export)
    order_ref        the order id in that platform's export (``OFF-...`` for offline purchases)
    purchased_at     UTC timestamp
    is_offline, is_bad_row (the export row is unreadable and set aside by the project)
    net_revenue_cny  contract net revenue (offline: the gross amount)
    cause_kind       'baseline' | 'direct' | 'amplified': the component of the hazard that generated
                     the event (the marked-Poisson cause)
    is_baseline      cause_kind = 'baseline': the purchase happens even with every note removed
    cause_kol_id, cause_note_id, cause_campaign_id, cause_read_at: the read that caused it (null for
                     baseline)
    baseline_share   baseline intensity / total intensity at the purchase time
``truth_conversion_contributors`` (grain: purchase_id x kol_id)
    hazard_share     the KOL's share of the person's purchase intensity at the purchase time (sum
                     over the person's earlier reads of the KOL's notes of direct + amplified
                     intensity), so that baseline_share + sum(hazard_share) = 1 per purchase
``truth_kols``: kol_id, tier, is_celebrity, is_awareness, beta (relative effect per read),
    effect_per_read (expected purchases caused by one plain read = effect_scale x beta, before
    engagement multipliers), lag_mean_days (mean over its notes), is_zero_effect, n_notes, n_reads
``truth_persons``: person_id and every platform id of the person (identity resolution truth)
``truth_summary``: one row per metric (metric, value) e.g. ``offline_purchases_caused_by_kols``.
``truth_survey_recalls`` (grain: response_id; only responses with a KOL recall)
    response_id      the survey response (post_purchase_surveys.response_id)
    recalled_kol_id  the KOL whose handle the recall misspells (what a perfect matcher returns)
    is_cause_kol     the recall names the KOL that caused the purchase (false: a wrong recall, a
                     random KOL the buyer named instead)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy import stats

from kol_attr_sim.config import PLATFORMS, WINDOWS_DAYS
from kol_attr_sim.observe import Observation, order_outcomes, survey_responses
from kol_attr_sim.world import DAY, HOUR_P_UTC, LAG_SHAPE, World

KINDS = np.array(["baseline", "direct", "amplified"], dtype=object)


def _realised(ob: Observation) -> pd.DataFrame:
    """Realised purchases with net revenue and bad-row flag."""
    pur = ob.purchases
    oc = order_outcomes(ob)
    df = pur[
        [
            "candidate_id",
            "person",
            "t",
            "kind",
            "exposure",
            "kol",
            "note",
            "campaign",
            "platform",
            "is_offline",
            "amount_cny",
            "order_ref",
        ]
    ].copy()
    df["net_cny"] = np.where(df["is_offline"], df["amount_cny"], oc["net_cny"].to_numpy())
    df["is_bad_row"] = oc["is_bad_row"].to_numpy()
    return df


def hazard_contributions(world: World, pur: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Baseline intensity at each purchase and per-(purchase, KOL) exposure intensity (per day)."""
    persons = world.persons
    t = pur["t"].to_numpy()
    day = np.clip((t - world.t0) // DAY, 0, world.cfg.days - 1)
    hour = (t % DAY) // 3600
    base = (
        persons["baseline_per_day"].to_numpy()[pur["person"].to_numpy()]
        * world.season[day]
        * 24
        * HOUR_P_UTC[hour]
    )
    ex = world.exposures
    gamma_amp = world.cfg.order_gamma if world.cfg.scenario == "order_dependent" else 0.0
    e = pd.DataFrame(
        {
            "person": ex["person"].to_numpy(),
            "t_e": ex["t"].to_numpy(),
            "kol": ex["kol"].to_numpy(),
            "m": ex["m"].to_numpy() * (1 + gamma_amp * ex["primed"].to_numpy()),
            "theta": ex["lag_theta"].to_numpy(),
        }
    )
    e = e[e["m"] > 0]
    p = pd.DataFrame({"row": np.arange(len(pur)), "person": pur["person"].to_numpy(), "t": t})
    j = p.merge(e, on="person")
    j = j[j["t_e"].to_numpy() < j["t"].to_numpy()]
    lag = (j["t"].to_numpy() - j["t_e"].to_numpy()) / DAY
    j = j.assign(h=j["m"].to_numpy() * stats.gamma.pdf(lag, LAG_SHAPE, scale=j["theta"].to_numpy()))
    contrib = j.groupby(["row", "kol"], sort=True)["h"].sum().reset_index()
    return base, contrib


def _unit_pairs(world: World, pur: pd.DataFrame) -> pd.DataFrame:
    """(purchase row, unit_type, unit index) for every caused purchase and every unit whose removal
    removes it, with the delay since the buyer's first read of the unit."""
    ex = world.exposures
    caused = pur[pur["kind"].to_numpy() > 0]
    rows = np.flatnonzero(pur["kind"].to_numpy() > 0)
    e = caused["exposure"].to_numpy()
    frames = []
    unit_cols = {"kol": "kol", "campaign": "campaign", "note": "note"}
    for ut, col in unit_cols.items():
        frames.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "unit_type": ut,
                    "unit": ex[col].to_numpy()[e],
                    "person": caused["person"].to_numpy(),
                    "t": caused["t"].to_numpy(),
                }
            )
        )
    # order_dependent: amplified events also vanish when their only earlier primer unit is removed
    amp = pur["kind"].to_numpy() == 2
    if amp.any():
        ar = np.flatnonzero(amp)
        ae = pur["exposure"].to_numpy()[ar]
        a = pd.DataFrame(
            {
                "row": ar,
                "person": ex["person"].to_numpy()[ae],
                "t_e": ex["t"].to_numpy()[ae],
                "kol_e": ex["kol"].to_numpy()[ae],
                "t": pur["t"].to_numpy()[ar],
            }
        )
        is_primer = world.kols["is_awareness"].to_numpy()[ex["kol"].to_numpy()]
        prim = ex.loc[is_primer, ["person", "t", "kol", "campaign", "note"]].rename(columns={"t": "t_p"})
        j = a.merge(prim, on="person")
        j = j[(j["t_p"].to_numpy() < j["t_e"].to_numpy()) & (j["kol"].to_numpy() != j["kol_e"].to_numpy())]
        for ut, col in unit_cols.items():
            g = j.groupby("row")[col].agg(["nunique", "min"])
            sole = g[g["nunique"] == 1]
            meta = a.set_index("row").loc[sole.index]
            frames.append(
                pd.DataFrame(
                    {
                        "row": sole.index.to_numpy(),
                        "unit_type": ut,
                        "unit": sole["min"].to_numpy(),
                        "person": meta["person"].to_numpy(),
                        "t": meta["t"].to_numpy(),
                    }
                )
            )
    pairs = pd.concat(frames, ignore_index=True).drop_duplicates(["row", "unit_type", "unit"])
    out = []
    for ut, col in unit_cols.items():
        first = (
            ex.groupby(["person", col])["t"]
            .min()
            .rename("t_first")
            .reset_index()
            .rename(columns={col: "unit"})
        )
        pp = pairs[pairs["unit_type"] == ut].merge(first, on=["person", "unit"], how="left")
        out.append(pp)
    res = pd.concat(out, ignore_index=True)
    res["delay_days"] = (res["t"].to_numpy() - res["t_first"].to_numpy()) / DAY
    return res


def incremental(world: World, pur: pd.DataFrame) -> pd.DataFrame:
    """Per unit and window: incremental orders, conversions, revenue, offline purchases (see module doc)."""
    pairs = _unit_pairs(world, pur)
    off = pur["is_offline"].to_numpy()[pairs["row"].to_numpy()]
    bad = pur["is_bad_row"].to_numpy()[pairs["row"].to_numpy()]
    net = pur["net_cny"].to_numpy()[pairs["row"].to_numpy()]
    amt = pur["amount_cny"].to_numpy()[pairs["row"].to_numpy()]
    online = ~off & ~bad
    pairs = pairs.assign(
        orders=online.astype(int),
        conv=(online & (net > 0)).astype(int),
        rev=np.where(online, net, 0.0),
        off=off.astype(int),
        off_rev=np.where(off, amt, 0.0),
    )
    ids = {
        "kol": world.kols["kol_id"].to_numpy(),
        "campaign": world.campaigns["campaign_id"].to_numpy(),
        "note": world.notes["note_id"].to_numpy(),
    }
    frames = []
    for ut, id_arr in ids.items():
        pu = pairs[pairs["unit_type"] == ut]
        for w in (*WINDOWS_DAYS, None):
            sel = pu if w is None else pu[pu["delay_days"].to_numpy() <= w]
            g = sel.groupby("unit")[["orders", "conv", "rev", "off", "off_rev"]].sum()
            g = g.reindex(np.arange(len(id_arr)), fill_value=0)
            frames.append(
                pd.DataFrame(
                    {
                        "unit_type": ut,
                        "unit_id": id_arr,
                        "window_days": w if w is not None else pd.NA,
                        "incremental_orders": g["orders"].to_numpy().astype(np.int64),
                        "incremental_conversions": g["conv"].to_numpy().astype(np.int64),
                        "incremental_revenue_cny": np.round(g["rev"].to_numpy(), 2),
                        "incremental_offline_purchases": g["off"].to_numpy().astype(np.int64),
                        "incremental_offline_revenue_cny": np.round(g["off_rev"].to_numpy(), 2),
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["window_days"] = out["window_days"].astype("Int32")
    return out


def truth_tables(ob: Observation) -> dict[str, pd.DataFrame]:
    """All ground-truth tables for one simulated world."""
    world = ob.world
    pur = _realised(ob)
    kols, notes, camps = world.kols, world.notes, world.campaigns
    base, contrib = hazard_contributions(world, pur)
    total = base + np.bincount(contrib["row"].to_numpy(), weights=contrib["h"].to_numpy(), minlength=len(pur))
    e = pur["exposure"].to_numpy()
    caused = e >= 0
    se = np.where(caused, e, 0)
    ex = world.exposures
    kol_ids = kols["kol_id"].to_numpy(dtype=object)
    conv = pd.DataFrame(
        {
            "purchase_id": pur["candidate_id"].to_numpy(),
            "person_id": world.persons["person_id"].to_numpy()[pur["person"].to_numpy()],
            "order_platform": np.array(PLATFORMS)[pur["platform"].to_numpy()],
            "order_ref": pur["order_ref"].to_numpy(),
            "purchased_at": pd.to_datetime(pur["t"].to_numpy(), unit="s").astype("datetime64[us]"),
            "is_offline": pur["is_offline"].to_numpy(),
            "is_bad_row": pur["is_bad_row"].to_numpy(),
            "net_revenue_cny": np.round(pur["net_cny"].to_numpy(), 2),
            "cause_kind": KINDS[pur["kind"].to_numpy()],
            "is_baseline": ~caused,
            "cause_kol_id": np.where(caused, kol_ids[np.maximum(pur["kol"].to_numpy(), 0)], None),
            "cause_note_id": np.where(
                caused, notes["note_id"].to_numpy(dtype=object)[np.maximum(pur["note"], 0)], None
            ),
            "cause_campaign_id": np.where(
                caused,
                camps["campaign_id"].to_numpy(dtype=object)[np.maximum(pur["campaign"].to_numpy(), 0)],
                None,
            ),
            "cause_read_at": pd.to_datetime(np.where(caused, ex["t"].to_numpy()[se], 0), unit="s")
            .astype("datetime64[us]")
            .where(caused),
            "baseline_share": base / total,
        }
    )
    contributors = pd.DataFrame(
        {
            "purchase_id": pur["candidate_id"].to_numpy()[contrib["row"].to_numpy()],
            "order_platform": np.array(PLATFORMS)[pur["platform"].to_numpy()[contrib["row"].to_numpy()]],
            "order_ref": pur["order_ref"].to_numpy()[contrib["row"].to_numpy()],
            "kol_id": kol_ids[contrib["kol"].to_numpy()],
            "hazard_share": contrib["h"].to_numpy() / total[contrib["row"].to_numpy()],
        }
    )
    n_notes = np.bincount(notes["kol_idx"].to_numpy(), minlength=len(kols))
    n_reads = np.bincount(ex["kol"].to_numpy(), minlength=len(kols))
    lag = (
        camps["lag_mean_days"].to_numpy()[notes["campaign_idx"].to_numpy()]
        * kols["lag_factor"].to_numpy()[notes["kol_idx"].to_numpy()]
    )
    lag_mean = np.bincount(notes["kol_idx"].to_numpy(), weights=lag, minlength=len(kols)) / np.maximum(
        n_notes, 1
    )
    tk = pd.DataFrame(
        {
            "kol_id": kol_ids,
            "kol_handle": kols["kol_handle"].to_numpy(),
            "tier": kols["tier"].to_numpy(),
            "is_celebrity": kols["is_celebrity"].to_numpy(),
            "is_awareness": kols["is_awareness"].to_numpy(),
            "followers_at_start": kols["followers"].to_numpy(),
            "beta": kols["beta"].to_numpy(),
            "effect_per_read": world.effect_scale * kols["beta"].to_numpy(),
            "lag_mean_days": lag_mean,
            "is_zero_effect": kols["is_zero_effect"].to_numpy(),
            "n_notes": n_notes,
            "n_reads": n_reads,
        }
    )
    persons = world.persons[
        [
            "person_id",
            "xhs_user_id",
            "tmall_open_uid",
            "jd_pin",
            "wx_openid",
            "wx_unionid",
            "d2c_customer_id",
            "email_sha256",
            "phone_sha256",
            "anonymous_id",
            "has_xhs",
            "in_clean_room",
            "intent",
        ]
    ].copy()
    persons["xhs_user_id"] = persons["xhs_user_id"].where(persons["has_xhs"], None)
    inc = incremental(world, pur)
    off = pur["is_offline"].to_numpy()
    valid = ~off & ~pur["is_bad_row"].to_numpy()
    summary = {
        "scenario": world.cfg.scenario,
        "seed": world.cfg.seed,
        "persons": world.cfg.persons,
        "days": world.cfg.days,
        "start_date": str(world.cfg.start_date),
        "effect_scale": world.effect_scale,
        "reads": len(ex),
        "purchases": len(pur),
        "online_orders": int((~off).sum()),
        "bad_rows": int(pur["is_bad_row"].sum()),
        "baseline_purchases": int((~caused).sum()),
        "kol_caused_online_orders": int((caused & valid).sum()),
        "kol_caused_online_revenue_cny": round(float(pur["net_cny"].to_numpy()[caused & valid].sum()), 2),
        "offline_purchases": int(off.sum()),
        "offline_purchases_caused_by_kols": int((caused & off).sum()),
        "offline_revenue_caused_by_kols_cny": round(
            float(pur["amount_cny"].to_numpy()[caused & off].sum()), 2
        ),
    }
    summ = pd.DataFrame({"metric": list(summary), "value": [str(v) for v in summary.values()]})
    return {
        "truth_incremental": inc,
        "truth_conversions": conv,
        "truth_conversion_contributors": contributors,
        "truth_kols": tk,
        "truth_persons": persons,
        "truth_summary": summ,
        "truth_survey_recalls": survey_recalls(ob),
    }


def survey_recalls(ob: Observation) -> pd.DataFrame:
    """``truth_survey_recalls``: per survey response with a recall, the KOL the recall misspells."""
    cols, recalled, cause = survey_responses(ob)
    kol_ids = ob.world.kols["kol_id"].to_numpy(dtype=object)
    has = recalled >= 0
    return pd.DataFrame(
        {
            "response_id": np.asarray(cols["response_id"].to_pylist(), dtype=object)[has],
            "recalled_kol_id": kol_ids[recalled[has]],
            "is_cause_kol": recalled[has] == cause[has],
        }
    )


def write_truth(ob: Observation, out: Path, fmt: str = "parquet") -> dict[str, Path]:
    """Write every truth table to ``out`` (parquet or csv); returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, df in truth_tables(ob).items():
        if fmt == "parquet":
            path = out / f"{name}.parquet"
            pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, compression="zstd")
        else:
            path = out / f"{name}.csv"
            df.to_csv(
                path, index=False, lineterminator="\n", float_format="%.6f", date_format="%Y-%m-%d %H:%M:%S"
            )
        paths[name] = path
    return paths
