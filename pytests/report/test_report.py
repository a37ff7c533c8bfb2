"""The HTML report renders from a small hand-made DuckDB: sections, fallbacks, 'not built' boxes."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from kol_attr_report import render_report
from kol_attr_report.__main__ import main
from kol_attr_report.data import MartReader, kol_roas, tier_roas

SECTION_IDS = [
    "roas-kol",
    "roas-tier",
    "model-comparison",
    "lag-curves",
    "beyond-sales",
    "engagement-quality",
]


def _core_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Two KOLs, two campaigns, credits for two models x three windows (numbers chosen by hand)."""
    con.execute(
        """
        create table dim_kols as select * from (values
            ('k1', '小红薯A', 'koc'), ('k2', 'Mega B', 'top')) as t(kol_id, kol_handle, kol_tier);
        create table dim_campaigns as select * from (values
            ('C1', 'skincare push', 'skincare', date '2025-09-08', date '2025-10-13'),
            ('C2', 'snacks push', 'snacks', date '2025-10-01', date '2025-10-31'))
            as t(campaign_id, campaign_name, product_category, start_date, end_date);
        create table dim_notes as select * from (values
            ('n1', 'k1', 'C1', 'koc', 100.00::decimal(18, 2), timestamp '2025-09-08 02:00:00'),
            ('n2', 'k2', 'C2', 'top', 1000.00::decimal(18, 2), timestamp '2025-10-01 02:00:00'))
            as t(note_id, kol_id, campaign_id, kol_tier_at_publish, total_cost_cny, published_at);
        create table fct_attribution_credits as
        select * from (values
            ('v1', 'k1', 'n1', 'C1', 'linear', 30, 1.0, 300.0, false,
             timestamp '2025-09-09 00:00:00', timestamp '2025-09-19 00:00:00'),
            ('v2', 'k2', 'n2', 'C2', 'linear', 30, 0.5, 250.0, false,
             timestamp '2025-10-02 00:00:00', timestamp '2025-10-05 00:00:00'),
            ('v3', null, null, null, 'linear', 30, 1.0, 80.0, true, null, timestamp '2025-10-06 00:00:00'),
            ('v1', 'k1', 'n1', 'C1', 'linear', 7, 0.0, 0.0, false,
             timestamp '2025-09-09 00:00:00', timestamp '2025-09-19 00:00:00'),
            ('v2', 'k2', 'n2', 'C2', 'linear', 7, 0.5, 250.0, false,
             timestamp '2025-10-02 00:00:00', timestamp '2025-10-05 00:00:00'),
            ('v1', 'k1', 'n1', 'C1', 'linear', 120, 1.0, 300.0, false,
             timestamp '2025-09-09 00:00:00', timestamp '2025-09-19 00:00:00'),
            ('v2', 'k2', 'n2', 'C2', 'linear', 120, 1.0, 500.0, false,
             timestamp '2025-10-02 00:00:00', timestamp '2025-10-05 00:00:00'),
            ('v1', 'k1', 'n1', 'C1', 'last_touch', 30, 1.0, 300.0, false,
             timestamp '2025-09-09 00:00:00', timestamp '2025-09-19 00:00:00'),
            ('v2', 'k2', 'n2', 'C2', 'last_touch', 30, 0.0, 0.0, false,
             timestamp '2025-10-02 00:00:00', timestamp '2025-10-05 00:00:00'))
            as t(conversion_id, kol_id, note_id, campaign_id, attribution_model, window_days, credit,
                 attributed_revenue_cny, is_unattributed, touched_at, converted_at);
        """
    )


def _brand_health_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Two of the five beyond-sales marts; community growth, sentiment and quality stay missing."""
    con.execute(
        """
        create table fct_search_visibility as select * from (values
            ('C1', '品牌名 精华', 'baseline', 1, 12.0, 1.0, null::double, null::double),
            ('C1', '品牌名 精华', 'campaign', 2, 3.0, 4.0, 0.15, 0.5),
            ('C1', '品牌名 精华', 'post', 3, 4.0, 3.5, 0.45, 0.2))
            as t(campaign_id, keyword, period, period_order, avg_organic_rank, avg_brand_notes_in_top20,
                 campaign_search_read_share, campaign_searches_after_read_per_day);
        create table fct_ugc_amplification as select * from (values
            ('C1', 'baseline', 1, 3.0, 0.0, 0.0, 700.0),
            ('C1', 'campaign', 2, 7.0, 1.9, 1.33, 800.0),
            ('C1', 'post', 3, 8.0, 0.9, 1.67, 900.0))
            as t(campaign_id, period, period_order, non_sponsored_notes_per_day, sponsored_notes_per_day,
                 non_sponsored_notes_per_day_lift_vs_baseline, non_sponsored_engagement_per_note);
        """
    )


@pytest.fixture()
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.duckdb"
    con = duckdb.connect(str(path))
    _core_tables(con)
    _brand_health_tables(con)
    con.close()
    return path


def _section(page: str, section_id: str) -> str:
    match = re.search(rf'<section data-section="{section_id}">(.*?)</section>', page, re.S)
    assert match, f"section {section_id} missing"
    return match.group(1)


def test_report_has_every_section_and_is_self_contained(small_db: Path, tmp_path: Path) -> None:
    out = render_report(small_db, tmp_path / "out" / "report.html")
    page = out.read_text(encoding="utf-8")
    for section_id in SECTION_IDS:
        assert f'id="{section_id}"' in page
    assert 'class="error"' not in page
    # plots are inline SVG: ROAS by KOL, by tier, model comparison, lag curves, histogram, period panels
    assert page.count("<svg") >= 6
    # nothing is fetched from elsewhere
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', page)


def test_performance_sections_fall_back_to_credits(small_db: Path, tmp_path: Path) -> None:
    page = render_report(small_db, tmp_path / "report.html").read_text(encoding="utf-8")
    roas = _section(page, "roas-kol")
    assert "computed from fct_attribution_credits + dim_notes" in roas
    # k1: 300 CNY revenue / 100 CNY cost; k2: 250 / 1000 (linear, 30 days)
    assert "<td>小红薯A</td><td>koc</td><td>1.0</td><td>300</td><td>100</td><td>3.00</td>" in roas
    assert "<td>Mega B</td><td>top</td><td>0.5</td><td>250</td><td>1,000</td><td>0.25</td>" in roas
    comparison = _section(page, "model-comparison")
    assert "last_touch" in comparison and "linear" in comparison
    assert "fct_attribution_model_comparison not built" in comparison
    lag = _section(page, "lag-curves")
    assert "fct_attribution_lag_curve not built" in lag


def test_missing_brand_health_marts_show_not_built_boxes(small_db: Path, tmp_path: Path) -> None:
    page = render_report(small_db, tmp_path / "report.html").read_text(encoding="utf-8")
    beyond = _section(page, "beyond-sales")
    assert "<svg" in beyond  # search and UGC panels still drawn
    assert "回搜" in beyond
    for missing in ("fct_community_growth", "fct_campaign_sentiment"):
        assert f"<code>{missing}</code>" in beyond
        assert 'class="not-built"' in beyond
    quality = _section(page, "engagement-quality")
    assert 'class="not-built"' in quality and "fct_engagement_quality_by_tier" in quality


def test_empty_database_renders_only_not_built_boxes(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    page = render_report(path, tmp_path / "report.html").read_text(encoding="utf-8")
    for section_id in SECTION_IDS:
        assert 'class="not-built"' in _section(page, section_id)
    assert 'class="error"' not in page
    assert "<svg" not in page


def test_performance_mart_is_preferred_and_a_broken_one_is_skipped(small_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(small_db))
    con.execute(
        """
        create table fct_kol_performance as select * from (values
            ('k1', 'C1', '小红薯A', 'koc', 'linear', 30, 2.0, 400.0, 100.0),
            ('k2', 'C2', 'Mega B', 'top', 'linear', 30, 1.0, 500.0, 1000.0),
            ('k2', 'C2', 'Mega B', 'top', 'linear', 7, 9.0, 9000.0, 1000.0))
            as t(kol_id, campaign_id, kol_handle, kol_tier, attribution_model, window_days,
                 attributed_conversions, attributed_revenue_cny, cost_cny)
        """
    )
    con.close()
    reader = MartReader(small_db)
    try:
        kols = kol_roas(reader, "linear", 30)
        assert kols.source == "fct_kol_performance"
        roas = dict(zip(kols.frame["kol_id"], kols.frame["roas"], strict=True))
        assert roas == pytest.approx({"k1": 4.0, "k2": 0.5})
        tiers = tier_roas(kols.frame).set_index("kol_tier")
        assert tiers.loc["koc", "roas"] == pytest.approx(4.0)
        assert tiers.loc["top", "cpa_cny"] == pytest.approx(1000.0)
    finally:
        reader.close()

    con = duckdb.connect(str(small_db))
    con.execute(
        "drop table fct_kol_performance; create table fct_kol_performance as select 1 as other_column"
    )
    con.close()
    reader = MartReader(small_db)
    try:
        kols = kol_roas(reader, "linear", 30)
        assert kols.source.startswith("computed from fct_attribution_credits")
        assert any("could not be read" in note for note in kols.notes)
    finally:
        reader.close()


def test_unbuilt_model_and_window_fall_back_with_a_note(small_db: Path, tmp_path: Path) -> None:
    page = render_report(small_db, tmp_path / "r.html", model="markov", window=45).read_text(encoding="utf-8")
    assert "attribution model &#x27;markov&#x27; is not built; showing &#x27;linear&#x27;" in page
    assert "window 45 days is not built; showing 30 days" in page


def test_cli_writes_the_page_and_rejects_a_missing_database(small_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cli" / "kol_attr_report.html"
    assert main(["--db", str(small_db), "--out", str(out)]) == 0
    assert out.exists() and "KOL attribution report" in out.read_text(encoding="utf-8")
    assert main(["--db", str(tmp_path / "nope.duckdb"), "--out", str(out)]) == 2
    assert "not found" in capsys.readouterr().err
