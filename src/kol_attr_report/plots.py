"""Matplotlib figures rendered to inline SVG strings (text kept as text, so Chinese handles and
keywords render with the browser's fonts)."""

from __future__ import annotations

import io
import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .data import PERIOD_ORDER  # noqa: E402

TIER_ORDER = ["celebrity", "top", "mid", "junior", "koc", "ordinary"]
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]

plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.family": ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans", "sans-serif"],
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def ordered_tiers(tiers: list[str]) -> list[str]:
    """Known tiers from the largest creators to the smallest, then any other tier alphabetically."""
    known = [t for t in TIER_ORDER if t in tiers]
    return known + sorted(t for t in tiers if t not in TIER_ORDER)


def tier_colors(tiers: list[str]) -> dict[str, str]:
    return {tier: PALETTE[i % len(PALETTE)] for i, tier in enumerate(ordered_tiers(tiers))}


def to_svg(fig: plt.Figure, salt: str) -> str:
    """The figure as an <svg> element (no XML prologue); ids salted so several can share a page."""
    buf = io.StringIO()
    with warnings.catch_warnings(), matplotlib.rc_context({"svg.hashsalt": salt}):
        warnings.simplefilter("ignore")  # glyphs missing from the layout font are drawn by the browser
        fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def roas_by_kol(kols: pd.DataFrame, top_n: int = 25) -> str:
    data = kols.dropna(subset=["roas"]).sort_values("roas", ascending=False).head(top_n)
    data = data.iloc[::-1]
    colors = tier_colors(list(kols["kol_tier"].unique()))
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.28 * len(data) + 1)))
    ax.barh(
        [f"{h} ({t})" for h, t in zip(data["kol_handle"], data["kol_tier"], strict=True)],
        data["roas"],
        color=[colors[t] for t in data["kol_tier"]],
    )
    ax.axvline(1.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_xlabel("ROAS (attributed net revenue / cost, CNY per CNY)")
    ax.set_title(f"Top {len(data)} KOLs by ROAS (dashed line: break-even)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors.values()]
    ax.legend(handles, list(colors), title="tier at publish", loc="lower right", fontsize=8)
    return to_svg(fig, "roas_by_kol")


def roas_by_tier(tiers: pd.DataFrame) -> str:
    order = ordered_tiers(list(tiers["kol_tier"]))
    data = tiers.set_index("kol_tier").loc[order].reset_index()
    colors = tier_colors(order)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    axes[0].bar(data["kol_tier"], data["roas"].fillna(0), color=[colors[t] for t in data["kol_tier"]])
    axes[0].axhline(1.0, color="black", linewidth=0.8, linestyle="--")
    axes[0].set_ylabel("ROAS (CNY revenue per CNY cost)")
    axes[0].set_title("Pooled ROAS by tier")
    axes[1].bar(data["kol_tier"], data["cpa_cny"].fillna(0), color=[colors[t] for t in data["kol_tier"]])
    axes[1].set_ylabel("CPA (CNY per attributed conversion)")
    axes[1].set_title("Cost per attributed conversion by tier")
    for ax in axes:
        ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return to_svg(fig, "roas_by_tier")


def model_comparison(frame: pd.DataFrame, top_n: int = 12) -> str:
    totals = (
        frame.groupby(["kol_id", "kol_handle"])["attributed_conversions"].max().sort_values(ascending=False)
    )
    top = totals.head(top_n).reset_index()
    pivot = (
        frame[frame["kol_id"].isin(top["kol_id"])]
        .pivot_table(
            index="kol_id", columns="attribution_model", values="attributed_conversions", aggfunc="sum"
        )
        .reindex(top["kol_id"])
        .fillna(0)
    )
    models = list(pivot.columns)
    fig, ax = plt.subplots(figsize=(11, 4.2))
    width = 0.8 / max(1, len(models))
    x = np.arange(len(pivot))
    for i, model in enumerate(models):
        ax.bar(
            x + i * width - 0.4 + width / 2, pivot[model], width, label=model, color=PALETTE[i % len(PALETTE)]
        )
    ax.set_xticks(x)
    ax.set_xticklabels(top["kol_handle"], rotation=35, ha="right")
    ax.set_ylabel("attributed conversions (credit sum)")
    ax.set_title(f"Credit per KOL under each attribution model (top {len(pivot)} KOLs)")
    ax.legend(fontsize=8, ncol=min(4, len(models)))
    return to_svg(fig, "model_comparison")


def lag_curves(frame: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(9, 4))
    for i, (category, rows) in enumerate(sorted(frame.groupby("product_category"), key=lambda kv: kv[0])):
        rows = rows.sort_values("window_days")
        top = rows["attributed_conversions"].iloc[-1]
        if not top or pd.isna(top):
            continue
        ax.plot(
            rows["window_days"],
            rows["attributed_conversions"] / top,
            marker="o",
            label=str(category),
            color=PALETTE[i % len(PALETTE)],
        )
    ax.set_xlabel("attribution window (days)")
    ax.set_ylabel("share of conversions credited at the longest window")
    ax.set_ylim(0, 1.05)
    ax.set_title("Lag curves: how much a short window misses, by product category")
    ax.legend(fontsize=8, ncol=2)
    return to_svg(fig, "lag_curves")


def lag_histogram(frame: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(9, 3))
    ax.bar(frame["lag_days"], frame["credit"], width=1.0, color=PALETTE[0])
    if (frame["credit"] > 0).any():
        ax.set_yscale("log")  # order-borne touches (codes, cards) sit at day 0 and dwarf the tail
    ax.set_xlabel("days from touch to conversion")
    ax.set_ylabel("credited conversions (log scale)")
    ax.set_title("Days-to-conversion distribution (credit-weighted, longest window)")
    return to_svg(fig, "lag_histogram")


def period_panels(panels: list[tuple[str, str, pd.DataFrame | None, str, bool]]) -> str:
    """2 x 2 small multiples: one line per campaign over baseline -> campaign -> post.

    Each panel is (title, y label, frame with campaign_id / period / value or None, value column, invert y).
    """
    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    for ax, (title, ylabel, frame, column, invert) in zip(axes.flat, panels, strict=False):
        ax.set_title(title)
        if frame is None or frame.empty:
            ax.text(0.5, 0.5, "not built", ha="center", va="center", transform=ax.transAxes, color="#999")
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        for i, (campaign, rows) in enumerate(sorted(frame.groupby("campaign_id"), key=lambda kv: kv[0])):
            rows = rows.set_index("period").reindex(PERIOD_ORDER)
            ax.plot(
                PERIOD_ORDER,
                rows[column].astype(float),
                marker="o",
                label=campaign,
                color=PALETTE[i % len(PALETTE)],
            )
        ax.set_ylabel(ylabel)
        if invert:
            ax.invert_yaxis()
    handles, labels = [], []
    for ax in axes.flat:
        h, lab = ax.get_legend_handles_labels()
        if h:
            handles, labels = h, lab
            break
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=min(8, len(labels)), fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return to_svg(fig, "period_panels")


def engagement_quality(frame: pd.DataFrame) -> str:
    data = frame.copy()
    tiers = list(data["kol_tier"])
    order = ordered_tiers([t for t in tiers if t != "all"]) + (["all"] if "all" in tiers else [])
    data = data.set_index("kol_tier").loc[order].reset_index()
    x = np.arange(len(data))
    fig, ax = plt.subplots(figsize=(9, 3.6))
    ax.bar(
        x - 0.2,
        data["corr_save_rate_conversions"].astype(float).fillna(0),
        0.4,
        label="save rate",
        color=PALETTE[2],
    )
    ax.bar(
        x + 0.2,
        data["corr_like_rate_conversions"].astype(float).fillna(0),
        0.4,
        label="like rate",
        color=PALETTE[1],
    )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels(data["kol_tier"])
    ax.set_ylim(-1, 1)
    ax.set_ylabel("Pearson r with conversions per 1k reads")
    ax.set_title("Which engagement rate predicts attributed conversions? (null correlations drawn as 0)")
    ax.legend(fontsize=8)
    return to_svg(fig, "engagement_quality")
