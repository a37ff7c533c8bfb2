"""Assemble the one-page HTML report from the marts of a DuckDB build.

Each section is drawn independently: a section whose marts are missing shows a "not built"
box naming them, a section that fails for any other reason shows an error box, and the page
is always written.
"""

from __future__ import annotations

import datetime as dt
import html
import traceback
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import data, plots

CSS = """
body { font-family: -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", sans-serif;
       margin: 0 auto; max-width: 1180px; padding: 24px; color: #222; background: #fafafa; }
h1 { margin-bottom: 4px; } h2 { margin-top: 36px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
section { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; padding: 12px 18px; margin: 14px 0;
          overflow-x: auto; }
.meta, .source { color: #666; font-size: 13px; }
.note { color: #8a5a00; font-size: 13px; }
.not-built { border: 2px dashed #c77; background: #fff5f5; color: #822; padding: 14px; border-radius: 6px; }
.error { border: 2px solid #c33; background: #fff0f0; color: #811; padding: 14px; border-radius: 6px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #eee; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
svg { display: block; max-width: 100%; height: auto; }
nav a { margin-right: 12px; }
"""

SECTIONS = [
    ("roas-kol", "ROAS by KOL"),
    ("roas-tier", "ROAS by tier"),
    ("model-comparison", "Attribution model comparison"),
    ("lag-curves", "Lag curves"),
    ("beyond-sales", "Beyond direct sales"),
    ("engagement-quality", "Engagement quality"),
]


def _esc(value: object) -> str:
    return html.escape(str(value))


def _table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    formats = formats or {}
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            value = row[col]
            if value is None or (isinstance(value, float) and pd.isna(value)):
                text = "—"
            elif col in formats:
                text = format(value, formats[col])
            else:
                text = str(value)
            cells.append(f"<td>{_esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _not_built(exc: data.NotBuilt) -> str:
    tables = ", ".join(f"<code>{_esc(t)}</code>" for t in exc.tables)
    detail = f" ({_esc(exc.detail)})" if exc.detail else ""
    return (
        f'<div class="not-built"><strong>Not built.</strong> This section needs {tables}{detail}. '
        "Run <code>dbt build</code> (or <code>make build</code>) and render the report again.</div>"
    )


def _source(section: data.SectionData) -> str:
    notes = "".join(f'<p class="note">{_esc(n)}</p>' for n in section.notes)
    return f'{notes}<p class="source">Source: {_esc(section.source)}</p>'


def _guard(body: Callable[[], str]) -> str:
    try:
        return body()
    except data.NotBuilt as exc:
        return _not_built(exc)
    except Exception as exc:  # a broken section must not take the page down
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return f'<div class="error"><strong>Could not draw this section.</strong> {_esc(detail)}</div>'


class Report:
    """Collects the sections of one report for one attribution model and window."""

    def __init__(self, reader: data.MartReader, model: str, window: int) -> None:
        self.reader = reader
        self.model, self.window, self.setting_notes = data.resolve_model_window(reader, model, window)
        self._kols: data.SectionData | None = None

    def kols(self) -> data.SectionData:
        if self._kols is None:
            self._kols = data.kol_roas(self.reader, self.model, self.window)
        return self._kols

    def roas_kol(self) -> str:
        kols = self.kols()
        if kols.frame.empty:
            raise data.NotBuilt(["fct_kol_performance"], "no KOL rows")
        best = kols.frame.dropna(subset=["roas"]).sort_values("roas", ascending=False)
        table = _table(
            best.head(10)[
                [
                    "kol_handle",
                    "kol_tier",
                    "attributed_conversions",
                    "attributed_revenue_cny",
                    "cost_cny",
                    "roas",
                ]
            ],
            {
                "attributed_conversions": ",.1f",
                "attributed_revenue_cny": ",.0f",
                "cost_cny": ",.0f",
                "roas": ".2f",
            },
        )
        return plots.roas_by_kol(kols.frame) + table + _source(kols)

    def roas_tier(self) -> str:
        kols = self.kols()
        tiers = data.tier_roas(kols.frame)
        table = _table(
            tiers[
                [
                    "kol_tier",
                    "kols",
                    "attributed_conversions",
                    "attributed_revenue_cny",
                    "cost_cny",
                    "roas",
                    "cpa_cny",
                ]
            ],
            {
                "attributed_conversions": ",.1f",
                "attributed_revenue_cny": ",.0f",
                "cost_cny": ",.0f",
                "roas": ".2f",
                "cpa_cny": ",.0f",
            },
        )
        note = (
            '<p class="meta">Mega and celebrity creators work at the awareness stage: judge them on reach, '
            "search and saves (below) as well as on ROAS; KOCs on conversion.</p>"
        )
        return plots.roas_by_tier(tiers) + table + note + _source(kols)

    def model_comparison(self) -> str:
        section = data.model_comparison(self.reader, self.window)
        if section.frame.empty:
            raise data.NotBuilt(["fct_attribution_model_comparison"], "no rows")
        totals = (
            section.frame.groupby("attribution_model")["attributed_conversions"]
            .sum()
            .reset_index()
            .rename(columns={"attributed_conversions": "conversions credited to KOLs"})
        )
        return (
            plots.model_comparison(section.frame)
            + _table(totals, {"conversions credited to KOLs": ",.1f"})
            + _source(section)
        )

    def lag_curves(self) -> str:
        section = data.lag_curve(self.reader, self.model)
        if section.frame.empty:
            raise data.NotBuilt(["fct_attribution_lag_curve"], "no rows")
        caption = (
            '<p class="meta">Each curve is a category\'s credited conversions at each window divided by '
            "its value at the longest window: the gap below 1 at 7 or 14 days is what a short window "
            "misses. Under fractional models credit can move between categories as the window grows, so "
            "a curve can pass 1.</p>"
        )
        out = plots.lag_curves(section.frame) + caption + _source(section)
        try:
            hist = data.days_to_conversion(self.reader, self.model)
            if not hist.frame.empty:
                out += plots.lag_histogram(hist.frame) + _source(hist)
        except data.NotBuilt:
            pass
        return out

    def beyond_sales(self) -> str:
        loaded: dict[str, data.SectionData | data.NotBuilt] = {}
        for key, loader in [
            ("search", data.search_trend),
            ("ugc", data.ugc_trend),
            ("community", data.community_trend),
            ("sentiment", data.sentiment_trend),
        ]:
            try:
                loaded[key] = loader(self.reader)
            except data.NotBuilt as exc:
                loaded[key] = exc

        def frame(key: str) -> pd.DataFrame | None:
            value = loaded[key]
            return value.frame if isinstance(value, data.SectionData) else None

        panels = [
            (
                "Search: average organic rank (1 = top)",
                "rank, mean over keywords",
                frame("search"),
                "avg_organic_rank",
                True,
            ),
            (
                "UGC: non-sponsored brand notes per day",
                "notes per day",
                frame("ugc"),
                "non_sponsored_notes_per_day",
                False,
            ),
            (
                "Community: brand followers gained per day",
                "followers per day",
                frame("community"),
                "followers_gained_per_day",
                False,
            ),
            (
                "Sentiment: brand-wide net comment sentiment",
                "share positive - share negative",
                frame("sentiment"),
                "brand_net_sentiment",
                False,
            ),
        ]
        parts = []
        if all(isinstance(v, data.NotBuilt) for v in loaded.values()):
            missing = [t for v in loaded.values() if isinstance(v, data.NotBuilt) for t in v.tables]
            return _not_built(data.NotBuilt(missing))
        parts.append(
            '<p class="meta">Each line is a campaign, compared across its baseline (before start), campaign '
            "and post windows (see dim_campaign_periods).</p>"
        )
        parts.append(plots.period_panels(panels))
        for value in loaded.values():
            if isinstance(value, data.NotBuilt):
                parts.append(_not_built(value))
        community = frame("community")
        if community is not None and not community.empty:
            per_campaign = (
                community.groupby("campaign_id")
                .agg(
                    campaign_cost_cny=("campaign_cost_cny", "max"),
                    followers_gained=("followers_gained_campaign_and_post", "max"),
                    cost_per_follower_cny=("cost_per_follower_gained_cny", "max"),
                    incremental_followers=("incremental_followers_campaign_and_post", "max"),
                    cost_per_incremental_follower_cny=("cost_per_incremental_follower_cny", "max"),
                )
                .reset_index()
            )
            parts.append("<h3>Cost per follower gained (campaign + post periods)</h3>")
            parts.append(
                _table(
                    per_campaign,
                    {
                        "campaign_cost_cny": ",.0f",
                        "followers_gained": ",.0f",
                        "cost_per_follower_cny": ",.1f",
                        "incremental_followers": ",.0f",
                        "cost_per_incremental_follower_cny": ",.1f",
                    },
                )
            )
        search = frame("search")
        if search is not None and not search.empty:
            parts.append("<h3>Search-read share and 回搜 (searches after reading) per day</h3>")
            parts.append(
                _table(
                    search[
                        [
                            "campaign_id",
                            "period",
                            "avg_organic_rank",
                            "avg_brand_notes_in_top20",
                            "search_read_share",
                            "searches_after_read_per_day",
                        ]
                    ],
                    {
                        "avg_organic_rank": ".1f",
                        "avg_brand_notes_in_top20": ".2f",
                        "search_read_share": ".1%",
                        "searches_after_read_per_day": ".2f",
                    },
                )
            )
        sources = [v.source for v in loaded.values() if isinstance(v, data.SectionData)]
        parts.append(f'<p class="source">Source: {_esc(", ".join(sources))}</p>')
        return "".join(parts)

    def engagement_quality(self) -> str:
        section = data.engagement_quality(self.reader)
        if section.frame.empty:
            raise data.NotBuilt(["fct_engagement_quality_by_tier"], "no rows")
        frame = section.frame
        shown = frame[
            [
                "kol_tier",
                "kols_with_reads",
                "save_rate",
                "like_rate",
                "conversions_per_1k_reads",
                "corr_save_rate_conversions",
                "corr_like_rate_conversions",
                "better_predictor",
            ]
        ].rename(
            columns={
                "kols_with_reads": "KOLs",
                "conversions_per_1k_reads": "conv. per 1k reads",
                "corr_save_rate_conversions": "r(save rate)",
                "corr_like_rate_conversions": "r(like rate)",
                "better_predictor": "better predictor",
            }
        )
        table = _table(
            shown,
            {
                "save_rate": ".2%",
                "like_rate": ".2%",
                "conv. per 1k reads": ".2f",
                "r(save rate)": ".2f",
                "r(like rate)": ".2f",
            },
        )
        credits = frame[["attribution_model", "window_days"]].dropna().drop_duplicates().head(1)
        setting = (
            f" Conversions are {_esc(credits.iloc[0, 0])} credits, {int(credits.iloc[0, 1])}-day window."
            if not credits.empty
            else ""
        )
        caption = (
            '<p class="meta">r = Pearson correlation across the tier\'s KOLs of the rate with attributed '
            f"conversions per 1k reads (null with fewer than 3 KOLs).{setting}</p>"
        )
        return plots.engagement_quality(frame) + table + caption + _source(section)

    def html(self) -> str:
        bodies = {
            "roas-kol": self.roas_kol,
            "roas-tier": self.roas_tier,
            "model-comparison": self.model_comparison,
            "lag-curves": self.lag_curves,
            "beyond-sales": self.beyond_sales,
            "engagement-quality": self.engagement_quality,
        }
        nav = "".join(f'<a href="#{sid}">{_esc(title)}</a>' for sid, title in SECTIONS)
        sections = "".join(
            f'<h2 id="{sid}">{_esc(title)}</h2><section data-section="{sid}">{_guard(bodies[sid])}</section>'
            for sid, title in SECTIONS
        )
        settings = "".join(f'<p class="note">{_esc(n)}</p>' for n in self.setting_notes)
        generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>KOL attribution report</title><style>{CSS}</style></head><body>"
            "<h1>KOL attribution report</h1>"
            f'<p class="meta">Database <code>{_esc(self.reader.db_path.name)}</code> · '
            f"generated {generated} · attribution model <strong>{_esc(self.model)}</strong>, "
            f"window <strong>{self.window} days</strong> (engagement quality uses its own dbt vars)</p>"
            f"{settings}<nav>{nav}</nav>{sections}</body></html>\n"
        )


def render_report(db_path: str | Path, out_path: str | Path, model: str = "linear", window: int = 30) -> Path:
    """Render the report of the DuckDB build at ``db_path`` to ``out_path``; returns the written path."""
    reader = data.MartReader(db_path)
    try:
        page = Report(reader, model, window).html()
    finally:
        reader.close()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
