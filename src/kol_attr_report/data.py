"""Read the marts the report plots from a DuckDB file built by the dbt project.

Every loader returns a :class:`SectionData` (a DataFrame plus a note saying where it came from)
or raises :class:`NotBuilt` naming the tables it needed. A mart that exists but fails to query
(an older build with other columns) is treated like a missing one and the loader falls back to
the next source, so the report never crashes on a partial build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd


class NotBuilt(Exception):
    """A section cannot be drawn because none of its source tables is usable."""

    def __init__(self, tables: list[str], detail: str = "") -> None:
        self.tables = tables
        self.detail = detail
        super().__init__(f"not built: {', '.join(tables)}" + (f" ({detail})" if detail else ""))


@dataclass
class SectionData:
    """Rows for one plot and a human-readable note on their source."""

    frame: pd.DataFrame
    source: str
    notes: list[str] = field(default_factory=list)


class MartReader:
    """Read-only access to the relations of one DuckDB database, found by table name in any schema."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        if not self.db_path.exists():
            raise FileNotFoundError(f"DuckDB file not found: {self.db_path}")
        self.con = duckdb.connect(str(self.db_path), read_only=True)
        rows = self.con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in ('information_schema', 'pg_catalog')"
        ).fetchall()
        self._relations: dict[str, str] = {}
        # prefer the dbt target schema `main` when a name exists in several schemas
        for schema, name in sorted(rows, key=lambda r: (r[0] != "main", r[0])):
            self._relations.setdefault(name.lower(), f'"{schema}"."{name}"')

    def close(self) -> None:
        self.con.close()

    def has(self, *names: str) -> bool:
        return all(n.lower() in self._relations for n in names)

    def missing(self, *names: str) -> list[str]:
        return [n for n in names if n.lower() not in self._relations]

    def rel(self, name: str) -> str:
        return self._relations[name.lower()]

    def query(self, sql: str, params: list | None = None, **tables: str) -> pd.DataFrame:
        """Run ``sql`` with ``{alias}`` placeholders replaced by the relations named in ``tables``."""
        resolved = {alias: self.rel(name) for alias, name in tables.items()}
        return self.con.execute(sql.format(**resolved), params or []).df()

    def columns(self, name: str) -> set[str]:
        return set(self.query("select * from {t} limit 0", t=name).columns)


# ---------------------------------------------------------------- attribution settings


def available_models(reader: MartReader) -> pd.DataFrame:
    """Distinct (attribution_model, window_days) pairs in fct_attribution_credits."""
    if not reader.has("fct_attribution_credits"):
        return pd.DataFrame(columns=["attribution_model", "window_days"])
    return reader.query(
        "select distinct attribution_model, window_days from {c} order by 1, 2", c="fct_attribution_credits"
    )


def resolve_model_window(reader: MartReader, model: str, window: int) -> tuple[str, int, list[str]]:
    """Keep the requested model and window when they were built, else the closest built ones."""
    notes: list[str] = []
    built = available_models(reader)
    if built.empty:
        return model, window, notes
    models = sorted(built["attribution_model"].unique())
    if model not in models:
        chosen = "linear" if "linear" in models else models[0]
        notes.append(f"attribution model '{model}' is not built; showing '{chosen}'")
        model = chosen
    windows = sorted(built.loc[built["attribution_model"] == model, "window_days"].astype(int))
    if window not in windows:
        chosen_w = min(windows, key=lambda w: abs(w - window))
        notes.append(f"window {window} days is not built; showing {chosen_w} days")
        window = chosen_w
    return model, window, notes


# ---------------------------------------------------------------- performance


def kol_roas(reader: MartReader, model: str, window: int) -> SectionData:
    """Attributed revenue, cost and ROAS per KOL for one model and window.

    ROAS = attributed net revenue (CNY) / cost (creator fee + platform fee + boost, CNY).
    """
    notes: list[str] = []
    if reader.has("fct_kol_performance"):
        try:
            frame = reader.query(
                """
                select
                    kol_id,
                    max(kol_handle) as kol_handle,
                    max(kol_tier) as kol_tier,
                    sum(attributed_conversions) as attributed_conversions,
                    sum(attributed_revenue_cny) as attributed_revenue_cny,
                    sum(cost_cny) as cost_cny
                from {p}
                where attribution_model = ? and window_days = ?
                group by kol_id
                """,
                [model, window],
                p="fct_kol_performance",
            )
            if not frame.empty:
                return SectionData(_with_roas(frame), "fct_kol_performance", notes)
            notes.append("fct_kol_performance has no rows for this model and window")
        except duckdb.Error as exc:
            notes.append(f"fct_kol_performance could not be read ({type(exc).__name__})")
    missing = reader.missing("fct_attribution_credits", "dim_notes")
    if missing:
        raise NotBuilt(["fct_kol_performance", *missing])
    handles = (
        "left join (select kol_id, kol_handle from {k}) as kols using (kol_id)"
        if reader.has("dim_kols")
        else ""
    )
    handle_expr = "coalesce(kols.kol_handle, cost.kol_id)" if handles else "cost.kol_id"
    frame = reader.query(
        f"""
        with
        cost as (
            select
                kol_id,
                arg_max(kol_tier_at_publish, published_at) as kol_tier,
                sum(total_cost_cny) as cost_cny
            from {{n}}
            group by kol_id
        ),
        revenue as (
            select
                kol_id,
                sum(credit) as attributed_conversions,
                sum(attributed_revenue_cny) as attributed_revenue_cny
            from {{c}}
            where attribution_model = ? and window_days = ? and not is_unattributed and kol_id is not null
            group by kol_id
        )
        select
            cost.kol_id,
            {handle_expr} as kol_handle,
            cost.kol_tier,
            coalesce(revenue.attributed_conversions, 0) as attributed_conversions,
            coalesce(revenue.attributed_revenue_cny, 0) as attributed_revenue_cny,
            cost.cost_cny
        from cost
        left join revenue using (kol_id)
        {handles}
        """,
        [model, window],
        n="dim_notes",
        c="fct_attribution_credits",
        **({"k": "dim_kols"} if handles else {}),
    )
    source = "computed from fct_attribution_credits + dim_notes (fct_kol_performance not built)"
    return SectionData(_with_roas(frame), source, notes)


def _with_roas(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in ("attributed_conversions", "attributed_revenue_cny", "cost_cny"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["kol_tier"] = frame["kol_tier"].fillna("unknown")
    cost = frame["cost_cny"].where(frame["cost_cny"] > 0)
    frame["roas"] = frame["attributed_revenue_cny"] / cost
    return frame


def tier_roas(kols: pd.DataFrame) -> pd.DataFrame:
    """Pooled ROAS per tier from the per-KOL rows: sum of revenue / sum of cost."""
    grouped = (
        kols.groupby("kol_tier", dropna=False)
        .agg(
            kols=("kol_id", "count"),
            attributed_revenue_cny=("attributed_revenue_cny", "sum"),
            cost_cny=("cost_cny", "sum"),
            attributed_conversions=("attributed_conversions", "sum"),
        )
        .reset_index()
    )
    grouped["roas"] = grouped["attributed_revenue_cny"] / grouped["cost_cny"].where(grouped["cost_cny"] > 0)
    grouped["cpa_cny"] = grouped["cost_cny"] / grouped["attributed_conversions"].where(
        grouped["attributed_conversions"] > 0
    )
    return grouped.sort_values("roas", ascending=False, na_position="last")


def model_comparison(reader: MartReader, window: int) -> SectionData:
    """Attributed conversions per KOL under every attribution model, one window."""
    notes: list[str] = []
    if reader.has("fct_attribution_model_comparison"):
        try:
            frame = reader.query(
                """
                select kol_id, max(kol_handle) as kol_handle, attribution_model,
                       sum(attributed_conversions) as attributed_conversions
                from {m}
                where window_days = ?
                group by kol_id, attribution_model
                """,
                [window],
                m="fct_attribution_model_comparison",
            )
            if not frame.empty:
                return SectionData(frame, "fct_attribution_model_comparison", notes)
            notes.append("fct_attribution_model_comparison has no rows for this window")
        except duckdb.Error as exc:
            notes.append(f"fct_attribution_model_comparison could not be read ({type(exc).__name__})")
    if not reader.has("fct_attribution_credits"):
        raise NotBuilt(["fct_attribution_model_comparison", "fct_attribution_credits"])
    handle = "coalesce(max(kols.kol_handle), credits.kol_id)" if reader.has("dim_kols") else "credits.kol_id"
    join = "left join {k} as kols on credits.kol_id = kols.kol_id" if reader.has("dim_kols") else ""
    frame = reader.query(
        f"""
        select credits.kol_id, {handle} as kol_handle, credits.attribution_model,
               sum(credits.credit) as attributed_conversions
        from {{c}} as credits
        {join}
        where credits.window_days = ? and not credits.is_unattributed and credits.kol_id is not null
        group by credits.kol_id, credits.attribution_model
        """,
        [window],
        c="fct_attribution_credits",
        **({"k": "dim_kols"} if join else {}),
    )
    source = "computed from fct_attribution_credits (fct_attribution_model_comparison not built)"
    return SectionData(frame, source, notes)


def lag_curve(reader: MartReader, model: str) -> SectionData:
    """Attributed conversions by window length (days) per product category, one model."""
    notes: list[str] = []
    if reader.has("fct_attribution_lag_curve"):
        try:
            frame = reader.query(
                """
                select coalesce(product_category, 'unknown') as product_category, window_days,
                       sum(attributed_conversions) as attributed_conversions
                from {l}
                where attribution_model = ?
                group by 1, 2
                """,
                [model],
                l="fct_attribution_lag_curve",
            )
            if not frame.empty:
                return SectionData(frame, "fct_attribution_lag_curve", notes)
            notes.append("fct_attribution_lag_curve has no rows for this model")
        except duckdb.Error as exc:
            notes.append(f"fct_attribution_lag_curve could not be read ({type(exc).__name__})")
    if not reader.has("fct_attribution_credits"):
        raise NotBuilt(["fct_attribution_lag_curve", "fct_attribution_credits"])
    if reader.has("dim_campaigns"):
        category = "coalesce(campaigns.product_category, 'unknown')"
        join = "left join {d} as campaigns on credits.campaign_id = campaigns.campaign_id"
        extra = {"d": "dim_campaigns"}
    else:
        category, join, extra = "'all'", "", {}
    frame = reader.query(
        f"""
        select {category} as product_category, credits.window_days,
               sum(credits.credit) as attributed_conversions
        from {{c}} as credits
        {join}
        where credits.attribution_model = ? and not credits.is_unattributed and credits.kol_id is not null
        group by 1, 2
        """,
        [model],
        c="fct_attribution_credits",
        **extra,
    )
    source = "computed from fct_attribution_credits + dim_campaigns (fct_attribution_lag_curve not built)"
    return SectionData(frame, source, notes)


def days_to_conversion(reader: MartReader, model: str) -> SectionData:
    """Credit-weighted days from touch to conversion at the longest window built for ``model``."""
    if not reader.has("fct_attribution_credits"):
        raise NotBuilt(["fct_attribution_credits"])
    frame = reader.query(
        """
        with longest as (
            select max(window_days) as window_days from {c} where attribution_model = ?
        )
        select
            floor(date_diff('second', credits.touched_at, credits.converted_at) / 86400.0) as lag_days,
            sum(credits.credit) as credit
        from {c} as credits
        inner join longest on credits.window_days = longest.window_days
        where credits.attribution_model = ? and not credits.is_unattributed and credits.touched_at is not null
        group by 1
        order by 1
        """,
        [model, model],
        c="fct_attribution_credits",
    )
    return SectionData(frame, "fct_attribution_credits (longest window)")


# ---------------------------------------------------------------- beyond direct sales

PERIOD_ORDER = ["baseline", "campaign", "post"]


def _period_mart(reader: MartReader, mart: str, select_sql: str) -> SectionData:
    if not reader.has(mart):
        raise NotBuilt([mart])
    try:
        frame = reader.query(select_sql, t=mart)
    except duckdb.Error as exc:
        raise NotBuilt([mart], f"could not be read: {type(exc).__name__}") from exc
    return SectionData(frame, mart)


def search_trend(reader: MartReader) -> SectionData:
    """Average organic rank over keywords, brand notes in top 20 and 回搜, per campaign and period."""
    return _period_mart(
        reader,
        "fct_search_visibility",
        """
        select campaign_id, period, min(period_order) as period_order,
               avg(avg_organic_rank) as avg_organic_rank,
               avg(avg_brand_notes_in_top20) as avg_brand_notes_in_top20,
               max(campaign_search_read_share) as search_read_share,
               max(campaign_searches_after_read_per_day) as searches_after_read_per_day
        from {t}
        group by campaign_id, period
        order by campaign_id, period_order
        """,
    )


def ugc_trend(reader: MartReader) -> SectionData:
    return _period_mart(
        reader,
        "fct_ugc_amplification",
        """
        select campaign_id, period, period_order, non_sponsored_notes_per_day, sponsored_notes_per_day,
               non_sponsored_notes_per_day_lift_vs_baseline, non_sponsored_engagement_per_note
        from {t}
        order by campaign_id, period_order
        """,
    )


def community_trend(reader: MartReader) -> SectionData:
    return _period_mart(
        reader,
        "fct_community_growth",
        """
        select campaign_id, period, period_order, followers_gained, followers_gained_per_day,
               campaign_cost_cny, followers_gained_campaign_and_post, cost_per_follower_gained_cny,
               incremental_followers_campaign_and_post, cost_per_incremental_follower_cny
        from {t}
        order by campaign_id, period_order
        """,
    )


def sentiment_trend(reader: MartReader) -> SectionData:
    return _period_mart(
        reader,
        "fct_campaign_sentiment",
        """
        select campaign_id, period, period_order, brand_comments, brand_net_sentiment,
               campaign_note_comments, campaign_note_net_sentiment,
               campaign_note_share_positive, campaign_note_share_negative
        from {t}
        order by campaign_id, period_order
        """,
    )


def engagement_quality(reader: MartReader) -> SectionData:
    return _period_mart(
        reader,
        "fct_engagement_quality_by_tier",
        """
        select kol_tier, attribution_model, window_days, kols_with_reads, save_rate, like_rate,
               conversions_per_1k_reads, corr_save_rate_conversions, corr_like_rate_conversions,
               better_predictor
        from {t}
        order by case when kol_tier = 'all' then 1 else 0 end, kol_tier
        """,
    )
