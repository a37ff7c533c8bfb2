"""The report on a full demo build: every section drawn from its own mart, no 'not built' box.

Runs when ``KOL_ATTR_BUILT_DB`` names a DuckDB file made by `dbt build` on the demo seeds
(``make test`` sets it to the database of its dbt-test step); otherwise skipped rather than
paying for another full build.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from kol_attr_report import render_report

pytestmark = pytest.mark.dbt

BUILT = os.environ.get("KOL_ATTR_BUILT_DB")


@pytest.mark.skipif(not BUILT or not Path(BUILT).exists(), reason="KOL_ATTR_BUILT_DB not set to a demo build")
def test_report_on_the_demo_build(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copy(BUILT, db)
    page = render_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'class="error"' not in page
    assert 'class="not-built"' not in page
    sections = dict(re.findall(r'<section data-section="([a-z-]+)">(.*?)</section>', page, re.S))
    assert set(sections) == {
        "roas-kol",
        "roas-tier",
        "model-comparison",
        "lag-curves",
        "beyond-sales",
        "engagement-quality",
    }
    for section_id, body in sections.items():
        assert "<svg" in body, section_id
    assert "Source: fct_kol_performance" in sections["roas-kol"]
    assert "Source: fct_attribution_model_comparison" in sections["model-comparison"]
    assert "Source: fct_attribution_lag_curve" in sections["lag-curves"]
    for mart in (
        "fct_search_visibility",
        "fct_ugc_amplification",
        "fct_community_growth",
        "fct_campaign_sentiment",
    ):
        assert mart in sections["beyond-sales"]
    # every demo campaign appears in the beyond-sales tables
    for campaign in ("CMP0001", "CMP0008"):
        assert f"<td>{campaign}</td>" in sections["beyond-sales"]
