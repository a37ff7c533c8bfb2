"""Each contract quirk appears at its configured rate (within sampling tolerance) and can be switched off."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import pytest

from kol_attr_sim.config import SimConfig, make_config
from kol_attr_sim.generate import generate


def q(path: Path, sql: str) -> list[tuple]:
    """Run ``sql`` with every parquet file of ``path`` available as a view named after the table."""
    con = duckdb.connect()
    for f in path.glob("*.parquet"):
        con.execute(f"create view {f.stem} as select * from read_parquet('{f}')")
    return con.execute(sql).fetchall()


def binom_ok(k: int, n: int, p: float, z: float = 4.5) -> bool:
    """k successes in n trials are consistent with rate p (normal approximation, generous z)."""
    sd = (n * p * (1 - p)) ** 0.5
    return abs(k - n * p) <= z * sd + 1


def test_duplicate_exports_at_rate(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    ((n_rows, n_ids),) = q(tiny_parquet, "select count(*), count(distinct tid) from tmall_orders")
    assert n_rows > n_ids
    assert binom_ok(n_rows - n_ids, n_ids, tiny_cfg.quirks.dup_tmall)
    # duplicates are identical rows
    ((n_distinct_rows,),) = q(tiny_parquet, "select count(*) from (select distinct * from tmall_orders)")
    assert n_distinct_rows == n_ids
    ((e_rows, e_ids),) = q(
        tiny_parquet, "select count(*), count(distinct event_id) from xhs_note_interactions"
    )
    assert e_rows > e_ids
    assert binom_ok(e_rows - e_ids, e_ids, tiny_cfg.quirks.dup_interactions)


def test_mixed_offsets_at_rate(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    ((n, z, plus8),) = q(
        tiny_parquet,
        "select count(*), count(*) filter (where started_at like '%Z'), "
        "count(*) filter (where started_at like '%+08:00') from web_sessions",
    )
    assert z + plus8 == n
    assert binom_ok(z, n, tiny_cfg.quirks.z_offset)


def test_codes_messy_and_reused(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    rows = q(
        tiny_parquet,
        "select coupon_code from tmall_orders where coupon_code is not null union all "
        "select coupon_code from jd_orders where coupon_code is not null union all "
        "select discount_code from d2c_orders where discount_code is not null union all "
        "select coupon_code from xhs_shop_orders where coupon_code is not null union all "
        "select coupon_code from wechat_mp_orders where coupon_code is not null",
    )
    codes = [r[0] for r in rows]
    messy = [c for c in codes if c != c.strip() or (c != c.upper() and not c.startswith("￥"))]
    assert binom_ok(
        len(messy), len(codes), tiny_cfg.quirks.code_messy * 0.9, z=5
    )  # lower() of digits-only ~never
    reused = q(
        tiny_parquet,
        """
        select kol_id, upper(trim(asset_value)) v, count(distinct campaign_id) n,
               max(valid_from) - min(valid_from) spread
        from brand_tracking_assets where asset_type = 'promo_code'
        group by 1, 2 having count(distinct campaign_id) > 1""",
    )
    assert reused, "some KOL reuses a code text across campaigns"
    overlaps = q(
        tiny_parquet,
        """
        select count(*) from brand_tracking_assets a join brand_tracking_assets b
          on a.kol_id = b.kol_id and upper(trim(a.asset_value)) = upper(trim(b.asset_value))
         and a.asset_type = 'promo_code' and b.asset_type = 'promo_code' and a.asset_id < b.asset_id
        where a.valid_from <= coalesce(b.valid_to, date '9999-12-31')
          and b.valid_from <= coalesce(a.valid_to, date '9999-12-31')""",
    )
    assert overlaps == [(0,)], "reused code texts never have overlapping validity"


def test_every_platform_sees_promo_codes(tiny_parquet: Path) -> None:
    for table, col in (
        ("tmall_orders", "coupon_code"),
        ("jd_orders", "coupon_code"),
        ("d2c_orders", "discount_code"),
        ("xhs_shop_orders", "coupon_code"),
        ("wechat_mp_orders", "coupon_code"),
    ):
        ((n,),) = q(
            tiny_parquet,
            f"""select count(*) from {table} o join brand_tracking_assets a
            on upper(trim(o.{col})) = upper(trim(a.asset_value)) and a.asset_type = 'promo_code'""",
        )
        assert n > 0, table


def test_direct_signals_present(tiny_parquet: Path) -> None:
    ((qr,),) = q(
        tiny_parquet,
        """select count(*) from web_sessions s join brand_tracking_assets a
        on s.scene_param = a.asset_value and a.asset_type = 'qr_code'
        where s.wx_scene in (1011, 1012, 1047)""",
    )
    assert qr > 0
    ((attach,),) = q(
        tiny_parquet,
        """select count(*) from wechat_mp_orders o join brand_tracking_assets a
        on o.attach = 'kol=' || a.asset_value""",
    )
    assert attach > 0
    ((cards,),) = q(
        tiny_parquet,
        "select count(*) from xhs_shop_orders o join pgy_notes n on o.source_note_id = n.note_id",
    )
    assert cards > 0
    ((pp,),) = q(
        tiny_parquet,
        """select count(*) from tmall_orders o join brand_tracking_assets a
        on trim(o.coupon_code) = a.asset_value and a.asset_type = 'passphrase'""",
    )
    assert pp > 0
    ((adl,),) = q(
        tiny_parquet, "select count(*) from web_sessions where landing_url like '%utm_content=adl_%'"
    )
    assert adl > 0


def test_utm_quirks(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    urls = [r[0] for r in q(tiny_parquet, "select landing_url from web_sessions")]
    kol = [u for u in urls if "utm_source=xhs_k" in u.lower() or "utm_source=xhs%5fk" in u.lower()]
    assert kol
    enc = [u for u in kol if "%5F" in u]
    upper = [u for u in kol if "utm_source=XHS" in u or "utm_source=Xhs" in u]
    assert enc and upper
    assert binom_ok(len(enc), len(kol), tiny_cfg.quirks.utm_urlencoded)
    unknown = [
        u
        for u in urls
        if any(
            s in u
            for s in (
                "xhs_partner_x",
                "KOL-unknown",
                "linktree",
                "douyin_shop",
                "xhs_ad_test",
                "newsletter_v2",
            )
        )
    ]
    assert unknown


def test_report_missing_days_and_dips(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    ((span_days, rows),) = q(
        tiny_parquet,
        """select sum(least(date_diff('day', cast(make_timestamp(published_at * 1000)
        as date), (select max(report_date) from pgy_note_report_daily)), 180) + 1), (select count(*) from
        pgy_note_report_daily) from pgy_notes""",
    )
    missing = span_days - rows
    assert missing > 0
    assert binom_ok(missing, span_days, tiny_cfg.quirks.report_missing_day, z=6)
    ((dips,),) = q(
        tiny_parquet,
        """select count(*) from (select read_uv - lag(read_uv) over (partition by note_id
        order by report_date) d from pgy_note_report_daily) where d < 0""",
    )
    assert dips > 0


def test_unknown_notes_and_chains(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    ((unk, n),) = q(
        tiny_parquet,
        """select count(*) filter (where note_id not in (select note_id from pgy_notes)),
        count(*) from xhs_note_interactions""",
    )
    assert binom_ok(
        unk, n, tiny_cfg.quirks.unknown_note_events / (1 + tiny_cfg.quirks.unknown_note_events), z=6
    )
    # a chain a-b, b-c: some id value appears in two links
    ((shared,),) = q(
        tiny_parquet,
        """select count(*) from (select v from (select left_id_value v from identity_links
        union all select right_id_value from identity_links) group by v having count(*) >= 2)""",
    )
    assert shared > 0


def test_ids_consistent_across_tables(tiny_parquet: Path) -> None:
    checks = {
        "notes of unknown KOLs": "select count(*) from pgy_notes where kol_id not in "
        "(select kol_id from pgy_kols)",
        "notes of unknown campaigns": "select count(*) from pgy_notes where campaign_id not in "
        "(select campaign_id from brand_campaigns)",
        "assets of unknown KOLs": "select count(*) from brand_tracking_assets where kol_id not in "
        "(select kol_id from pgy_kols)",
        "asset validity reversed": "select count(*) from brand_tracking_assets where valid_to < valid_from",
        "alliance tasks unknown": "select count(*) from alliance_conversions where task_id not in "
        "(select alliance_task_id from brand_campaigns where alliance_task_id is not null)",
        "kol ids not 24 hex": "select count(*) from pgy_kols "
        "where not regexp_full_match(kol_id, '[0-9a-f]{24}')",
        "sessions of unknown orders": "select count(*) from d2c_orders where landing_session_id not in "
        "(select session_id from web_sessions)",
    }
    for what, sql in checks.items():
        assert q(tiny_parquet, sql) == [(0,)], what
    ((matched, total),) = q(
        tiny_parquet,
        """select count(*) filter (where order_ref in (
        select tid from tmall_orders union all select order_id from jd_orders
        union all select order_id from xhs_shop_orders union all
        select order_id from d2c_orders union all select out_trade_no from wechat_mp_orders)), count(*)
        from post_purchase_surveys""",
    )
    assert 0.5 < matched / total < 1


def test_other_quirks(tiny_parquet: Path) -> None:
    ((renamed,),) = q(
        tiny_parquet,
        "select count(*) from (select kol_id from pgy_kols group by 1 having count(distinct kol_handle) > 1)",
    )
    assert renamed > 0
    ((drift,),) = q(
        tiny_parquet,
        "select count(*) from (select kol_id from pgy_kols group by 1 "
        "having count(distinct follower_count) > 1)",
    )
    assert drift > 0
    assert q(tiny_parquet, "select distinct currency from fx_rates_daily order by 1") == [("HKD",), ("USD",)]
    ((weekend,),) = q(
        tiny_parquet, "select count(*) from fx_rates_daily where dayofweek(rate_date) in (0, 6)"
    )
    assert weekend == 0
    ((wan,),) = q(tiny_parquet, "select count(*) from xhs_ugc_notes where liked_count like '%万%'")
    assert wan > 0
    answers = {
        r[0] for r in q(tiny_parquet, "select distinct first_heard_channel from post_purchase_surveys")
    }
    assert len(answers & {"小红书", "RED", "RedNote", "xiaohongshu ", "Xiaohongshu"}) >= 3
    ((orphan,),) = q(
        tiny_parquet,
        """select count(*) from post_purchase_surveys s where order_ref not in (
        select tid from tmall_orders union all select order_id from jd_orders union all select order_id from
        xhs_shop_orders union all select order_id from d2c_orders
        union all select out_trade_no from wechat_mp_orders)""",
    )
    assert orphan > 0


def test_late_locked_campaigns_at_rate() -> None:
    from kol_attr_sim.world import _campaigns, epoch_seconds

    cfg = make_config("tiny", campaigns=400, quirk_late_lock_campaigns=0.2)
    c = _campaigns(cfg, epoch_seconds(cfg.start_date))
    start = epoch_seconds(cfg.start_date) + c["start_day"].to_numpy() * 86_400
    late = int((c["config_locked_at_s"].to_numpy() > start).sum())
    assert binom_ok(late, 400, 0.2)


def test_alliance_over_claims() -> None:
    """Without the outside market, the notes' summed claims still exceed the sales they truly caused
    on the alliance platform, because every reader's purchase is claimed by every note they read."""
    from kol_attr_sim.observe import observe, t_alliance_conversions
    from kol_attr_sim.world import build_world

    cfg = make_config("tiny", seed=4, outside_market_factor=0.0)
    w = build_world(cfg)
    ob = observe(w)
    cols = t_alliance_conversions(ob)
    period = np.asarray(cols["attribution_period_days"].to_numpy(zero_copy_only=False))
    claimed = np.asarray(cols["order_uv"].to_numpy(zero_copy_only=False))[period == 30].sum()
    pur = ob.purchases
    camps = w.campaigns
    plat = np.where(camps["alliance"].to_numpy() == "tmall", 1, 2)
    has = camps["alliance_task_id"].notna().to_numpy()
    caused = pur[(pur["kind"] > 0) & ~pur["is_offline"]]
    c = caused["campaign"].to_numpy()
    truly = int((has[c] & (caused["platform"].to_numpy() == plat[c])).sum())
    assert claimed > truly > 0


def test_bad_rows_at_rate_and_switchable(tmp_path: Path) -> None:
    cfg = make_config("tiny", seed=3, quirks=None, **{"quirk_bad_rows": 0.05})
    generate(cfg, tmp_path / "a", "parquet", None, progress=False)
    ((na, n),) = q(
        tmp_path / "a",
        "select count(*) filter (where payment = 'N/A'), count(distinct tid) from tmall_orders",
    )
    assert na > 0 and binom_ok(na, n, 0.05)
    ((eur,),) = q(tmp_path / "a", "select count(*) from d2c_orders where currency = 'EUR'")
    ((neg,),) = q(tmp_path / "a", "select count(*) from jd_orders where order_amount < 0")
    assert eur > 0 and neg > 0
    cfg0 = replace(cfg, quirks=replace(cfg.quirks, bad_rows=0.0, dup_tmall=0.0, z_offset=0.0))
    generate(cfg0, tmp_path / "b", "parquet", None, progress=False)
    ((na0, dup0),) = q(
        tmp_path / "b",
        "select count(*) filter (where payment = 'N/A'), count(*) - count(distinct tid) from tmall_orders",
    )
    assert na0 == 0 and dup0 == 0
    assert q(tmp_path / "b", "select count(*) from web_sessions where started_at like '%Z'") == [(0,)]


@pytest.mark.parametrize("rate", [0.0, 0.1])
def test_dup_rate_configurable(tmp_path: Path, rate: float) -> None:
    cfg = make_config("tiny", seed=5, quirk_dup_interactions=rate)
    generate(cfg, tmp_path, "parquet", None, progress=False)
    ((dups, n),) = q(
        tmp_path,
        "select count(*) - count(distinct event_id), count(distinct event_id) from xhs_note_interactions",
    )
    assert binom_ok(dups, n, rate)


def test_utm_case_and_unknown_sources_at_rate(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    from urllib.parse import parse_qs, unquote, urlsplit

    urls = [r[0] for r in q(tiny_parquet, "select landing_url from web_sessions")]
    sources = [parse_qs(urlsplit(u).query).get("utm_source", [None])[0] for u in urls]
    kol = [unquote(s) for s in sources if s and unquote(s).lower().startswith("xhs_k")]
    mixed = [s for s in kol if s != s.lower()]
    assert binom_ok(len(mixed), len(kol), tiny_cfg.quirks.utm_mixed_case)
    unknown = {"xhs_partner_x", "KOL-unknown", "linktree", "douyin_shop", "xhs_ad_test", "newsletter_v2"}
    other = [
        s
        for s, u in zip(sources, urls, strict=True)
        if not (s and unquote(s).lower().startswith("xhs_k")) and "utm_medium=ad_link" not in u
    ]
    n_unknown = sum(1 for s in other if s in unknown)
    assert binom_ok(n_unknown, len(other), tiny_cfg.quirks.utm_unknown_source)


def test_nickname_changes_at_rate(tmp_path: Path) -> None:
    cfg = make_config("tiny", seed=12, kols=300, notes=320)
    generate(cfg, tmp_path, "parquet", None, progress=False)
    ((renamed, n),) = q(
        tmp_path,
        "select count(*) filter (where h > 1), count(*) from "
        "(select kol_id, count(distinct kol_handle) h from pgy_kols group by 1)",
    )
    assert n == 300
    assert renamed > 0 and binom_ok(renamed, n, cfg.quirks.nickname_change)


def test_survey_response_rates(tiny_parquet: Path, tiny_cfg: SimConfig) -> None:
    for platform, table, key, mult in (
        ("d2c", "d2c_orders", "order_id", 2.0),
        ("tmall", "tmall_orders", "tid", 0.7),
    ):
        ((answered, orders),) = q(
            tiny_parquet,
            f"""select (select count(*) from post_purchase_surveys where order_platform = '{platform}'
                and order_ref in (select {key} from {table})), (select count(distinct {key}) from {table})""",
        )
        assert binom_ok(answered, orders, tiny_cfg.quirks.survey_response * mult), platform


def test_identity_chains_longer_than_two(tiny_parquet: Path) -> None:
    """Links form chains: some connected components span four or more ids (a-b, b-c, c-d)."""
    edges = q(tiny_parquet, "select left_id_value, right_id_value from identity_links")
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        """Union-find root with path halving."""
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    sizes: dict[str, int] = {}
    for node in list(parent):
        root = find(node)
        sizes[root] = sizes.get(root, 0) + 1
    assert max(sizes.values()) >= 4
    assert sum(1 for s in sizes.values() if s >= 3) > 10


KEYED_TABLES = {
    "tmall_orders": "tid",
    "jd_orders": "order_id",
    "xhs_shop_orders": "order_id",
    "d2c_orders": "order_id",
    "wechat_mp_orders": "out_trade_no",
    "xhs_note_interactions": "event_id",
    "web_sessions": "session_id",
    "pgy_notes": "note_id",
    "identity_links": "link_id",
}


@pytest.mark.parametrize("table", sorted(KEYED_TABLES))
def test_repeated_keys_are_identical_rows(tiny_parquet: Path, table: str) -> None:
    """Contract semantics.duplicates: a key repeats only as an identical row (overlapping exports)."""
    key = KEYED_TABLES[table]
    ((n_keys, n_distinct_rows),) = q(
        tiny_parquet,
        f"select count(distinct {key}), (select count(*) from (select distinct * from {table})) from {table}",
    )
    assert n_distinct_rows == n_keys
